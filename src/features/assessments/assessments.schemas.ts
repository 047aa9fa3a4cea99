import { z } from 'zod';
import { optionalText } from '../../core/schema-helpers.js';
import {
  addMonths,
  financialYearWindow,
  parseFinancialYear,
  parseMonth,
  PeriodError,
  type MonthWindow,
} from '../../domain/periods.js';

export const assessmentMessages = {
  periodEmpty: 'Enter a financial year, like 2021/22, or the first month of the 12 months',
  periodFuture: 'The 12 months must have ended by last month',
  textTooLong: 'The text must be 50,000 characters or fewer',
  peerMissing: 'Select districts from the list',
  conflict:
    'Someone else changed this assessment while you were editing. Their version is shown; make your change again if it is still needed.',
};

/** The editable sections, in the order the document reads. */
export const SECTIONS = {
  introduction: { column: 'introduction', title: 'Introduction' },
  progress: { column: 'progress', title: 'Progress on existing priorities' },
  'plan-review': { column: 'plan_review', title: 'Plan review and proposed priorities' },
  'data-sources': { column: 'data_sources', title: 'Data sources' },
  glossary: { column: 'glossary', title: 'Glossary' },
} as const;
export type SectionKey = keyof typeof SECTIONS;
export const isSectionKey = (k: string): k is SectionKey => Object.hasOwn(SECTIONS, k);

/**
 * The 12 months an assessment covers: a financial year ("2021/22"), or 12 months from a first
 * month ("2021-01"). A first month, when given, wins.
 */
export function periodOf(input: { year?: string; from?: string }): MonthWindow {
  const from = input.from?.trim();
  const year = input.year?.trim();
  if (from) {
    const m = parseMonth(from);
    return { from: m, to: addMonths(m, 11) };
  }
  if (year) return financialYearWindow(parseFinancialYear(year));
  throw new PeriodError(assessmentMessages.periodEmpty);
}

export const periodSchema = z
  .object({
    year: z.string().optional().meta({ description: 'A financial year, like 2021/22' }),
    from: z
      .string()
      .optional()
      .meta({ description: 'Or the first month of any 12 months, like 2021-01' }),
  })
  .transform((v, ctx) => {
    try {
      return periodOf(v);
    } catch (err) {
      if (!(err instanceof PeriodError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message, path: [v.from ? 'from' : 'year'] });
      return z.NEVER;
    }
  });

export const versionField = z.coerce.number().int().positive().optional();

export const sectionSchema = z.object({
  text: optionalText(50000, assessmentMessages.textTooLong),
  version: versionField,
});

const codeList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().regex(/^[EWSN]\d{8}$/, assessmentMessages.peerMissing)).max(400));

export const peersSchema = z.object({
  peers: codeList,
  version: versionField,
});
