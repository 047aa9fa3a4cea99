/**
 * Geography, population and crime counts written straight into the tables, as the importers
 * would leave them, so the assessment's figures can be checked against numbers worked out here.
 */
import type { Db } from '../../src/db/database.js';
import { monthsBetween } from '../../src/domain/periods.js';

export const SWALE = 'E07000113';
export const DARTFORD = 'E07000107';
export const GRAVESHAM = 'E07000109';
export const MEDWAY = 'E06000035';
export const BEXLEY = 'E09000004';
export const KENT = 'Kent Police';

export const DISTRICTS: [code: string, name: string, csp: string][] = [
  [SWALE, 'Swale', 'E22000001'],
  [DARTFORD, 'Dartford', 'E22000002'],
  [GRAVESHAM, 'Gravesham', 'E22000002'],
  [MEDWAY, 'Medway', 'E22000003'],
  [BEXLEY, 'Bexley', 'E22000004'],
];
const CSP_NAMES: Record<string, string> = {
  E22000001: 'Swale',
  E22000002: 'Dartford and Gravesham',
  E22000003: 'Medway',
  E22000004: 'Bexley',
};

/** Crimes a month per district (violence is this less 2, shoplifting 2) and ASB a month. */
export const MONTHLY: Record<string, { crime: number; asb: number }> = {
  [SWALE]: { crime: 100, asb: 40 },
  [DARTFORD]: { crime: 90, asb: 20 },
  [GRAVESHAM]: { crime: 60, asb: 30 },
  [MEDWAY]: { crime: 200, asb: 80 },
  [BEXLEY]: { crime: 150, asb: 10 },
};
export const POPULATION: Record<string, number> = {
  [SWALE]: 150000,
  [DARTFORD]: 110000,
  [GRAVESHAM]: 105000,
  [MEDWAY]: 280000,
  [BEXLEY]: 245000,
};
export const MONTHS = monthsBetween('2019-04', '2022-03');
export const FLAGGED = '2021-12';
export const RELEASE =
  'Mid-Year Population Estimates, England and Wales, June 2023, published 15 July 2024';

export async function seedCrime(db: Db): Promise<void> {
  const now = '2026-11-23T10:00:00.000Z';
  const crimeImport = await db
    .insertInto('data_imports')
    .values({
      kind: 'crime',
      status: 'complete',
      title: 'Street-level crime',
      filenames: '[]',
      started_at: now,
      finished_at: now,
      by_label: 'Command line',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const popImport = await db
    .insertInto('data_imports')
    .values({
      kind: 'population',
      status: 'complete',
      title: 'Mid-Year Population Estimates, England and Wales, June 2023',
      release: '2024-07-15',
      filenames: '[]',
      started_at: now,
      finished_at: now,
      by_label: 'Command line',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('geo_areas')
    .values([
      ...DISTRICTS.map(([code, name]) => ({ code, vintage: '2023', type: 'district', name })),
      ...Object.entries(CSP_NAMES).map(([code, name]) => ({
        code,
        vintage: '2023',
        type: 'csp',
        name,
      })),
      { code: 'E05009544', vintage: '2022', type: 'ward', name: 'Abbey' },
      { code: 'E05009546', vintage: '2022', type: 'ward', name: 'Borden and Grove Park' },
    ])
    .execute();
  await db
    .insertInto('geo_district_links')
    .values(
      DISTRICTS.map(([code, , csp]) => ({
        district_code: code,
        vintage: '2023',
        parent_type: 'csp',
        parent_code: csp,
      })),
    )
    .execute();
  await db
    .insertInto('population_estimates')
    .values(
      DISTRICTS.flatMap(([code]) =>
        [2019, 2020, 2021].map((year) => ({
          import_id: popImport.id,
          area_code: code,
          year,
          population: POPULATION[code] ?? 0,
        })),
      ),
    )
    .execute();
  await db
    .insertInto('crime_months')
    .values(
      MONTHS.map((month) => ({
        force: KENT,
        month,
        import_id: crimeImport.id,
        records: 1000,
        asb: 300,
        no_location: 0,
        unknown_lsoa: 0,
        lsoa_vintage: '2011',
        flag: month === FLAGGED ? 'Half the records of the months either side' : null,
      })),
    )
    .execute();
  // Bexley is the Met's; the Kent file holds a few crimes located there, and no Met month is
  // loaded, so Bexley must never count as loaded.
  const rows = MONTHS.flatMap((month) =>
    DISTRICTS.flatMap(([code]) => {
      const m = MONTHLY[code] ?? { crime: 0, asb: 0 };
      const force = code === BEXLEY ? 'Metropolitan Police Service' : KENT;
      const out = [
        {
          force,
          month,
          district_code: code,
          crime_type: 'Violence and sexual offences',
          count: m.crime - 2,
        },
        { force, month, district_code: code, crime_type: 'Shoplifting', count: 2 },
        { force, month, district_code: code, crime_type: 'Anti-social behaviour', count: m.asb },
      ];
      if (code === BEXLEY)
        out.push({ force: KENT, month, district_code: code, crime_type: 'Robbery', count: 1 });
      return out;
    }),
  );
  await db.insertInto('crime_district_counts').values(rows).execute();
  // Abbey's crimes are 2 shoplifting and 60 violence, Borden and Grove Park's 38 violence.
  const ward = (ward_code: string, crime: number, asb: number, month: string) => ({
    force: KENT,
    month,
    ward_code,
    ward_vintage: '2022',
    district_code: SWALE,
    crime,
    asb,
  });
  await db
    .insertInto('crime_ward_counts')
    .values(
      MONTHS.flatMap((month) => [
        ward('E05009544', 62, 0, month),
        ward('E05009546', 38, 40, month),
      ]),
    )
    .execute();
}
