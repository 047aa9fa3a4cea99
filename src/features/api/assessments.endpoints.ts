import { z } from 'zod';
import { apiSchemas } from './api.schemas.js';
import { endpoint, type Endpoint } from './endpoint.js';

const month = z
  .string()
  .regex(/^\d{4}-\d{2}$/)
  .meta({ description: 'A month, like 2021-04' });
const window = z.object({ from: month, to: month });
const area = z.object({ code: z.string(), name: z.string() });
const monthNote = z.object({
  month,
  label: z.string(),
  reason: z.string().meta({ description: '"not loaded", or why the importer flagged the month' }),
});
const basis = z
  .object({
    source: z.string(),
    period: window,
    periodLabel: z.string(),
    complete: z.boolean(),
    missing: z.array(monthNote),
    flagged: z.array(monthNote),
  })
  .meta({
    description: 'Where a figure comes from, its period, and the months it cannot vouch for',
  });
const population = z.object({
  year: z.int(),
  value: z.int(),
  release: z.string(),
  importId: z.int(),
  source: z.string(),
});
const rate = z.string().meta({ description: 'Per 1,000 people, one decimal place, like "52.3"' });
const change = z.object({
  kind: z.enum(['increase', 'decrease', 'no-change', 'new', 'incomplete']),
  complete: z.boolean(),
  change: z.string().nullable(),
  percent: z.string().nullable(),
  text: z.string(),
});
const rank = z.object({
  position: z.int(),
  of: z.int(),
  tied: z.boolean(),
  text: z
    .string()
    .meta({ description: 'Like "6th highest of 52 districts with the whole period loaded"' }),
  among: z.string(),
  table: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      count: z.int(),
      rate,
      position: z.int(),
      us: z.boolean(),
    }),
  ),
});
const measure = z.object({
  measure: z.enum(['crime', 'asb']),
  label: z.string(),
  basis,
  count: z.int().nullable().meta({ description: 'Null when a month of the period is not loaded' }),
  countText: z.string(),
  rate: z.object({ value: rate, population }).nullable(),
  rateNote: z.string().nullable(),
  previous: z.object({ basis, count: z.int().nullable() }),
  change,
  ranks: z.object({
    districts: z.array(rank),
    partnerships: rank.nullable(),
    peers: rank.nullable(),
  }),
  rankNote: z.string().nullable(),
  trend: z.object({
    points: z.array(
      z.object({
        window,
        label: z.string(),
        count: z.int(),
        rate: rate.nullable(),
        flagged: z.array(monthNote),
      }),
    ),
    release: z.string().nullable(),
    note: z.string().nullable(),
    basis,
  }),
  seasonality: z.object({
    months: z.array(
      z.object({
        month,
        label: z.string(),
        count: z.int().nullable(),
        note: z.string().nullable(),
      }),
    ),
    basis,
  }),
  types: z
    .object({
      rows: z.array(
        z.object({
          crimeType: z.string(),
          count: z.int().nullable(),
          previous: z.int().nullable(),
          change: change.nullable(),
        }),
      ),
      basis,
    })
    .nullable(),
  hotspots: z.object({
    vintage: z
      .string()
      .nullable()
      .meta({ description: 'The ward set, named by its boundaries’ year' }),
    rows: z.array(
      z.object({ code: z.string(), name: z.string(), count: z.int(), rate: rate.nullable() }),
    ),
    note: z.string().nullable(),
    basis,
  }),
});

export const AssessmentFigures = z.object({
  partnership: z.object({ slug: z.string(), name: z.string(), districts: z.array(area) }),
  window,
  periodLabel: z.string(),
  previousWindow: window,
  population: population.nullable(),
  populationNote: z.string().nullable(),
  measures: z.object({ crime: measure, asb: measure }),
  sources: z.array(z.string()),
  notes: z.array(monthNote),
});
apiSchemas.add(AssessmentFigures, { id: 'AssessmentFigures' });

export const PartnershipGeography = z.object({
  partnership: z.object({ slug: z.string(), name: z.string() }),
  districts: z.array(
    area.extend({
      wardSets: z.array(z.object({ vintage: z.string(), wards: z.array(area) })),
      population: z.array(
        z.object({ year: z.int(), population: z.int(), release: z.string(), importId: z.int() }),
      ),
    }),
  ),
});
apiSchemas.add(PartnershipGeography, { id: 'PartnershipGeography' });

const PeriodQuery = z.object({
  year: z
    .string()
    .optional()
    .meta({ description: 'A financial year, like 2021/22 (the default period)' }),
  from: z
    .string()
    .optional()
    .meta({ description: 'Or the first month of any 12 months, like 2021-01' }),
});

/** Figures of strategic assessments, and the geography and population they stand on. */
export const ASSESSMENT_ENDPOINTS: Endpoint[] = [
  endpoint({
    method: 'GET',
    path: '/partnerships/{slug}/assessment-figures',
    summary:
      'The figures of the partnership’s strategic assessment for 12 months: crime and anti-social behaviour by level, rate per 1,000, change, ranks, trend, months, types and hotspot wards, each with its source, period and flagged months',
    tag: 'Assessments',
    query: PeriodQuery,
    status: 200,
    refusal: 'The period is not a financial year or month, or has not ended',
    response: { schema: AssessmentFigures },
    run: ({ services, actor, params, query }) =>
      services.assessments.figures(actor, params.slug, query),
  }),
  endpoint({
    method: 'GET',
    path: '/partnerships/{slug}/geography',
    summary:
      'The partnership’s districts, their wards in each ward set (by vintage), and each population release’s mid-year estimates',
    tag: 'Assessments',
    status: 200,
    response: { schema: PartnershipGeography },
    run: ({ services, actor, params }) => services.assessments.geography(actor, params.slug),
  }),
];
