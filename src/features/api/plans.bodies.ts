import { z } from 'zod';
import { ConflictError, ValidationFailed } from '../../core/errors.js';
import { formErrors } from '../../core/form-errors.js';
import type { PlanAction } from '../plans/plans.repository.js';
import { actionSchema, MAX_ROWS, MILESTONE_ROWS, themeSchema } from '../plans/plans.schemas.js';
import { LEAD_TYPES } from './api.schemas.js';

/*
 * The actions service reads an action as the page's form sends it: leads as "agency:12",
 * milestones as numbered rows (milestone1, timescale1 …). A JSON caller writes natural JSON. The
 * body is translated into the form's shape here and the service's rules apply unchanged; only
 * the field names in its errors are translated back.
 */

export const bodyMessages = {
  milestonesNotList: 'Milestones must be a list',
  milestoneShape: 'Each milestone must be an object with its text, and its timescale if it has one',
};

const Milestone = z.object({
  text: z.string().min(1).max(MILESTONE_ROWS.first),
  timescale: z
    .string()
    .max(MILESTONE_ROWS.second)
    .optional()
    .meta({
      description:
        'As the plan would write it: "By March 2025", "Summer 24", "Quarterly". A due date is ' +
        'read from it where the words allow',
    }),
});

/** An action as a JSON caller sends it: described for the document, checked by the service. */
export const ActionBody = z.object({
  themeId: z.int().positive().meta({ description: 'The plan’s priority or theme it belongs to' }),
  number: actionSchema.shape.number.meta({ description: 'Like 1.2, unique in the plan' }),
  title: actionSchema.shape.title,
  desiredOutcome: actionSchema.shape.desiredOutcome,
  leads: z
    .array(z.object({ type: z.enum(LEAD_TYPES), id: z.int().positive() }))
    .min(1)
    .meta({ description: 'The partnership’s own partner agencies and groups leading it' }),
  milestones: z.array(Milestone).max(MAX_ROWS).optional(),
});

const basedOn = (part: string) =>
  z
    .int()
    .positive()
    .optional()
    .meta({
      description: `The version the change is based on. If the ${part} has changed since, nothing is saved`,
    });

/** A theme as a JSON caller adds it. */
export const ThemeBody = themeSchema.omit({ version: true });

/** A change to a theme: fields left out keep their value. */
export const ThemePatch = ThemeBody.partial().extend({ version: basedOn('priority or theme') });

/** A change to an action: fields left out keep their value. */
export const ActionPatch = ActionBody.partial().extend({ version: basedOn('action') });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number, or a string (as a form would send it); anything else is left for the rules. */
export function asText(value: unknown): unknown {
  return typeof value === 'number' ? String(value) : value;
}

function leadValue(lead: unknown): string {
  if (!isObject(lead) || typeof lead.id !== 'number' || typeof lead.type !== 'string')
    return 'not-a-lead';
  return `${lead.type}:${lead.id}`;
}

/** The action in the form's shape. A JSON shape no form could send is refused here. */
export function actionInput(body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {
    // A boolean would pass as 1 for the form's rule: only a number or a string is an id here.
    themeId: ['number', 'string'].includes(typeof body.themeId) ? asText(body.themeId) : undefined,
    number: body.number,
    title: body.title,
    desiredOutcome: body.desiredOutcome,
    version: asText(body.version),
    leads: Array.isArray(body.leads) ? body.leads.map(leadValue) : undefined,
  };
  const milestones = body.milestones ?? [];
  if (!Array.isArray(milestones)) {
    throw new ValidationFailed(formErrors([['milestones', bodyMessages.milestonesNotList]]));
  }
  const wrong: [string, string][] = [];
  milestones.forEach((m: unknown, i) => {
    const text = isObject(m) ? m.text : undefined;
    const timescale = isObject(m) ? (m.timescale ?? '') : undefined;
    if (typeof text !== 'string' || typeof timescale !== 'string')
      wrong.push([`milestones[${i}]`, bodyMessages.milestoneShape]);
    input[`milestone${i + 1}`] = text;
    input[`timescale${i + 1}`] = timescale;
  });
  if (wrong.length) throw new ValidationFailed(formErrors(wrong));
  return input;
}

/** The action as a JSON caller would send it, to apply a partial change to. */
export function actionJson(action: PlanAction): Record<string, unknown> {
  return {
    themeId: action.themeId,
    number: action.number,
    title: action.title,
    desiredOutcome: action.desiredOutcome,
    version: action.version,
    leads: action.leads.map((l) => ({ type: l.type, id: l.id })),
    milestones: action.milestones.map((m) => ({ text: m.text, timescale: m.timescale })),
  };
}

/** milestone2 → milestones[1].text, timescale2 → milestones[1].timescale. */
function jsonField(field: string): string {
  const row = /^(milestone|timescale)(\d+)$/.exec(field);
  if (!row) return field;
  return `milestones[${Number(row[2]) - 1}].${row[1] === 'milestone' ? 'text' : 'timescale'}`;
}

/** Runs a service call on a translated action, naming the JSON's fields in its errors. */
export async function withJsonFields<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof ValidationFailed) || err instanceof ConflictError) throw err;
    throw new ValidationFailed(
      formErrors(err.errors.summary.map((e) => [jsonField(e.href.slice(1)), e.text])),
    );
  }
}
