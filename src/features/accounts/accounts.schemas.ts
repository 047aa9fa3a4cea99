import { z } from 'zod';
import { idField, requiredText } from '../../core/schema-helpers.js';
import { MIN_PASSWORD_LENGTH } from '../auth/passwords.js';

export const messages = {
  emailInvalid: 'Enter an email address in the correct format, like name@example.org',
  emailTaken: 'An account already uses this email address',
  nameEmpty: 'Enter their full name',
  nameTooLong: 'Name must be 200 characters or fewer',
  agencyMissing: 'Select their agency',
  passwordTooShort: `Password must be at least ${MIN_PASSWORD_LENGTH} characters`,
  passwordTooLong: 'Password must be 200 characters or fewer',
  passwordsDiffer: 'Enter the same password twice',
  currentWrong: 'Your current password is not correct',
  selfDisable: 'You cannot disable your own account',
};

export const emailField = z
  .string({ error: messages.emailInvalid })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: messages.emailInvalid }));

export const passwordField = z
  .string({ error: messages.passwordTooShort })
  .min(MIN_PASSWORD_LENGTH, messages.passwordTooShort)
  .max(200, messages.passwordTooLong);

export const createUserSchema = z.object({
  email: emailField,
  name: requiredText(messages.nameEmpty, 200, messages.nameTooLong),
  agencyId: idField(messages.agencyMissing),
  isAdmin: z
    .union([z.boolean(), z.literal('yes'), z.literal('')])
    .optional()
    .transform((v) => v === true || v === 'yes'),
});

export const newPasswordSchema = z
  .object({ password: passwordField, confirm: z.string().optional() })
  .refine((v) => v.confirm === undefined || v.confirm === v.password, {
    message: messages.passwordsDiffer,
    path: ['confirm'],
  });

export const changePasswordSchema = z
  .object({
    current: z.string().min(1, messages.currentWrong),
    password: passwordField,
    confirm: z.string(),
  })
  .refine((v) => v.confirm === v.password, {
    message: messages.passwordsDiffer,
    path: ['confirm'],
  });
