import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { fileMessages, MAX_FILE_BYTES } from '../../src/core/grid-file.js';
import { uploadBodyLimit } from '../../src/features/api/api.routes.js';
import {
  exportQueryMessages,
  importBodyMessages,
} from '../../src/features/api/plan-files.endpoints.js';
import { overviewQueryMessages } from '../../src/features/api/rounds.endpoints.js';
import { planFileMessages } from '../../src/features/plans/plan-file.js';
import { importMessages } from '../../src/features/plans/plan-files.service.js';
import type { Plan } from '../../src/features/plans/plans.repository.js';
import { messages } from '../../src/features/plans/plans.schemas.js';
import { roundMessages } from '../../src/features/plans/rounds.service.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { agency, member, partnership, user } from '../helpers/factories.js';

let t: TestApp;
const tokens: Record<'coordinator' | 'viewer' | 'lead' | 'medway', string> = {
  coordinator: '',
  viewer: '',
  lead: '',
  medway: '',
};
let police: { id: number };
let fire: { id: number };
let taskingGroupId: number;

type Json = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

async function tokenFor(userId: number): Promise<string> {
  const actor = await t.services.auth.actorFor(userId);
  if (!actor) throw new Error('no actor');
  return (await t.services.tokens.create(actor, { name: 'Script' })).token;
}

async function api(
  method: Method,
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

interface ApiError {
  field: string;
  message: string;
  row?: number;
  column?: string;
}

function errorsOf(res: LightMyRequestResponse): ApiError[] {
  expect(res.statusCode, res.body).toBe(422);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json<{ errors: ApiError[] }>().errors;
}

function expectProblem(res: LightMyRequestResponse, status: number): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

/**
 * A plan with two themes and three actions, made through the services: 1.1 led by the police,
 * 1.2 by the tasking group, 2.1 by the fire service.
 */
async function newPlan(
  period: string,
  milestones: { a: string[]; b: string[] } = { a: [], b: [] },
) {
  const s = t.services;
  const plan = await s.plans.create(COMMAND_LINE, 'swale', { title: 'Safer Swale', period });
  const asb = await s.themes.add(COMMAND_LINE, 'swale', plan.id, {
    type: 'priority',
    title: 'Anti-social behaviour',
  });
  const fires = await s.themes.add(COMMAND_LINE, 'swale', plan.id, {
    type: 'priority',
    title: 'Deliberate fires',
  });
  const add = async (themeId: number, number: string, leads: string, timescales: string[]) => {
    const rows = Object.fromEntries(
      timescales.flatMap((ts, i) => [
        [`milestone${i + 1}`, `Step ${i + 1}`],
        [`timescale${i + 1}`, ts],
      ]),
    );
    return (
      await s.actions.add(COMMAND_LINE, 'swale', plan.id, {
        themeId: String(themeId),
        number,
        title: `Action ${number}`,
        leads,
        ...rows,
      })
    ).id;
  };
  const actions = {
    a11: await add(asb.id, '1.1', `agency:${police.id}`, milestones.a),
    a12: await add(asb.id, '1.2', `group:${taskingGroupId}`, []),
    a21: await add(fires.id, '2.1', `agency:${fire.id}`, milestones.b),
  };
  return { planId: plan.id, themes: { asb: asb.id, fires: fires.id }, actions };
}

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'swale', name: 'Swale CSP' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  police = await agency(s, 'Kent Police', 'police');
  fire = await agency(s, 'Kent Fire and Rescue Service', 'fire');
  for (const a of [police, fire])
    await s.partnerships.addPartnerAgency(COMMAND_LINE, 'swale', { agencyId: a.id });
  taskingGroupId = (
    await s.groups.create(COMMAND_LINE, 'swale', { name: 'Tasking Group', kind: 'panel' })
  ).id;
  const people = [
    ['coordinator', 'swale', 'coordinator', police.id],
    ['viewer', 'swale', 'viewer', police.id],
    ['lead', 'swale', 'lead', police.id],
    ['medway', 'medway', 'coordinator', fire.id],
  ] as const;
  for (const [name, slug, role, agencyId] of people) {
    const u = await user(s, { agencyId });
    await member(s, slug, u.email, role);
    tokens[name] = await tokenFor(u.id);
  }
});
afterAll(() => t.close());

interface RoundJson {
  id: number;
  month: string;
  deadline: string;
  closedAt: string | null;
}

interface RoundActionJson {
  actionId: number;
  number: string;
  updated: boolean;
  update: { status: string; narrative: string } | null;
  reminders: number;
}

