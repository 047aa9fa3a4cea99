import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/features/reports/report-outputs.js';
import { COMMAND_LINE, type Actor } from '../../src/core/actor.js';
import type { FileError } from '../../src/core/grid-file.js';
import { nowIso } from '../../src/db/database.js';
import { addMonths, monthsBetween } from '../../src/domain/periods.js';
import { historyOf } from '../../src/features/audit/audit.service.js';
import { refreshCrimeIndicators } from '../../src/features/indicators/crime-indicators.js';
import { signedIn, testApp, type Client, type TestApp } from '../helpers/app.js';
import {
  PASSWORD,
  actorFor,
  agency,
  fieldErrorsOf,
  member,
  partnership,
  user,
} from '../helpers/factories.js';

// Dartford and Gravesham share one partnership; Swale's counts must never reach it.
const DARTFORD = 'E07000107';
const GRAVESHAM = 'E07000109';
const SWALE = 'E07000113';
const TYPES = ['Anti-social behaviour', 'Shoplifting', 'Violence and sexual offences'];
const MONTHS = monthsBetween('2022-04', '2025-03');
// Gravesham has no data loaded for July 2022: the partnership's figure is missing, not a sum.
const GAP = '2022-07';
const FLAGGED = '2024-11';

let t: TestApp;
let coordinator: Actor;
let client: Client;
let planId: number;
let themeId: number;
let importId: number;
const seeded: { month: string; district: string; type: string; count: number }[] = [];

const countFor = (m: number, d: number, k: number) => 10 + ((m * 7 + d * 13 + k * 5) % 17);

/** The count a person would add up from the seeded rows: both districts, matching types. */
function byHand(month: string, match: (type: string) => boolean): string | undefined {
  const rows = seeded.filter(
    (r) => r.month === month && (r.district === DARTFORD || r.district === GRAVESHAM),
  );
  const districts = new Set(rows.map((r) => r.district));
  if (districts.size < 2) return undefined;
  return String(rows.filter((r) => match(r.type)).reduce((n, r) => n + r.count, 0));
}

