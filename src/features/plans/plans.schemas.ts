import { z } from 'zod';
import { PeriodError, parsePlanPeriod, planPeriodLabel } from '../../domain/periods.js';
import { idField, optionalText, requiredText } from '../../core/schema-helpers.js';

export const PLAN_STATUSES = ['draft', 'adopted', 'archived'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
  draft: 'Draft',
  adopted: 'Adopted',
  archived: 'Archived',
};

export const THEME_TYPES = ['priority', 'cross-cutting'] as const;
export type ThemeType = (typeof THEME_TYPES)[number];
export const THEME_TYPE_LABELS: Record<ThemeType, string> = {
  priority: 'Priority',
  'cross-cutting': 'Cross-cutting theme',
};

/** Blank rows offered under the filled ones on list forms (milestones, risks). */
export const SPARE_ROWS = 3;
export const MAX_ROWS = 50;

export const messages = {
  titleEmpty: 'Enter the plan’s title',
  titleTooLong: 'Title must be 200 characters or fewer',
  periodEmpty: 'Enter the plan period, like 2024/25 or 2016 to 2020',
  periodTaken: 'The partnership already has a plan for this period',
  statusMissing: 'Select the plan’s status',
  sectionTooLong: 'Each section must be 20,000 characters or fewer',
  lineTooLong: 'Each line must be 1,000 characters or fewer',
  tooManyLines: `A list can have at most ${MAX_ROWS} lines`,
  riskEmpty: 'Enter the risk for the description on this row',
  riskTooLong: 'Risk must be 500 characters or fewer',
  themeTypeMissing: 'Select whether this is a priority or a cross-cutting theme',
  themeTitleEmpty: 'Enter the theme’s title',
  themeTitleTooLong: 'Theme title must be 200 characters or fewer',
  summaryTooLong: 'Summary must be 20,000 characters or fewer',
  themeMissing: 'Select the priority or theme the action belongs to',
  numberEmpty: 'Enter the action’s number, like 1.1',
  numberBad: 'Action number must be written like 1.1',
  numberTaken: 'Another action in this plan already has this number',
  actionEmpty: 'Enter the action',
  actionTooLong: 'Action must be 2,000 characters or fewer',
  outcomeTooLong: 'Desired outcome must be 2,000 characters or fewer',
  milestoneEmpty: 'Enter the milestone for the timescale on this row',
  milestoneTooLong: 'Milestone must be 1,000 characters or fewer',
  timescaleTooLong: 'Timescale must be 200 characters or fewer',
  leadMissing: 'Select at least one lead agency or group',
  leadUnknown: 'Select the partnership’s own agencies or groups',
  adoptedNotDeleted:
    'An adopted plan cannot be deleted. Archive it instead when a later plan replaces it',
  archivedNotDeleted: 'An archived plan cannot be deleted. It is kept as the partnership’s record',
  actionChanged:
    'Someone else changed this action while you were editing it. Their version is shown below; check it, then save yours again if it is still needed.',
  /** The same, for callers that have no form to show the saved version in. */
  actionChangedSince: (version: number) =>
    `Someone else changed this action after the version your change is based on; it is now version ${version}. Read it again, then send your change if it is still needed.`,
  themeChanged:
    'Someone else changed this priority or theme while you were editing it. Their version is shown below; check it, then save yours again if it is still needed.',
  planParts: {
    details: 'title and status',
    sections: 'written sections',
    drivers: 'strategic drivers',
    risks: 'risk register',
  },
  planPartChanged: (part: string) =>
    `Someone else saved a change to the plan’s ${part} while you were editing. What they saved is shown below; check it, then save yours again if it is still needed.`,
  planPartChangedSince: (part: string) =>
    `Someone else saved a change to the plan’s ${part} after you read it. Read it again, then send your change if it is still needed.`,
  themeChangedSince: (version: number) =>
    `Someone else changed this priority or theme after the version your change is based on; it is now version ${version}. Read it again, then send your change if it is still needed.`,
};

export interface PlanPeriodFields {
  label: string;
  start: string;
  end: string;
}

/** A plan period as written, with its label and first and last days; null with the reason. */
export function readPlanPeriod(text: string): PlanPeriodFields | { error: string } {
  try {
    const period = parsePlanPeriod(text);
    return {
      label: planPeriodLabel(period),
      start: `${period.first}-04-01`,
      end: `${period.last}-03-31`,
    };
  } catch (err) {
    if (err instanceof PeriodError) return { error: err.message };
    throw err;
  }
}

const periodField = z
  .string({ error: messages.periodEmpty })
  .trim()
  .min(1, messages.periodEmpty)
  .transform((v, ctx) => {
    const period = readPlanPeriod(v);
    if ('error' in period) {
      ctx.addIssue({ code: 'custom', message: period.error });
      return z.NEVER;
    }
    return period;
  });

const titleField = requiredText(messages.titleEmpty, 200, messages.titleTooLong);

