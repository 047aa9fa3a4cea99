import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE, type Actor } from '../../src/core/actor.js';
import { ForbiddenError, NotFoundError } from '../../src/core/errors.js';
import { FileError } from '../../src/core/grid-file.js';
import { nowIso } from '../../src/db/database.js';
import { addMonths, monthLabel } from '../../src/domain/periods.js';
import { historyOf } from '../../src/features/audit/audit.service.js';
import { ROOT } from '../../src/paths.js';
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

let t: TestApp;
let coordinator: Actor;
let lead: Actor;
let viewer: Actor;
let outsider: Actor;
let coordClient: Client;
let viewerClient: Client;
let outsiderClient: Client;
let daThemeId: number;
let medwayThemeId: number;
const thisMonth = nowIso().slice(0, 7);
const nextMonth = addMonths(thisMonth, 1);

const csv = (text: string, filename = 'figures.csv') => ({ filename, content: Buffer.from(text) });

async function problemsOf(call: Promise<unknown>): Promise<string[]> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof FileError)) throw new Error(`expected a refused file: ${String(err)}`);
  return err.problems.map((p) => `${p.row ?? ''}|${p.column ?? ''}|${p.message}`);
}

/** A new indicator of the Swale partnership, by its coordinator, where an increase is bad. */
const newIndicator = (name: string, unit: 'count' | 'rate' | 'percentage') =>
  t.services.indicators.create(coordinator, 'swale', { name, unit, polarity: 'increase-bad' });

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'swale', name: 'Swale CSP' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  const police = await agency(s, 'Kent Police', 'police');
  const people: Record<string, number> = {};
  const emails: Record<string, string> = {};
  for (const [key, slug, role] of [
    ['coordinator', 'swale', 'coordinator'],
    ['lead', 'swale', 'lead'],
    ['viewer', 'swale', 'viewer'],
    ['outsider', 'medway', 'coordinator'],
  ] as const) {
    const u = await user(s, { agencyId: police.id });
    await member(s, slug, u.email, role);
    people[key] = u.id;
    emails[key] = u.email;
  }
  coordinator = await actorFor(s, people.coordinator ?? 0);
  lead = await actorFor(s, people.lead ?? 0);
  viewer = await actorFor(s, people.viewer ?? 0);
  outsider = await actorFor(s, people.outsider ?? 0);
  coordClient = await signedIn(t.app, emails.coordinator ?? '', PASSWORD);
  viewerClient = await signedIn(t.app, emails.viewer ?? '', PASSWORD);
  outsiderClient = await signedIn(t.app, emails.outsider ?? '', PASSWORD);

  // Two plans share a theme title: the import matches the latest plan's.
  const older = await s.plans.create(COMMAND_LINE, 'swale', { title: 'Old', period: '2021/22' });
  await s.themes.add(COMMAND_LINE, 'swale', older.id, {
    type: 'priority',
    title: 'Domestic abuse',
  });
  const plan = await s.plans.create(COMMAND_LINE, 'swale', { title: 'Safer', period: '2024/25' });
  daThemeId = (
    await s.themes.add(COMMAND_LINE, 'swale', plan.id, {
      type: 'priority',
      title: 'Domestic abuse',
    })
  ).id;
  const medway = await s.plans.create(COMMAND_LINE, 'medway', { title: 'M', period: '2024/25' });
  medwayThemeId = (
    await s.themes.add(COMMAND_LINE, 'medway', medway.id, { type: 'priority', title: 'ASB' })
  ).id;
});
afterAll(() => t.close());

