/**
 * The real data.police.uk and ONS files in shared/data, and an independent count of them: a
 * plain CSV read with csv-parse and the lookup CSVs read directly, sharing no code with the
 * importer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Db } from '../../src/db/database.js';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { GeographyService } from '../../src/features/geography/geography.service.js';
import { allLookupFiles, PUBLIC_DATA } from './public-data.js';

export const DATA = PUBLIC_DATA;
export const STREET = join(DATA, 'police-uk/street');
export const LOOKUPS = join(PUBLIC_DATA, 'ons-geography-lookups');

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

/** Imports every ONS lookup file of the samples with the geography importer. */
export async function importLookups(db: Db): Promise<void> {
  await new GeographyService(db).importLookups(COMMAND_LINE, allLookupFiles());
}

export function csvFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * "force|month|district|type" and "force|month|ward|measure" (crime or asb) → records, and the
 * unassigned records per "force|month".
 */
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
      add(
        wards,
        `${force}|${month}|${place.ward}|${type === 'Anti-social behaviour' ? 'asb' : 'crime'}`,
      );
    }
  }
  return { districts, wards, noLocation, unknown, records };
}

/** Every crime table's rows, in a fixed order: equal snapshots mean nothing changed. */
export async function crimeSnapshot(db: Db) {
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
