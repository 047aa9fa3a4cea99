import { z } from 'zod';
import { optionalId, optionalText, requiredText } from '../../core/schema-helpers.js';
import { POLARITIES } from '../../domain/change.js';
import { UNITS } from '../../domain/figures.js';

/** What a window is compared over: the 12 months to a month, a financial or a calendar year. */
export const COMPARISON_BASES = ['rolling', 'financial', 'calendar'] as const;
export type ComparisonBasis = (typeof COMPARISON_BASES)[number];

export const messages = {
  nameEmpty: 'Enter the indicator’s name',
  nameTooLong: 'Indicator name must be 200 characters or fewer',
  nameTaken: 'The partnership already has an indicator with this name',
  sourceTooLong: 'Source must be 200 characters or fewer',
  unitMissing: 'Select the unit: count, rate or percentage',
  unitNotWhole:
    'Unit cannot be count while a figure has decimal places. Change those figures first',
  nounTooLong: 'Noun must be 50 characters or fewer',
  polarityMissing: 'Select whether an increase is bad, good or neutral',
  notesTooLong: 'Notes must be 5,000 characters or fewer',
  themeUnknown: 'Select one of the partnership’s themes, or no theme',
  monthFuture: 'Month must not be in the future',
  monthChanged: (what: string) =>
    `Someone else ${what} while you were editing. Check the figure, then save again`,
  endMonthEmpty: 'Enter the last month of the 12 months, like 2024-03',
  totalEmpty: 'Enter the 12-month total',
  compareFuture: 'Last month to compare must not be in the future',
  compareTooEarly: 'Last month to compare must be January 1900 or later',
};

export const indicatorSchema = z.object({
  name: requiredText(messages.nameEmpty, 200, messages.nameTooLong).transform((s) =>
    s.replace(/\s+/g, ' '),
  ),
  source: optionalText(200, messages.sourceTooLong),
  unit: z.enum(UNITS, { error: messages.unitMissing }),
  noun: optionalText(50, messages.nounTooLong),
  polarity: z.enum(POLARITIES, { error: messages.polarityMissing }),
  notes: optionalText(5000, messages.notesTooLong),
  themeId: optionalId(messages.themeUnknown),
});
export type IndicatorInput = z.input<typeof indicatorSchema>;
export type IndicatorValues = z.output<typeof indicatorSchema>;

/** Names compare with case and spacing aside: "ASB incidents" is "asb  Incidents". */
export const nameKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();