describe('update rounds', () => {
  let plan: Awaited<ReturnType<typeof newPlan>>;
  let rounds: string;
  let round: RoundJson;

  beforeAll(async () => {
    plan = await newPlan('2024/25');
    rounds = `/partnerships/swale/plans/${plan.planId}/rounds`;
  });

  it('opens a round for a month with a deadline, and lists rounds latest month first', async () => {
    const opened = await api('POST', rounds, tokens.coordinator, {
      month: '2024-09',
      deadline: '2024-10-15',
    });
    expect(opened.statusCode, opened.body).toBe(201);
    round = opened.json<RoundJson>();
    expect(round).toEqual({
      id: expect.any(Number) as number,
      month: '2024-09',
      deadline: '2024-10-15',
      closedAt: null,
    });
    const later = await api('POST', rounds, tokens.coordinator, {
      month: '2024-12',
      deadline: '2025-01-15',
    });
    expect(later.statusCode).toBe(201);
    for (const token of [tokens.viewer, tokens.lead]) {
      const list = await api('GET', rounds, token);
      expect(list.statusCode).toBe(200);
      expect(list.json<RoundJson[]>().map((r) => r.month)).toEqual(['2024-12', '2024-09']);
    }
  });

  it('refuses a round without a month, with a deadline before it, or for a month already open', async () => {
    const before = (await api('GET', rounds, tokens.viewer)).json<unknown[]>().length;
    expect(errorsOf(await api('POST', rounds, tokens.coordinator, {}))).toEqual([
      { field: 'month', message: roundMessages.monthEmpty },
      { field: 'deadline', message: roundMessages.deadlineEmpty },
    ]);
    const bad = await api('POST', rounds, tokens.coordinator, {
      month: '2024-13',
      deadline: '31/09/2024',
    });
    expect(errorsOf(bad)).toEqual([
      { field: 'month', message: 'Month must be between 01 and 12' },
      { field: 'deadline', message: 'Day must be between 1 and 30 in September 2024' },
    ]);
    const early = await api('POST', rounds, tokens.coordinator, {
      month: '2024-11',
      deadline: '2024-10-31',
    });
    expect(errorsOf(early)).toEqual([{ field: 'deadline', message: roundMessages.deadlineEarly }]);
    const taken = await api('POST', rounds, tokens.coordinator, {
      month: '2024-09',
      deadline: '2024-10-20',
    });
    expect(errorsOf(taken)).toEqual([{ field: 'month', message: roundMessages.monthTaken }]);
    expect((await api('GET', rounds, tokens.viewer)).json<unknown[]>()).toHaveLength(before);
  });

  it('shows every action with its leads, whether it is updated for the month and its reminders', async () => {
    await t.services.updates.post(COMMAND_LINE, 'swale', plan.planId, plan.actions.a11, {
      month: '2024-09',
      status: 'in-progress',
      narrative: 'Patrols started',
    });
    // An update for another month does not count for this round.
    await t.services.updates.post(COMMAND_LINE, 'swale', plan.planId, plan.actions.a21, {
      month: '2024-08',
      status: 'complete',
    });
    const res = await api('GET', `${rounds}/${round.id}`, tokens.lead);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Json>()).toEqual({
      ...round,
      counts: { actions: 3, updated: 1, notUpdated: 2 },
      actions: [
        {
          actionId: plan.actions.a11,
          number: '1.1',
          title: 'Action 1.1',
          leads: [{ type: 'agency', id: police.id, name: 'Kent Police' }],
          updated: true,
          update: { status: 'in-progress', narrative: 'Patrols started' },
          reminders: 0,
        },
        {
          actionId: plan.actions.a12,
          number: '1.2',
          title: 'Action 1.2',
          leads: [{ type: 'group', id: taskingGroupId, name: 'Tasking Group' }],
          updated: false,
          update: null,
          reminders: 0,
        },
        expect.objectContaining({ number: '2.1', updated: false, update: null }),
      ],
    });
  });

  it('records reminders to the leads of actions not yet updated, and refuses them for the rest', async () => {
    const url = (actionId: number) => `${rounds}/${round.id}/actions/${actionId}/reminders`;
    const first = await api('POST', url(plan.actions.a12), tokens.coordinator);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json<RoundActionJson>()).toMatchObject({
      actionId: plan.actions.a12,
      updated: false,
      reminders: 1,
    });
    const second = await api('POST', url(plan.actions.a12), tokens.coordinator);
    expect(second.json<RoundActionJson>().reminders).toBe(2);
    expect(errorsOf(await api('POST', url(plan.actions.a11), tokens.coordinator))).toEqual([
      { field: 'updates', message: roundMessages.notNeeded },
    ]);
    const detail = (await api('GET', `${rounds}/${round.id}`, tokens.viewer)).json<{
      actions: RoundActionJson[];
    }>();
    expect(detail.actions.map((a) => [a.number, a.reminders])).toEqual([
      ['1.1', 0],
      ['1.2', 2],
      ['2.1', 0],
    ]);
    const audit = await t.services.db
      .selectFrom('audit_events')
      .select('summary')
      .where('entity_type', '=', 'action')
      .where('entity_id', '=', String(plan.actions.a12))
      .where('summary', 'like', 'Reminded%')
      .execute();
    expect(audit).toHaveLength(2);
  });

  it('closes a round, which stops reminders, and reopens it; each twice changes nothing more', async () => {
    const url = `${rounds}/${round.id}`;
    const closed = await api('POST', `${url}/close`, tokens.coordinator);
    expect(closed.statusCode, closed.body).toBe(200);
    const closedAt = closed.json<RoundJson>().closedAt;
    expect(closedAt).toEqual(expect.any(String));
    const again = await api('POST', `${url}/close`, tokens.coordinator);
    expect(again.json<RoundJson>().closedAt).toBe(closedAt);
    const remind = await api(
      'POST',
      `${url}/actions/${plan.actions.a21}/reminders`,
      tokens.coordinator,
    );
    expect(errorsOf(remind)).toEqual([{ field: 'updates', message: roundMessages.closed }]);

    const reopened = await api('POST', `${url}/reopen`, tokens.coordinator);
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json<RoundJson>()).toEqual({ ...round, closedAt: null });
    expect((await api('POST', `${url}/reopen`, tokens.coordinator)).json<Json>()).toEqual({
      ...round,
      closedAt: null,
    });
    const after = await api(
      'POST',
      `${url}/actions/${plan.actions.a21}/reminders`,
      tokens.coordinator,
    );
    expect(after.statusCode).toBe(201);
  });

  it('lets only coordinators open, remind, close, reopen and delete: leads and viewers 403', async () => {
    const url = `${rounds}/${round.id}`;
    const before = (await api('GET', url, tokens.viewer)).body;
    for (const token of [tokens.lead, tokens.viewer]) {
      const changes = [
        await api('POST', rounds, token, { month: '2025-01', deadline: '2025-02-15' }),
        await api('POST', `${url}/actions/${plan.actions.a12}/reminders`, token),
        await api('POST', `${url}/close`, token),
        await api('POST', `${url}/reopen`, token),
        await api('DELETE', url, token),
      ];
      for (const res of changes) expectProblem(res, 403);
    }
    expect((await api('GET', url, tokens.viewer)).body).toBe(before);
    expect((await api('GET', rounds, tokens.viewer)).json<unknown[]>()).toHaveLength(2);
  });

  it('deletes a round with its reminders, and keeps the progress updates for its month', async () => {
    const url = `${rounds}/${round.id}`;
    const res = await api('DELETE', url, tokens.coordinator);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expectProblem(await api('GET', url, tokens.coordinator), 404);
    expectProblem(await api('DELETE', url, tokens.coordinator), 404);
    expect(
      (await api('GET', rounds, tokens.viewer)).json<RoundJson[]>().map((r) => r.month),
    ).toEqual(['2024-12']);
    const reminders = await t.services.db
      .selectFrom('round_reminders')
      .select('id')
      .where('round_id', '=', round.id)
      .execute();
    expect(reminders).toEqual([]);
    const { updates } = await t.services.updates.list(
      COMMAND_LINE,
      'swale',
      plan.planId,
      plan.actions.a11,
    );
    expect(updates.map((u) => [u.month, u.narrative])).toEqual([['2024-09', 'Patrols started']]);
  });

  it('answers 404 for another partnership’s rounds, and for rounds and actions of another plan', async () => {
    const list = await api('GET', rounds, tokens.viewer);
    const [open] = list.json<RoundJson[]>();
    const other = await newPlan('2023/24');
    const otherRound = await t.services.rounds.open(COMMAND_LINE, 'swale', other.planId, {
      month: '2023-09',
      deadline: '2023-10-15',
    });
    const paths = (p: number, r: number, a: number) => [
      ['GET', `/plans/${p}/rounds`],
      ['GET', `/plans/${p}/rounds/${r}`],
      ['POST', `/plans/${p}/rounds`],
      ['POST', `/plans/${p}/rounds/${r}/actions/${a}/reminders`],
      ['POST', `/plans/${p}/rounds/${r}/close`],
      ['POST', `/plans/${p}/rounds/${r}/reopen`],
      ['DELETE', `/plans/${p}/rounds/${r}`],
    ];
    const mine = paths(plan.planId, open?.id ?? 0, plan.actions.a12);
    const nowhere = paths(999_999, 999_999, 999_999);
    for (const [i, [method, path]] of mine.entries()) {
      const m = method as Method;
      const body = m === 'POST' ? { month: '2025-02', deadline: '2025-03-15' } : undefined;
      const theirs = await api(m, `/partnerships/swale${path}`, tokens.medway, body);
      const missing = await api(m, `/partnerships/nowhere${path}`, tokens.medway, body);
      expect(theirs.statusCode, path).toBe(404);
      expect(theirs.body, path).toBe(missing.body);
      const underOwn = await api(m, `/partnerships/medway${path}`, tokens.medway, body);
      const none = await api(
        m,
        `/partnerships/medway${nowhere[i]?.[1] ?? ''}`,
        tokens.medway,
        body,
      );
      expect(underOwn.statusCode, path).toBe(404);
      expect(underOwn.body, path).toBe(none.body);
    }
    // A round of one plan under another, and an action of one plan in another's round.
    const base = `/partnerships/swale/plans/${plan.planId}/rounds`;
    expectProblem(await api('GET', `${base}/${otherRound.id}`, tokens.coordinator), 404);
    expectProblem(
      await api(
        'POST',
        `${base}/${open?.id ?? 0}/actions/${other.actions.a12}/reminders`,
        tokens.coordinator,
      ),
      404,
    );
    expect((await api('GET', rounds, tokens.viewer)).body).toBe(list.body);
  });
});

