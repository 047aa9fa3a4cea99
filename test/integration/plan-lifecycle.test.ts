import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { ukDate } from '../../src/domain/dates.js';
import { signedIn, testApp, type Client, type TestApp } from '../helpers/app.js';
import { PASSWORD, agency, member, partnership, user } from '../helpers/factories.js';

let t: TestApp;
let coord: Client;
let lead: Client;
let viewer: Client;
let outsider: Client;
let police: { id: number };
let council: { id: number };
let swaleId: number;

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  swaleId = (await partnership(s, { slug: 'swale', name: 'Swale CSP' })).id;
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  police = await agency(s, 'Kent Police', 'police');
  council = await agency(s, 'Swale Council', 'council');
  for (const a of [police, council])
    await s.partnerships.addPartnerAgency(COMMAND_LINE, 'swale', { agencyId: a.id });
  const people: Record<string, string> = {};
  for (const [key, role, agencyId] of [
    ['coord', 'coordinator', council.id],
    ['lead', 'lead', police.id],
    ['viewer', 'viewer', police.id],
  ] as const) {
    const u = await user(s, { agencyId });
    await member(s, 'swale', u.email, role);
    people[key] = u.email;
  }
  const o = await user(s);
  await member(s, 'medway', o.email, 'coordinator');
  coord = await signedIn(t.app, people.coord ?? '', PASSWORD);
  lead = await signedIn(t.app, people.lead ?? '', PASSWORD);
  viewer = await signedIn(t.app, people.viewer ?? '', PASSWORD);
  outsider = await signedIn(t.app, o.email, PASSWORD);
});
afterAll(() => t.close());

/**
 * A plan with two priorities: anti-social behaviour (1.1 with two milestones and three updates,
 * 1.2 with nothing) and domestic abuse (2.1, one update), all led by the police.
 */
async function makePlan(period: string) {
  const s = t.services;
  const plan = await s.plans.create(COMMAND_LINE, 'swale', { title: 'Safer Swale', period });
  const asb = await s.themes.add(COMMAND_LINE, 'swale', plan.id, {
    type: 'priority',
    title: 'Anti-social behaviour',
  });
  const da = await s.themes.add(COMMAND_LINE, 'swale', plan.id, {
    type: 'priority',
    title: 'Domestic abuse',
  });
  const add = (themeId: number, number: string, extra: Record<string, string> = {}) =>
    s.actions.add(COMMAND_LINE, 'swale', plan.id, {
      themeId: String(themeId),
      number,
      title: `Action ${number}`,
      leads: `agency:${police.id}`,
      ...extra,
    });
  const a11 = await add(asb.id, '1.1', {
    milestone1: 'Hotspots mapped',
    timescale1: 'By June 24',
    milestone2: 'Patrols running',
    timescale2: 'By March 25',
  });
  const a12 = await add(asb.id, '1.2');
  const a21 = await add(da.id, '2.1', { milestone1: 'Refuge open', timescale1: 'Summer 24' });
  for (const [month, status] of [
    ['2024-07', 'not-started'],
    ['2024-08', 'in-progress'],
    ['2024-09', 'in-progress'],
  ] as const)
    await s.updates.post(COMMAND_LINE, 'swale', plan.id, a11.id, {
      month,
      status,
      narrative: `Patrols ${month}`,
    });
  await s.updates.post(COMMAND_LINE, 'swale', plan.id, a21.id, {
    month: '2024-09',
    status: 'complete',
  });
  const url = `/partnerships/swale/plans/${plan.id}`;
  return { id: plan.id, url, themes: { asb: asb.id, da: da.id }, actions: { a11, a12, a21 } };
}

