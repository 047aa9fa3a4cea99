import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { signedIn, testApp, type Client, type TestApp } from '../helpers/app.js';
import { PASSWORD, agency, member, partnership, user } from '../helpers/factories.js';

let t: TestApp;
let coord: Client;
let lead: Client;
let otherLead: Client;
let viewer: Client;
let outsider: Client;
let base: string;
let actionIds: number[];

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'swale', name: 'Swale CSP' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  const police = await agency(s, 'Kent Police', 'police');
  const council = await agency(s, 'Swale Council', 'council');
  for (const a of [police, council])
    await s.partnerships.addPartnerAgency(COMMAND_LINE, 'swale', { agencyId: a.id });
  const group = await s.groups.create(COMMAND_LINE, 'swale', {
    name: 'DA Group',
    kind: 'sub-group',
  });
  await s.groups.addMember(COMMAND_LINE, 'swale', group.id, { agencyId: police.id });
  const people: Record<string, string> = {};
  for (const [key, role, agencyId] of [
    ['coord', 'coordinator', council.id],
    ['lead', 'lead', police.id],
    ['otherLead', 'lead', council.id],
    ['viewer', 'viewer', police.id],
  ] as const) {
    const u = await user(s, { agencyId });
    await member(s, 'swale', u.email, role);
    people[key] = u.email;
  }
  const o = await user(s);
  await member(s, 'medway', o.email, 'coordinator');
  const plan = await s.plans.create(COMMAND_LINE, 'swale', {
    title: 'Safer Swale',
    period: '2024/25',
  });
  const theme = await s.themes.add(COMMAND_LINE, 'swale', plan.id, {
    type: 'priority',
    title: 'DA',
  });
  actionIds = [];
  for (const [number, leads] of [
    ['1.1', `agency:${police.id}`],
    ['1.2', `group:${group.id}`],
    ['1.3', `agency:${council.id}`],
  ] as const) {
    const a = await s.actions.add(COMMAND_LINE, 'swale', plan.id, {
      themeId: String(theme.id),
      number,
      title: `Action ${number}`,
      leads,
    });
    actionIds.push(a.id);
  }
  base = `/partnerships/swale/plans/${plan.id}`;
  coord = await signedIn(t.app, people.coord ?? '', PASSWORD);
  lead = await signedIn(t.app, people.lead ?? '', PASSWORD);
  otherLead = await signedIn(t.app, people.otherLead ?? '', PASSWORD);
  viewer = await signedIn(t.app, people.viewer ?? '', PASSWORD);
  outsider = await signedIn(t.app, o.email, PASSWORD);
});
afterAll(() => t.close());

