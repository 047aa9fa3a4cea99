import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import type { Db } from '../../src/db/database.js';
import { CrimeService } from '../../src/features/crime/crime.service.js';
import { PartnershipsService } from '../../src/features/partnerships/partnerships.service.js';
import {
  crimeSnapshot,
  csvFiles,
  DATA,
  expectedCounts,
  importLookups,
  STREET,
} from '../helpers/crime-data.js';
import { freshDatabase } from '../helpers/database.js';

const FY2122 = join(STREET, 'kent-2021-03_to_2022-03_swale-medway-dartford-gravesham');
const KENT2018 = join(STREET, 'kent-2018-10_to_2019-02_swale-medway');
const KENT2024 = join(STREET, 'kent-2024-01_to_2024-04_swale-medway');
const FULL_FORCE = join(STREET, 'kent-2021-03_full-force/2021-03-kent-street.csv');
const VARIANTS = join(STREET, 'format-variants_2019-01');
const PFA_TABLE = join(DATA, 'home-office-recorded-crime/rec-crime-pfa.csv');
const OUTCOMES = join(DATA, 'police-uk/outcomes/kent-2021-03_full-force/2021-03-kent-outcomes.csv');

// The files name their LSOAs by the 2011 vintage up to 2022 and by 2021 in 2024: the test
// knows it from the publication, the importer must tell it from the codes.
const vintageOf = (month: string) => (month < '2023-01' ? '2011' : '2021');

let db: Db;
let drop: () => Promise<void>;
let crime: CrimeService;
let temp: string;

async function failureOf(call: Promise<unknown>): Promise<string> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Error)) throw new Error('expected the import to fail');
  return err.message;
}

async function districtRows(): Promise<Map<string, number>> {
  const rows = await db.selectFrom('crime_district_counts').selectAll().execute();
  return new Map(
    rows.map((r) => [`${r.force}|${r.month}|${r.district_code}|${r.crime_type}`, r.count]),
  );
}

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  crime = new CrimeService(db, new PartnershipsService(db));
  await importLookups(db);
  temp = mkdtempSync(join(tmpdir(), 'crime-import-test-'));
});

afterAll(async () => {
  await drop();
  rmSync(temp, { recursive: true, force: true });
});

