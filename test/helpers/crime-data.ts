/**
 * The real data.police.uk and ONS files in shared/data, and an independent count of them: a
 * plain CSV read with csv-parse and the lookup CSVs read directly, sharing no code with the
 * importer.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Db } from '../../src/db/database.js';
import { ROOT } from '../../src/paths.js';

// Beside the checkout; a worktree one folder deeper finds it a level further up.
export const DATA =
  [resolve(ROOT, '../shared/data'), resolve(ROOT, '../../shared/data')].find((dir) =>
    existsSync(dir),
  ) ?? resolve(ROOT, '../shared/data');
export const STREET = join(DATA, 'police-uk/street');
export const LOOKUPS = join(DATA, 'ons-geography-lookups');

export const LSOA11_LOOKUP = join(LOOKUPS, 'LSOA11_WD21_LAD21_EW_LU.csv');
export const LSOA21_WD23_LOOKUP = join(
  LOOKUPS,
  'LSOA_(2021)_to_Electoral_Ward_(2023)_to_LAD_(2023)_Best_Fit_Lookup_in_EW.csv',
);
export const LSOA21_WD22_LOOKUP = join(
  LOOKUPS,
  'LSOA_(2021)_to_Ward_to_Local_Authority_District_(May_2022)_Best_Fit_Lookup_for_EW.csv',
);

export function readCsv(path: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(path), {
    bom: true,
    columns: true,
    skip_empty_lines: true,
  });
}

export interface LookupRow {
  ward: string;
  district: string;
}

/** LSOA code → ward and district, for the 2011 LSOAs (2021 wards) and 2021 LSOAs (2023 wards). */
export function lookups(): { lsoa11: Map<string, LookupRow>; lsoa21: Map<string, LookupRow> } {
  const lsoa11 = new Map(
    readCsv(LSOA11_LOOKUP).map((r) => [
      r.LSOA11CD ?? '',
      { ward: r.WD21CD ?? '', district: r.LAD21CD ?? '' },
    ]),
  );
  const lsoa21 = new Map(
    readCsv(LSOA21_WD23_LOOKUP).map((r) => [
      r.LSOA21CD ?? '',
      { ward: r.WD23CD ?? '', district: r.LAD23CD ?? '' },
    ]),
  );
  return { lsoa11, lsoa21 };
}

/**
 * Puts the three LSOA lookups into geo_lsoa_wards as the geography import would: LSOA 2011 to
 * wards 2021, LSOA 2021 to wards 2022 and 2023.
 */
export async function loadLookupRows(db: Db): Promise<void> {
  const sets: [string, string, string, string, string, string][] = [
    [LSOA11_LOOKUP, '2011', '2021', 'LSOA11CD', 'WD21CD', 'LAD21CD'],
    [LSOA21_WD22_LOOKUP, '2021', '2022', 'LSOA21CD', 'WD22CD', 'LTLA22CD'],
    [LSOA21_WD23_LOOKUP, '2021', '2023', 'LSOA21CD', 'WD23CD', 'LAD23CD'],
  ];
  for (const [file, lsoaVintage, wardVintage, lsoa, ward, district] of sets) {
    const rows = readCsv(file).map((r) => ({
      lsoa_code: r[lsoa] ?? '',
      lsoa_vintage: lsoaVintage,
      ward_code: r[ward] ?? '',
      ward_vintage: wardVintage,
      district_code: r[district] ?? '',
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('geo_lsoa_wards')
        .values(rows.slice(i, i + 500))
        .execute();
    }
  }
}

export function csvFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => join(dir, f));
}

/** "force|month|district|type" → records, and the unassigned records per "force|month". */
export function expectedCounts(
  files: readonly string[],
  lsoaVintageOf: (month: string) => '2011' | '2021',
): {
  districts: Map<string, number>;
  wards: Map<string, number>;
  noLocation: Map<string, number>;
  unknown: Map<string, number>;
  records: number;
} {
  const { lsoa11, lsoa21 } = lookups();
  const districts = new Map<string, number>();
  const wards = new Map<string, number>();
  const noLocation = new Map<string, number>();
  const unknown = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let records = 0;
  for (const file of files) {
    for (const r of readCsv(file)) {
      records++;
      const force = r['Reported by'] ?? '';
      const month = r.Month ?? '';
      const code = r['LSOA code'] ?? '';
      const type = r['Crime type'] ?? '';
      if (code === '') {
        add(noLocation, `${force}|${month}`);
        continue;
      }
      const [first, second] = lsoaVintageOf(month) === '2011' ? [lsoa11, lsoa21] : [lsoa21, lsoa11];
      const place = first.get(code) ?? second.get(code);
      if (!place) {
        add(unknown, `${force}|${month}`);
        continue;
      }
      add(districts, `${force}|${month}|${place.district}|${type}`);
      add(wards, `${force}|${month}|${place.ward}|${type}`);
    }
  }
  return { districts, wards, noLocation, unknown, records };
}

/** Every crime table's rows, in a fixed order: equal snapshots mean nothing changed. */
export async function crimeSnapshot(db: Db): Promise<unknown> {
  return {
    months: await db
      .selectFrom('crime_months')
      .selectAll()
      .orderBy('force')
      .orderBy('month')
      .execute(),
    districts: await db
      .selectFrom('crime_district_counts')
      .selectAll()
      .orderBy('force')
      .orderBy('month')
      .orderBy('district_code')
      .orderBy('crime_type')
      .execute(),
    wards: await db
      .selectFrom('crime_ward_counts')
      .selectAll()
      .orderBy('force')
      .orderBy('month')
      .orderBy('ward_code')
      .orderBy('ward_vintage')
      .orderBy('crime_type')
      .execute(),
    pfa: await db
      .selectFrom('recorded_crime_pfa')
      .selectAll()
      .orderBy('pfa')
      .orderBy('offence')
      .orderBy('period_end')
      .execute(),
    csp: await db
      .selectFrom('recorded_crime_csp')
      .selectAll()
      .orderBy('financial_year')
      .orderBy('financial_quarter')
      .orderBy('csp_name')
      .orderBy('offence_code')
      .execute(),
  };
}