interface OverviewJson {
  planId: number;
  round: RoundJson | null;
  leads: { type: string; id: number; name: string }[];
  themes: {
    id: number;
    title: string;
    counts: Record<string, number>;
    overdueMilestones: number;
    notUpdated: number | null;
    actions: {
      number: string;
      status: string;
      overdueMilestones: number;
      updatedInRound: boolean | null;
    }[];
  }[];
}

describe('where the plan stands', () => {
  let plan: Awaited<ReturnType<typeof newPlan>>;
  let url: string;
  let roundId: number;

  beforeAll(async () => {
    // Milestones long past, so they are overdue whatever today is, unless the action is complete.
    plan = await newPlan('2020/21', {
      a: ['June 2020', 'March 2099'],
      b: ['July 2020', 'August 2020'],
    });
    url = `/partnerships/swale/plans/${plan.planId}/overview`;
    const s = t.services;
    roundId = (
      await s.rounds.open(COMMAND_LINE, 'swale', plan.planId, {
        month: '2021-01',
        deadline: '2021-02-15',
      })
    ).id;
    await s.updates.post(COMMAND_LINE, 'swale', plan.planId, plan.actions.a11, {
      month: '2021-01',
      status: 'in-progress',
    });
    await s.updates.post(COMMAND_LINE, 'swale', plan.planId, plan.actions.a12, {
      month: '2020-12',
      status: 'off-track',
    });
    await s.updates.post(COMMAND_LINE, 'swale', plan.planId, plan.actions.a21, {
      month: '2021-01',
      status: 'complete',
    });
  });

  it('counts each theme in the three report groups, with overdue milestones and missing updates', async () => {
    const res = await api('GET', url, tokens.viewer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Json>()).toEqual({
      planId: plan.planId,
      round: { id: roundId, month: '2021-01', deadline: '2021-02-15', closedAt: null },
      leads: [
        { type: 'agency', id: fire.id, name: 'Kent Fire and Rescue Service' },
        { type: 'agency', id: police.id, name: 'Kent Police' },
        { type: 'group', id: taskingGroupId, name: 'Tasking Group' },
      ],
      themes: [
        {
          id: plan.themes.asb,
          type: 'priority',
          title: 'Anti-social behaviour',
          counts: { complete: 0, inProgress: 1, notStartedOrOffTrack: 1 },
          overdueMilestones: 1,
          notUpdated: 1,
          actions: [
            {
              id: plan.actions.a11,
              number: '1.1',
              title: 'Action 1.1',
              status: 'in-progress',
              leads: [{ type: 'agency', id: police.id, name: 'Kent Police' }],
              overdueMilestones: 1,
              updatedInRound: true,
            },
            expect.objectContaining({
              number: '1.2',
              status: 'off-track',
              overdueMilestones: 0,
              updatedInRound: false,
            }),
          ],
        },
        {
          id: plan.themes.fires,
          type: 'priority',
          title: 'Deliberate fires',
          counts: { complete: 1, inProgress: 0, notStartedOrOffTrack: 0 },
          overdueMilestones: 0,
          notUpdated: 0,
          actions: [
            expect.objectContaining({
              number: '2.1',
              status: 'complete',
              overdueMilestones: 0,
              updatedInRound: true,
            }),
          ],
        },
      ],
    });
  });

  it('filters by lead, status and theme as the page does; a parameter sent empty filters nothing', async () => {
    const numbers = async (query: string) =>
      (await api('GET', `${url}?${query}`, tokens.lead))
        .json<OverviewJson>()
        .themes.map((th) => [th.title, th.actions.map((a) => a.number)]);
    expect(await numbers(`lead=group:${taskingGroupId}`)).toEqual([
      ['Anti-social behaviour', ['1.2']],
      ['Deliberate fires', []],
    ]);
    expect(await numbers('status=complete')).toEqual([
      ['Anti-social behaviour', []],
      ['Deliberate fires', ['2.1']],
    ]);
    expect(await numbers(`theme=${plan.themes.fires}&lead=agency:${fire.id}`)).toEqual([
      ['Deliberate fires', ['2.1']],
    ]);
    expect(await numbers('lead=&status=&theme=')).toEqual(await numbers(''));
    const filtered = (
      await api('GET', `${url}?status=off-track`, tokens.lead)
    ).json<OverviewJson>();
    expect(filtered.themes[0]).toMatchObject({
      counts: { complete: 0, inProgress: 0, notStartedOrOffTrack: 1 },
      overdueMilestones: 0,
      notUpdated: 1,
    });
  });

  it('names each filter it cannot read', async () => {
    const res = await api('GET', `${url}?lead=Kent%20Police&status=done&theme=fires`, tokens.lead);
    expect(errorsOf(res)).toEqual([
      { field: 'lead', message: overviewQueryMessages.lead },
      { field: 'status', message: overviewQueryMessages.status },
      { field: 'theme', message: overviewQueryMessages.theme },
    ]);
    expect(overviewQueryMessages.status).toBe(
      'Status must be not-started, in-progress, complete, on-hold or off-track',
    );
  });

  it('says when no round is open instead of counting missing updates', async () => {
    await t.services.rounds.close(COMMAND_LINE, 'swale', plan.planId, roundId);
    const view = (await api('GET', url, tokens.viewer)).json<OverviewJson>();
    expect(view.round).toBeNull();
    expect(view.themes.map((th) => th.notUpdated)).toEqual([null, null]);
    expect(view.themes.flatMap((th) => th.actions.map((a) => a.updatedInRound))).toEqual([
      null,
      null,
      null,
    ]);
    await t.services.rounds.reopen(COMMAND_LINE, 'swale', plan.planId, roundId);
  });

  it('answers 404 for another partnership’s plan', async () => {
    const theirs = await api('GET', url, tokens.medway);
    const missing = await api('GET', url.replace('swale', 'nowhere'), tokens.medway);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).toBe(missing.body);
    const underOwn = await api('GET', url.replace('swale', 'medway'), tokens.medway);
    expect(underOwn.statusCode).toBe(404);
  });
});

