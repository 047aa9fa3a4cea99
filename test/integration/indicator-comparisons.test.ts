import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE, type Actor } from '../../src/core/actor.js';
import { nowIso } from '../../src/db/database.js';
import { addMonths, monthLabel, monthsBetween } from '../../src/domain/periods.js';
import { historyOf } from '../../src/features/audit/audit.service.js';
import { signedIn, testApp, type Client, type TestApp } from '../helpers/app.js';
import { PASSWORD, actorFor, member, partnership, user } from '../helpers/factories.js';

let t: TestApp;
let coordinator: Actor;
let coordClient: Client;
let viewerClient: Client;
let outsiderClient: Client;
let burglaryId: number;
let emptyId: number;
const thisMonth = nowIso().slice(0, 7);
const nextMonth = addMonths(thisMonth, 1);

/** Cells of the table rows that mention `text`, tags and hints as plain words. */
function rowText(html: string, text: string): string {
  const rows = [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => m[1] ?? '');
  return (rows.find((r) => r.includes(text)) ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'swale', name: 'Swale CSP' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  await partnership(s, { slug: 'dover', name: 'Dover CSP' });
  const people: Record<string, string> = {};
  for (const [key, slug, role] of [
    ['coordinator', 'swale', 'coordinator'],
    ['viewer', 'swale', 'viewer'],
    ['outsider', 'medway', 'coordinator'],
  ] as const) {
    const u = await user(s);
    await member(s, slug, u.email, role);
    people[key] = u.email;
    if (key === 'coordinator') coordinator = await actorFor(s, u.id);
  }
  coordClient = await signedIn(t.app, people.coordinator ?? '', PASSWORD);
  viewerClient = await signedIn(t.app, people.viewer ?? '', PASSWORD);
  outsiderClient = await signedIn(t.app, people.outsider ?? '', PASSWORD);

  const plan = await s.plans.create(COMMAND_LINE, 'swale', { title: 'Safer', period: '2024/25' });
  const theme = await s.themes.add(COMMAND_LINE, 'swale', plan.id, {
    type: 'priority',
    title: 'Acquisitive crime',
  });
  const burglary = await s.indicators.create(coordinator, 'swale', {
    name: 'Burglary business and community',
    source: 'Kent Police',
    unit: 'count',
    noun: 'offences',
    polarity: 'increase-bad',
    themeId: String(theme.id),
  });
  burglaryId = burglary.id;
  // September 2020 to August 2021 at 100 a month, then to August 2022 at 110.
  const months = monthsBetween('2020-09', '2022-08');
  await s.indicators.saveMonths(
    coordinator,
    'swale',
    burglaryId,
    Object.fromEntries(months.map((m, i) => [m, i < 12 ? '100' : '110'])),
  );
  emptyId = (
    await s.indicators.create(coordinator, 'swale', {
      name: 'Community Triggers',
      unit: 'count',
      polarity: 'neutral',
    })
  ).id;
});
afterAll(() => t.close());

