// Swale's 2021/22 assessment from the real public files, imported as a new user would: the ONS
// lookups, the mid-2023 population workbook and the police.uk street files. Every figure is
// checked against a count made here from the raw CSVs with a plain CSV parser, never the
// importer's code.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import type { AssessmentFigures } from '../../src/features/assessments/assessment-figures.js';
import { testApp, type TestApp } from '../helpers/app.js';
import {
  allLookupFiles,
  LOOKUP_FILES,
  LOOKUPS,
  populationFile,
  POPULATION_FILES,
  PUBLIC_DATA,
} from '../helpers/public-data.js';

const SWALE = 'E07000113';
const FY2122 = resolve(
  PUBLIC_DATA,
  'police-uk/street/kent-2021-03_to_2022-03_swale-medway-dartford-gravesham',
);
// The mid-2023 workbook's back series for Swale (SOURCES.md): mid-2021 is 152,218.
const SWALE_MID_2021 = 152218;

let t: TestApp;
let figures: AssessmentFigures;

/** Rows of a CSV as objects by header, the byte-order mark dropped. */
const rowsOf = (path: string): Record<string, string>[] =>
  parse<Record<string, string>>(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), {
    columns: true,
  });

/** Swale's LSOAs (2011) and the 2021 ward each lies in, from the lookup as published. */
function swaleLsoas(): Map<string, { ward: string; name: string }> {
  const out = new Map<string, { ward: string; name: string }>();
  for (const r of rowsOf(join(LOOKUPS, LOOKUP_FILES.lsoa11))) {
    if (r.LAD21CD === SWALE)
      out.set(r.LSOA11CD ?? '', { ward: r.WD21CD ?? '', name: r.WD21NM ?? '' });
  }
  return out;
}

/** The count a person could make by hand: Swale's records in April 2021 to March 2022. */
function countByHand() {
  const lsoas = swaleLsoas();
  const byMonth = new Map<string, { crime: number; asb: number }>();
  const types = new Map<string, number>();
  const wards = new Map<string, { name: string; crime: number; asb: number }>();
  for (const file of readdirSync(FY2122).filter((f) => f.endsWith('.csv'))) {
    for (const r of rowsOf(join(FY2122, file))) {
      const month = r.Month ?? '';
      if (month < '2021-04' || month > '2022-03') continue;
      const lsoa = lsoas.get(r['LSOA code'] ?? '');
      if (!lsoa) continue;
      const asb = r['Crime type'] === 'Anti-social behaviour';
      const m = byMonth.get(month) ?? { crime: 0, asb: 0 };
      m[asb ? 'asb' : 'crime'] += 1;
      byMonth.set(month, m);
      if (!asb) types.set(r['Crime type'] ?? '', (types.get(r['Crime type'] ?? '') ?? 0) + 1);
      const w = wards.get(lsoa.ward) ?? { name: lsoa.name, crime: 0, asb: 0 };
      w[asb ? 'asb' : 'crime'] += 1;
      wards.set(lsoa.ward, w);
    }
  }
  const sum = (k: 'crime' | 'asb') => [...byMonth.values()].reduce((a, m) => a + m[k], 0);
  const top = (k: 'crime' | 'asb') =>
    [...wards]
      .map(([code, w]) => ({ code, name: w.name, count: w[k] }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
      .slice(0, 5);
  return {
    byMonth,
    types,
    crime: sum('crime'),
    asb: sum('asb'),
    topCrime: top('crime'),
    topAsb: top('asb'),
  };
}

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await s.geography.importLookups(COMMAND_LINE, allLookupFiles());
  await s.geography.importPopulation(COMMAND_LINE, populationFile(POPULATION_FILES.mid2022));
  await s.geography.importPopulation(COMMAND_LINE, populationFile(POPULATION_FILES.mid2023));
  await s.crime.importFiles(COMMAND_LINE, [FY2122]);
  await s.partnerships.create(COMMAND_LINE, {
    slug: 'swale',
    name: 'Swale CSP',
    type: 'district',
    areas: SWALE,
  });
  figures = await s.assessments.figures(COMMAND_LINE, 'swale', { year: '2021/22' });
}, 120_000);
afterAll(() => t.close());

describe('Swale’s 2021/22 assessment from the real files', () => {
  const hand = countByHand();

  it('counts crime and ASB as a count of the raw files does', () => {
    expect(hand.crime).toBeGreaterThan(10_000);
    expect(figures.measures.crime.count).toBe(hand.crime);
    expect(figures.measures.asb.count).toBe(hand.asb);
    expect(figures.measures.crime.basis.complete).toBe(true);
    expect(figures.measures.crime.seasonality.months.map((m) => [m.month, m.count])).toEqual(
      [...hand.byMonth].sort().map(([month, c]) => [month, c.crime]),
    );
  });

  it('gives the rate per 1,000 on the mid-2021 estimate of the newest release', () => {
    expect(figures.population).toMatchObject({ year: 2021, value: SWALE_MID_2021 });
    expect(figures.population?.release).toMatch(/June 2023/);
    const tenths = Math.round((hand.crime * 10000) / SWALE_MID_2021);
    expect(figures.measures.crime.rate?.value).toBe(`${Math.floor(tenths / 10)}.${tenths % 10}`);
  });

  it('says the year before is incomplete rather than giving a change', () => {
    // Only March 2021 of 2020/21 is in the files.
    expect(figures.measures.crime.previous.basis.missing).toHaveLength(11);
    expect(figures.measures.crime.change.complete).toBe(false);
    expect(figures.measures.crime.trend.points.map((p) => p.count)).toEqual([hand.crime]);
  });

  it('breaks crime down by type as the files do', () => {
    expect(new Map(figures.measures.crime.types?.rows.map((r) => [r.crimeType, r.count]))).toEqual(
      hand.types,
    );
  });

  it('names the top five wards of the 2021 ward set, by count', () => {
    const h = figures.measures.crime.hotspots;
    expect(h.vintage).toBe('2021');
    expect(h.rows.map((r) => ({ code: r.code, name: r.name, count: r.count }))).toEqual(
      hand.topCrime,
    );
    expect(figures.measures.asb.hotspots.rows.map((r) => r.count)).toEqual(
      hand.topAsb.map((w) => w.count),
    );
  });

  it('ranks Swale among the districts and partnerships the files cover', () => {
    const rank = figures.measures.crime.ranks.districts[0];
    // The files hold Swale, Medway, Dartford and Gravesham.
    expect(rank?.of).toBe(4);
    expect(figures.measures.crime.ranks.partnerships?.of).toBe(3);
  });
});
