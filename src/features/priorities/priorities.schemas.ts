import { z } from 'zod';
import { optionalText } from '../../core/schema-helpers.js';
import { PeriodError, parseFinancialYear } from '../../domain/periods.js';

/** The criteria a new exercise starts with; coordinators rename, add, remove and weight them. */
export const DEFAULT_CRITERIA = [
  'Harm',
  'Volume',
  'Trend',
  'Public concern',
  'Vulnerability',
  'Partnership capacity',
] as const;

/** The scale every score is on, lowest first. */
export const SCALE = [1, 2, 3, 4, 5] as const;
export const SCALE_TEXT = 'from 1 (very low) to 5 (very high)';

export const MAX_WEIGHT = 100;

export const messages = {
  yearEmpty: 'Enter the plan year the exercise prepares, like 2025/26',
  yearTaken: 'The partnership already has a priority-setting exercise for this plan year',
  titleTooLong: 'Title must be 200 characters or fewer',
  criterionNameEmpty: (row: number) => `Enter the name of criterion ${row}`,
  criterionNameTooLong: (row: number) => `Criterion ${row}’s name must be 100 characters or fewer`,
  criterionNameTaken: (name: string) => `There is already a criterion named ${name}`,
  weightBad: (name: string) => `Weight of ${name} must be a whole number from 0 to ${MAX_WEIGHT}`,
  noCriteria: 'Keep at least one criterion with a weight above 0',
  criterionUnknown: 'A criterion was changed by someone else. Reload the page and try again',
  candidateTitleEmpty: (row: number) => `Enter the title of candidate ${row}`,
  candidateTitleTooLong: (row: number) =>
    `Candidate ${row}’s title must be 200 characters or fewer`,
  candidateTitleTaken: (title: string) => `There is already a candidate called ${title}`,
  evidenceTooLong: (row: number) => `Candidate ${row}’s evidence must be 2,000 characters or fewer`,
  candidateUnknown: 'A candidate was changed by someone else. Reload the page and try again',
  closed: 'Scoring has closed, so the exercise can no longer be changed',
  alreadyClosed: 'Scoring has already closed',
  notScorer: 'Only the partnership’s coordinators and leads score candidates',
  scoreMissing: (criterion: string, candidate: string) =>
    `Select a score for ${criterion} for ${candidate}`,
  nothingToScore: 'The exercise needs candidates and criteria before anyone can score',
  notClosed: 'Close scoring before starting the plan, so the ranked result is final',
  planStarted: 'A plan has already been started from this exercise',
  planExists: (label: string) =>
    `The partnership already has a plan for ${label}. Delete that draft first, or add the chosen priorities to it by hand`,
  noneChosen: 'Choose at least one priority, numbering them in the order the plan lists them',
  orderRepeated: (nth: string) =>
    `More than one candidate is numbered ${nth}: give each its own number`,
  orderGap: 'Number the chosen priorities 1st, 2nd, 3rd and so on, without gaps',
  chosenUnknown: 'Choose from this exercise’s candidates',
  planTitleEmpty: 'Enter the plan’s title',
  planTitleTooLong: 'Plan title must be 200 characters or fewer',
};

export const yearField = z
  .string({ error: messages.yearEmpty })
  .trim()
  .min(1, messages.yearEmpty)
  .transform((text, ctx) => {
    try {
      return parseFinancialYear(text);
    } catch (err) {
      if (!(err instanceof PeriodError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
      return z.NEVER;
    }
  });

export const newExerciseSchema = z.object({
  year: yearField.meta({ description: 'The plan year the exercise prepares, like 2025/26' }),
  title: optionalText(200, messages.titleTooLong),
});

/** One row of the criteria list; a row with no id is new, `remove` drops it. */
export const criterionRow = z.object({
  id: z.union([z.number(), z.string()]).optional(),
  name: z.string().optional(),
  weight: z.union([z.number(), z.string()]).optional(),
  remove: z.union([z.boolean(), z.string()]).optional(),
});
export const criteriaSchema = z.object({
  criteria: z
    .array(criterionRow, { error: 'criteria must be a list' })
    .meta({ description: 'Every criterion, in order: ids of those kept, none for new ones' }),
});

export const candidateRow = z.object({
  id: z.union([z.number(), z.string()]).optional(),
  title: z.string().optional(),
  evidence: z.string().optional(),
  remove: z.union([z.boolean(), z.string()]).optional(),
});
export const candidatesSchema = z.object({
  candidates: z
    .array(candidateRow, { error: 'candidates must be a list' })
    .meta({ description: 'Every candidate, in order: ids of those kept, none for new ones' }),
});

export const startPlanSchema = z.object({
  title: z
    .string({ error: messages.planTitleEmpty })
    .trim()
    .min(1, messages.planTitleEmpty)
    .max(200, messages.planTitleTooLong),
  priorities: z
    .array(z.coerce.number().int().positive(), { error: messages.noneChosen })
    .min(1, messages.noneChosen)
    .meta({ description: 'The chosen candidates’ ids, in the order the plan lists them' }),
  carryThemes: z
    .union([z.boolean(), z.literal('yes'), z.literal('')])
    .optional()
    .transform((v) => v === true || v === 'yes')
    .meta({ description: 'Copy the current plan’s cross-cutting themes into the new plan' }),
});

/** The field of one score in the scoring form. */
export const scoreField = (candidateId: number, criterionId: number): string =>
  `score-${candidateId}-${criterionId}`;