describe('indicators', () => {
  let indicatorId: number;

  it('lets coordinators add an indicator, with every rule checked at once', async () => {
    const s = t.services.indicators;
    expect(await fieldErrorsOf(s.create(coordinator, 'swale', { name: ' ' }))).toEqual({
      name: 'Enter the indicator’s name',
      unit: 'Select the unit: count, rate or percentage',
      polarity: 'Select whether an increase is bad, good or neutral',
    });
    const made = await s.create(coordinator, 'swale', {
      name: 'Domestic abuse incidents',
      source: 'Kent Police',
      unit: 'count',
      noun: 'incidents',
      polarity: 'neutral',
      themeId: String(daThemeId),
    });
    indicatorId = made.id;
    expect(made.theme?.title).toBe('Domestic abuse');
    expect(made.theme?.periodLabel).toBe('2024/25');
    // Names are unique with case and spacing aside; another partnership's theme is not offered.
    expect(
      await fieldErrorsOf(
        s.create(coordinator, 'swale', {
          name: 'domestic  ABUSE incidents',
          unit: 'count',
          polarity: 'neutral',
          themeId: String(medwayThemeId),
        }),
      ),
    ).toEqual({
      name: 'The partnership already has an indicator with this name',
      themeId: 'Select one of the partnership’s themes, or no theme',
    });
    await expect(
      s.create(lead, 'swale', { name: 'X', unit: 'count', polarity: 'neutral' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      s.create(outsider, 'swale', { name: 'X', unit: 'count', polarity: 'neutral' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets everyone in the partnership read indicators, and nobody outside it', async () => {
    const s = t.services.indicators;
    expect((await s.list(viewer, 'swale')).map((i) => i.name)).toEqual([
      'Domestic abuse incidents',
    ]);
    expect((await s.get(lead, 'swale', indicatorId)).canManage).toBe(false);
    await expect(s.get(outsider, 'swale', indicatorId)).rejects.toBeInstanceOf(NotFoundError);
    // Through the outsider's own partnership, the record is not theirs: 404 too.
    await expect(s.get(outsider, 'medway', indicatorId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      s.saveMonths(outsider, 'medway', indicatorId, { '2024-09': '1' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      s.saveMonths(viewer, 'swale', indicatorId, { '2024-09': '1' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('saves a grid of months all or nothing, naming each bad month', async () => {
    const s = t.services.indicators;
    const errors = await fieldErrorsOf(
      s.saveMonths(coordinator, 'swale', indicatorId, {
        '2024-08': '120',
        '2024-09': '12.5',
        '2024-10': 'lots',
        [nextMonth]: '5',
      }),
    );
    expect(errors).toEqual({
      'month-2024-09': 'September 2024: Value must be a whole number for a count',
      'month-2024-10': 'October 2024: Enter a number, like 1,234 or 12.5',
      [`month-${nextMonth}`]: `${monthLabel(nextMonth)}: Month must not be in the future`,
    });
    // Nothing was saved, not even the good month.
    expect((await s.figures(coordinator, 'swale', indicatorId)).months).toEqual([]);

    expect(
      await s.saveMonths(coordinator, 'swale', indicatorId, {
        '2024-08': '1,120',
        '2024-09': '98',
        '2024-10': '',
      }),
    ).toBe(2);
    expect(
      await s.saveMonths(coordinator, 'swale', indicatorId, {
        '2024-08': '1120',
        '2024-09': '',
        '2024-10': '101',
      }),
    ).toBe(2);
    expect((await s.figures(viewer, 'swale', indicatorId)).months).toEqual([
      { month: '2024-08', value: '1120' },
      { month: '2024-10', value: '101' },
    ]);
    const [listed] = await s.listWithFigures(viewer, 'swale');
    expect(listed?.figures.months.map((m) => m.month)).toEqual(['2024-08', '2024-10']);
    await expect(s.listWithFigures(outsider, 'swale')).rejects.toBeInstanceOf(NotFoundError);
    const grid = await s.grid(viewer, 'swale', indicatorId, { from: '2024-08', to: '2024-10' });
    expect(grid.map((m) => m.value)).toEqual(['1120', null, '101']);
  });

  it('audits each save once, with who, when and every changed month', async () => {
    const events = (await historyOf(t.services.db, 'indicator', indicatorId)).filter(
      (e) => e.action === 'updated',
    );
    expect(events).toHaveLength(2);
    const last = events.at(-1);
    expect(last?.actor).toBe(coordinator.label);
    expect(last?.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(last?.summary).toBe(
      'Changed 2 monthly values of Domestic abuse incidents: September 2024 cleared (was 98); October 2024 set to 101',
    );
    expect(last?.before).toEqual({ '2024-09': '98', '2024-10': null });
    expect(last?.after).toEqual({ '2024-09': null, '2024-10': '101' });
  });

  it('keeps rates exactly as typed, without float drift', async () => {
    const s = t.services.indicators;
    const rate = await newIndicator('Repeat callers', 'percentage');
    await s.saveMonths(coordinator, 'swale', rate.id, { '2024-01': '0.1', '2024-02': '27.30%' });
    expect((await s.figures(viewer, 'swale', rate.id)).months.map((m) => m.value)).toEqual([
      '0.1',
      '27.3',
    ]);
  });

  it('takes a 12-month total for a window where a source gives no months', async () => {
    const s = t.services.indicators;
    expect(
      await fieldErrorsOf(
        s.setTotal(coordinator, 'swale', indicatorId, { endMonth: nextMonth, value: '1.5' }),
      ),
    ).toEqual({
      endMonth: 'Month must not be in the future',
      value: 'Value must be a whole number for a count',
    });
    await s.setTotal(coordinator, 'swale', indicatorId, { endMonth: '2023-03', value: '2,410' });
    expect((await s.figures(viewer, 'swale', indicatorId)).totals).toEqual([
      { endMonth: '2023-03', value: '2410' },
    ]);
    await s.removeTotal(coordinator, 'swale', indicatorId, '2023-03');
    expect((await s.figures(viewer, 'swale', indicatorId)).totals).toEqual([]);
    const summaries = (await s.history(coordinator, 'swale', indicatorId)).map((e) => e.summary);
    expect(summaries).toContain(
      'Changed the 12-month total of Domestic abuse incidents: April 2022 to March 2023 set to 2,410',
    );
    expect(summaries).toContain(
      'Changed the 12-month total of Domestic abuse incidents: April 2022 to March 2023 cleared (was 2,410)',
    );
  });

  it('keeps every figure one of its unit’s: no count while a figure has decimals', async () => {
    const s = t.services.indicators;
    const rate = await newIndicator('Burglary rate', 'rate');
    await s.saveMonths(coordinator, 'swale', rate.id, { '2024-01': '12', '2024-02': '0.125' });
    const asCount = { name: 'Burglary rate', unit: 'count', polarity: 'increase-bad' };
    expect(await fieldErrorsOf(s.update(coordinator, 'swale', rate.id, asCount))).toEqual({
      unit: 'Unit cannot be count while a figure has decimal places. Change those figures first',
    });
    expect((await s.get(viewer, 'swale', rate.id)).unit).toBe('rate');
    await s.saveMonths(coordinator, 'swale', rate.id, { '2024-02': '' });
    await s.update(coordinator, 'swale', rate.id, asCount);
    expect((await s.get(viewer, 'swale', rate.id)).unit).toBe('count');
    await s.delete(coordinator, 'swale', rate.id);
  });
});

describe('indicator pages', () => {
  it('shows the grid to coordinators and reports bad months in the error summary', async () => {
    const list = await coordClient.get('/partnerships/swale/indicators');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Domestic abuse incidents');
    const id = (await t.services.indicators.list(COMMAND_LINE, 'swale'))[0]?.id ?? 0;
    const url = `/partnerships/swale/indicators/${id}`;
    const page = await coordClient.get(`${url}?end=2025-03`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('April 2023 to March 2024');
    expect(page.body).toMatch(/name="month-2024-08"[^>]*value="1,120"/);

    const bad = await coordClient.post(`${url}/values`, {
      end: '2025-03',
      'month-2024-11': 'ten',
      'month-2024-12': '7',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#month-2024-11">November 2024: Enter a number');
    // What was typed stays in the form.
    expect(bad.body).toContain('value="ten"');
    const good = await coordClient.post(`${url}/values`, {
      end: '2025-03',
      'month-2024-11': '10',
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe(`${url}?end=2025-03&notice=values`);

    // A grid posted back whole changes only what this person changed: another's change to
    // another month in the meantime stays, and a month both changed is refused.
    await t.services.indicators.saveMonths(COMMAND_LINE, 'swale', id, { '2024-08': '1130' });
    const stale = await coordClient.post(`${url}/values`, {
      end: '2025-03',
      'shown-2024-08': '1120',
      'month-2024-08': '1,120',
      'shown-2024-10': '101',
      'month-2024-10': '102',
    });
    expect(stale.statusCode).toBe(303);
    const after = (await t.services.indicators.figures(COMMAND_LINE, 'swale', id)).months;
    expect(after).toContainEqual({ month: '2024-08', value: '1130' });
    expect(after).toContainEqual({ month: '2024-10', value: '102' });
    const clash = await coordClient.post(`${url}/values`, {
      end: '2025-03',
      'shown-2024-08': '1120',
      'month-2024-08': '1125',
    });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain(
      'August 2024: Someone else changed it to 1,130 while you were editing. Check the figure, then save again',
    );
    // The form now holds what is saved, so saving again is a deliberate choice.
    expect(clash.body).toContain('name="shown-2024-08" value="1130"');
    expect(clash.body).toMatch(/name="month-2024-08"[^>]*value="1125"/);
    await t.services.indicators.saveMonths(COMMAND_LINE, 'swale', id, {
      '2024-08': '1120',
      '2024-10': '101',
    });

    // A window asked for that makes no sense shows the latest months instead.
    expect((await coordClient.get(`${url}?end=0000-01`)).statusCode).toBe(200);

    const read = await viewerClient.get(url);
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain('name="month-');
    expect((await viewerClient.post(`${url}/values`, { 'month-2024-11': '1' })).statusCode).toBe(
      403,
    );
    expect((await outsiderClient.get(url)).statusCode).toBe(404);
    expect((await outsiderClient.get(`/partnerships/medway/indicators/${id}`)).statusCode).toBe(
      404,
    );
  });

  it('uses a 12-month total in place of its months, and says what the months add up to', async () => {
    const s = t.services.indicators;
    const rate = await newIndicator('Violence per 1,000', 'rate');
    const months = Object.fromEntries(
      [...Array(12).keys()].map((i) => [addMonths('2023-04', i), '10.5469']),
    );
    await s.saveMonths(coordinator, 'swale', rate.id, months);
    await s.setTotal(coordinator, 'swale', rate.id, { endMonth: '2024-03', value: '126.5' });
    await s.setTotal(coordinator, 'swale', rate.id, { endMonth: '2023-03', value: '120' });
    const url = `/partnerships/swale/indicators/${rate.id}/totals`;
    const page = await viewerClient.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Comparisons and reports use the total for those 12 months');
    expect(page.body).toContain('Add up to 126.5628: 0.0628 more than the total');
    expect(page.body).toContain('0 of 12 months entered');
    await s.setTotal(coordinator, 'swale', rate.id, { endMonth: '2024-03', value: '126.5628' });
    expect((await viewerClient.get(url)).body).toContain('Add up to the total');
    await s.delete(coordinator, 'swale', rate.id);
  });
});

describe('importing indicator figures', () => {
  const HEADER = 'Indicator,Month,Value,Theme,Source,Unit,Polarity,Noun';

  it('refuses a file with any bad row, naming every row and column, and saves nothing', async () => {
    const before = await t.services.indicators.list(COMMAND_LINE, 'swale');
    const problems = await problemsOf(
      t.services.indicatorFiles.importFile(
        coordinator,
        'swale',
        csv(
          [
            HEADER,
            'ASB incidents,2024-04,410,Anti-social behaviour,Kent Police,Count,Increase is bad,incidents',
            'ASB incidents,2024-13,400,,,,,',
            'ASB incidents,2024-05,many,,,,,',
            `ASB incidents,${nextMonth},3,,,,,`,
            'Domestic abuse incidents,2024-06,10.5,,,,,',
            'ASB incidents,Apr-24,12,,,,,',
            'Callers,2024-01,4,,,Weight,Upwards,',
          ].join('\n'),
        ),
      ),
    );
    expect(problems).toEqual([
      '2|Theme|There is no theme called Anti-social behaviour in the partnership’s plans: use a theme’s title as the plan gives it, or leave Theme blank',
      '3|Month|Month must be a real month written like 2024-09',
      '4|Value|Enter a number, like 1,234 or 12.5',
      '5|Month|Month must not be in the future',
      '6|Value|Value must be a whole number: Domestic abuse incidents is a count',
      '7|Month|ASB incidents has April 2024 on row 2 and row 7: give each month once',
      '8|Unit|Unit must be Count, Rate or Percentage',
      '8|Polarity|Polarity must be Increase is bad, Increase is good or Neutral',
    ]);
    expect(await t.services.indicators.list(COMMAND_LINE, 'swale')).toEqual(before);
  });

  it('creates new indicators under the latest plan’s theme and updates existing ones', async () => {
    const s = t.services;
    const id = (await s.indicators.list(COMMAND_LINE, 'swale'))[0]?.id ?? 0;
    const result = await s.indicatorFiles.importFile(
      coordinator,
      'swale',
      csv(
        [
          HEADER,
          'One Stop Shop visits,2024-04,38,domestic ABUSE,Swale Council,count,Increase is good,visits',
          'One Stop Shop visits,2024-05,41,,,,,',
          'Domestic abuse incidents,2024-08,1120,,,,,',
          'Domestic abuse incidents,2024-09,99,,,,,',
          'Domestic abuse incidents,2024-10,100,,,,,',
        ].join('\n'),
      ),
    );
    expect(result.counts).toEqual({
      indicators: 2,
      newIndicators: 1,
      values: 5,
      totals: 0,
      added: 3,
      changed: 1,
      unchanged: 1,
    });
    expect(result.createdIndicators).toEqual(['One Stop Shop visits']);
    const made = (await s.indicators.list(COMMAND_LINE, 'swale')).find(
      (i) => i.name === 'One Stop Shop visits',
    );
    expect(made).toMatchObject({
      unit: 'count',
      polarity: 'increase-good',
      noun: 'visits',
      source: 'Swale Council',
      theme: { id: daThemeId, periodLabel: '2024/25' },
    });
    expect((await s.indicators.figures(viewer, 'swale', id)).months).toContainEqual({
      month: '2024-10',
      value: '100',
    });
    const last = (await historyOf(s.db, 'indicator', id)).at(-1);
    expect(last?.summary).toBe(
      'Imported 2 monthly values of Domestic abuse incidents from figures.csv (September 2024 to October 2024): 1 added, 1 changed',
    );
    expect(last?.after).toEqual({ '2024-09': '99', '2024-10': '100' });
  });

  it('previews a file on the page, imports it when confirmed, and keeps it private', async () => {
    const form = await coordClient.get('/partnerships/swale/indicators/import');
    expect(form.statusCode).toBe(200);
    const missing = await coordClient.upload('/partnerships/swale/indicators/import', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Select the indicator file');
    const bad = await coordClient.upload(
      '/partnerships/swale/indicators/import',
      {},
      { field: 'file', ...csv(`${HEADER}\nASB,2024-02,x,,,,,\n`) },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Row 2, Value: Enter a number, like 1,234 or 12.5');

    const sample = readFileSync(resolve(ROOT, 'samples/indicators.csv'));
    // The sample's themes are the sample action plan's: without them it is refused.
    expect(
      (
        await coordClient.upload(
          '/partnerships/swale/indicators/import',
          {},
          { field: 'file', filename: 'indicators.csv', content: sample },
        )
      ).body,
    ).toContain('There is no theme called Safer town centres at night');
    const plan = await t.services.plans.create(COMMAND_LINE, 'swale', {
      title: 'Sample',
      period: '2025/26',
    });
    for (const title of [
      'Safer town centres at night',
      'Listening to communities',
      'Young people and exploitation',
    ])
      await t.services.themes.add(COMMAND_LINE, 'swale', plan.id, { type: 'priority', title });
    const good = await coordClient.upload(
      '/partnerships/swale/indicators/import',
      {},
      { field: 'file', filename: 'indicators.csv', content: sample },
    );
    expect(good.statusCode).toBe(303);
    const previewUrl = good.headers.location as string;
    const preview = await coordClient.get(previewUrl);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('ASB incidents');
    expect(preview.body).toContain('April 2021 to March 2025');
    // Nothing is saved before confirmation, and another coordinator cannot see the file.
    expect(
      (await t.services.indicators.list(COMMAND_LINE, 'swale')).some(
        (i) => i.name === 'ASB incidents',
      ),
    ).toBe(false);
    expect((await outsiderClient.get(previewUrl)).statusCode).toBe(404);
    const done = await coordClient.post(previewUrl);
    expect(done.statusCode).toBe(303);
    const result = await coordClient.get(previewUrl);
    expect(result.body).toContain('Indicator figures imported');
    const asb = (await t.services.indicators.list(COMMAND_LINE, 'swale')).find(
      (i) => i.name === 'ASB incidents',
    );
    expect(asb?.polarity).toBe('increase-bad');
    expect(
      (await t.services.indicators.figures(viewer, 'swale', asb?.id ?? 0)).months,
    ).toHaveLength(48);
  });
});
