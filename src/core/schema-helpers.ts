import { z } from 'zod';

/** A required line of text: trimmed, with GOV.UK wording for empty and too long. */
export function requiredText(empty: string, max: number, tooLong: string): z.ZodString {
  return z.string({ error: empty }).trim().min(1, empty).max(max, tooLong);
}

export function optionalText(max: number, tooLong: string): z.ZodType<string> {
  return z
    .string()
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((v) => v ?? '');
}

/** A numeric id from a form field or JSON. */
export function idField(message: string): z.ZodType<number> {
  return z.coerce.number({ error: message }).int(message).positive(message);
}

/** An id that may be left blank (an empty select) or left out. */
export function optionalId(message: string): z.ZodType<number | undefined> {
  return z
    .union([z.literal(''), idField(message)])
    .optional()
    .transform((v) => (v === '' ? undefined : v));
}
