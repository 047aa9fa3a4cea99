import { z } from 'zod';
import { optionalId, optionalText, requiredText } from '../../core/schema-helpers.js';
import { POLARITIES } from '../../domain/change.js';
import { INDICATOR_CRIME_TYPES } from '../../domain/crime-types.js';
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
  sourceKindMissing: 'Select where the figures come from',
  crimeTypeMissing: 'Select the crime type, or All crime',
  crimeTypeUnknown: 'Crime type must be one of the police.uk crime types, or All crime',
  crimeNotCount: 'Police recorded crime is counted: select count as the unit',
  crimeFilled: (name: string) =>
    `The figures of ${name} are filled from police.uk data each time crime data is imported, so they cannot be changed by hand. To enter figures yourself, change its source to entered by hand`,
};

/** Where an indicator's monthly figures come from. */
export const SOURCE_KINDS = ['entered', 'police-uk'] as const;
export const SOURCE_KIND_LABELS: Record<(typeof SOURCE_KINDS)[number], string> = {
  entered: 'Entered by hand or imported',
  'police-uk': 'Police recorded crime from police.uk',
};

/** The indicator's fields as sent; indicatorSchema adds the rules between them. */
export const indicatorFields = z.object({
  name: requiredText(messages.nameEmpty, 200, messages.nameTooLong).transform((s) =>
    s.replace(/\s+/g, ' '),
  ),
  source: optionalText(200, messages.sourceTooLong),
  unit: z.enum(UNITS, { error: messages.unitMissing }),
  noun: optionalText(50, messages.nounTooLong),
  polarity: z.enum(POLARITIES, { error: messages.polarityMissing }),
  notes: optionalText(5000, messages.notesTooLong),
  themeId: optionalId(messages.themeUnknown),
  sourceKind: z.enum(SOURCE_KINDS, { error: messages.sourceKindMissing }).optional().meta({
    description: 'entered (the default) or police-uk; police-uk needs crimeType',
  }),
  crimeType: z
    .union([z.literal(''), z.null(), z.enum(INDICATOR_CRIME_TYPES)], {
      error: messages.crimeTypeUnknown,
    })
    .optional()
    .meta({
      description:
        'A police.uk crime type, All crime (every type but anti-social behaviour) or Anti-social behaviour: the monthly figures are then filled from the imported police.uk data for the partnership’s districts. Empty or null for figures entered by hand',
    }),
});

export const indicatorSchema = indicatorFields
  .superRefine((v, ctx) => {
    const crime = v.sourceKind === 'entered' ? null : v.crimeType || null;
    if (v.sourceKind === 'police-uk' && !crime)
      ctx.addIssue({ code: 'custom', path: ['crimeType'], message: messages.crimeTypeMissing });
    if (crime && v.unit !== 'count')
      ctx.addIssue({ code: 'custom', path: ['unit'], message: messages.crimeNotCount });
  })
  .transform(({ sourceKind, crimeType, ...v }) => ({
    ...v,
    crimeType: sourceKind === 'entered' ? null : crimeType || null,
  }));
export type IndicatorInput = z.input<typeof indicatorSchema>;
export type IndicatorValues = z.output<typeof indicatorSchema>;

/** Names compare with case and spacing aside: "ASB incidents" is "asb  Incidents". */
export const nameKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();
