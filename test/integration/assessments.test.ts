import JSZip from 'jszip';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE, type Actor } from '../../src/core/actor.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../src/core/errors.js';
import { signedIn, testApp, type Client, type TestApp } from '../helpers/app.js';
import {
  DARTFORD,
  GRAVESHAM,
  MEDWAY,
  RELEASE,
  SWALE,
  seedCrime,
} from '../helpers/crime-fixture.js';
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
let outsider: Actor;
let countyCoordinator: Actor;
let coordClient: Client;
let leadClient: Client;
let outsiderClient: Client;
let assessmentId: number;

const YEAR = { year: '2021/22' };

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await seedCrime(s.db);
  await partnership(s, { slug: 'kent', name: 'Kent CSP', type: 'county' });
  await partnership(s, { slug: 'swale', name: 'Swale CSP', parent: 'kent', areas: SWALE });
  await partnership(s, {
    slug: 'dartford-gravesham',
    name: 'Dartford and Gravesham CSP',
    parent: 'kent',
    areas: `${DARTFORD}, ${GRAVESHAM}`,
  });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary', areas: MEDWAY });
  const police = await agency(s, 'Kent Police', 'police');
  const people: Actor[] = [];
  const clients: Client[] = [];
  for (const [slug, role] of [
    ['swale', 'coordinator'],
    ['swale', 'lead'],
    ['medway', 'coordinator'],
    ['kent', 'coordinator'],
  ] as const) {
    const u = await user(s, { agencyId: police.id });
    await member(s, slug, u.email, role);
    people.push(await actorFor(s, u.id));
    clients.push(await signedIn(t.app, u.email, PASSWORD));
  }
  [coordinator, lead, outsider, countyCoordinator] = people as [Actor, Actor, Actor, Actor];
  [coordClient, leadClient, outsiderClient] = clients as [Client, Client, Client];
});
afterAll(() => t.close());

describe('figures from the seeded counts', () => {
  it('gives Swale’s level, rate, change and ranks for 2021/22', async () => {
    const f = await t.services.assessments.figures(coordinator, 'swale', YEAR);
    const crime = f.measures.crime;
    expect(crime.count).toBe(1200);
    expect(f.measures.asb.count).toBe(480);
    expect(f.population).toMatchObject({
      year: 2021,
      value: 150000,
      release: RELEASE,
    });
    expect(crime.rate?.value).toBe('8.0');
    expect(f.measures.asb.rate?.value).toBe('3.2');
    expect(crime.change.text).toBe('no change');
    // Bexley has a few Kent records but its own force's months are not loaded: left out.
    expect(crime.ranks.districts[0]?.text).toBe(
      '3rd highest of 4 districts with the whole period loaded',
    );
    expect(crime.ranks.partnerships?.table.map((r) => [r.name, r.rate])).toEqual([
      ['Medway', '8.6'],
      ['Dartford and Gravesham', '8.4'],
      ['Swale CSP', '8.0'],
    ]);
    expect(crime.basis.flagged.map((m) => m.label)).toEqual(['December 2021']);
    expect(crime.trend.points.map((p) => p.count)).toEqual([1200, 1200, 1200]);
    expect(crime.trend.note).toContain('2 of the 5 years are left out');
    expect(crime.hotspots).toMatchObject({ vintage: '2022' });
    expect(crime.hotspots.rows.map((h) => [h.name, h.count])).toEqual([
      ['Abbey', 744],
      ['Borden and Grove Park', 456],
    ]);
    expect(f.measures.asb.hotspots.rows.map((h) => h.count)).toEqual([480]);
  });

  it('sums both districts of Dartford and Gravesham', async () => {
    const f = await t.services.assessments.figures(COMMAND_LINE, 'dartford-gravesham', YEAR);
    expect(f.measures.crime.count).toBe(12 * (90 + 60));
    expect(f.population?.value).toBe(215000);
    expect(f.measures.crime.rate?.value).toBe('8.4');
    expect(f.measures.crime.ranks.partnerships?.text).toMatch(/^2nd highest of 3 /);
  });

  it('works over 12 months across a year end, and withholds a period with a missing month', async () => {
    const f = await t.services.assessments.figures(coordinator, 'swale', { from: '2021-01' });
    expect(f.periodLabel).toBe('January 2021 to December 2021');
    expect(f.measures.crime.count).toBe(1200);
    const late = await t.services.assessments.figures(coordinator, 'swale', { from: '2021-06' });
    expect(late.measures.crime.count).toBeNull();
    expect(late.measures.crime.basis.missing.map((m) => m.month)).toEqual(['2022-04', '2022-05']);
  });
});