/**
 * Text read by one of the period module's readers (a month, a date), refused in the reader's own
 * words; empty text gets the form's own message.
 */
export function periodText(read: (text: string) => string, empty: string) {
  return z
    .string({ error: empty })
    .trim()
    .min(1, empty)
    .transform((text, ctx) => {
      try {
        return read(text);
      } catch (err) {
        if (!(err instanceof PeriodError)) throw err;
        ctx.addIssue({ code: 'custom', message: err.message });
        return z.NEVER;
      }
    });
}

/** An optional form field: left empty, it is undefined. */
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.optional(),
  );

export const newPlanSchema = z.object({
  title: titleField,
  period: periodField.meta({
    description: 'Like 2024/25 for one financial year, or 2016 to 2020 for several',
  }),
});

export const planDetailsSchema = z.object({
  title: titleField,
  status: z.enum(PLAN_STATUSES, { error: messages.statusMissing }),
});

const section = optionalText(20_000, messages.sectionTooLong);
export const sectionsSchema = z.object({
  introduction: section,
  background: section,
  delivery: section,
  performanceMonitoring: section,
});

/** A textarea, or a list of lines, read as a list: one item a line, blank lines dropped. */
export function linesField(tooLong = messages.lineTooLong): z.ZodType<string[]> {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) =>
      [v ?? '']
        .flat()
        .flatMap((text) => text.split(/\r?\n/))
        .map((l) => l.replace(/^\s*[-•*]\s*/, '').trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().max(1000, tooLong)).max(MAX_ROWS, messages.tooManyLines));
}

export const driversSchema = z.object({ drivers: linesField() });

export const themeSchema = z.object({
  type: z.enum(THEME_TYPES, { error: messages.themeTypeMissing }),
  title: requiredText(messages.themeTitleEmpty, 200, messages.themeTitleTooLong),
  summary: optionalText(20_000, messages.summaryTooLong),
  priorityActions: linesField().meta({
    description: 'A list, or text with one line each; blank lines are dropped',
  }),
  /** The version the writer opened, so a change made meanwhile is not overwritten. */
  version: z.string().optional(),
});

export const actionSchema = z.object({
  themeId: idField(messages.themeMissing),
  number: z
    .string({ error: messages.numberEmpty })
    .trim()
    .min(1, messages.numberEmpty)
    .regex(/^\d{1,3}\.\d{1,3}$/, messages.numberBad),
  title: requiredText(messages.actionEmpty, 2000, messages.actionTooLong),
  desiredOutcome: optionalText(2000, messages.outcomeTooLong),
  /** The version the writer opened, so a change made meanwhile is not overwritten. */
  version: z.string().optional(),
  leads: z
    .union([z.string(), z.array(z.string())], { error: messages.leadMissing })
    .transform((v) => (Array.isArray(v) ? v : [v]).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^(agency|group):\d+$/, messages.leadUnknown))
        .min(1, messages.leadMissing),
    ),
});

/** How an action's milestone rows are read: the milestone, then its timescale as written. */
export const MILESTONE_ROWS = {
  first: 1000,
  second: 200,
  firstEmpty: messages.milestoneEmpty,
  firstTooLong: messages.milestoneTooLong,
  secondTooLong: messages.timescaleTooLong,
};

export interface RowError {
  field: string;
  text: string;
}

/**
 * Numbered pairs of fields (milestone1/timescale1, risk1/description1 …) read as rows in
 * order; a row with both fields blank is dropped, one with only the second is an error, and
 * rows past MAX_ROWS are refused rather than dropped.
 */
export function readRows(
  input: Record<string, unknown>,
  first: string,
  second: string,
  limits: {
    first: number;
    second: number;
    firstEmpty: string;
    firstTooLong: string;
    secondTooLong: string;
  },
): { rows: [string, string][]; errors: RowError[] } {
  const rows: [string, string][] = [];
  const errors: RowError[] = [];
  const numbered = new RegExp(`^(?:${first}|${second})([1-9]\\d*)$`);
  const numbers = new Set<number>();
  for (const key of Object.keys(input)) {
    const m = numbered.exec(key);
    if (m) numbers.add(Number(m[1]));
  }
  for (const i of [...numbers].sort((x, y) => x - y)) {
    const a = text(input[`${first}${i}`]);
    const b = text(input[`${second}${i}`]);
    if (!a && !b) continue;
    if (rows.length === MAX_ROWS) {
      errors.push({ field: `${first}${i}`, text: messages.tooManyLines });
      break;
    }
    if (!a) errors.push({ field: `${first}${i}`, text: limits.firstEmpty });
    else if (a.length > limits.first)
      errors.push({ field: `${first}${i}`, text: limits.firstTooLong });
    if (b.length > limits.second)
      errors.push({ field: `${second}${i}`, text: limits.secondTooLong });
    rows.push([a, b]);
  }
  return { rows, errors };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