describe('importing police.uk street-level files', () => {
  it('counts every district, month and type as a plain count of the files does', async () => {
    const progress: number[] = [];
    const stages: string[] = [];
    const { summary, importId } = await crime.importFiles(
      COMMAND_LINE,
      [FY2122, KENT2018, KENT2024],
      (p) => {
        progress.push(p.records);
        stages.push(`${p.stage} ${p.records}`);
      },
    );
    const files = [...csvFiles(FY2122), ...csvFiles(KENT2018), ...csvFiles(KENT2024)];
    const expected = expectedCounts(files, vintageOf);

    expect(await districtRows()).toEqual(expected.districts);
    const wards = await db.selectFrom('crime_ward_counts').selectAll().execute();
    expect(wards.filter((r) => !(r.crime + r.asb > 0)).slice(0, 3)).toEqual([]);
    expect(
      new Map(
        wards.flatMap((r) =>
          (['crime', 'asb'] as const)
            .filter((measure) => r[measure] > 0)
            .map((measure) => [`${r.force}|${r.month}|${r.ward_code}|${measure}`, r[measure]]),
        ),
      ),
    ).toEqual(expected.wards);
    expect(summary.records).toBe(expected.records);
    expect(summary.unassigned).toMatchObject({ noLocation: 0, unknownLsoa: 0 });
    expect(summary.months).toHaveLength(13 + 5 + 4);
    expect(Math.max(...progress)).toBe(expected.records);
    // Writing is announced before any count row is written, then as the rows go.
    const writing = stages.filter((s) => s.startsWith('writing'));
    expect(writing[0]).toBe('writing 0');
    expect(writing.at(-1)).not.toBe('writing 0');

    const imported = await crime.import(importId);
    expect(imported).toMatchObject({ kind: 'crime', status: 'complete' });
  });

  it('resolves 2011 LSOA codes in 2021-22 and 2021 codes in 2024, with the newest ward set', async () => {
    const months = await crime.months('Kent Police');
    const vintage = new Map(months.map((m) => [m.month, m.lsoaVintage]));
    expect(vintage.get('2021-03')).toBe('2011');
    expect(vintage.get('2022-03')).toBe('2011');
    expect(vintage.get('2024-01')).toBe('2021');
    const wardSets = await db
      .selectFrom('crime_ward_counts')
      .select('ward_vintage')
      .distinct()
      .where('month', '=', '2024-02')
      .execute();
    expect(wardSets.map((w) => w.ward_vintage)).toEqual(['2023']);
  });

  it('counts Dartford and Gravesham, the two districts of one partnership', async () => {
    const area = await crime.countsForDistricts(['E07000107', 'E07000109'], '2021-04', '2022-03');
    const expected = expectedCounts(csvFiles(FY2122), vintageOf);
    let total = 0;
    for (const [key, n] of expected.districts) {
      const [, month = '', district = ''] = key.split('|');
      if (['E07000107', 'E07000109'].includes(district) && month >= '2021-04') total += n;
    }
    expect(area.counts.reduce((s, c) => s + c.count, 0)).toBe(total);
    for (const district of ['E07000107', 'E07000109']) {
      const one = await crime.countsForDistricts([district], '2021-04', '2022-03');
      expect(one.counts.reduce((s, c) => s + c.count, 0)).toBeGreaterThan(10_000);
    }
    expect(area.flaggedMonths).toEqual([]);
  });

  it('flags Kent November and December 2018 and says why', async () => {
    const flagged = (await crime.months('Kent Police')).filter((m) => m.flag !== null);
    expect(flagged.map((m) => m.month)).toEqual(['2018-11', '2018-12']);
    expect(flagged[1]?.flag).toContain('1,407 crimes');
    const area = await crime.countsForDistricts(['E07000113'], '2018-10', '2019-02');
    expect(area.flaggedMonths.map((f) => f.month)).toEqual(['2018-11', '2018-12']);
  });

  it('replaces a month on import again, never doubling it', async () => {
    const before = await crimeSnapshot(db);
    const { summary } = await crime.importFiles(COMMAND_LINE, [KENT2024]);
    expect(summary.months.map((m) => m.month)).toEqual([
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-04',
    ]);
    const after = (await crimeSnapshot(db)) as { months: { import_id: number }[] };
    const stripIds = (s: unknown) =>
      JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === 'import_id' ? 0 : v))) as unknown;
    expect(stripIds(after)).toEqual(stripIds(before));
  });

  it('reports the whole-force month’s rows with no location and LSOAs outside every lookup', async () => {
    const { summary } = await crime.importFiles(COMMAND_LINE, [FULL_FORCE]);
    const expected = expectedCounts([FULL_FORCE], vintageOf);
    expect(summary.unassigned.noLocation).toBe(213);
    expect(summary.unassigned.unknownLsoa).toBe(expected.unknown.get('Kent Police|2021-03'));
    expect(summary.unassigned.unknownLsoa).toBeGreaterThan(0);
    expect(summary.unassigned.unknownLsoaCodes.length).toBeGreaterThan(0);
    const [month] = await crime
      .months('Kent Police')
      .then((ms) => ms.filter((m) => m.month === '2021-03'));
    expect(month).toMatchObject({
      records: 17_887,
      noLocation: 213,
      unknownLsoa: expected.unknown.get('Kent Police|2021-03'),
    });
    const districts = await districtRows();
    for (const [key, n] of expected.districts) expect(districts.get(key)).toBe(n);
  });

  it('keeps British Transport Police rows with blank IDs, quoted fields and City of London', async () => {
    const { summary } = await crime.importFiles(COMMAND_LINE, [VARIANTS]);
    const forces = summary.months.map((m) => m.force).sort();
    expect(forces).toEqual([
      'British Transport Police',
      'City of London Police',
      'Leicestershire Police',
    ]);
    const btp = summary.months.find((m) => m.force === 'British Transport Police');
    expect(btp?.records).toBe(225);
    const city = summary.months.find((m) => m.force === 'City of London Police');
    expect(city).toMatchObject({ records: 617, noLocation: 31 });
    const expected = expectedCounts(csvFiles(VARIANTS), vintageOf);
    const districts = await districtRows();
    for (const [key, n] of expected.districts) expect(districts.get(key)).toBe(n);
  });

  it('reads a zip archive as downloaded, skipping outcomes files', async () => {
    const zip = new JSZip();
    for (const f of csvFiles(KENT2018))
      zip.file(`${f.slice(-23, -16)}/${f.split('/').pop() ?? ''}`, readFileSync(f));
    zip.file('2021-03/2021-03-kent-outcomes.csv', readFileSync(OUTCOMES));
    const path = join(temp, 'download.zip');
    writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const before = await districtRows();
    const { summary } = await crime.importFiles(COMMAND_LINE, [path]);
    expect(summary.files).toBe(5);
    expect(summary.skipped).toEqual([`${path}: 2021-03/2021-03-kent-outcomes.csv`]);
    expect(await districtRows()).toEqual(before);
  });

  it('calls the listeners once an import has committed', async () => {
    const heard: { importId: number; months: string[]; saved: number }[] = [];
    crime.onImported(async (importId, summary) => {
      // Called after the commit: the counts are there to read.
      const saved = await db
        .selectFrom('crime_months')
        .select('month')
        .where('import_id', '=', importId)
        .execute();
      heard.push({ importId, months: summary.months.map((m) => m.month), saved: saved.length });
    });
    const { importId } = await crime.importFiles(COMMAND_LINE, [
      join(KENT2024, '2024-04-kent-street.csv'),
    ]);
    expect(heard).toEqual([{ importId, months: ['2024-04'], saved: 1 }]);
    await failureOf(crime.importFiles(COMMAND_LINE, [OUTCOMES]));
    expect(heard).toHaveLength(1);
  });

  it('keeps an unknown crime type as its own type and reports it', async () => {
    const path = join(temp, '2013-01-kent-street.csv');
    writeFileSync(
      path,
      'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\r\n' +
        'abc,2013-01,Kent Police,Kent Police,0.7,51.3,On or near X,E01024527,Swale 001A,Violent crime,,\r\n' +
        ',2013-01,Kent Police,Kent Police,0.7,51.3,On or near X,E01024527,Swale 001A,Anti-social behaviour,,\r\n',
    );
    const { summary } = await crime.importFiles(COMMAND_LINE, [path]);
    expect(summary.unknownTypes).toEqual([{ type: 'Violent crime', records: 1 }]);
    const rows = await db
      .selectFrom('crime_district_counts')
      .select(['crime_type', 'count'])
      .where('month', '=', '2013-01')
      .orderBy('crime_type')
      .execute();
    expect(rows).toEqual([
      { crime_type: 'Anti-social behaviour', count: 1 },
      { crime_type: 'Violent crime', count: 1 },
    ]);
  });
});