async function figuresOf(id: number): Promise<Map<string, string>> {
  const f = await t.services.indicators.figures(coordinator, 'dartford', id);
  return new Map(f.months.map((x) => [x.month, x.value]));
}

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, {
    slug: 'dartford',
    name: 'Dartford and Gravesham CSP',
    areas: `${DARTFORD}, ${GRAVESHAM}`,
  });
  const u = await user(s, { agencyId: (await agency(s, 'Kent Police', 'police')).id });
  await member(s, 'dartford', u.email, 'coordinator');
  coordinator = await actorFor(s, u.id);
  client = await signedIn(t.app, u.email, PASSWORD);
  const plan = await s.plans.create(COMMAND_LINE, 'dartford', {
    title: 'Safer',
    period: '2024/25',
  });
  planId = plan.id;
  themeId = (
    await s.themes.add(COMMAND_LINE, 'dartford', plan.id, {
      type: 'priority',
      title: 'Anti-social behaviour',
    })
  ).id;

  const db = s.db;
  importId = (
    await db
      .insertInto('data_imports')
      .values({
        kind: 'crime',
        status: 'complete',
        filenames: 'kent-street.zip',
        started_at: nowIso(),
        by_label: 'Command line',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  for (const [m, month] of MONTHS.entries()) {
    await db
      .insertInto('crime_months')
      .values({
        force: 'Kent Police',
        month,
        import_id: importId,
        records: 1000,
        asb: 0,
        no_location: 0,
        unknown_lsoa: 0,
        lsoa_vintage: '2021',
        flag: month === FLAGGED ? 'about half the records of the months either side' : null,
      })
      .execute();
    for (const [d, district] of [DARTFORD, GRAVESHAM, SWALE].entries()) {
      if (month === GAP && district === GRAVESHAM) continue;
      for (const [k, type] of TYPES.entries()) {
        const count = countFor(m, d, k);
        seeded.push({ month, district, type, count });
        await db
          .insertInto('crime_district_counts')
          .values({ force: 'Kent Police', month, district_code: district, crime_type: type, count })
          .execute();
      }
    }
  }
});
afterAll(() => t.close());

describe('indicators from police.uk crime data', () => {
  let asbId: number;
  let allCrimeId: number;

  it('fills the monthly figures from both districts’ counts on creating the indicator', async () => {
    const s = t.services.indicators;
    expect(
      await fieldErrorsOf(
        s.create(coordinator, 'dartford', {
          name: 'ASB incidents',
          unit: 'rate',
          polarity: 'increase-bad',
          sourceKind: 'police-uk',
        }),
      ),
    ).toEqual({ crimeType: 'Select the crime type, or All crime' });
    expect(
      await fieldErrorsOf(
        s.create(coordinator, 'dartford', {
          name: 'ASB incidents',
          unit: 'rate',
          polarity: 'increase-bad',
          sourceKind: 'police-uk',
          crimeType: 'Anti-social behaviour',
        }),
      ),
    ).toEqual({ unit: 'Police recorded crime is counted: select count as the unit' });
    asbId = (
      await s.create(coordinator, 'dartford', {
        name: 'ASB incidents',
        unit: 'count',
        polarity: 'increase-bad',
        noun: 'incidents',
        themeId: String(themeId),
        sourceKind: 'police-uk',
        crimeType: 'Anti-social behaviour',
      })
    ).id;
    allCrimeId = (
      await s.create(coordinator, 'dartford', {
        name: 'All crime',
        unit: 'count',
        polarity: 'increase-bad',
        sourceKind: 'police-uk',
        crimeType: 'All crime',
      })
    ).id;

    const asb = await figuresOf(asbId);
    const all = await figuresOf(allCrimeId);
    expect(asb.size).toBe(MONTHS.length - 1);
    for (const month of MONTHS) {
      expect(asb.get(month)).toBe(byHand(month, (type) => type === 'Anti-social behaviour'));
      expect(all.get(month)).toBe(byHand(month, (type) => type !== 'Anti-social behaviour'));
    }
    // A month with no data loaded for one district stays missing, never 0 or half a sum.
    expect(asb.has(GAP)).toBe(false);
    const history = await historyOf(t.services.db, 'indicator', asbId);
    expect(history.at(-1)?.summary).toBe(
      `Filled 35 monthly values of ASB incidents from police.uk data (April 2022 to March 2025): Anti-social behaviour in ${DARTFORD} and ${GRAVESHAM}`,
    );
    expect(history.at(-1)?.after).toMatchObject({ source: 'police.uk data' });
    const detail = await s.get(coordinator, 'dartford', asbId);
    expect(detail.crimeType).toBe('Anti-social behaviour');
  });

  it('refuses hand edits of filled figures, with a clear message', async () => {
    const s = t.services.indicators;
    const refusal =
      'The figures of ASB incidents are filled from police.uk data each time crime data is imported, so they cannot be changed by hand. To enter figures yourself, change its source to entered by hand';
    expect(
      await fieldErrorsOf(s.saveMonths(coordinator, 'dartford', asbId, { '2024-09': '1' })),
    ).toEqual({ values: refusal });
    expect(
      await fieldErrorsOf(
        s.setTotal(coordinator, 'dartford', asbId, { endMonth: '2024-03', value: '5' }),
      ),
    ).toEqual({ value: refusal });
    const page = await client.post(`/partnerships/dartford/indicators/${asbId}/values`, {
      'month-2024-09': '1',
      end: '2025-03',
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('are filled from police.uk data each time crime data is imported');
    expect((await figuresOf(asbId)).get('2024-09')).toBe(
      byHand('2024-09', (type) => type === 'Anti-social behaviour'),
    );
  });

  it('shows where the figures come from, and the flagged month, on the indicator page', async () => {
    const page = await client.get(
      `/partnerships/dartford/indicators/${asbId}?end=2025-03&to=2025-03`,
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      `Police recorded crime from police.uk: Anti-social behaviour in ${DARTFORD} and ${GRAVESHAM}`,
    );
    expect(page.body).toContain('Flagged months in these comparisons');
    expect(page.body).toContain(
      'November 2024 (Kent Police: about half the records of the months either side)',
    );
    expect(page.body).toContain('Flagged as incomplete');
    expect(page.body).not.toContain('name="month-2024-09"');
    const form = await client.get(`/partnerships/dartford/indicators/${asbId}/edit`);
    expect(form.body).toContain('Police recorded crime from police.uk');
    expect(form.body).toMatch(/<option value="Anti-social behaviour" selected>/);
  });

  it('replaces the figures when the counts change and the import refreshes them', async () => {
    const db = t.services.db;
    await db
      .updateTable('crime_district_counts')
      .set({ count: 500 })
      .where('month', '=', '2025-03')
      .where('district_code', '=', DARTFORD)
      .where('crime_type', '=', 'Anti-social behaviour')
      .execute();
    for (const r of seeded)
      if (r.month === '2025-03' && r.district === DARTFORD && r.type === 'Anti-social behaviour')
        r.count = 500;
    // A month withdrawn for Gravesham: its figure goes.
    await db
      .deleteFrom('crime_district_counts')
      .where('month', '=', '2022-08')
      .where('district_code', '=', GRAVESHAM)
      .execute();
    seeded.splice(
      0,
      seeded.length,
      ...seeded.filter((r) => !(r.month === '2022-08' && r.district === GRAVESHAM)),
    );
    // Swale's counts are not the partnership's: a refresh for Swale alone changes nothing here.
    expect(await refreshCrimeIndicators(db, { districts: [SWALE] })).toEqual({
      indicators: 0,
      changed: 0,
    });
    expect(await refreshCrimeIndicators(db)).toEqual({ indicators: 2, changed: 2 });
    const asb = await figuresOf(asbId);
    expect(asb.get('2025-03')).toBe(byHand('2025-03', (type) => type === 'Anti-social behaviour'));
    expect(asb.has('2022-08')).toBe(false);
    const last = (await historyOf(db, 'indicator', asbId)).at(-1);
    expect(last?.actor).toBe('police.uk crime data import');
    expect(last?.summary).toContain('Filled 2 monthly values of ASB incidents from police.uk data');
    // Nothing changed since: nothing to do, nothing audited.
    expect(await refreshCrimeIndicators(db)).toEqual({ indicators: 2, changed: 0 });
  });

  it('feeds the exception report, incomplete windows counted as they are for any indicator', async () => {
    const report = await t.services.reports.preview(coordinator, 'dartford', {
      planId,
      periodEnd: '2025-03',
    });
    const row = report.themes[0]?.indicators.find((i) => i.id === asbId);
    const sum = (from: string) =>
      monthsBetween(from, addMonths(from, 11))
        .map((m) => Number(byHand(m, (type) => type === 'Anti-social behaviour')))
        .reduce((a, b) => a + b, 0);
    expect(row?.previous).toBe(String(sum('2023-04')));
    expect(row?.current).toBe(String(sum('2024-04')));
    expect(row?.complete).toBe(true);
    expect(row?.flaggedMonths).toEqual([
      {
        month: FLAGGED,
        label: 'November 2024',
        why: 'Kent Police: about half the records of the months either side',
      },
    ]);
    expect((await renderReport(report, 'html')).toString()).toContain(
      'counts months that look incomplete in the police.uk data, so its figures may be too low: November 2024 (Kent Police: about half the records of the months either side).',
    );
    const early = await t.services.reports.preview(coordinator, 'dartford', {
      planId,
      periodEnd: '2023-03',
    });
    expect(early.themes[0]?.indicators[0]?.currentText).toBe('incomplete (10 of 12 months)');
  });

  it('imports a new crime-data indicator with its Crime type column, refusing figures that differ', async () => {
    const files = t.services.indicatorFiles;
    const shoplifting = (m: string) => byHand(m, (type) => type === 'Shoplifting') ?? '';
    const csv = (text: string) => ({ filename: 'crime.csv', content: Buffer.from(text) });
    const refused = await files
      .importFile(
        coordinator,
        'dartford',
        csv(
          `Indicator,Month,Value,Unit,Crime type\nShop thefts,2024-09,${shoplifting('2024-09')},Count,shoplifting\nASB incidents,2024-09,3,,\nShop thefts,2024-10,1,,Shoplifting\nOther,2024-10,1,,Knife crime\n`,
        ),
      )
      .then(
        () => [],
        (err: unknown) =>
          (err as FileError).problems.map((x) => `${x.row ?? ''}|${x.column ?? ''}|${x.message}`),
      );
    expect(refused).toEqual([
      `3|Value|ASB incidents’s figures are filled from police.uk data, which gives ${byHand('2024-09', (type) => type === 'Anti-social behaviour') ?? ''} for September 2024: leave its rows out, or give its figures as they are`,
      `4|Value|Shop thefts’s figures are filled from police.uk data, which gives ${shoplifting('2024-10')} for October 2024: leave its rows out, or give its figures as they are`,
      '5|Crime type|Crime type must be one of the police.uk crime types, like Shoplifting, or All crime',
    ]);
    const result = await files.importFile(
      coordinator,
      'dartford',
      csv(
        `Indicator,Month,Value,Crime type\nShop thefts,2024-09,${shoplifting('2024-09')},Shoplifting\n`,
      ),
    );
    expect(result.createdIndicators).toEqual(['Shop thefts']);
    const made = (await t.services.indicators.list(coordinator, 'dartford')).find(
      (i) => i.name === 'Shop thefts',
    );
    expect(made?.crimeType).toBe('Shoplifting');
    const figures = await figuresOf(made?.id ?? 0);
    expect(figures.get('2023-01')).toBe(shoplifting('2023-01'));

    // The export names the crime type, and imports back changing nothing.
    const exported = await files.exportFile(coordinator, 'dartford', 'csv');
    const text = exported.content.toString('utf8');
    expect(text.split('\n')[0]).toContain('Crime type');
    const again = await files.importFile(coordinator, 'dartford', {
      filename: 'again.csv',
      content: exported.content,
    });
    expect(again.counts.added + again.counts.changed).toBe(0);
  });

  it('takes and gives the crime type through the API', async () => {
    const { token } = await t.services.tokens.create(coordinator, { name: 'API' });
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/partnerships/dartford/indicators',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        name: 'Violence',
        unit: 'count',
        polarity: 'increase-bad',
        crimeType: 'Violence and sexual offences',
      },
    });
    expect(made.statusCode).toBe(201);
    const body = made.json<{ id: number; crimeType: string; figures: { months: unknown[] } }>();
    expect(body.crimeType).toBe('Violence and sexual offences');
    expect(body.figures.months.length).toBe(MONTHS.length - 2);
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/v1/partnerships/dartford/indicators/${body.id}/values`,
      headers: { authorization: `Bearer ${token}` },
      payload: { months: { '2024-09': '1' } },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('filled from police.uk data');
  });

  it('keeps the figures as they are when the indicator goes back to figures entered by hand', async () => {
    const s = t.services.indicators;
    const before = await figuresOf(allCrimeId);
    await s.update(coordinator, 'dartford', allCrimeId, {
      name: 'All crime',
      unit: 'count',
      polarity: 'increase-bad',
      sourceKind: 'entered',
      crimeType: 'All crime',
    });
    expect((await s.get(coordinator, 'dartford', allCrimeId)).crimeType).toBeNull();
    expect(await figuresOf(allCrimeId)).toEqual(before);
    expect(await s.saveMonths(coordinator, 'dartford', allCrimeId, { '2024-09': '1' })).toBe(1);
  });

  it('counts the districts as they are when the partnership’s areas change', async () => {
    await t.services.partnerships.updateSettings(coordinator, 'dartford', {
      name: 'Dartford and Gravesham CSP',
      areas: DARTFORD,
    });
    const asb = await figuresOf(asbId);
    const dartfordOnly = seeded
      .filter(
        (r) => r.month === GAP && r.district === DARTFORD && r.type === 'Anti-social behaviour',
      )
      .reduce((n, r) => n + r.count, 0);
    expect(asb.get(GAP)).toBe(String(dartfordOnly));
  });
});