describe('comparisons on the indicator page', () => {
  it('compares the rolling, financial and calendar years to the latest month with a figure', async () => {
    const page = await viewerClient.get(`/partnerships/swale/indicators/${burglaryId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/name="to"[^>]*value="2022-08"/);
    // The section comes before the monthly values.
    expect(page.body.indexOf('Comparison')).toBeLessThan(page.body.indexOf('Monthly values'));
    expect(page.body).toContain('Comparisons to the end of August 2022');
    expect(rowText(page.body, 'Rolling 12 months')).toBe(
      'Rolling 12 months 1,200 Sep 20 – end Aug 21 1,320 Sep 21 – end Aug 22 10.0% or 120 offence increase Worse',
    );
    expect(page.body).toContain('<strong class="govuk-tag govuk-tag--red">\n  Worse\n</strong>');
    // The latest whole years by August 2022; the months before September 2020 have no figures,
    // so the earlier years are incomplete and have no direction.
    expect(rowText(page.body, 'Financial year')).toBe(
      'Financial year (April to March) incomplete (7 of 12 months) Apr 20 – end Mar 21 1,270 Apr 21 – end Mar 22 incomplete (7 of 12 months) incomplete (7 of 12 months)',
    );
    expect(rowText(page.body, 'Calendar year')).toBe(
      'Calendar year incomplete (4 of 12 months) Jan 20 – end Dec 20 1,240 Jan 21 – end Dec 21 incomplete (4 of 12 months) incomplete (4 of 12 months)',
    );
    expect(page.body).toContain(
      'The financial year and the calendar year are the latest whole years by the end of August 2022',
    );
  });

  it('compares to the month chosen, and uses a 12-month total in place of its months', async () => {
    const url = `/partnerships/swale/indicators/${burglaryId}`;
    const march = await viewerClient.get(`${url}?to=2022-03`);
    expect(march.statusCode).toBe(200);
    expect(rowText(march.body, 'Rolling 12 months')).toContain('Apr 21 – end Mar 22');
    expect(rowText(march.body, 'Financial year')).toContain('1,270 Apr 21 – end Mar 22');

    await t.services.indicators.setTotal(coordinator, 'swale', burglaryId, {
      endMonth: '2022-08',
      value: '1300',
    });
    const total = await viewerClient.get(url);
    expect(rowText(total.body, 'Rolling 12 months')).toContain(
      '1,300 Sep 21 – end Aug 22 8.3% or 100 offence increase Worse',
    );
    await t.services.indicators.removeTotal(coordinator, 'swale', burglaryId, '2022-08');
  });

  it('keeps each form’s choice when the other is used', async () => {
    const url = `/partnerships/swale/indicators/${burglaryId}`;
    const page = await viewerClient.get(`${url}?to=2022-03&end=2022-08`);
    expect(page.body).toContain('<input type="hidden" name="end" value="2022-08">');
    expect(page.body).toContain('<input type="hidden" name="to" value="2022-03">');
    expect(page.body).toContain('href="?end=2020-08&amp;to=2022-03"');
  });

  it('refuses a future or unreadable month in the error summary, not with a server error', async () => {
    const url = `/partnerships/swale/indicators/${burglaryId}`;
    const future = await viewerClient.get(`${url}?to=${nextMonth}`);
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('<title>Error: ');
    expect(future.body).toContain(
      '<a href="#to">Last month to compare must not be in the future</a>',
    );
    expect(future.body).toMatch(new RegExp(`name="to"[^>]*value="${nextMonth}"`));
    expect(future.body).not.toContain('Comparisons to the end of');
    // The rest of the page is still there.
    expect(future.body).toContain('Monthly values');

    const bad = await viewerClient.get(`${url}?to=2022-13`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#to">Month must be between 01 and 12</a>');
    const early = await viewerClient.get(`${url}?to=0000-05`);
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Last month to compare must be January 1900 or later');
    expect((await outsiderClient.get(`${url}?to=2022-08`)).statusCode).toBe(404);
  });

  it('compares to last month for an indicator with no figures', async () => {
    const page = await viewerClient.get(`/partnerships/swale/indicators/${emptyId}`);
    expect(page.statusCode).toBe(200);
    const last = addMonths(thisMonth, -1);
    expect(page.body).toContain(`Comparisons to the end of ${monthLabel(last)}`);
    expect(rowText(page.body, 'Rolling 12 months')).toContain(
      'incomplete (previous 0 of 12 months, current 0 of 12 months)',
    );
  });
});

describe('the indicators list', () => {
  it('shows each indicator’s latest rolling year against the one before', async () => {
    const page = await viewerClient.get('/partnerships/swale/indicators');
    expect(page.statusCode).toBe(200);
    expect(rowText(page.body, 'Burglary business and community')).toBe(
      'Burglary business and community Kent Police Count An increase is bad 1,320 Sep 21 – end Aug 22 10.0% or 120 offence increase Worse',
    );
    expect(rowText(page.body, 'Community Triggers')).toBe(
      'Community Triggers Not recorded Count An increase is neutral No figures yet No figures yet',
    );
  });
});

describe('deleting an indicator', () => {
  it('says what goes with it before anything is deleted', async () => {
    const s = t.services.indicators;
    const doomed = await s.create(coordinator, 'swale', {
      name: 'Shoplifting',
      unit: 'count',
      polarity: 'increase-bad',
    });
    await s.saveMonths(coordinator, 'swale', doomed.id, { '2024-01': '5', '2024-02': '6' });
    await s.setTotal(coordinator, 'swale', doomed.id, { endMonth: '2024-02', value: '60' });
    const url = `/partnerships/swale/indicators/${doomed.id}`;
    expect((await coordClient.get(url)).body).toContain(`href="${url}/delete"`);

    const page = await coordClient.get(`${url}/delete`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Are you sure you want to delete Shoplifting?');
    expect(page.body).toContain('<li>2 monthly values</li><li>1 12-month total</li>');
    expect((await s.get(coordinator, 'swale', doomed.id)).name).toBe('Shoplifting');
    expect((await viewerClient.get(`${url}/delete`)).statusCode).toBe(403);
    expect((await outsiderClient.get(`${url}/delete`)).statusCode).toBe(404);
    expect((await viewerClient.post(`${url}/delete`)).statusCode).toBe(403);

    const done = await coordClient.post(`${url}/delete`);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/partnerships/swale/indicators?notice=deleted');
    expect((await coordClient.get(url)).statusCode).toBe(404);
    const [deleted] = (await historyOf(t.services.db, 'indicator', doomed.id)).filter(
      (e) => e.action === 'deleted',
    );
    expect(deleted?.summary).toBe(
      'Deleted the indicator Shoplifting and its 2 monthly values and 1 12-month totals',
    );

    const none = await s.create(coordinator, 'swale', {
      name: 'Channel referrals',
      unit: 'count',
      polarity: 'neutral',
    });
    const empty = await coordClient.get(`/partnerships/swale/indicators/${none.id}/delete`);
    expect(empty.body).toContain('It has no figures.');
    await s.delete(coordinator, 'swale', none.id);
  });
});

describe('exporting and importing figures', () => {
  it('takes 12-month totals from a Months column, with each problem by row', async () => {
    const files = t.services.indicatorFiles;
    const header = 'Indicator,Month,Value,Months';
    await expect(
      files.importFile(coordinator, 'swale', {
        filename: 'totals.csv',
        content: Buffer.from(
          `${header}\nBurglary business and community,2022-08,1.5,12\nBurglary business and community,2022-07,4,6\n`,
        ),
      }),
    ).rejects.toThrow(
      [
        'Row 2, Value: Value must be a whole number: Burglary business and community is a count',
        'Row 3, Months: Months must be 1 for a month’s value or 12 for a 12-month total, or left blank for 1',
      ].join('\n'),
    );
    const result = await files.importFile(coordinator, 'swale', {
      filename: 'totals.csv',
      content: Buffer.from(
        `${header}\nBurglary business and community,2022-08,1305,12\nBurglary business and community,2022-08,110,\n`,
      ),
    });
    expect(result.counts).toMatchObject({ values: 2, totals: 1, added: 1, unchanged: 1 });
    const figures = await t.services.indicators.figures(coordinator, 'swale', burglaryId);
    expect(figures.totals).toEqual([{ endMonth: '2022-08', value: '1305' }]);
    expect(figures.months).toContainEqual({ month: '2022-08', value: '110' });
    const last = (await historyOf(t.services.db, 'indicator', burglaryId)).at(-1);
    expect(last?.summary).toBe(
      'Imported a 12-month total of Burglary business and community from totals.csv (September 2021 to August 2022): 1 added, 0 changed',
    );
    expect(last?.after).toEqual({ totals: { '2022-08': '1305' } });
  });

  it('exports every figure in the import’s columns, so the file imports back unchanged', async () => {
    const s = t.services;
    const csv = await coordClient.get('/partnerships/swale/indicators/export?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="swale-indicators.csv"');
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines.slice(0, 3)).toEqual([
      'Indicator,Month,Value,Theme,Source,Unit,Polarity,Noun,Months',
      'Burglary business and community,2020-09,100,Acquisitive crime,Kent Police,Count,Increase is bad,offences,1',
      'Burglary business and community,2020-10,100,,,,,,1',
    ]);
    expect(lines).toContain('Burglary business and community,2022-08,1305,,,,,,12');
    const page = await viewerClient.get('/partnerships/swale/indicators');
    expect(page.body).toContain(
      'href="/partnerships/swale/indicators/export?format=xlsx" download',
    );
    const xlsx = await viewerClient.get('/partnerships/swale/indicators/export?format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await outsiderClient.get('/partnerships/swale/indicators/export')).statusCode).toBe(
      404,
    );

    // Into the same partnership: nothing changes.
    for (const file of [
      { filename: 'swale.csv', content: csv.rawPayload },
      { filename: 'swale.xlsx', content: xlsx.rawPayload },
    ]) {
      const again = await s.indicatorFiles.importFile(coordinator, 'swale', file);
      expect(again.counts).toMatchObject({ added: 0, changed: 0, unchanged: 25 });
    }

    // Into another partnership with the same theme: the same indicators and figures.
    await s.themes.add(
      COMMAND_LINE,
      'dover',
      (await s.plans.create(COMMAND_LINE, 'dover', { title: 'Dover plan', period: '2024/25' })).id,
      { type: 'priority', title: 'Acquisitive crime' },
    );
    const result = await s.indicatorFiles.importFile(COMMAND_LINE, 'dover', {
      filename: 'swale.xlsx',
      content: xlsx.rawPayload,
    });
    expect(result.createdIndicators).toEqual(['Burglary business and community']);
    const shape = async (slug: string) =>
      (await s.indicators.listWithFigures(COMMAND_LINE, slug))
        .filter((i) => i.figures.months.length + i.figures.totals.length > 0)
        .map(({ id: _id, theme, notes: _notes, ...i }) => ({ ...i, theme: theme?.title }));
    expect(await shape('dover')).toEqual(await shape('swale'));
  });
});
