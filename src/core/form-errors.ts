import type { z } from 'zod';
import { ConflictError, ValidationFailed } from './errors.js';

export interface FormErrors {
  summary: { text: string; href: string }[];
  fields: Record<string, { text: string }>;
}

/** One error shape for every form: per field, and the list for the error summary. */
export function formErrors(entries: [field: string, text: string][]): FormErrors {
  const result: FormErrors = { summary: [], fields: {} };
  for (const [field, text] of entries) {
    if (result.fields[field]) continue;
    result.fields[field] = { text };
    result.summary.push({ text, href: `#${field}` });
  }
  return result;
}

export function fromZodError(error: z.ZodError): FormErrors {
  return formErrors(error.issues.map((issue) => [String(issue.path[0] ?? 'form'), issue.message]));
}

/**
 * Parse input with a schema, or throw ValidationFailed with the schema's own wording, together
 * with any errors the caller found beside the schema, so a form shows every error at once.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  more: [field: string, text: string][] = [],
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  const entries: [string, string][] = result.success
    ? []
    : result.error.issues.map((issue) => [String(issue.path[0] ?? 'form'), issue.message]);
  entries.push(...more);
  if (!result.success || entries.length) throw new ValidationFailed(formErrors(entries));
  return result.data;
}

export function fieldError(field: string, text: string): ValidationFailed {
  return new ValidationFailed(formErrors([[field, text]]));
}

/** A stale change: `text` for the form's field, `detail` for callers that have no form. */
export function conflictError(field: string, text: string, detail: string): ConflictError {
  return new ConflictError(formErrors([[field, text]]), detail);
}

export type Attempt<T> =
  | { ok: true; value: T }
  /** `conflict`: the change was based on a version someone else has since replaced. */
  | { ok: false; errors: FormErrors; conflict: boolean };

/** Run a service call from a form: rule breaks come back as errors to re-render the form with. */
export async function attempt<T>(fn: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof ValidationFailed)
      return { ok: false, errors: err.errors, conflict: err instanceof ConflictError };
    throw err;
  }
}