describe('deleting plan parts and draft plans', () => {
  let plan: Awaited<ReturnType<typeof newPlan>>;
  let base: string;

  beforeAll(async () => {
    plan = await newPlan('2019/20');
    base = `/partnerships/swale/plans/${plan.planId}`;
  });

  it('lets only coordinators delete a theme or an action: leads and viewers 403', async () => {
    for (const token of [tokens.lead, tokens.viewer]) {
      expectProblem(await api('DELETE', `${base}/themes/${plan.themes.asb}`, token), 403);
      expectProblem(await api('DELETE', `${base}/actions/${plan.actions.a21}`, token), 403);
      expectProblem(await api('DELETE', base, token), 403);
    }
    const saved = await t.services.plans.get(COMMAND_LINE, 'swale', plan.planId);
    expect(saved.themes.flatMap((th) => th.actions)).toHaveLength(3);
  });

  it('answers 404 for another partnership’s plan parts, changing nothing', async () => {
    const paths = [`/themes/${plan.themes.asb}`, `/actions/${plan.actions.a21}`, ''];
    for (const path of paths) {
      const theirs = await api('DELETE', `${base}${path}`, tokens.medway);
      const missing = await api(
        'DELETE',
        `${base.replace('swale', 'nowhere')}${path}`,
        tokens.medway,
      );
      expect(theirs.statusCode, path).toBe(404);
      expect(theirs.body, path).toBe(missing.body);
      expectProblem(
        await api('DELETE', `${base.replace('swale', 'medway')}${path}`, tokens.medway),
        404,
      );
    }
    const other = await newPlan('2018/19');
    // A theme or action of one plan, under another plan's address.
    expectProblem(
      await api('DELETE', `${base}/themes/${other.themes.asb}`, tokens.coordinator),
      404,
    );
    expectProblem(
      await api('DELETE', `${base}/actions/${other.actions.a11}`, tokens.coordinator),
      404,
    );
    const saved = await t.services.plans.get(COMMAND_LINE, 'swale', other.planId);
    expect(saved.themes.flatMap((th) => th.actions)).toHaveLength(3);
  });

  it('deletes an action, then a theme with its actions, keeping the rest of the plan', async () => {
    const action = await api('DELETE', `${base}/actions/${plan.actions.a21}`, tokens.coordinator);
    expect(action.statusCode, action.body).toBe(204);
    expectProblem(await api('GET', `${base}/actions/${plan.actions.a21}`, tokens.coordinator), 404);
    const theme = await api('DELETE', `${base}/themes/${plan.themes.asb}`, tokens.coordinator);
    expect(theme.statusCode, theme.body).toBe(204);
    const saved = (await api('GET', base, tokens.viewer)).json<{
      themes: { title: string; actions: unknown[] }[];
    }>();
    expect(saved.themes.map((th) => [th.title, th.actions.length])).toEqual([
      ['Deliberate fires', 0],
    ]);
    expectProblem(await api('GET', `${base}/actions/${plan.actions.a11}`, tokens.viewer), 404);
  });

  it('refuses to delete an adopted or archived plan with 422, saying why, and keeps it', async () => {
    for (const [status, message] of [
      ['adopted', messages.adoptedNotDeleted],
      ['archived', messages.archivedNotDeleted],
    ] as const) {
      const kept = await newPlan(status === 'adopted' ? '2017/18' : '2016/17');
      const url = `/partnerships/swale/plans/${kept.planId}`;
      const patch = await api('PATCH', url, tokens.coordinator, { status });
      expect(patch.statusCode).toBe(200);
      expect(errorsOf(await api('DELETE', url, tokens.coordinator))).toEqual([
        { field: 'plan', message },
      ]);
      const saved = await api('GET', url, tokens.viewer);
      expect(saved.statusCode).toBe(200);
      expect(saved.json<{ themes: unknown[] }>().themes).toHaveLength(2);
    }
  });

  it('deletes a draft plan with everything in it', async () => {
    const res = await api('DELETE', base, tokens.coordinator);
    expect(res.statusCode, res.body).toBe(204);
    expectProblem(await api('GET', base, tokens.coordinator), 404);
    const plans = (await api('GET', '/partnerships/swale/plans', tokens.viewer)).json<
      { id: number }[]
    >();
    expect(plans.map((p) => p.id)).not.toContain(plan.planId);
  });
});

