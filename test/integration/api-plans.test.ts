import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { bodyMessages } from '../../src/features/api/plans.bodies.js';
import { MAX_ROWS, messages } from '../../src/features/plans/plans.schemas.js';
import { updateMessages } from '../../src/features/plans/updates.service.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { agency, member, partnership, user } from '../helpers/factories.js';

let t: TestApp;
const tokens: Record<'coordinator' | 'viewer' | 'lead' | 'otherLead' | 'medway', string> = {
  coordinator: '',
  viewer: '',
  lead: '',
  otherLead: '',
  medway: '',
};
let police: { id: number };
let fire: { id: number };
let medwayAgency: { id: number };
let taskingGroupId: number;
let medwayGroupId: number;

async function tokenFor(userId: number): Promise<string> {
  const actor = await t.services.auth.actorFor(userId);
  if (!actor) throw new Error('no actor');
  return (await t.services.tokens.create(actor, { name: 'Script' })).token;
}

async function api(
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  token: string,
  payload?: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload }),
  });
}

type Json = Record<string, unknown>;

function errorsOf(res: LightMyRequestResponse): { field: string; message: string }[] {
  expect(res.statusCode, res.body).toBe(422);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json<{ errors: { field: string; message: string }[] }>().errors;
}

interface ActionJson {
  id: number;
  themeId: number;
  number: string;
  title: string;
  version: number;
  milestones: { text: string; timescale: string; dueDate: string | null }[];
  leads: { type: string; id: number; name: string }[];
  latest: { month: string; status: string; narrative: string } | null;
}

/** A plan with one theme, made through the API. */
async function newPlan(period: string, title = 'Community safety plan') {
  const plan = await api('POST', '/partnerships/swale/plans', tokens.coordinator, {
    title,
    period,
  });
  expect(plan.statusCode, plan.body).toBe(201);
  const planId = plan.json<{ id: number }>().id;
  const theme = await api(
    'POST',
    `/partnerships/swale/plans/${planId}/themes`,
    tokens.coordinator,
    {
      type: 'priority',
      title: 'Anti-social behaviour',
    },
  );
  expect(theme.statusCode, theme.body).toBe(201);
  return { planId, themeId: theme.json<{ id: number }>().id };
}

async function newAction(planId: number, themeId: number, extra: Json = {}): Promise<ActionJson> {
  const res = await api('POST', `/partnerships/swale/plans/${planId}/actions`, tokens.coordinator, {
    themeId,
    number: '1.1',
    title: 'Patrol the town centre',
    leads: [{ type: 'agency', id: police.id }],
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ActionJson>();
}

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'swale', name: 'Swale CSP' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  police = await agency(s, 'Kent Police', 'police');
  fire = await agency(s, 'Kent Fire and Rescue Service', 'fire');
  medwayAgency = await agency(s, 'Medway Council', 'council');
  for (const a of [police, fire])
    await s.partnerships.addPartnerAgency(COMMAND_LINE, 'swale', { agencyId: a.id });
  await s.partnerships.addPartnerAgency(COMMAND_LINE, 'medway', { agencyId: medwayAgency.id });
  taskingGroupId = (
    await s.groups.create(COMMAND_LINE, 'swale', { name: 'Tasking Group', kind: 'panel' })
  ).id;
  medwayGroupId = (
    await s.groups.create(COMMAND_LINE, 'medway', { name: 'Medway Executive', kind: 'executive' })
  ).id;
  const people = [
    ['coordinator', 'swale', 'coordinator', police.id],
    ['viewer', 'swale', 'viewer', police.id],
    ['lead', 'swale', 'lead', police.id],
    ['otherLead', 'swale', 'lead', fire.id],
    ['medway', 'medway', 'coordinator', medwayAgency.id],
  ] as const;
  for (const [name, slug, role, agencyId] of people) {
    const u = await user(s, { agencyId });
    await member(s, slug, u.email, role);
    tokens[name] = await tokenFor(u.id);
  }
});
afterAll(() => t.close());