describe('the assessment document', () => {
  it('starts from the list page with its sources and glossary filled in', async () => {
    const list = await coordClient.get('/partnerships/swale/assessments');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Start an assessment');
    const res = await coordClient.post('/partnerships/swale/assessments', { year: '2021/22' });
    expect(res.statusCode).toBe(303);
    assessmentId = Number(/assessments\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
    const doc = await t.services.assessments.get(coordinator, 'swale', assessmentId);
    expect(doc.sections['data-sources']).toContain('data.police.uk');
    expect(doc.sections.glossary).toContain('ASB: Anti-social behaviour');
    // Starting again opens the same one.
    const again = await coordClient.post('/partnerships/swale/assessments', { year: '2021/22' });
    expect(again.headers.location).toBe(res.headers.location);
  });

  it('refuses a period that has not ended', async () => {
    const res = await coordClient.post('/partnerships/swale/assessments', { year: '2099/00' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The 12 months must have ended by last month');
  });

  it('reads as one page with charts, data tables and flagged months', async () => {
    const res = await leadClient.get(`/partnerships/swale/assessments/${assessmentId}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Swale CSP strategic assessment 2021/22');
    expect(res.body).toContain('role="img"');
    expect(res.body).toContain('3rd highest of 4 districts');
    expect(res.body).toContain('December 2021: Kent Police: Half the records');
    expect(res.body).toContain('href="/partnerships/swale/priorities"');
    // A lead reads but has no edit links.
    expect(res.body).not.toContain('/sections/introduction');
  });

  it('saves a section and refuses a stale edit', async () => {
    const page = await coordClient.get(
      `/partnerships/swale/assessments/${assessmentId}/sections/introduction`,
    );
    expect(page.statusCode).toBe(200);
    const version = Number(/name="version" value="(\d+)"/.exec(page.body)?.[1]);
    const saved = await coordClient.post(
      `/partnerships/swale/assessments/${assessmentId}/sections/introduction`,
      { text: 'This assessment looks at crime in Swale.', version: String(version) },
    );
    expect(saved.statusCode).toBe(303);
    const stale = await coordClient.post(
      `/partnerships/swale/assessments/${assessmentId}/sections/introduction`,
      { text: 'Overwritten', version: String(version) },
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('This assessment looks at crime in Swale.');
    const doc = await t.services.assessments.get(coordinator, 'swale', assessmentId);
    expect(doc.sections.introduction).toBe('This assessment looks at crime in Swale.');
    await expect(
      t.services.assessments.saveSection(coordinator, 'swale', assessmentId, 'glossary', {
        text: 'x',
        version,
      }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('writes what partners did under each priority of the current plan', async () => {
    const s = t.services;
    const plan = await s.plans.create(COMMAND_LINE, 'swale', {
      title: 'Safer Swale',
      period: '2021/22',
    });
    const theme = await s.themes.add(COMMAND_LINE, 'swale', plan.id, {
      type: 'priority',
      title: 'Anti-social behaviour',
    });
    const url = `/partnerships/swale/assessments/${assessmentId}/priorities/${theme.id}`;
    const page = await coordClient.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('What partners did: Anti-social behaviour');
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const saved = await coordClient.post(url, {
      text: 'Patrols doubled in the town centre.',
      version,
    });
    expect(saved.statusCode).toBe(303);
    const doc = await s.assessments.get(coordinator, 'swale', assessmentId);
    expect(doc.plan?.title).toBe('Safer Swale');
    expect(doc.overviews).toEqual([
      {
        themeId: theme.id,
        type: 'priority',
        title: 'Anti-social behaviour',
        text: 'Patrols doubled in the town centre.',
      },
    ]);
    // A theme of another plan is not one of this assessment's priorities.
    const other = await s.plans.create(COMMAND_LINE, 'medway', {
      title: 'Medway plan',
      period: '2021/22',
    });
    const theirs = await s.themes.add(COMMAND_LINE, 'medway', other.id, {
      type: 'priority',
      title: 'X',
    });
    await expect(
      s.assessments.saveOverview(coordinator, 'swale', assessmentId, theirs.id, { text: 'x' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('ranks against a chosen peer group', async () => {
    const page = await coordClient.get(`/partnerships/swale/assessments/${assessmentId}/peers`);
    expect(page.statusCode).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const res = await coordClient.post(`/partnerships/swale/assessments/${assessmentId}/peers`, {
      peers: [MEDWAY, GRAVESHAM],
      version,
    });
    expect(res.statusCode).toBe(303);
    const doc = await t.services.assessments.get(coordinator, 'swale', assessmentId);
    expect(doc.peers.map((p) => p.name)).toEqual(['Gravesham', 'Medway']);
    expect(doc.figures.measures.crime.ranks.peers?.text).toBe('2nd highest of 3 in the peer group');
    expect(
      await fieldErrorsOf(
        t.services.assessments.savePeers(coordinator, 'swale', assessmentId, {
          peers: ['nonsense'],
        }),
      ),
    ).toEqual({ peers: 'Select districts from the list' });
  });

  it('downloads as a Word document with headings, tables and the charts', async () => {
    const res = await leadClient.get(
      `/partnerships/swale/assessments/${assessmentId}/download/docx`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(
      'swale-strategic-assessment-2021-04-to-2022-03.docx',
    );
    const html = (await mammoth.convertToHtml({ buffer: res.rawPayload })).value;
    expect(html).toContain('<h1>All crime (excluding anti-social behaviour)</h1>');
    expect(html).toContain('<h2>Hotspot wards (2022 wards)</h2>');
    expect(html).toMatch(/<td><p>Level \(count\)<\/p><\/td><td><p>1,200<\/p><\/td>/);
    const zip = await JSZip.loadAsync(res.rawPayload);
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toContain('<w:tblHeader/>');
    expect(xml).toMatch(
      /descr="Line chart of all crime \(excluding anti-social behaviour\) in each 12-month period: April 2019 to March 2020, 1,200;/,
    );
    expect(Object.keys(zip.files).filter((f) => f.startsWith('word/media/')).length).toBe(5);
    // Counts and rates line up on the right, as in the web page; words stay on the left.
    const alignedRight = (text: string) =>
      [...xml.matchAll(/<w:p>(?:(?!<\/w:p>).)*<\/w:p>/gs)]
        .map(([p]) => p)
        .filter((p) => p.includes(`>${text}</w:t>`))
        .map((p) => p.includes('<w:jc w:val="right"/>'));
    expect(new Set(alignedRight('Rate per 1,000'))).toEqual(new Set([true]));
    expect(new Set(alignedRight('Count'))).toEqual(new Set([true]));
    expect(alignedRight('1,200')).toContain(true);
    expect(new Set(alignedRight('Crime type'))).toEqual(new Set([false]));
    expect(new Set(alignedRight('Month'))).toEqual(new Set([false]));
  });

  it('downloads as a web page and as JSON with every figure', async () => {
    const html = await leadClient.get(
      `/partnerships/swale/assessments/${assessmentId}/download/html`,
    );
    expect(html.body).toMatch(/^<!DOCTYPE html>/);
    expect(html.body).toContain('<title>Swale CSP strategic assessment 2021/22</title>');
    const json = await leadClient.get(
      `/partnerships/swale/assessments/${assessmentId}/download/json`,
    );
    const doc = JSON.parse(json.body) as {
      figures: { measures: { crime: { count: number; basis: { source: string } } } };
    };
    expect(doc.figures.measures.crime.count).toBe(1200);
    expect(doc.figures.measures.crime.basis.source).toContain('data.police.uk');
  });
});

describe('who may read and edit', () => {
  it('lets a county coordinator read its district’s assessment', async () => {
    const doc = await t.services.assessments.get(countyCoordinator, 'swale', assessmentId);
    expect(doc.canEdit).toBe(false);
  });

  it('refuses a lead’s edit and hides the assessment from another partnership', async () => {
    await expect(
      t.services.assessments.saveSection(lead, 'swale', assessmentId, 'introduction', {
        text: 'x',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(
      (
        await leadClient.get(
          `/partnerships/swale/assessments/${assessmentId}/sections/introduction`,
        )
      ).statusCode,
    ).toBe(403);
    await expect(
      t.services.assessments.get(outsider, 'swale', assessmentId),
    ).rejects.toBeInstanceOf(NotFoundError);
    // Medway's own address with Swale's assessment id: not found either.
    await expect(
      t.services.assessments.get(outsider, 'medway', assessmentId),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(
      (await outsiderClient.get(`/partnerships/swale/assessments/${assessmentId}`)).statusCode,
    ).toBe(404);
    expect(
      (await outsiderClient.get(`/partnerships/medway/assessments/${assessmentId}`)).statusCode,
    ).toBe(404);
  });
});