async function count(
  table: 'milestones' | 'action_updates' | 'round_reminders',
  where: [string, number],
) {
  const row = await t.services.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where(where[0] as 'id', '=', where[1])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function auditOf(summary: string) {
  return t.services.db
    .selectFrom('audit_events')
    .selectAll()
    .where('summary', '=', summary)
    .execute();
}

describe('deleting an action', () => {
  let plan: Awaited<ReturnType<typeof makePlan>>;
  let url: string;

  beforeAll(async () => {
    plan = await makePlan('2024/25');
    url = `${plan.url}/actions/${plan.actions.a11.id}`;
  });

  it('offers coordinators the deletion on the action’s page and its form, not others', async () => {
    const page = (await coord.get(url)).body;
    expect(page).toContain(`href="${url}/delete"`);
    expect(page).toContain('Delete action');
    expect((await coord.get(`${url}/edit`)).body).toContain(`href="${url}/delete"`);
    expect((await lead.get(url)).body).not.toContain(`${url}/delete`);
    expect((await viewer.get(url)).body).not.toContain(`${url}/delete`);
  });

  it('asks first, saying how many milestones and progress updates go with it', async () => {
    const res = await coord.get(`${url}/delete`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Are you sure you want to delete action 1.1?');
    expect(res.body).toContain('<li>2 milestones</li>');
    expect(res.body).toContain('<li>3 progress updates</li>');
    expect(res.body).toMatch(
      new RegExp(
        `<form method="post" action="${url}/delete"[^>]*>\\s*<input type="hidden" name="_csrf" value="[^"]+">`,
      ),
    );
    const bare = await coord.get(`${plan.url}/actions/${plan.actions.a12.id}/delete`);
    expect(bare.body).toContain('It has no milestones or progress updates.');
    // Asking deleted nothing.
    expect(await count('action_updates', ['action_id', plan.actions.a11.id])).toBe(3);
  });

  it('lets only coordinators delete: leads and viewers 403, other partnerships 404', async () => {
    for (const client of [lead, viewer]) {
      expect((await client.get(`${url}/delete`)).statusCode).toBe(403);
      await client.get(url);
      expect((await client.post(`${url}/delete`)).statusCode).toBe(403);
    }
    expect((await outsider.get(`${url}/delete`)).statusCode).toBe(404);
    const theirs = url.replace('/swale/', '/medway/');
    expect((await outsider.get(`${theirs}/delete`)).statusCode).toBe(404);
    await outsider.get('/');
    expect((await outsider.post(`${url}/delete`)).statusCode).toBe(404);
    expect((await outsider.post(`${theirs}/delete`)).statusCode).toBe(404);
    expect((await coord.get(url)).statusCode).toBe(200);
  });

  it('deletes it with its milestones and updates, keeps the rest, and audits what it was', async () => {
    const versionBefore = (await t.services.plans.get(COMMAND_LINE, 'swale', plan.id)).version;
    await coord.get(`${url}/delete`);
    const res = await coord.post(`${url}/delete`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${plan.url}?notice=action-deleted`);
    expect((await coord.get(res.headers.location ?? '')).body).toContain('Action deleted.');
    expect((await coord.get(url)).statusCode).toBe(404);
    expect(await count('milestones', ['action_id', plan.actions.a11.id])).toBe(0);
    expect(await count('action_updates', ['action_id', plan.actions.a11.id])).toBe(0);
    const after = await t.services.plans.get(COMMAND_LINE, 'swale', plan.id);
    expect(after.themes.flatMap((th) => th.actions.map((a) => a.number))).toEqual(['1.2', '2.1']);
    expect(after.version).toBe(versionBefore + 1);
    expect(await count('action_updates', ['action_id', plan.actions.a21.id])).toBe(1);

    const [event, ...more] = await auditOf('Deleted action 1.1 from Safer Swale');
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      partnership_id: swaleId,
      entity_type: 'action',
      entity_id: String(plan.actions.a11.id),
      action: 'deleted',
    });
    const before = JSON.parse(event?.before_json ?? 'null') as Record<string, unknown>;
    expect(before).toMatchObject({
      number: '1.1',
      title: 'Action 1.1',
      milestones: [
        ['Hotspots mapped', 'By June 24'],
        ['Patrols running', 'By March 25'],
      ],
      leads: ['Kent Police'],
    });
    expect((before.updates as { narrative: string }[]).map((u) => u.narrative)).toEqual([
      'Patrols 2024-07',
      'Patrols 2024-08',
      'Patrols 2024-09',
    ]);
  });
});

describe('deleting a priority or theme', () => {
  let plan: Awaited<ReturnType<typeof makePlan>>;
  let url: string;

  beforeAll(async () => {
    plan = await makePlan('2025/26');
    url = `${plan.url}/themes/${plan.themes.asb}`;
  });

  it('is offered to coordinators beside each theme and on its form', async () => {
    expect((await coord.get(plan.url)).body).toContain(`href="${url}/delete"`);
    expect((await coord.get(`${url}/edit`)).body).toContain('Delete this priority or theme');
    expect((await lead.get(plan.url)).body).not.toContain(`${url}/delete`);
  });

  it('asks first, naming how many actions and updates go with it', async () => {
    const res = await coord.get(`${url}/delete`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Are you sure you want to delete Anti-social behaviour?');
    expect(res.body).toContain('<li>2 actions</li>');
    expect(res.body).toContain('<li>2 milestones</li>');
    expect(res.body).toContain('<li>3 progress updates</li>');
    expect(res.body).toContain('name="_csrf"');
  });

  it('lets only coordinators delete: leads 403, other partnerships 404', async () => {
    expect((await lead.get(`${url}/delete`)).statusCode).toBe(403);
    await lead.get(plan.url);
    expect((await lead.post(`${url}/delete`)).statusCode).toBe(403);
    expect((await outsider.get(`${url}/delete`)).statusCode).toBe(404);
    await outsider.get('/');
    expect((await outsider.post(`${url}/delete`)).statusCode).toBe(404);
    expect((await outsider.post(`${url.replace('/swale/', '/medway/')}/delete`)).statusCode).toBe(
      404,
    );
  });

  it('deletes it with its actions, leaves the other theme alone, and audits both', async () => {
    await coord.get(`${url}/delete`);
    const res = await coord.post(`${url}/delete`);
    expect(res.statusCode).toBe(303);
    expect((await coord.get(res.headers.location ?? '')).body).toContain(
      'Priority or theme deleted.',
    );
    const after = await t.services.plans.get(COMMAND_LINE, 'swale', plan.id);
    expect(after.themes.map((th) => [th.title, th.actions.map((a) => a.number)])).toEqual([
      ['Domestic abuse', ['2.1']],
    ]);
    expect(await count('action_updates', ['action_id', plan.actions.a11.id])).toBe(0);
    expect(await count('action_updates', ['action_id', plan.actions.a21.id])).toBe(1);
    const [event] = await auditOf(
      'Deleted the theme Anti-social behaviour and its 2 actions from Safer Swale',
    );
    expect(event).toMatchObject({ entity_type: 'plan', entity_id: String(plan.id) });
    const before = JSON.parse(event?.before_json ?? 'null') as {
      title: string;
      actions: { number: string; updates: unknown[] }[];
    };
    expect(before.title).toBe('Anti-social behaviour');
    expect(before.actions.map((a) => [a.number, a.updates.length])).toEqual([
      ['1.1', 3],
      ['1.2', 0],
    ]);
  });
});

describe('deleting a plan', () => {
  it('is offered for a draft only', async () => {
    const draft = await makePlan('2026/27');
    expect((await coord.get(draft.url)).body).toContain('Delete this draft plan');
    expect((await lead.get(draft.url)).body).not.toContain('Delete this draft plan');
    await t.services.plans.updateDetails(COMMAND_LINE, 'swale', draft.id, {
      title: 'Safer Swale',
      status: 'adopted',
    });
    expect((await coord.get(draft.url)).body).not.toContain('Delete this draft plan');
  });

  it('refuses adopted and archived plans, saying to archive instead, and keeps them', async () => {
    const plan = await makePlan('2027/28');
    for (const status of ['adopted', 'archived'] as const) {
      await t.services.plans.updateDetails(COMMAND_LINE, 'swale', plan.id, {
        title: 'Safer Swale',
        status,
      });
      const page = await coord.get(`${plan.url}/delete`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('You cannot delete this plan');
      expect(page.body).not.toContain('Delete plan</button>');
      expect(page.body).toContain(
        status === 'adopted' ? 'Archive it instead' : 'It is kept as the partnership’s record',
      );
      // A page opened while it was a draft.
      const res = await coord.post(`${plan.url}/delete`);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('There is a problem');
      expect(res.body).toContain('href="#plan"');
      expect((await coord.get(plan.url)).statusCode).toBe(200);
    }
  });

  it('asks first for a draft, counting what goes, and lets only coordinators delete it', async () => {
    const plan = await makePlan('2028/29');
    await t.services.rounds.open(COMMAND_LINE, 'swale', plan.id, {
      month: '2024-09',
      deadline: '2024-10-15',
    });
    const page = await coord.get(`${plan.url}/delete`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Are you sure you want to delete Safer Swale 2028/29?');
    for (const line of [
      '2 priorities and themes',
      '3 actions',
      '4 progress updates',
      '1 update round',
    ])
      expect(page.body).toContain(`<li>${line}</li>`);
    expect((await lead.get(`${plan.url}/delete`)).statusCode).toBe(403);
    expect((await viewer.post(`${plan.url}/delete`)).statusCode).toBe(403);
    expect((await outsider.get(`${plan.url}/delete`)).statusCode).toBe(404);
    await outsider.get('/');
    expect((await outsider.post(`${plan.url}/delete`)).statusCode).toBe(404);
    expect(
      (await outsider.post(`${plan.url.replace('/swale/', '/medway/')}/delete`)).statusCode,
    ).toBe(404);

    await coord.get(`${plan.url}/delete`);
    const res = await coord.post(`${plan.url}/delete`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/partnerships/swale/plans?notice=deleted');
    expect((await coord.get(res.headers.location ?? '')).body).toContain('Plan deleted.');
    expect((await coord.get(plan.url)).statusCode).toBe(404);
    expect(await count('action_updates', ['action_id', plan.actions.a11.id])).toBe(0);

    const [event] = await auditOf('Deleted the draft plan Safer Swale (2028/29)');
    expect(event).toMatchObject({
      partnership_id: swaleId,
      entity_type: 'partnership',
      entity_id: String(swaleId),
      action: 'deleted',
    });
    const before = JSON.parse(event?.before_json ?? 'null') as {
      themes: { actions: { number: string; updates: unknown[] }[] }[];
      rounds: { month: string }[];
    };
    expect(
      before.themes.flatMap((th) => th.actions.map((a) => [a.number, a.updates.length])),
    ).toEqual([
      ['1.1', 3],
      ['1.2', 0],
      ['2.1', 1],
    ]);
    expect(before.rounds.map((r) => r.month)).toEqual(['2024-09']);
    expect((await coord.get('/partnerships/swale/audit')).body).toContain(
      'Deleted the draft plan Safer Swale (2028/29)',
    );
  });
});

describe('closing, reopening and deleting an update round', () => {
  let plan: Awaited<ReturnType<typeof makePlan>>;
  let roundUrl: string;
  const todo = 'update action 1.2 of Safer Swale for October 2024';

  beforeAll(async () => {
    plan = await makePlan('2029/30');
    const round = await t.services.rounds.open(COMMAND_LINE, 'swale', plan.id, {
      month: '2024-10',
      deadline: '2024-11-15',
    });
    roundUrl = `${plan.url}/rounds/${round.id}`;
    await t.services.rounds.remind(COMMAND_LINE, 'swale', plan.id, round.id, plan.actions.a12.id);
  });

  it('lets only coordinators close or reopen a round: others 403, other partnerships 404', async () => {
    expect((await coord.get(roundUrl)).body).toContain('Close round');
    expect((await lead.get(roundUrl)).body).not.toContain('Close round');
    for (const change of ['close', 'reopen', 'delete']) {
      await lead.get(roundUrl);
      expect((await lead.post(`${roundUrl}/${change}`)).statusCode).toBe(403);
      await outsider.get('/');
      expect((await outsider.post(`${roundUrl}/${change}`)).statusCode).toBe(404);
    }
    expect((await lead.get(`${roundUrl}/delete`)).statusCode).toBe(403);
    expect((await outsider.get(`${roundUrl}/delete`)).statusCode).toBe(404);
    expect((await lead.get('/')).body).toContain(todo);
  });

  it('takes a closed round off leads’ home pages, shows it closed, and stops reminders', async () => {
    await coord.get(roundUrl);
    const res = await coord.post(`${roundUrl}/close`);
    expect(res.statusCode).toBe(303);
    const page = (await coord.get(res.headers.location ?? '')).body;
    const closedAt = (
      await t.services.db
        .selectFrom('update_rounds')
        .select('closed_at')
        .where('plan_id', '=', plan.id)
        .executeTakeFirstOrThrow()
    ).closed_at;
    expect(closedAt).not.toBeNull();
    expect(page).toContain('Round closed.');
    expect(page).toContain(`Closed on ${ukDate(closedAt)}`);
    expect(page).toContain('Reopen round');
    expect(page).not.toContain('/remind"');
    expect((await lead.get('/')).body).not.toContain(todo);
    expect((await coord.get(`${plan.url}/rounds`)).body).toMatch(
      /October 2024<\/a>[^<]*<strong class="govuk-tag[^"]*">\s*Closed/,
    );
    expect((await viewer.get(`${plan.url}/overview`)).body).toContain('No update round is open.');

    await coord.get(roundUrl);
    const remind = await coord.post(`${roundUrl}/actions/${plan.actions.a12.id}/remind`);
    expect(remind.statusCode).toBe(400);
    expect(remind.body).toContain('This update round is closed. Reopen it to send reminders');
    expect(await count('round_reminders', ['action_id', plan.actions.a12.id])).toBe(1);
    const [event] = await auditOf('Closed the October 2024 update round of Safer Swale');
    expect(event).toMatchObject({ entity_type: 'plan', entity_id: String(plan.id) });
  });

  it('puts a reopened round back on leads’ home pages', async () => {
    await coord.get(roundUrl);
    expect((await coord.post(`${roundUrl}/reopen`)).statusCode).toBe(303);
    const page = (await coord.get(roundUrl)).body;
    expect(page).not.toContain('Closed on');
    expect(page).toContain('Close round');
    expect((await lead.get('/')).body).toContain(todo);
    expect(await auditOf('Reopened the October 2024 update round of Safer Swale')).toHaveLength(1);
  });

  it('deletes a round and its reminders after asking, but never anyone’s progress updates', async () => {
    await t.services.updates.post(COMMAND_LINE, 'swale', plan.id, plan.actions.a21.id, {
      month: '2024-10',
      status: 'complete',
      narrative: 'Refuge open',
    });
    const updatesBefore = await count('action_updates', ['action_id', plan.actions.a21.id]);
    expect((await coord.get(roundUrl)).body).toContain(`href="${roundUrl}/delete"`);
    const ask = await coord.get(`${roundUrl}/delete`);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Are you sure you want to delete the October 2024 update round?');
    expect(ask.body).toContain('<li>1 recorded reminder</li>');
    expect(ask.body).toContain('The progress update posted for October 2024 stays on its action.');

    const res = await coord.post(`${roundUrl}/delete`);
    expect(res.statusCode).toBe(303);
    expect((await coord.get(res.headers.location ?? '')).body).toContain('Update round deleted.');
    expect((await coord.get(roundUrl)).statusCode).toBe(404);
    expect(await count('round_reminders', ['action_id', plan.actions.a12.id])).toBe(0);
    expect(await count('action_updates', ['action_id', plan.actions.a21.id])).toBe(updatesBefore);
    expect(await count('action_updates', ['action_id', plan.actions.a11.id])).toBe(3);
    expect((await coord.get(`${plan.url}/actions/${plan.actions.a21.id}`)).body).toContain(
      'Refuge open',
    );
    expect((await lead.get('/')).body).not.toContain(todo);
    const [event] = await auditOf('Deleted the October 2024 update round of Safer Swale');
    expect(JSON.parse(event?.before_json ?? 'null')).toMatchObject({
      month: '2024-10',
      reminders: [{ action: '1.2' }],
    });
  });
});
