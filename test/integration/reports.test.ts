import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor } from '../../src/core/actor.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../src/core/errors.js';
import { nowIso } from '../../src/db/database.js';
import { addMonths } from '../../src/domain/periods.js';
import { ROOT } from '../../src/paths.js';
import type { ExceptionReport, ReportTheme } from '../../src/features/reports/exception-report.js';
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
let coordClient: Client;
let leadClient: Client;
let outsiderClient: Client;
let lead: Actor;
let outsider: Actor;
let planId: number;
let reportId: number;

const sample = (name: string) => ({
  filename: name,
  content: readFileSync(resolve(ROOT, 'samples', name)),
});
const themeOf = (report: ExceptionReport, title: string): ReportTheme => {
  const theme = report.themes.find((x) => x.title === title);
  if (!theme) throw new Error(`no theme ${title}`);
  return theme;
};
const getReport = (id = reportId) => t.services.reports.get(coordinator, 'swale', id);

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'swale', name: 'Swale CSP' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  const police = await agency(s, 'Kent Police', 'police');
  const people: Actor[] = [];
  const clients: Client[] = [];
  for (const [slug, role] of [
    ['swale', 'coordinator'],
    ['swale', 'lead'],
    ['medway', 'coordinator'],
  ] as const) {
    const u = await user(s, { agencyId: police.id });
    await member(s, slug, u.email, role);
    people.push(await actorFor(s, u.id));
    clients.push(await signedIn(t.app, u.email, PASSWORD));
  }
  [coordClient, leadClient, outsiderClient] = clients as [Client, Client, Client];
  [coordinator, lead, outsider] = people as [Actor, Actor, Actor];
  const imported = await s.planFiles.importFile(
    coordinator,
    'swale',
    { title: 'Community Safety Plan', period: '2024/25' },
    sample('action-plan.csv'),
  );
  planId = imported.plan.id;
  await s.indicatorFiles.importFile(coordinator, 'swale', sample('indicators.csv'));
});
afterAll(() => t.close());