describe('refusing bad files, leaving the data as it was', () => {
  it('names the zip of a corrupt archive and changes nothing', async () => {
    const zip = new JSZip();
    for (const f of csvFiles(KENT2024)) zip.file(f.split('/').pop() ?? '', readFileSync(f));
    const whole = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const path = join(temp, 'corrupt.zip');
    // The archive cut off part way, as an interrupted download leaves it.
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const before = await crimeSnapshot(db);
    const message = await failureOf(crime.importFiles(COMMAND_LINE, [path]));
    expect(message).toContain(path);
    expect(message).toContain('corrupt or incomplete');
    expect(await crimeSnapshot(db)).toEqual(before);
    const [latest] = await crime.imports(1);
    expect(latest).toMatchObject({ status: 'failed' });
    expect(latest?.error).toContain(path);
  });

  it('names the file and line of a truncated CSV and changes nothing', async () => {
    const path = join(temp, '2021-03-kent-street.csv');
    writeFileSync(path, readFileSync(FULL_FORCE).subarray(0, 500_000));
    const good = join(temp, '2024-01-kent-street.csv');
    copyFileSync(join(KENT2024, '2024-01-kent-street.csv'), good);
    const before = await crimeSnapshot(db);
    const message = await failureOf(crime.importFiles(COMMAND_LINE, [good, path]));
    expect(message).toBe(
      `${path}, line 2518: the file is corrupt or cut short: expected number of columns: 12 found: 11`,
    );
    expect(await crimeSnapshot(db)).toEqual(before);
  });

  it('names the columns a file of another layout lacks', async () => {
    const message = await failureOf(crime.importFiles(COMMAND_LINE, [OUTCOMES]));
    expect(message).toBe(
      `${OUTCOMES}, line 1: the header is not a layout Saferplan knows: as a data.police.uk street-level file it lacks the columns "Crime type", "Last outcome category", "Context"`,
    );
  });
});