describe('plans', () => {
  it('creates a draft plan for a period written either way, and lists the latest first', async () => {
    const one = await api('POST', '/partnerships/swale/plans', tokens.coordinator, {
      title: 'Community safety plan',
      period: '2023-24',
    });
    expect(one.statusCode).toBe(201);
    expect(one.json<Json>()).toMatchObject({
      title: 'Community safety plan',
      periodLabel: '2023/24',
      periodStart: '2023-04-01',
      periodEnd: '2024-03-31',
      status: 'draft',
    });
    const several = await api('POST', '/partnerships/swale/plans', tokens.coordinator, {
      title: 'Strategic plan',
      period: '2016 to 2020',
    });
    expect(several.json<Json>()).toMatchObject({
      periodLabel: '2016 to 2020',
      periodEnd: '2020-03-31',
    });

    const list = await api('GET', '/partnerships/swale/plans', tokens.viewer);
    expect(list.statusCode).toBe(200);
    const labels = list.json<{ periodLabel: string }[]>().map((p) => p.periodLabel);
    expect(labels.indexOf('2023/24')).toBeLessThan(labels.indexOf('2016 to 2020'));
  });

  it('refuses a plan without a title, a period it cannot read, or a period already planned', async () => {
    const bad = await api('POST', '/partnerships/swale/plans', tokens.coordinator, {
      title: ' ',
      period: 'next year',
    });
    expect(errorsOf(bad)).toEqual([
      { field: 'title', message: messages.titleEmpty },
      { field: 'period', message: 'Plan period must be written like 2024/25 or 2016 to 2020' },
    ]);
    const again = await api('POST', '/partnerships/swale/plans', tokens.coordinator, {
      title: 'Again',
      period: '2023/24',
    });
    expect(errorsOf(again)).toEqual([{ field: 'period', message: messages.periodTaken }]);
  });

  it('lets only coordinators create or change plans', async () => {
    for (const token of [tokens.viewer, tokens.lead]) {
      const res = await api('POST', '/partnerships/swale/plans', token, {
        title: 'Not mine to make',
        period: '2030/31',
      });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const { planId } = await newPlan('2031/32');
    const patch = await api('PATCH', `/partnerships/swale/plans/${planId}`, tokens.lead, {
      status: 'adopted',
    });
    expect(patch.statusCode).toBe(403);
    expect((await t.services.plans.get(COMMAND_LINE, 'swale', planId)).status).toBe('draft');
  });

  it('changes the status and keeps the title when only the status is sent', async () => {
    const { planId } = await newPlan('2029/30', 'Plan to adopt');
    const url = `/partnerships/swale/plans/${planId}`;
    const res = await api('PATCH', url, tokens.coordinator, { status: 'adopted' });
    expect(res.statusCode).toBe(200);
    expect(res.json<Json>()).toMatchObject({ title: 'Plan to adopt', status: 'adopted' });
    const bad = await api('PATCH', url, tokens.coordinator, { status: 'final', title: '' });
    expect(errorsOf(bad)).toEqual([
      { field: 'title', message: messages.titleEmpty },
      { field: 'status', message: messages.statusMissing },
    ]);
  });

  it('answers with the whole plan: sections, drivers, risks and themes in order with their actions', async () => {
    const { planId, themeId } = await newPlan('2024/25');
    await t.services.plans.updateDrivers(COMMAND_LINE, 'swale', planId, {
      drivers: 'Strategic assessment',
    });
    await t.services.plans.updateRisks(COMMAND_LINE, 'swale', planId, {
      risk1: 'Funding',
      description1: 'Grants end in March',
    });
    const cross = await api(
      'POST',
      `/partnerships/swale/plans/${planId}/themes`,
      tokens.coordinator,
      {
        type: 'cross-cutting',
        title: 'Communication',
        summary: 'Telling residents what we do',
        priorityActions: ['Publish the plan', 'Hold a residents’ meeting'],
      },
    );
    expect(cross.statusCode).toBe(201);
    await newAction(planId, themeId, {
      desiredOutcome: 'Fewer reports of ASB',
      milestones: [{ text: 'Patrol plan agreed', timescale: 'End of June' }],
      leads: [
        { type: 'agency', id: police.id },
        { type: 'group', id: taskingGroupId },
      ],
    });

    const res = await api('GET', `/partnerships/swale/plans/${planId}`, tokens.viewer);
    expect(res.statusCode).toBe(200);
    const plan = res.json<{ themes: { title: string; actions: ActionJson[] }[] } & Json>();
    expect(plan).toMatchObject({
      periodLabel: '2024/25',
      drivers: ['Strategic assessment'],
      risks: [{ risk: 'Funding', description: 'Grants end in March' }],
      canManage: false,
    });
    expect(plan.themes.map((th) => th.title)).toEqual(['Anti-social behaviour', 'Communication']);
    expect(plan.themes[1]).toMatchObject({
      type: 'cross-cutting',
      summary: 'Telling residents what we do',
      priorityActions: ['Publish the plan', 'Hold a residents’ meeting'],
      actions: [],
    });
    expect(plan.themes[0]?.actions).toEqual([
      {
        id: expect.any(Number) as number,
        themeId,
        number: '1.1',
        title: 'Patrol the town centre',
        desiredOutcome: 'Fewer reports of ASB',
        version: 1,
        milestones: [
          {
            text: 'Patrol plan agreed',
            timescale: 'End of June',
            dueDate: '2024-06-30',
            timescaleNote: null,
          },
        ],
        leads: [
          { type: 'agency', id: police.id, name: 'Kent Police' },
          { type: 'group', id: taskingGroupId, name: 'Tasking Group' },
        ],
        latest: null,
      },
    ]);
  });
});

describe('themes', () => {
  it('changes only the fields sent, and refuses a theme of no known type', async () => {
    const { planId } = await newPlan('2025/26');
    const created = await api(
      'POST',
      `/partnerships/swale/plans/${planId}/themes`,
      tokens.coordinator,
      {
        type: 'priority',
        title: 'Domestic abuse',
        priorityActions: 'Train staff\nPromote services',
      },
    );
    expect(created.statusCode).toBe(201);
    const theme = created.json<{ id: number }>();
    expect(theme).toMatchObject({ priorityActions: ['Train staff', 'Promote services'] });

    const url = `/partnerships/swale/plans/${planId}/themes/${theme.id}`;
    const patched = await api('PATCH', url, tokens.coordinator, { summary: 'A growing concern' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json<Json>()).toEqual({
      id: theme.id,
      type: 'priority',
      title: 'Domestic abuse',
      summary: 'A growing concern',
      priorityActions: ['Train staff', 'Promote services'],
      version: 2,
    });

    const bad = await api('PATCH', url, tokens.coordinator, { type: 'urgent' });
    expect(errorsOf(bad)).toEqual([{ field: 'type', message: messages.themeTypeMissing }]);
    const missing = await api(
      'POST',
      `/partnerships/swale/plans/${planId}/themes`,
      tokens.coordinator,
      {
        type: 'priority',
      },
    );
    expect(errorsOf(missing)).toEqual([{ field: 'title', message: messages.themeTitleEmpty }]);
    const viewer = await api('PATCH', url, tokens.viewer, { title: 'Mine now' });
    expect(viewer.statusCode).toBe(403);
    const other = await api(
      'PATCH',
      `/partnerships/swale/plans/${planId}/themes/999999`,
      tokens.coordinator,
      {
        title: 'Nowhere',
      },
    );
    expect(other.statusCode).toBe(404);
  });

  it('answers 409 to a change based on a version someone else has replaced, saving nothing', async () => {
    const { planId } = await newPlan('2033/34');
    const theme = (
      await api('POST', `/partnerships/swale/plans/${planId}/themes`, tokens.coordinator, {
        type: 'priority',
        title: 'Shoplifting',
      })
    ).json<{ id: number; version: number }>();
    const url = `/partnerships/swale/plans/${planId}/themes/${theme.id}`;
    const first = await api('PATCH', url, tokens.coordinator, {
      summary: 'Up a fifth on last year',
      version: theme.version,
    });
    expect(first.statusCode).toBe(200);
    const second = await api('PATCH', url, tokens.coordinator, {
      title: 'Retail crime',
      version: theme.version,
    });
    expect(second.statusCode).toBe(409);
    expect(second.json<Json>()).toMatchObject({
      status: 409,
      detail: messages.themeChangedSince(theme.version + 1),
    });
    const now = (await api('GET', `/partnerships/swale/plans/${planId}`, tokens.coordinator))
      .json<{ themes: { id: number; title: string; summary: string; version: number }[] }>()
      .themes.find((t) => t.id === theme.id);
    expect(now).toMatchObject({
      title: 'Shoplifting',
      summary: 'Up a fifth on last year',
      version: theme.version + 1,
    });
  });
});

describe('actions', () => {
  let planId: number;
  let themeId: number;
  let action: ActionJson;

  beforeAll(async () => {
    ({ planId, themeId } = await newPlan('2026/27'));
    action = await newAction(planId, themeId, {
      milestones: [{ text: 'Hotspots mapped', timescale: 'By May' }, { text: 'Patrols running' }],
    });
  });

  it('reads one action with its milestones and leads', async () => {
    const res = await api(
      'GET',
      `/partnerships/swale/plans/${planId}/actions/${action.id}`,
      tokens.viewer,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json<Json>()).toMatchObject({
      number: '1.1',
      milestones: [
        { text: 'Hotspots mapped', timescale: 'By May', dueDate: '2026-05-31' },
        { text: 'Patrols running', timescale: '', dueDate: null },
      ],
      leads: [{ type: 'agency', id: police.id, name: 'Kent Police' }],
    });
  });

  it('names the JSON fields of every rule broken, with the pages’ own words', async () => {
    const res = await api(
      'POST',
      `/partnerships/swale/plans/${planId}/actions`,
      tokens.coordinator,
      {
        themeId,
        number: '1a',
        title: 'Badly written',
        leads: [{ type: 'person', id: 3 }],
        milestones: [
          { text: 'Fine', timescale: 'June' },
          { text: ' ', timescale: 'July' },
          { text: 'x'.repeat(1001) },
        ],
      },
    );
    expect(errorsOf(res)).toEqual([
      { field: 'number', message: messages.numberBad },
      { field: 'leads', message: messages.leadUnknown },
      { field: 'milestones[1].text', message: messages.milestoneEmpty },
      { field: 'milestones[2].text', message: messages.milestoneTooLong },
    ]);
    const empty = await api(
      'POST',
      `/partnerships/swale/plans/${planId}/actions`,
      tokens.coordinator,
      {},
    );
    expect(errorsOf(empty)).toEqual([
      { field: 'themeId', message: messages.themeMissing },
      { field: 'number', message: messages.numberEmpty },
      { field: 'title', message: messages.actionEmpty },
      { field: 'leads', message: messages.leadMissing },
    ]);
  });

  it('applies the rules that need the database: free number, own theme and own leads', async () => {
    const base = {
      themeId,
      number: '1.2',
      title: 'Another',
      leads: [{ type: 'agency', id: police.id }],
    };
    const url = `/partnerships/swale/plans/${planId}/actions`;
    const taken = await api('POST', url, tokens.coordinator, { ...base, number: '1.1' });
    expect(errorsOf(taken)).toEqual([{ field: 'number', message: messages.numberTaken }]);
    const otherPlan = await newPlan('2027/28');
    const theme = await api('POST', url, tokens.coordinator, {
      ...base,
      themeId: otherPlan.themeId,
    });
    expect(errorsOf(theme)).toEqual([{ field: 'themeId', message: messages.themeMissing }]);
    for (const lead of [
      { type: 'agency', id: medwayAgency.id },
      { type: 'group', id: medwayGroupId },
    ]) {
      const res = await api('POST', url, tokens.coordinator, { ...base, leads: [lead] });
      expect(errorsOf(res)).toEqual([{ field: 'leads', message: messages.leadUnknown }]);
    }
  });

  it('refuses milestones it cannot read rather than dropping them', async () => {
    const url = `/partnerships/swale/plans/${planId}/actions`;
    const base = {
      themeId,
      number: '1.3',
      title: 'Milestones',
      leads: [{ type: 'agency', id: police.id }],
    };
    const notList = await api('POST', url, tokens.coordinator, { ...base, milestones: 'soon' });
    expect(errorsOf(notList)).toEqual([
      { field: 'milestones', message: bodyMessages.milestonesNotList },
    ]);
    const notText = await api('POST', url, tokens.coordinator, {
      ...base,
      milestones: [{ text: 'Fine' }, { text: 12 }, 'Patrols'],
    });
    expect(errorsOf(notText)).toEqual([
      { field: 'milestones[1]', message: bodyMessages.milestoneShape },
      { field: 'milestones[2]', message: bodyMessages.milestoneShape },
    ]);
    const many = Array.from({ length: MAX_ROWS + 10 }, (_, i) => ({ text: `Step ${i + 1}` }));
    const tooMany = await api('POST', url, tokens.coordinator, { ...base, milestones: many });
    expect(errorsOf(tooMany)).toEqual([
      { field: `milestones[${MAX_ROWS}].text`, message: messages.tooManyLines },
    ]);
    const plan = await t.services.plans.get(COMMAND_LINE, 'swale', planId);
    expect(plan.themes.flatMap((th) => th.actions).map((a) => a.number)).toEqual(['1.1']);
  });

  it('lets only coordinators add or change actions', async () => {
    for (const token of [tokens.lead, tokens.viewer]) {
      const add = await api('POST', `/partnerships/swale/plans/${planId}/actions`, token, {
        themeId,
        number: '9.9',
        title: 'Not mine',
        leads: [{ type: 'agency', id: police.id }],
      });
      expect(add.statusCode).toBe(403);
      const patch = await api(
        'PATCH',
        `/partnerships/swale/plans/${planId}/actions/${action.id}`,
        token,
        {
          title: 'Not mine',
        },
      );
      expect(patch.statusCode).toBe(403);
    }
  });

  it('changes only the fields sent, replaces a list that is sent, and moves the version on', async () => {
    const url = `/partnerships/swale/plans/${planId}/actions/${action.id}`;
    const current = (await api('GET', url, tokens.coordinator)).json<ActionJson>();
    const titled = await api('PATCH', url, tokens.coordinator, {
      title: 'Patrol the town centre at night',
      version: current.version,
    });
    expect(titled.statusCode, titled.body).toBe(200);
    const after = titled.json<ActionJson>();
    expect(after).toMatchObject({
      title: 'Patrol the town centre at night',
      number: '1.1',
      version: current.version + 1,
      leads: current.leads,
      milestones: current.milestones,
    });

    const listed = await api('PATCH', url, tokens.coordinator, {
      leads: [{ type: 'group', id: taskingGroupId }],
      milestones: [{ text: 'Review', timescale: 'Quarterly' }],
    });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json<Json>()).toMatchObject({
      title: 'Patrol the town centre at night',
      leads: [{ type: 'group', id: taskingGroupId, name: 'Tasking Group' }],
      milestones: [{ text: 'Review', timescale: 'Quarterly', dueDate: null }],
    });

    const bad = await api('PATCH', url, tokens.coordinator, {
      milestones: [{ text: 'Fine' }, { text: '', timescale: 'x'.repeat(201) }],
    });
    expect(errorsOf(bad)).toEqual([
      { field: 'milestones[1].text', message: messages.milestoneEmpty },
      { field: 'milestones[1].timescale', message: messages.timescaleTooLong },
    ]);
  });

  it('answers 409 to a change based on a version someone else has replaced, saving nothing', async () => {
    const url = `/partnerships/swale/plans/${planId}/actions/${action.id}`;
    const read = (await api('GET', url, tokens.coordinator)).json<ActionJson>();
    const first = await api('PATCH', url, tokens.coordinator, {
      desiredOutcome: 'Fewer reports',
      version: read.version,
    });
    expect(first.statusCode).toBe(200);
    const second = await api('PATCH', url, tokens.coordinator, {
      title: 'Overwrite',
      version: read.version,
    });
    expect(second.statusCode).toBe(409);
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(second.json<Json>()).toMatchObject({
      status: 409,
      title: 'Conflict',
      detail: messages.actionChangedSince(read.version + 1),
    });
    const now = (await api('GET', url, tokens.coordinator)).json<ActionJson>();
    expect(now.title).toBe(read.title);
    expect(now.version).toBe(read.version + 1);
  });

  it('records changes in the audit trail', async () => {
    const events = await t.services.db
      .selectFrom('audit_events')
      .select('summary')
      .where('entity_type', '=', 'action')
      .where('entity_id', '=', String(action.id))
      .execute();
    expect(events.map((e) => e.summary)).toContain('Changed action 1.1 in Community safety plan');
  });
});

describe('milestones of a plan', () => {
  it('lists every milestone with its action, due date and whether it is overdue', async () => {
    const { planId, themeId } = await newPlan('2020/21');
    const late = await newAction(planId, themeId, {
      number: '1.1',
      title: 'Late',
      milestones: [
        { text: 'Long past', timescale: 'June 2020' },
        { text: 'Far off', timescale: 'March 2099' },
        { text: 'Always', timescale: 'Ongoing' },
      ],
    });
    const done = await newAction(planId, themeId, {
      number: '1.2',
      title: 'Done',
      milestones: [{ text: 'Also past', timescale: 'July 2020' }],
    });
    await t.services.updates.post(COMMAND_LINE, 'swale', planId, done.id, {
      month: '2020-08',
      status: 'complete',
    });

    const res = await api('GET', `/partnerships/swale/plans/${planId}/milestones`, tokens.viewer);
    expect(res.statusCode).toBe(200);
    const lead = { type: 'agency', id: police.id, name: 'Kent Police' };
    expect(res.json<Json[]>()).toEqual([
      {
        actionId: late.id,
        actionNumber: '1.1',
        actionTitle: 'Late',
        actionStatus: 'not-started',
        leads: [lead],
        text: 'Long past',
        timescale: 'June 2020',
        dueDate: '2020-06-30',
        timescaleNote: null,
        overdue: true,
      },
      expect.objectContaining({ text: 'Far off', dueDate: '2099-03-31', overdue: false }),
      expect.objectContaining({ text: 'Always', dueDate: null, overdue: false }),
      expect.objectContaining({
        actionNumber: '1.2',
        actionStatus: 'complete',
        text: 'Also past',
        dueDate: '2020-07-31',
        overdue: false,
      }),
    ]);
  });
});

describe('progress updates', () => {
  let planId: number;
  let url: string;

  beforeAll(async () => {
    const plan = await newPlan('2028/29');
    planId = plan.planId;
    const action = await newAction(planId, plan.themeId);
    url = `/partnerships/swale/plans/${planId}/actions/${action.id}/updates`;
  });

  it('lets a lead of the action post updates, listed newest first', async () => {
    const first = await api('POST', url, tokens.lead, {
      month: '2028-09',
      status: 'in-progress',
      narrative: 'Patrols started',
      basedOn: null,
    });
    expect(first.statusCode, first.body).toBe(201);
    const posted = first.json<{ id: number }>();
    expect(posted).toMatchObject({
      month: '2028-09',
      status: 'in-progress',
      narrative: 'Patrols started',
    });
    const second = await api('POST', url, tokens.coordinator, {
      month: '2028-10',
      status: 'complete',
      basedOn: posted.id,
    });
    expect(second.statusCode, second.body).toBe(201);

    const list = await api('GET', url, tokens.viewer);
    expect(list.statusCode).toBe(200);
    expect(
      list.json<{ month: string; status: string }[]>().map((u) => [u.month, u.status]),
    ).toEqual([
      ['2028-10', 'complete'],
      ['2028-09', 'in-progress'],
    ]);
    const action = await api('GET', url.replace(/\/updates$/, ''), tokens.viewer);
    expect(action.json<ActionJson>().latest).toEqual({
      month: '2028-10',
      status: 'complete',
      narrative: '',
    });
  });

  it('refuses a lead whose agency does not lead the action, and viewers, with 403', async () => {
    const before = (await api('GET', url, tokens.viewer)).json<unknown[]>().length;
    for (const token of [tokens.otherLead, tokens.viewer]) {
      const res = await api('POST', url, token, { month: '2028-11', status: 'on-hold' });
      expect(res.statusCode).toBe(403);
    }
    expect((await api('GET', url, tokens.viewer)).json<unknown[]>()).toHaveLength(before);
  });

  it('answers 409 to an update based on one that is no longer the latest, saving nothing', async () => {
    const [latest, older] = (await api('GET', url, tokens.viewer)).json<{ id: number }[]>();
    const stale = await api('POST', url, tokens.lead, {
      month: '2028-11',
      status: 'off-track',
      basedOn: older?.id,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<Json>()).toMatchObject({
      status: 409,
      detail: updateMessages.conflictSince(latest?.id),
    });
    const none = await api('POST', url, tokens.lead, {
      month: '2028-11',
      status: 'off-track',
      basedOn: null,
    });
    expect(none.statusCode).toBe(409);
    expect((await api('GET', url, tokens.viewer)).json<unknown[]>()[0]).toEqual(latest);
  });

  it('names the fields of a bad update', async () => {
    const res = await api('POST', url, tokens.lead, { month: 'September', status: 'finished' });
    expect(errorsOf(res)).toEqual([
      { field: 'month', message: 'Month must be a year and month, like 2022-09' },
      { field: 'status', message: updateMessages.statusMissing },
    ]);
  });
});

describe('another partnership’s plans', () => {
  let planId: number;
  let themeId: number;
  let action: ActionJson;
  /** What can be read of a plan, for plan and action ids. */
  const readable = (p: number, a: number) => [
    `/plans/${p}`,
    `/plans/${p}/milestones`,
    `/plans/${p}/actions/${a}`,
    `/plans/${p}/actions/${a}/updates`,
  ];

  beforeAll(async () => {
    ({ planId, themeId } = await newPlan('2032/33', 'Swale plan'));
    action = await newAction(planId, themeId);
  });

  it('answers 404 under its address, exactly as for a partnership that does not exist', async () => {
    for (const path of ['/plans', ...readable(planId, action.id)]) {
      const other = await api('GET', `/partnerships/swale${path}`, tokens.medway);
      const missing = await api('GET', `/partnerships/nowhere${path}`, tokens.medway);
      expect(other.statusCode, path).toBe(404);
      expect(other.body, path).toBe(missing.body);
    }
  });

  it('answers 404 before reading the body, so a broken one says nothing either', async () => {
    const post = await api('POST', '/partnerships/swale/plans', tokens.medway, { title: '' });
    expect(post.statusCode).toBe(404);
    const update = await api(
      'POST',
      `/partnerships/swale/plans/${planId}/actions/${action.id}/updates`,
      tokens.medway,
      { month: 'soon' },
    );
    expect(update.statusCode).toBe(404);
  });

  it('answers 404 for its ids under one’s own partnership, and changes nothing', async () => {
    const nowhere = readable(999_999, 999_999);
    for (const [i, path] of readable(planId, action.id).entries()) {
      const res = await api('GET', `/partnerships/medway${path}`, tokens.medway);
      const missing = await api('GET', `/partnerships/medway${nowhere[i] ?? ''}`, tokens.medway);
      expect(res.statusCode, path).toBe(404);
      expect(res.body, path).toBe(missing.body);
    }
    const plan = `/partnerships/medway/plans/${planId}`;
    const taken = { title: 'Taken over' };
    const changes = [
      await api('PATCH', plan, tokens.medway, taken),
      await api('PATCH', `${plan}/themes/${themeId}`, tokens.medway, taken),
      await api('PATCH', `${plan}/actions/${action.id}`, tokens.medway, taken),
      await api('POST', `${plan}/themes`, tokens.medway, { ...taken, type: 'priority' }),
      await api('POST', `${plan}/actions`, tokens.medway, {
        ...taken,
        themeId,
        number: '5.1',
        leads: [{ type: 'agency', id: medwayAgency.id }],
      }),
      await api('POST', `${plan}/actions/${action.id}/updates`, tokens.medway, {
        month: '2032-09',
        status: 'complete',
      }),
    ];
    expect(changes.map((r) => r.statusCode)).toEqual([404, 404, 404, 404, 404, 404]);
    const saved = await t.services.plans.get(COMMAND_LINE, 'swale', planId);
    expect(saved.title).toBe('Swale plan');
    expect(saved.themes.map((th) => th.title)).toEqual(['Anti-social behaviour']);
    expect(saved.themes[0]?.actions.map((a) => [a.title, a.latest])).toEqual([
      ['Patrol the town centre', null],
    ]);
  });
});

describe('the OpenAPI document', () => {
  interface Operation {
    tags: string[];
    requestBody?: { content: Record<string, { schema: Json }> };
    responses: Record<string, { content?: Record<string, { schema: Json }> }>;
  }
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Json } };

  beforeAll(async () => {
    doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<typeof doc>();
  });

  const op = (path: string, method: string): Operation => {
    const found = doc.paths[`/partnerships/{slug}/plans${path}`]?.[method];
    if (!found) throw new Error(`${method} ${path} is not in the document`);
    return found;
  };
  const bodyOf = (o: Operation) => o.requestBody?.content['application/json']?.schema;
  const answerOf = (o: Operation, status: string) =>
    o.responses[status]?.content?.['application/json']?.schema;

  it('lists every plan operation', () => {
    const ops = Object.entries(doc.paths)
      .filter(([path]) => path.includes('/plans'))
      .flatMap(([path, o]) => Object.keys(o).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const plan = '/partnerships/{slug}/plans/{planId}';
    const action = `${plan}/actions/{actionId}`;
    const round = `${plan}/rounds/{roundId}`;
    expect(ops).toEqual(
      [
        'GET /partnerships/{slug}/plans',
        'POST /partnerships/{slug}/plans',
        'POST /partnerships/{slug}/plans/import',
        `GET ${plan}`,
        `PATCH ${plan}`,
        `DELETE ${plan}`,
        `GET ${plan}/export`,
        `GET ${plan}/overview`,
        `POST ${plan}/themes`,
        `PATCH ${plan}/themes/{themeId}`,
        `DELETE ${plan}/themes/{themeId}`,
        `GET ${plan}/milestones`,
        `POST ${plan}/actions`,
        `GET ${action}`,
        `PATCH ${action}`,
        `DELETE ${action}`,
        `GET ${action}/updates`,
        `POST ${action}/updates`,
        `GET ${plan}/rounds`,
        `POST ${plan}/rounds`,
        `GET ${round}`,
        `DELETE ${round}`,
        `POST ${round}/actions/{actionId}/reminders`,
        `POST ${round}/close`,
        `POST ${round}/reopen`,
      ].sort(),
    );
  });

  it('describes the bodies and answers', () => {
    expect(bodyOf(op('', 'post'))).toMatchObject({ required: ['title', 'period'] });
    expect(answerOf(op('', 'get'), '200')).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/PlanSummary' },
    });
    expect(answerOf(op('/{planId}', 'get'), '200')).toEqual({ $ref: '#/components/schemas/Plan' });
    expect(bodyOf(op('/{planId}/actions', 'post'))).toMatchObject({
      required: ['themeId', 'number', 'title', 'leads'],
      properties: {
        themeId: { type: 'integer' },
        leads: {
          type: 'array',
          items: { properties: { type: { enum: ['agency', 'group'] }, id: { type: 'integer' } } },
        },
        milestones: { type: 'array', items: { required: ['text'] } },
      },
    });
    const patch = op('/{planId}/actions/{actionId}', 'patch');
    expect(bodyOf(patch)).toMatchObject({ properties: { version: { type: 'integer' } } });
    expect(bodyOf(patch)?.required).toBeUndefined();
    expect(answerOf(patch, '200')).toEqual({ $ref: '#/components/schemas/Action' });
    expect(answerOf(op('/{planId}/milestones', 'get'), '200')).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/PlanMilestone' },
    });
    expect(bodyOf(op('/{planId}/actions/{actionId}/updates', 'post'))).toMatchObject({
      required: ['month', 'status'],
      properties: {
        status: { enum: ['not-started', 'in-progress', 'complete', 'on-hold', 'off-track'] },
      },
    });
    expect(doc.components.schemas).toHaveProperty('ActionUpdate');
    expect(doc.components.schemas.PlanMilestone).toMatchObject({
      properties: { overdue: { type: 'boolean' }, dueDate: expect.anything() as unknown },
    });
  });

  it('says which changes can answer 409', () => {
    expect(Object.keys(op('/{planId}/actions/{actionId}', 'patch').responses)).toContain('409');
    expect(Object.keys(op('/{planId}/themes/{themeId}', 'patch').responses)).toContain('409');
    expect(Object.keys(op('/{planId}/actions/{actionId}/updates', 'post').responses)).toContain(
      '409',
    );
    expect(Object.keys(op('/{planId}', 'patch').responses)).not.toContain('409');
  });
});