describe('update rounds', () => {
  let roundUrl: string;

  it('lets a coordinator open a round for a month, once, with a deadline', async () => {
    await coord.get(`${base}/rounds`);
    const bad = await coord.post(`${base}/rounds`, { month: '2024-13', deadline: '2024-10-15' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Month must be between 01 and 12');
    const ok = await coord.post(`${base}/rounds`, { month: '2024-09', deadline: '2024-10-15' });
    expect(ok.statusCode).toBe(303);
    roundUrl = ok.headers.location ?? '';
    await coord.get(`${base}/rounds`);
    const again = await coord.post(`${base}/rounds`, { month: '2024-09', deadline: '2024-10-20' });
    expect(again.body).toContain('This plan already has an update round for that month');
    await viewer.get(`${base}/rounds`);
    expect(
      (await viewer.post(`${base}/rounds`, { month: '2024-10', deadline: '2024-11-15' }))
        .statusCode,
    ).toBe(403);
  });

  it('lists on each lead’s home page the actions they still have to update', async () => {
    const home = (await lead.get('/')).body;
    expect(home).toContain('update action 1.1 of Safer Swale for September 2024');
    expect(home).toContain('update action 1.2 of Safer Swale');
    expect(home).not.toContain('update action 1.3');
    expect((await otherLead.get('/')).body).toContain('update action 1.3');
    expect((await viewer.get('/')).body).not.toContain('update action');
  });

  it('shows the coordinator who has updated, and records reminders to those who have not', async () => {
    await t.services.updates.post(
      COMMAND_LINE,
      'swale',
      Number(base.split('/').pop()),
      actionIds[0] ?? 0,
      {
        month: '2024-09',
        status: 'complete',
      },
    );
    const page = (await coord.get(roundUrl)).body;
    expect(page).toContain('1 of 3 actions updated');
    expect(page).not.toContain('update action 1.1');
    expect((await lead.get('/')).body).not.toContain('update action 1.1');
    const remind = await coord.post(`${roundUrl}/actions/${actionIds[1]}/remind`);
    expect(remind.statusCode).toBe(303);
    expect((await coord.get(roundUrl)).body).toContain('Reminded 1 time');
    const audit = await t.services.db
      .selectFrom('audit_events')
      .select('summary')
      .where('summary', 'like', 'Reminded%')
      .execute();
    expect(audit.map((a) => a.summary)).toEqual([
      'Reminded the leads of action 1.2 to update it for September 2024',
    ]);
    await lead.get(roundUrl);
    expect((await lead.post(`${roundUrl}/actions/${actionIds[2]}/remind`)).statusCode).toBe(403);
  });

  it('counts each theme in the three report groups, with overdue milestones and missing updates, and filters', async () => {
    const s = t.services;
    const planId = Number(base.split('/').pop());
    await s.updates.post(COMMAND_LINE, 'swale', planId, actionIds[1] ?? 0, {
      month: '2024-08',
      status: 'on-hold',
    });
    const themeId = (await s.plans.get(COMMAND_LINE, 'swale', planId)).themes[0]?.id ?? 0;
    const [one] = (await s.plans.get(COMMAND_LINE, 'swale', planId)).themes[0]?.actions ?? [];
    await s.actions.add(COMMAND_LINE, 'swale', planId, {
      themeId: String(themeId),
      number: '1.4',
      title: 'Late one',
      milestone1: 'Report written',
      timescale1: 'By May 24',
      leads: `${one?.leads[0]?.type}:${one?.leads[0]?.id}`,
    });
    const view = await s.overview.get(COMMAND_LINE, 'swale', planId, {}, '2024-10-01');
    expect(view.themes[0]).toMatchObject({
      counts: { complete: 1, inProgress: 0, notStartedOrOffTrack: 3 },
      overdue: 1,
      notUpdated: 3,
    });
    const onHold = await s.overview.get(
      COMMAND_LINE,
      'swale',
      planId,
      { status: 'on-hold' },
      '2024-10-01',
    );
    expect(onHold.themes[0]?.actions.map((a) => a.number)).toEqual(['1.2']);
    const page = await viewer.get(`${base}/overview?status=complete`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Current update round: September 2024');
    expect(page.body).toMatch(/govuk-tag[^"]*">\s*Complete\s*</);
    expect(page.body).not.toContain('Action 1.2');
  });

  it('answers 404 for another partnership’s rounds', async () => {
    expect((await outsider.get(roundUrl)).statusCode).toBe(404);
    expect((await outsider.get(roundUrl.replace('/swale/', '/medway/'))).statusCode).toBe(404);
    expect((await outsider.get(`${base}/overview`)).statusCode).toBe(404);
  });
});

describe('rolling a plan forward', () => {
  it('copies themes and actions into next year’s draft, without updates', async () => {
    const url = `${base}/roll-forward`;
    const form = await coord.get(url);
    expect(form.body).toContain('value="2025/26"');
    const made = await coord.post(url, { title: 'Safer Swale', period: '2025/26' });
    expect(made.statusCode).toBe(303);
    const newId = Number(/plans\/(\d+)/.exec(made.headers.location ?? '')?.[1]);
    const oldPlan = await t.services.plans.get(
      COMMAND_LINE,
      'swale',
      Number(base.split('/').pop()),
    );
    const newPlan = await t.services.plans.get(COMMAND_LINE, 'swale', newId);
    expect(newPlan).toMatchObject({ status: 'draft', periodLabel: '2025/26' });
    const shape = (plan: typeof oldPlan) =>
      plan.themes.map((th) => [
        th.title,
        th.actions.map((a) => [a.number, a.leads, a.milestones.length]),
      ]);
    expect(shape(newPlan)).toEqual(shape(oldPlan));
    expect(oldPlan.themes[0]?.actions.some((a) => a.latest)).toBe(true);
    expect(newPlan.themes[0]?.actions.every((a) => a.latest === null)).toBe(true);
    await coord.get(url);
    const again = await coord.post(url, { title: 'Safer Swale', period: '2025/26' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('The partnership already has a plan for this period');
    expect((await viewer.get(url)).statusCode).toBe(403);
    expect((await outsider.get(url)).statusCode).toBe(404);
  });
});

describe('two people changing the same action', () => {
  it('tells the second about the first one’s change and shows it, instead of overwriting it', async () => {
    const planId = Number(base.split('/').pop());
    const url = `${base}/actions/${actionIds[2]}/edit`;
    const form = (await coord.get(url)).body;
    const version = /name="version" value="(\d+)"/.exec(form)?.[1] ?? '';
    expect(version).not.toBe('');
    const current = await t.services.actions.get(COMMAND_LINE, 'swale', planId, actionIds[2] ?? 0);
    await t.services.actions.update(COMMAND_LINE, 'swale', planId, current.id, {
      themeId: String(current.themeId),
      number: current.number,
      title: 'Changed elsewhere',
      leads: current.leads.map((l) => `${l.type}:${l.id}`),
      version,
    });
    const mine = {
      version,
      themeId: String(current.themeId),
      number: current.number,
      title: 'My wording',
      leads: current.leads.map((l) => `${l.type}:${l.id}`),
    };
    const clash = await coord.post(url, mine);
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('Someone else changed this action while you were editing it');
    expect(clash.body).toContain('Changed elsewhere');
    expect(clash.body).toContain('My wording');
    const fresh = /name="version" value="(\d+)"/.exec(clash.body)?.[1] ?? '';
    expect((await coord.post(url, { ...mine, version: fresh })).statusCode).toBe(303);
    const saved = await t.services.actions.get(COMMAND_LINE, 'swale', planId, current.id);
    expect(saved.title).toBe('My wording');
  });
});

describe('two people changing the same priority', () => {
  it('tells the second about the first one’s change and shows it, instead of overwriting it', async () => {
    const planId = Number(base.split('/').pop());
    const themeId = (await t.services.plans.get(COMMAND_LINE, 'swale', planId)).themes[0]?.id ?? 0;
    const url = `${base}/themes/${themeId}/edit`;
    const form = (await coord.get(url)).body;
    const version = /name="version" value="(\d+)"/.exec(form)?.[1] ?? '';
    expect(version).not.toBe('');
    const current = await t.services.themes.get(COMMAND_LINE, 'swale', planId, themeId);
    await t.services.themes.update(COMMAND_LINE, 'swale', planId, themeId, {
      ...current,
      summary: 'Summary changed elsewhere',
      version,
    });
    const mine = { version, type: current.type, title: 'My title', summary: '' };
    const clash = await coord.post(url, mine);
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain(
      'Someone else changed this priority or theme while you were editing it',
    );
    expect(clash.body).toContain('Summary changed elsewhere');
    expect(clash.body).toContain('My title');
    expect((await t.services.themes.get(COMMAND_LINE, 'swale', planId, themeId)).title).toBe(
      current.title,
    );
    const fresh = /name="version" value="(\d+)"/.exec(clash.body)?.[1] ?? '';
    expect((await coord.post(url, { ...mine, version: fresh })).statusCode).toBe(303);
    const saved = await t.services.themes.get(COMMAND_LINE, 'swale', planId, themeId);
    expect(saved).toMatchObject({ title: 'My title', summary: '' });
  });
});