describe('importing Home Office recorded crime', () => {
  it('keeps the force-area table’s rolling totals per period end, never summed', async () => {
    const { summary } = await crime.importFiles(COMMAND_LINE, [PFA_TABLE]);
    expect(summary.tables).toEqual([
      expect.objectContaining({ layout: 'pfa', rows: 46_469, areas: 47 }),
    ]);
    const dec2018 = await crime.pfaRollingYear('Kent', '2018-12-31');
    expect(dec2018.reduce((s, r) => s + r.rollingTotal, 0)).toBe(197_085);
    const mar2018 = await crime.pfaRollingYear('Kent', '2018-03-31');
    expect(mar2018.reduce((s, r) => s + r.rollingTotal, 0)).toBe(177_187);
    // The stray 30-12-2017 is the quarter ending 31 December 2017.
    const series = await crime.pfaRollingSeries('Kent', 'Robbery');
    expect(series.map((s) => s.periodEnd)).toContain('2017-12-31');
    expect(series.map((s) => s.periodEnd)).not.toContain('2017-12-30');
    expect(series).toHaveLength(52);
    // Each point is the published 12-month figure, not a running sum of quarters.
    const kentRobbery = (await import('../helpers/crime-data.js'))
      .readCsv(PFA_TABLE)
      .filter((r) => r.PFA === 'Kent' && r.Offence === 'Robbery')
      .map((r) => Number(r['Rolling year total number of offences']));
    expect(series.map((s) => s.rollingTotal)).toEqual(kentRobbery);
  });

  it('imports the table again without doubling it', async () => {
    const before = await crimeSnapshot(db);
    await crime.importFiles(COMMAND_LINE, [PFA_TABLE]);
    const strip = (s: unknown) =>
      JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === 'import_id' ? 0 : v))) as unknown;
    expect(strip(await crimeSnapshot(db))).toEqual(strip(before));
  });

  it('refuses a table with a bad row, naming the line and column, and changes nothing', async () => {
    const path = join(temp, 'rec-crime-pfa.csv');
    writeFileSync(
      path,
      '12 months ending,PFA,Region,Offence,Rolling year total number of offences\r\n' +
        '31-03-2019,Kent,South East,Robbery,1200\r\n' +
        '15-02-2019,Kent,South East,Robbery,1100\r\n' +
        '30-06-2019,Kent,South East,Shoplifting,lots\r\n',
    );
    const before = await crimeSnapshot(db);
    const message = await failureOf(crime.importFiles(COMMAND_LINE, [path]));
    expect(message).toContain('line 3, column "12 months ending": must be the end of a quarter');
    expect(message).toContain(
      'line 4, column "Rolling year total number of offences": must be a whole number',
    );
    expect(await crimeSnapshot(db)).toEqual(before);
  });

  // No published copy of the Home Office CSP table could be found as a file, so this one is
  // written here in its published column layout.
  it('imports the CSP table in its published layout; quarters of a year add up', async () => {
    const path = join(temp, 'prc-csp-tables.csv');
    writeFileSync(
      path,
      'Financial Year,Financial Quarter,Force Name,CSP Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences\n' +
        '2021/22,1,Kent,Swale,Robbery of business property,Robbery,Robbery,34A,3\n' +
        '2021/22,2,Kent,Swale,Robbery of business property,Robbery,Robbery,34A,5\n' +
        '2021/22,1,Kent,Swale,Shoplifting,Theft offences,Shoplifting,46,210\n' +
        '2021/22,1,Kent,Medway,Shoplifting,Theft offences,Shoplifting,46,400\n',
    );
    const { summary } = await crime.importFiles(COMMAND_LINE, [path]);
    expect(summary.tables).toEqual([
      { file: path, layout: 'csp', rows: 4, periods: ['2021/22 Q1', '2021/22 Q2'], areas: 2 },
    ]);
    expect(await crime.cspYearOffences('Swale', '2021/22')).toEqual([
      expect.objectContaining({ offenceCode: '34A', offences: 8, quarters: 2 }),
      expect.objectContaining({ offenceCode: '46', offenceGroup: 'Theft offences', offences: 210 }),
    ]);
    const [latest] = await crime.imports(1);
    expect(latest).toMatchObject({ kind: 'recorded-crime', status: 'complete' });
  });
});
