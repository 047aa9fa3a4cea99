import { z } from 'zod';
import { BadRequestError } from '../../core/errors.js';
import { nowIso } from '../../db/database.js';
import { addMonths, PeriodError } from '../../domain/periods.js';
import { apiSchemas } from './api.schemas.js';
import { endpoint, type Endpoint } from './endpoint.js';

const CrimeMonth = z.object({
  force: z.string().meta({ description: 'The force as its records name it, like Kent Police' }),
  month: z.string().meta({ description: 'Like 2021-03' }),
  records: z.number().int().meta({ description: 'Every record, anti-social behaviour included' }),
  asb: z.number().int().meta({ description: 'Anti-social behaviour records among them' }),
  noLocation: z.number().int().meta({ description: 'Records with no location: in no area' }),
  unknownLsoa: z
    .number()
    .int()
    .meta({ description: 'Records in an LSOA no lookup loaded holds: in no area' }),
  lsoaVintage: z
    .string()
    .meta({ description: 'The LSOA set the month’s codes belong to: 2011 or 2021' }),
  flag: z.string().nullable().meta({
    description: 'Why the month looks incomplete against its neighbours; null when it does not',
  }),
});
apiSchemas.add(CrimeMonth, { id: 'CrimeMonth' });

const AreaCrime = z.object({
  districtCodes: z.array(z.string()).meta({ description: 'The districts counted together' }),
  from: z.string(),
  to: z.string(),
  counts: z
    .array(
      z.object({
        month: z.string(),
        crimeType: z
          .string()
          .meta({ description: 'The data.police.uk crime type, Anti-social behaviour included' }),
        count: z.number().int(),
      }),
    )
    .meta({ description: 'Records by month and type; months and types with none are left out' }),
  flaggedMonths: z
    .array(z.object({ force: z.string(), month: z.string(), flag: z.string() }))
    .meta({
      description: 'Months in the range that look incomplete, for the forces counted here',
    }),
});
apiSchemas.add(AreaCrime, { id: 'AreaCrime' });

const MonthsQuery = z.object({
  force: z.string().optional().meta({ description: 'Only this force, like Kent Police' }),
});

const RangeQuery = z.object({
  from: z
    .string()
    .optional()
    .meta({ description: 'The first month, like 2021-04; by default 11 months before to' }),
  to: z
    .string()
    .optional()
    .meta({ description: 'The last month, like 2022-03; by default the latest month loaded' }),
});

export const CRIME_ENDPOINTS: Endpoint[] = [
  endpoint({
    method: 'GET',
    path: '/crime/months',
    summary: 'The data.police.uk months loaded, force by force, with incomplete months flagged',
    tag: 'Crime data',
    query: MonthsQuery,
    status: 200,
    response: { schema: CrimeMonth, list: true },
    run: async ({ services, query }) =>
      (await services.crime.months(query.force)).map(({ importId: _importId, ...m }) => m),
  }),
  endpoint({
    method: 'GET',
    path: '/partnerships/{slug}/crime',
    summary:
      'Crime and anti-social behaviour records in the partnership’s districts, by month and type, with the months flagged as incomplete',
    tag: 'Crime data',
    query: RangeQuery,
    status: 200,
    response: { schema: AreaCrime },
    run: async ({ services, actor, params, query }) => {
      const months = await services.crime.months();
      const latest = months.reduce((l, m) => (m.month > l ? m.month : l), '');
      try {
        const to = query.to ?? (latest || nowIso().slice(0, 7));
        const from = query.from ?? addMonths(to, -11);
        return await services.crime.countsForPartnership(actor, params.slug, from, to);
      } catch (err) {
        if (err instanceof PeriodError) throw new BadRequestError(err.message);
        throw err;
      }
    },
  }),
];
