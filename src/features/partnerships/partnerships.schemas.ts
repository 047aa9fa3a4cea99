import { z } from 'zod';
import { ROLES } from '../../core/actor.js';
import { idField, optionalId, optionalText, requiredText } from '../../core/schema-helpers.js';

export const PARTNERSHIP_TYPES = ['district', 'unitary', 'county'] as const;
export type PartnershipType = (typeof PARTNERSHIP_TYPES)[number];

export const ROLE_LABELS = { coordinator: 'Coordinator', lead: 'Lead', viewer: 'Viewer' } as const;
export const ROLE_HINTS = {
  coordinator: 'Runs the partnership: members, groups and everything in it',
  lead: 'Edits what their agency or their groups lead',
  viewer: 'Reads the partnership’s records',
} as const;

export const messages = {
  nameEmpty: 'Enter the partnership’s name',
  nameTooLong: 'Name must be 200 characters or fewer',
  slugInvalid:
    'Short name must be 2 to 60 lower-case letters, numbers and hyphens, like dartford-gravesham',
  slugTaken: 'A partnership already uses this short name',
  typeMissing: 'Select the type of partnership',
  parentNotCounty: 'The parent must be a county partnership',
  parentUnknown: 'There is no county partnership with this short name',
  countyWithParent: 'A county partnership cannot have a parent',
  countyHasDistricts: 'District partnerships sit under this county: move them first',
  areasInvalid: 'Enter ONS district codes like E07000113, separated by commas or new lines',
  areasUnknown: (codes: string[]) =>
    `${codes.join(', ')} ${codes.length === 1 ? 'is not a district' : 'are not districts'} in the ONS lookups imported: check the ${codes.length === 1 ? 'code' : 'codes'}`,
  emailInvalid: 'Enter an email address in the correct format, like name@example.org',
  roleMissing: 'Select a role',
  nameNeeded: 'Enter their full name: they do not have an account yet',
  agencyNeeded: 'Select their agency: they do not have an account yet',
  alreadyMember: 'This person is already a member of the partnership',
  lastCoordinator: 'A partnership must keep at least one coordinator',
  agencyMissing: 'Select an agency',
  agencyAlreadyPartner: 'This agency is already a partner',
};

const GSS_CODE = /^[EWSN]\d{8}$/;

/** District codes as typed: commas, spaces or new lines between them. */
export const areasField = z
  .union([z.string(), z.array(z.string()), z.undefined()])
  .transform((v) =>
    (Array.isArray(v) ? v : (v ?? '').split(/[\s,]+/))
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean),
  )
  .refine((codes) => codes.every((c) => GSS_CODE.test(c)), messages.areasInvalid)
  .transform((codes) => [...new Set(codes)]);

export const slugField = z
  .string({ error: messages.slugInvalid })
  .trim()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, messages.slugInvalid)
  .min(2, messages.slugInvalid)
  .max(60, messages.slugInvalid);

export const partnershipSchema = z.object({
  name: requiredText(messages.nameEmpty, 200, messages.nameTooLong),
  slug: slugField,
  type: z.enum(PARTNERSHIP_TYPES, { error: messages.typeMissing }),
  parent: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined),
  areas: areasField,
});

export const placementSchema = partnershipSchema.pick({ type: true, parent: true });

export const settingsSchema = z.object({
  name: requiredText(messages.nameEmpty, 200, messages.nameTooLong),
  areas: areasField,
});

export const roleField = z.enum(ROLES, { error: messages.roleMissing });

export const addMemberSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: messages.emailInvalid })),
  role: roleField,
  name: optionalText(200, messages.nameTooLong),
  agencyId: optionalId(messages.agencyNeeded),
});

export const changeRoleSchema = z.object({ role: roleField });

export const addAgencySchema = z.object({ agencyId: idField(messages.agencyMissing) });