describe('the exception report', () => {
  it('starts a draft for a plan and a rolling year, with a header to edit', async () => {
    reportId = (
      await t.services.reports.create(coordinator, 'swale', { planId, periodEnd: '2025-03' })
    ).id;
    const saved = await getReport();
    expect(saved).toMatchObject({ status: 'draft', issueNumber: 1, canManage: true, noData: null });
    expect(saved.report.header.to).toBe('Swale CSP Executive');
    expect(saved.report.currentWindow).toEqual({ from: '2024-04', to: '2025-03' });
    expect(saved.report.labels.current).toBe('Current rolling year (Apr 24 – end Mar 25)');
    // Starting again for the same plan and period opens the same draft.
    expect(
      (await t.services.reports.create(coordinator, 'swale', { planId, periodEnd: '2025-03' })).id,
    ).toBe(reportId);
  });

  it('computes every theme from the imported plan and figures', async () => {
    const { report } = await getReport();
    const abuse = themeOf(report, 'Domestic abuse');
    expect(abuse.type).toBe('priority');
    expect(abuse.actionCounts).toEqual({ complete: 0, inProgress: 0, notStartedOrOffTrack: 3 });
    const incidents = abuse.indicators.find((i) => i.name === 'Domestic abuse incidents');
    expect(incidents).toMatchObject({ complete: true, directionLabel: 'Neutral' });
    expect(incidents?.text).toMatch(/^-?\d+\.\d% or [\d,]+ incident (increase|decrease)$/);
    expect(report.themes.map((x) => x.title).slice(0, 1)).toEqual(['Safer town centres at night']);
    expect(themeOf(report, 'Domestic abuse').actions.map((a) => a.updateText)[0]).toBe(
      'On hold - Waiting for the new referral form to be signed off.',
    );
  });

  it('lets coordinators write commentary and refuses a stale edit', async () => {
    const { report, version } = await getReport();
    const themeId = themeOf(report, 'Domestic abuse').id;
    await t.services.reports.saveCommentary(coordinator, 'swale', reportId, themeId, {
      commentary: 'Reports are steady.\n\nThe advocate service is on hold.',
      version,
    });
    const stale = t.services.reports.saveCommentary(coordinator, 'swale', reportId, themeId, {
      commentary: 'Overwritten',
      version,
    });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    expect(themeOf((await getReport()).report, 'Domestic abuse').commentary).toBe(
      'Reports are steady.\n\nThe advocate service is on hold.',
    );
    await expect(
      t.services.reports.saveCommentary(lead, 'swale', reportId, themeId, { commentary: 'x' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(t.services.reports.get(outsider, 'swale', reportId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(t.services.reports.get(outsider, 'medway', reportId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('rejects a rolling year that ends in the future', async () => {
    const next = addMonths(nowIso().slice(0, 7), 1);
    expect(
      await fieldErrorsOf(
        t.services.reports.create(coordinator, 'swale', { planId, periodEnd: next }),
      ),
    ).toEqual({ periodEnd: 'The rolling year must end this month or earlier' });
    expect(
      await fieldErrorsOf(
        t.services.reports.create(coordinator, 'swale', { planId, periodEnd: '2025-13' }),
      ),
    ).toHaveProperty('periodEnd');
  });

  it('says what is missing for a period with no figures, and will not issue it', async () => {
    const empty = await t.services.reports.create(coordinator, 'swale', {
      planId,
      periodEnd: '2019-03',
    });
    const saved = await getReport(empty.id);
    expect(saved.noData?.latestMonth).toBe('2025-03');
    expect(saved.noData?.indicators).toContain('Domestic abuse incidents');
    expect(await fieldErrorsOf(t.services.reports.issue(coordinator, 'swale', empty.id))).toEqual({
      form: 'There are no figures for this report’s rolling years: add figures before issuing it',
    });
    await t.services.reports.deleteDraft(coordinator, 'swale', empty.id);
    await expect(getReport(empty.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('freezes an issued report against later corrections and renames', async () => {
    await t.services.reports.issue(coordinator, 'swale', reportId);
    const issued = await getReport();
    expect(issued).toMatchObject({ status: 'issued', issueNumber: 1 });
    expect(issued.report.edition).toMatchObject({ status: 'issued', version: 1 });
    const before = JSON.stringify(issued.report);

    const indicators = await t.services.indicators.list(coordinator, 'swale');
    const incidents = indicators.find((i) => i.name === 'Domestic abuse incidents');
    if (!incidents) throw new Error('no indicator');
    await t.services.indicators.update(coordinator, 'swale', incidents.id, {
      name: 'Domestic abuse crimes and incidents',
      unit: 'count',
      polarity: 'neutral',
      noun: 'incidents',
      themeId: String(incidents.theme?.id ?? ''),
    });
    await t.services.indicators.saveMonths(coordinator, 'swale', incidents.id, {
      '2025-03': '9999',
    });
    expect(JSON.stringify((await getReport()).report)).toBe(before);
    expect(
      await fieldErrorsOf(
        t.services.reports.saveCommentary(
          coordinator,
          'swale',
          reportId,
          themeOf(issued.report, 'Domestic abuse').id,
          { commentary: 'Too late' },
        ),
      ),
    ).toHaveProperty('form');

    // A new version starts from the issued words and shows the corrected figures.
    const next = await t.services.reports.newVersion(coordinator, 'swale', reportId);
    const draft = await getReport(next.id);
    expect(draft).toMatchObject({ status: 'draft', issueNumber: 2 });
    const abuse = themeOf(draft.report, 'Domestic abuse');
    expect(abuse.commentary).toContain('Reports are steady.');
    expect(abuse.indicators.map((i) => i.name)).toContain('Domestic abuse crimes and incidents');
    await expect(t.services.reports.newVersion(coordinator, 'swale', reportId)).rejects.toThrow(
      'A new version of this report is already being drafted',
    );
    const found = await t.services.reports.find(coordinator, 'swale', planId, '2025-03');
    expect(found?.id).toBe(reportId);
  });
});

describe('the exception report pages', () => {
  let base: string;

  it('start a report from the list, and show it with its tables', async () => {
    const list = await coordClient.get('/partnerships/swale/reports');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.body).toContain('Start a report');
    const bad = await coordClient.post('/partnerships/swale/reports', {
      planId: String(planId),
      periodEnd: addMonths(nowIso().slice(0, 7), 2),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The rolling year must end this month or earlier');
    const made = await coordClient.post('/partnerships/swale/reports', {
      planId: String(planId),
      periodEnd: '2025-02',
    });
    expect(made.statusCode).toBe(303);
    base = String(made.headers.location);
    const page = await coordClient.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Previous rolling year (Mar 23 – end Feb 24)');
    expect(page.body).toContain('Not yet started/Off track');
    expect(page.body).toContain('Full update');
    expect(page.body).toContain('On hold - Waiting for the new referral form to be signed off.');
    expect(page.body).toContain('Write commentary');
  });

  it('keep the writer’s commentary and show the other change on a stale save', async () => {
    const report = await t.services.reports.get(
      coordinator,
      'swale',
      Number(base.split('/').at(-1)),
    );
    const theme = themeOf(report.report, 'Domestic abuse');
    const form = await coordClient.get(`${base}/themes/${theme.id}`);
    expect(form.body).toContain('Latest updates');
    expect(form.body).toContain('Waiting for the new referral form to be signed off.');
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '';
    const first = await coordClient.post(`${base}/themes/${theme.id}`, {
      commentary: 'First words',
      version,
    });
    expect(first.statusCode).toBe(303);
    const stale = await coordClient.post(`${base}/themes/${theme.id}`, {
      commentary: 'Second words',
      version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('The commentary as it is now saved');
    expect(stale.body).toContain('First words');
    expect(stale.body).toContain('Second words');
  });

  it('let others in the partnership read and download, but not edit; outsiders get 404', async () => {
    expect((await leadClient.get(base)).statusCode).toBe(200);
    expect((await leadClient.get(`${base}/header`)).statusCode).toBe(403);
    const json = await leadClient.get(`${base}/download/json`);
    expect(json.headers['content-type']).toContain('application/json');
    expect(json.headers['content-disposition']).toContain(
      'swale-exception-report-2025-02-draft.json',
    );
    const data = JSON.parse(json.body) as ExceptionReport;
    expect(data.periodEnd).toBe('2025-02');
    expect(themeOf(data, 'Domestic abuse').commentary).toBe('First words');
    const html = await leadClient.get(`${base}/download/html`);
    expect(html.body).toContain('<!DOCTYPE html>');
    expect(html.body).toContain('First words');
    expect((await outsiderClient.get(base)).statusCode).toBe(404);
    expect((await outsiderClient.get(`${base}/download/json`)).statusCode).toBe(404);
    expect((await coordClient.get(`${base}/download/pdf`)).statusCode).toBe(404);
  });

  it('issue after a confirmation, then offer a new version', async () => {
    const confirm = await coordClient.get(`${base}/issue`);
    expect(confirm.body).toContain('Once issued, the report is frozen');
    const issued = await coordClient.post(`${base}/issue`, {});
    expect(issued.statusCode).toBe(303);
    const page = await coordClient.get(String(issued.headers.location));
    expect(page.body).toContain('Report issued.');
    expect(page.body).toContain('Start a new version');
    expect(page.body).not.toContain('Write commentary');
    expect(
      (await coordClient.get(`${base}/download/json`)).headers['content-disposition'],
    ).toContain('2025-02-v1.json');
  });
});

describe('the exception report API', () => {
  const get = async (url: string, actor: Actor) => {
    const { token } = await t.services.tokens.create(actor, { name: 'Script' });
    return t.app.inject({
      method: 'GET',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
    });
  };

  it('lists and reads issued reports only, as they were issued', async () => {
    const list = await get('/partnerships/swale/reports', lead);
    expect(list.statusCode, list.body).toBe(200);
    const issued = list.json<{ id: number; periodEnd: string; issueNumber: number }[]>();
    expect(issued.map((r) => [r.periodEnd, r.issueNumber])).toEqual([
      ['2025-03', 1],
      ['2025-02', 1],
    ]);
    const first = issued.find((r) => r.periodEnd === '2025-03');
    const one = await get(`/partnerships/swale/reports/${first?.id ?? 0}`, lead);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toEqual(JSON.parse(JSON.stringify((await getReport(first?.id)).report)));

    const file = await get(`/partnerships/swale/reports/${first?.id ?? 0}/file?format=json`, lead);
    expect(file.headers['content-disposition']).toContain('swale-exception-report-2025-03-v1.json');
    const bad = await get(`/partnerships/swale/reports/${first?.id ?? 0}/file?format=pdf`, lead);
    expect(bad.statusCode).toBe(422);

    const drafts = (await t.services.reports.list(coordinator, 'swale')).filter(
      (r) => r.status === 'draft',
    );
    expect(drafts.length).toBeGreaterThan(0);
    const draft = await get(`/partnerships/swale/reports/${drafts[0]?.id ?? 0}`, coordinator);
    expect(draft.statusCode).toBe(404);
    const outside = await get(`/partnerships/swale/reports/${first?.id ?? 0}`, outsider);
    expect(outside.statusCode).toBe(404);
  });
});