/** What a plan file carries, without ids: the same for a plan and its round trip. */
function shape(plan: Plan) {
  return plan.themes.map((th) => ({
    type: th.type,
    title: th.title,
    actions: th.actions.map((a) => ({
      number: a.number,
      title: a.title,
      desiredOutcome: a.desiredOutcome,
      // Timescales are read against each plan's own year, so due dates differ between periods.
      milestones: a.milestones.map((m) => [m.text, m.timescale]),
      leads: a.leads.map((l) => `${l.type}:${l.name}`).sort(),
      latest: a.latest,
    })),
  }));
}

const HEADER =
  'Theme type,Theme,No.,Action,Desired outcome,Key milestones,Timescales,Lead agency,Status,Update,Update month';

const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

async function countRows() {
  const n = async (table: 'plans' | 'groups' | 'actions') =>
    Number(
      (
        await t.services.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { plans: await n('plans'), groups: await n('groups'), actions: await n('actions') };
}

describe('importing and exporting action plan files', () => {
  const importUrl = '/partnerships/swale/plans/import';
  let source: Awaited<ReturnType<typeof newPlan>>;

  beforeAll(async () => {
    source = await newPlan('2030/31', { a: ['By May', 'Ongoing'], b: [] });
    await t.services.updates.post(COMMAND_LINE, 'swale', source.planId, source.actions.a11, {
      month: '2030-09',
      status: 'in-progress',
      narrative: 'Patrols started, with "quotes", commas and\na second line',
    });
  });

  it('exports a plan as a CSV or Excel file to save, CSV when no format is asked for', async () => {
    const url = `/partnerships/swale/plans/${source.planId}/export`;
    for (const query of ['', '?format=csv']) {
      const csv = await api('GET', `${url}${query}`, tokens.viewer);
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(
        'attachment; filename="safer-swale-2030-31.csv"',
      );
      expect(csv.body.startsWith(`\uFEFF${HEADER}`)).toBe(true);
    }
    const xlsx = await api('GET', `${url}?format=xlsx`, tokens.lead);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsx.headers['content-disposition']).toBe(
      'attachment; filename="safer-swale-2030-31.xlsx"',
    );
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect(errorsOf(await api('GET', `${url}?format=pdf`, tokens.viewer))).toEqual([
      { field: 'format', message: exportQueryMessages.format },
    ]);
  });

  it.each(['csv', 'xlsx'] as const)(
    'imports a plan exported as %s for another period, through the API, as the same plan',
    async (format) => {
      const exported = await api(
        'GET',
        `/partnerships/swale/plans/${source.planId}/export?format=${format}`,
        tokens.coordinator,
      );
      expect(exported.statusCode).toBe(200);
      const period = format === 'csv' ? '2031/32' : '2032/33';
      const res = await api('POST', importUrl, tokens.coordinator, {
        title: 'Round trip',
        period,
        filename: `plan.${format}`,
        content: exported.rawPayload.toString('base64'),
      });
      expect(res.statusCode, res.body).toBe(201);
      const result = res.json<{ plan: { id: number } & Json } & Json>();
      expect(result).toEqual({
        plan: expect.objectContaining({
          title: 'Round trip',
          periodLabel: period,
          status: 'draft',
        }) as unknown,
        counts: {
          themes: 2,
          actions: 3,
          milestones: 2,
          unreadTimescales: 0,
          mismatchedMilestones: 0,
          updates: 1,
        },
        createdGroups: [],
      });
      const before = await t.services.plans.get(COMMAND_LINE, 'swale', source.planId);
      const after = await t.services.plans.get(COMMAND_LINE, 'swale', result.plan.id);
      expect(shape(after)).toEqual(shape(before));
      expect(after.themes[0]?.actions[0]?.latest?.narrative).toBe(
        'Patrols started, with "quotes", commas and\na second line',
      );
    },
  );

  it('refuses a file with bad rows whole, naming each problem’s row and column, and saves nothing', async () => {
    const before = await countRows();
    const file = [
      HEADER,
      'Priority,Streets,1.1,Patrol,,Plan,May 2025,Brand new body,In progress,Going well,2025-06',
      'Priority,Streets,1.2,Light,,Plan,May 2025,Kent Police,Sort of,,2025-13',
      'Urgent,Streets,1.3,,,,,,,,',
    ].join('\n');
    const res = await api('POST', importUrl, tokens.coordinator, {
      title: 'Bad rows',
      period: '2033/34',
      filename: 'plan.csv',
      content: base64(file),
    });
    expect(res.json<Json>()).toMatchObject({
      status: 422,
      detail: 'The file was refused, and nothing was saved',
    });
    expect(errorsOf(res)).toEqual([
      { field: 'content', row: 3, column: 'Status', message: planFileMessages.statusBad },
      { field: 'content', row: 3, column: 'Update month', message: planFileMessages.monthBad },
      { field: 'content', row: 4, column: 'Theme type', message: planFileMessages.themeTypeBad },
      { field: 'content', row: 4, column: 'Action', message: planFileMessages.actionEmpty },
      { field: 'content', row: 4, column: 'Lead agency', message: planFileMessages.leadEmpty },
    ]);
    const notAFile = await api('POST', importUrl, tokens.coordinator, {
      title: 'Not a file',
      period: '2033/34',
      filename: 'plan.xlsx',
      content: base64('just some words'),
    });
    expect(errorsOf(notAFile)).toEqual([{ field: 'content', message: fileMessages.notCsvOrXlsx }]);
    expect(await countRows()).toEqual(before);
  });

  it('names each field of a body it cannot take, with the import page’s words for the plan', async () => {
    const before = await countRows();
    expect(errorsOf(await api('POST', importUrl, tokens.coordinator, {}))).toEqual([
      { field: 'title', message: messages.titleEmpty },
      { field: 'period', message: messages.periodEmpty },
      { field: 'filename', message: importBodyMessages.filenameEmpty },
      { field: 'content', message: importBodyMessages.contentEmpty },
    ]);
    const valid = {
      title: 'Imported',
      period: '2034/35',
      filename: 'plan.csv',
      content: base64(`${HEADER}\nPriority,Streets,1.1,Patrol,,,,Kent Police,In progress,,`),
    };
    const garbled = await api('POST', importUrl, tokens.coordinator, {
      ...valid,
      content: 'not base64!',
    });
    expect(errorsOf(garbled)).toEqual([
      { field: 'content', message: importBodyMessages.contentNotBase64 },
    ]);
    const undated = await api('POST', importUrl, tokens.coordinator, valid);
    expect(errorsOf(undated)).toEqual([
      { field: 'updateMonth', message: importMessages.monthNeeded(1) },
    ]);
    const taken = await api('POST', importUrl, tokens.coordinator, {
      ...valid,
      period: '2030/31',
      updateMonth: '2030-10',
    });
    expect(errorsOf(taken)).toEqual([{ field: 'period', message: messages.periodTaken }]);
    expect(await countRows()).toEqual(before);

    // Base64 as the base64 tool writes it, wrapped onto lines, reads the same.
    const wrapped = valid.content.replace(/.{1,76}/g, '$&\n');
    const ok = await api('POST', importUrl, tokens.coordinator, {
      ...valid,
      content: wrapped,
      updateMonth: '2034-06',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const planId = ok.json<{ plan: { id: number } }>().plan.id;
    const saved = await t.services.plans.get(COMMAND_LINE, 'swale', planId);
    expect(saved.themes[0]?.actions[0]?.latest).toEqual({
      month: '2034-06',
      status: 'in-progress',
      narrative: '',
    });
  });

  it('lets only coordinators import, and answers 404 under another partnership before reading the file', async () => {
    const before = await countRows();
    const exported = await api(
      'GET',
      `/partnerships/swale/plans/${source.planId}/export`,
      tokens.viewer,
    );
    const body = {
      title: 'Not mine',
      period: '2035/36',
      filename: 'plan.csv',
      content: exported.rawPayload.toString('base64'),
    };
    for (const token of [tokens.lead, tokens.viewer]) {
      expectProblem(await api('POST', importUrl, token, body), 403);
      // Refused for the role before the body is looked at.
      expectProblem(await api('POST', importUrl, token, { content: 'x' }), 403);
    }
    const theirs = await api('POST', importUrl, tokens.medway, body);
    const missing = await api('POST', importUrl.replace('swale', 'nowhere'), tokens.medway, body);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).toBe(missing.body);
    expectProblem(await api('POST', importUrl, tokens.medway, { content: 'x' }), 404);
    for (const format of ['csv', 'xlsx']) {
      const url = `/partnerships/swale/plans/${source.planId}/export?format=${format}`;
      const other = await api('GET', url, tokens.medway);
      expect(other.statusCode).toBe(404);
      expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
      expectProblem(await api('GET', url.replace('swale', 'medway'), tokens.medway), 404);
    }
    expect(await countRows()).toEqual(before);
  });

  it('takes files far larger than other bodies, up to 10 MB, and answers 413 to a larger body', async () => {
    const before = await countRows();
    // Larger than the 256 KB every other route takes.
    const long = 'Patrol the town centre on the busiest nights '.repeat(40).trim();
    const rows = Array.from(
      { length: 300 },
      (_, i) =>
        `Priority,Streets,${Math.floor(i / 100) + 1}.${(i % 100) + 1},${long},,,,Kent Police,,,`,
    );
    const big = base64([HEADER, ...rows].join('\n'));
    expect(big.length).toBeGreaterThan(512 * 1024);
    const ok = await api('POST', importUrl, tokens.coordinator, {
      title: 'Large plan',
      period: '2040/41',
      filename: 'plan.csv',
      content: big,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<{ counts: { actions: number } }>().counts.actions).toBe(300);
    const elsewhere = await api('POST', '/partnerships/swale/plans', tokens.coordinator, {
      title: 'Large plan',
      period: '2041/42',
      padding: big,
    });
    expectProblem(elsewhere, 413);

    // Just over 10 MB: the body fits, and the file is refused for its size.
    const over = await api('POST', importUrl, tokens.coordinator, {
      title: 'Too big',
      period: '2042/43',
      filename: 'plan.csv',
      content: Buffer.alloc(MAX_FILE_BYTES + 1, 97).toString('base64'),
    });
    expect(errorsOf(over)).toEqual([{ field: 'content', message: fileMessages.tooLarge }]);
    // Larger still: the body itself is refused before it is read.
    const content = 'A'.repeat(uploadBodyLimit(MAX_FILE_BYTES));
    const huge = await api('POST', importUrl, tokens.coordinator, {
      title: 'Too big',
      period: '2042/43',
      filename: 'plan.csv',
      content,
    });
    expectProblem(huge, 413);
    expect(await countRows()).toEqual({
      ...before,
      plans: before.plans + 1,
      actions: before.actions + 300,
    });
  });
});

describe('the OpenAPI document', () => {
  interface Operation {
    summary: string;
    tags: string[];
    parameters?: { name: string; in: string; required: boolean; schema: Json }[];
    requestBody?: { content: Record<string, { schema: Json }> };
    responses: Record<string, { description: string; content?: Record<string, { schema: Json }> }>;
  }
  let doc: {
    paths: Record<string, Record<string, Operation>>;
    tags: { name: string }[];
    components: { schemas: Record<string, Json> };
  };

  beforeAll(async () => {
    doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<typeof doc>();
  });

  const PLAN = '/partnerships/{slug}/plans/{planId}';
  const op = (path: string, method: string): Operation => {
    const found = doc.paths[path]?.[method];
    if (!found) throw new Error(`${method} ${path} is not in the document`);
    return found;
  };

  it('lists the rounds, the overview, deletions, import and export', () => {
    const round = `${PLAN}/rounds/{roundId}`;
    for (const [method, path] of [
      ['get', `${PLAN}/rounds`],
      ['post', `${PLAN}/rounds`],
      ['get', round],
      ['delete', round],
      ['post', `${round}/actions/{actionId}/reminders`],
      ['post', `${round}/close`],
      ['post', `${round}/reopen`],
      ['get', `${PLAN}/overview`],
      ['delete', PLAN],
      ['delete', `${PLAN}/themes/{themeId}`],
      ['delete', `${PLAN}/actions/{actionId}`],
      ['post', '/partnerships/{slug}/plans/import'],
      ['get', `${PLAN}/export`],
    ] as const)
      expect(op(path, method).summary).toEqual(expect.any(String));
    expect(op(round, 'get').tags).toEqual(['Update rounds']);
    expect(doc.tags.map((tag) => tag.name)).toContain('Update rounds');
    expect(op(round, 'get').responses['200']?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/RoundDetail',
    });
    expect(
      op(`${PLAN}/rounds`, 'post').requestBody?.content['application/json']?.schema,
    ).toMatchObject({
      required: ['month', 'deadline'],
    });
  });

  it('describes the overview’s filters as query parameters', () => {
    const params = op(`${PLAN}/overview`, 'get').parameters ?? [];
    expect(params.filter((p) => p.in === 'query')).toEqual([
      expect.objectContaining({
        name: 'lead',
        required: false,
        schema: expect.objectContaining({ type: 'string' }) as unknown,
      }),
      expect.objectContaining({
        name: 'status',
        required: false,
        schema: expect.objectContaining({
          enum: expect.arrayContaining(['off-track']) as unknown,
        }) as unknown,
      }),
      expect.objectContaining({
        name: 'theme',
        required: false,
        schema: expect.objectContaining({ type: 'integer' }) as unknown,
      }),
    ]);
    expect(Object.keys(op(`${PLAN}/overview`, 'get').responses)).toContain('422');
  });

  it('describes the export as a file, not JSON', () => {
    const exp = op(`${PLAN}/export`, 'get');
    expect(exp.parameters?.find((p) => p.name === 'format')).toMatchObject({
      in: 'query',
      required: false,
      schema: { enum: ['csv', 'xlsx'] },
    });
    const ok = exp.responses['200'] as Json & { content: Record<string, { schema: Json }> };
    expect(Object.keys(ok.content).sort()).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/csv; charset=utf-8',
    ]);
    for (const media of Object.values(ok.content))
      expect(media.schema).toEqual({ type: 'string', format: 'binary' });
    expect(ok).toHaveProperty(['headers', 'Content-Disposition']);
  });

  it('describes the import’s body, its 413 and its file problems', () => {
    const imp = op('/partnerships/{slug}/plans/import', 'post');
    expect(imp.requestBody?.content['application/json']?.schema).toMatchObject({
      required: ['title', 'period', 'filename', 'content'],
      properties: { content: { type: 'string', contentEncoding: 'base64' } },
    });
    expect(imp.responses['413']?.description).toContain('10 MB');
    expect(imp.responses['422']?.description).toContain('row and column');
    expect(doc.components.schemas.Problem).toMatchObject({
      properties: {
        errors: {
          items: { properties: { row: { type: 'integer' }, column: { type: 'string' } } },
        },
      },
    });
  });

  it('says which deletions and reminders a rule can refuse', () => {
    expect(op(PLAN, 'delete').responses['422']?.description).toContain('only a draft');
    expect(Object.keys(op(`${PLAN}/themes/{themeId}`, 'delete').responses)).not.toContain('422');
    expect(
      op(`${PLAN}/rounds/{roundId}/actions/{actionId}/reminders`, 'post').responses['422']
        ?.description,
    ).toContain('closed');
  });
});
