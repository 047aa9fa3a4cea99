import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE, type Actor } from '../../src/core/actor.js';
import { ForbiddenError, NotFoundError } from '../../src/core/errors.js';
import { historyOf } from '../../src/features/audit/audit.service.js';
import { scoreField } from '../../src/features/priorities/priorities.schemas.js';
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
type Key = 'coordinator' | 'lead' | 'lead2' | 'viewer' | 'outsider';
const actors = {} as Record<Key, Actor>;
const clients = {} as Record<Key, Client>;

function nth<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
}
let exerciseId: number;
let candidates: { id: number; title: string }[];
let criteria: { id: number; name: string; weight: number }[];

/** Every score of one partner: `table[candidate][criterion]`. */
function scoresOf(table: number[][]): Record<string, string> {
  const form: Record<string, string> = {};
  candidates.forEach((c, i) => {
    criteria.forEach((k, j) => {
      form[scoreField(c.id, k.id)] = String(table[i]?.[j] ?? '');
    });
  });
  return form;
}

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'swale', name: 'Swale CSP' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  const police = await agency(s, 'Kent Police', 'police');
  const council = await agency(s, 'Swale Borough Council', 'council');
  for (const [key, slug, role, agencyId] of [
    ['coordinator', 'swale', 'coordinator', council.id],
    ['lead', 'swale', 'lead', police.id],
    ['lead2', 'swale', 'lead', council.id],
    ['viewer', 'swale', 'viewer', police.id],
    ['outsider', 'medway', 'coordinator', police.id],
  ] as const) {
    const u = await user(s, { agencyId, name: `Person ${key}` });
    await member(s, slug, u.email, role);
    actors[key] = await actorFor(s, u.id);
    clients[key] = await signedIn(t.app, u.email, PASSWORD);
  }
  const plan = await s.plans.create(COMMAND_LINE, 'swale', {
    title: 'Safer Swale',
    period: '2024/25',
  });
  await s.themes.add(COMMAND_LINE, 'swale', plan.id, { type: 'priority', title: 'Old priority' });
  await s.themes.add(COMMAND_LINE, 'swale', plan.id, {
    type: 'cross-cutting',
    title: 'Reducing reoffending',
    priorityActions: ['Work with probation'],
  });
});
afterAll(() => t.close());

describe('priority setting', () => {
  it('starts an exercise for a plan year with the default criteria, coordinators only', async () => {
    const s = t.services.priorities;
    expect(await fieldErrorsOf(s.create(actors.coordinator, 'swale', { year: '2025' }))).toEqual({
      year: 'Financial year must be written like 2024/25',
    });
    await expect(s.create(actors.lead, 'swale', { year: '2025/26' })).rejects.toThrow(
      ForbiddenError,
    );
    exerciseId = (await s.create(actors.coordinator, 'swale', { year: '2025-26' })).id;
    expect(await fieldErrorsOf(s.create(actors.coordinator, 'swale', { year: '2025/26' }))).toEqual(
      {
        year: 'The partnership already has a priority-setting exercise for this plan year',
      },
    );
    const e = await s.get(actors.viewer, 'swale', exerciseId);
    expect(e.title).toBe('Priority setting for 2025/26');
    expect(e.criteria.map((k) => `${k.name}:${k.weight}`)).toEqual([
      'Harm:1',
      'Volume:1',
      'Trend:1',
      'Public concern:1',
      'Vulnerability:1',
      'Partnership capacity:1',
    ]);
  });

  it('lets coordinators rename, add, remove and weight criteria, every change audited', async () => {
    const s = t.services.priorities;
    const before = (await s.get(actors.coordinator, 'swale', exerciseId)).criteria;
    const rows = before.map((k) => ({ id: k.id, name: k.name, weight: k.weight }));
    nth(rows, 0).weight = 3; // harm
    nth(rows, 1).name = 'Volume of incidents';
    nth(rows, 5).weight = '1.5' as unknown as number;
    expect(
      await fieldErrorsOf(
        s.saveCriteria(actors.coordinator, 'swale', exerciseId, { criteria: rows }),
      ),
    ).toEqual({
      'criteria-6-weight': 'Weight of Partnership capacity must be a whole number from 0 to 100',
    });
    nth(rows, 5).weight = 2;
    await s.saveCriteria(actors.coordinator, 'swale', exerciseId, {
      // Trend removed, Cost added.
      criteria: [...rows.filter((_, i) => i !== 2), { name: 'Cost to partners', weight: 0 }],
    });
    criteria = (await s.get(actors.coordinator, 'swale', exerciseId)).criteria;
    expect(criteria.map((k) => `${k.name}:${k.weight}`)).toEqual([
      'Harm:3',
      'Volume of incidents:1',
      'Public concern:1',
      'Vulnerability:1',
      'Partnership capacity:2',
      'Cost to partners:0',
    ]);
    const history = await historyOf(t.services.db, 'priority-exercise', exerciseId);
    const last = nth(history, history.length - 1);
    expect(last.summary).toContain('Harm ×3');
    expect((last.before as { name: string }[]).map((k) => k.name)).toContain('Trend');
    await expect(
      s.saveCriteria(actors.lead, 'swale', exerciseId, { criteria: rows }),
    ).rejects.toThrow(ForbiddenError);
  });

  it('keeps candidates with their evidence', async () => {
    const s = t.services.priorities;
    await s.saveCandidates(actors.coordinator, 'swale', exerciseId, {
      candidates: [
        { title: 'Domestic abuse', evidence: 'Reports up a fifth on last year' },
        { title: 'Shoplifting', evidence: 'Town centre thefts rising' },
        { title: 'Drug supply', evidence: '' },
        { title: '', evidence: '' },
      ],
    });
    candidates = (await s.get(actors.coordinator, 'swale', exerciseId)).candidates;
    expect(candidates.map((c) => c.title)).toEqual([
      'Domestic abuse',
      'Shoplifting',
      'Drug supply',
    ]);
  });

  it('keeps each partner’s scores, all or nothing, refusing viewers and incomplete forms', async () => {
    const s = t.services.priorities;
    const partial = scoresOf([[5, 4, 5, 5, 3, 1]]);
    const errors = await fieldErrorsOf(s.saveScores(actors.lead, 'swale', exerciseId, partial));
    expect(errors[scoreField(nth(candidates, 1).id, nth(criteria, 0).id)]).toBe(
      'Select a score for Harm for Shoplifting',
    );
    await expect(s.saveScores(actors.viewer, 'swale', exerciseId, scoresOf([[1]]))).rejects.toThrow(
      ForbiddenError,
    );
    await expect(
      s.saveScores(actors.outsider, 'swale', exerciseId, scoresOf([[1]])),
    ).rejects.toThrow(NotFoundError);
    expect(await t.services.db.selectFrom('priority_scores').select('score').execute()).toEqual([]);

    // Harm ×3, Volume ×1, Concern ×1, Vulnerability ×1, Capacity ×2, Cost ×0.
    await s.saveScores(
      actors.lead,
      'swale',
      exerciseId,
      scoresOf([
        [5, 4, 5, 5, 3, 1],
        [2, 5, 4, 1, 4, 1],
        [4, 2, 3, 4, 2, 1],
      ]),
    );
    await s.saveScores(
      actors.lead2,
      'swale',
      exerciseId,
      scoresOf([
        [4, 4, 4, 5, 3, 1],
        [2, 4, 4, 2, 4, 1],
        [5, 3, 3, 4, 3, 1],
      ]),
    );
    await s.saveScores(
      actors.coordinator,
      'swale',
      exerciseId,
      scoresOf([
        [4, 4, 4, 4, 4, 4],
        [3, 3, 3, 3, 3, 3],
        [3, 3, 3, 3, 3, 3],
      ]),
    );
    // The lead changes a score: kept per person, audited with before and after.
    await s.saveScores(
      actors.lead,
      'swale',
      exerciseId,
      scoresOf([
        [5, 4, 5, 5, 3, 1],
        [2, 5, 4, 1, 4, 1],
        [4, 2, 3, 4, 3, 1],
      ]),
    );
    const history = await historyOf(t.services.db, 'priority-exercise', exerciseId);
    const change = nth(history, history.length - 1);
    expect(change.summary).toBe(
      'Person lead (Kent Police) changed a score of Priority setting for 2025/26',
    );
    expect(change.before).toEqual({ 'Drug supply: Partnership capacity': 2 });
    expect(change.after).toEqual({ 'Drug supply: Partnership capacity': 3 });
    const e = await s.get(actors.coordinator, 'swale', exerciseId);
    expect(e.progress.map((x) => `${x.name}:${x.state}`)).toEqual([
      'Person coordinator:complete',
      'Person lead:complete',
      'Person lead2:complete',
    ]);
  });

  it('ranks by the sum of weight × mean score, exactly, ties shared', async () => {
    const r = await t.services.priorities.result(actors.viewer, 'swale', exerciseId);
    // Domestic abuse: 3×13/3 + 12/3 + 13/3 + 14/3 + 2×10/3 = 98/3
    // Shoplifting: 3×7/3 + 12/3 + 11/3 + 6/3 + 2×11/3 = 72/3 = 24
    // Drug supply: 3×12/3 + 8/3 + 9/3 + 11/3 + 2×9/3 = 82/3
    expect(r.rows.map((x) => [x.rank, x.candidate.title, x.score?.text, x.scorers])).toEqual([
      [1, 'Domestic abuse', '32.67', 3],
      [2, 'Drug supply', '27.33', 3],
      [3, 'Shoplifting', '24.00', 3],
    ]);
    expect(nth(r.rows, 0).score).toMatchObject({ num: '98', den: '3' });
    expect(r.formula).toContain('weight × the mean');

    // Volume alone: Domestic abuse 12/3 = 4, Shoplifting 12/3 = 4, Drug supply 8/3: a tie for first.
    const s = t.services.priorities;
    await s.saveCriteria(actors.coordinator, 'swale', exerciseId, {
      criteria: criteria.map((k, i) => ({ id: k.id, name: k.name, weight: i === 1 ? 1 : 0 })),
    });
    const tied = await s.result(actors.viewer, 'swale', exerciseId);
    expect(tied.rows.map((x) => [x.rank, x.tied, x.candidate.title])).toEqual([
      [1, true, 'Domestic abuse'],
      [1, true, 'Shoplifting'],
      [3, false, 'Drug supply'],
    ]);
    // Back to the first weights.
    await s.saveCriteria(actors.coordinator, 'swale', exerciseId, {
      criteria: criteria.map((k) => ({ id: k.id, name: k.name, weight: k.weight })),
    });
  });

  it('serves the pages by role, and another partnership’s exercise answers 404', async () => {
    const base = `/partnerships/swale/priorities/${exerciseId}`;
    const list = await clients.viewer.get('/partnerships/swale/priorities');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Priority setting for 2025/26');
    const page = await clients.viewer.get(base);
    expect(page.body).not.toContain('Score the candidates');
    expect(page.body).toContain('Weighted score = the sum');
    expect((await clients.viewer.get(`${base}/score`)).statusCode).toBe(403);
    expect((await clients.viewer.get(`${base}/criteria`)).statusCode).toBe(403);
    const result = await clients.viewer.get(`${base}/result`);
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('32.67');
    expect(result.body).not.toContain('Each partner’s scores');
    expect((await clients.outsider.get(base)).statusCode).toBe(404);
    expect((await clients.outsider.get(`${base}/result`)).statusCode).toBe(404);
    expect(
      (await clients.outsider.get(`/partnerships/medway/priorities/${exerciseId}`)).statusCode,
    ).toBe(404);

    const form = await clients.lead.get(`${base}/score`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<label class="govuk-label govuk-visually-hidden" for="score-');
    expect(form.body).toContain('Harm score for Domestic abuse');
    const bad = await clients.lead.post(`${base}/score`, {
      [scoreField(nth(candidates, 0).id, nth(criteria, 0).id)]: '5',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select a score for Volume of incidents for Domestic abuse');
    const coordResult = await clients.coordinator.get(`${base}/result`);
    expect(coordResult.body).toContain('Each partner’s scores');
    expect(coordResult.body).toContain('Person lead2, Swale Borough Council');
  });

  it('serves exercises, results and the token owner’s scoring through the API', async () => {
    const s = t.services;
    const token = async (key: Key) => (await s.tokens.create(actors[key], { name: 'API' })).token;
    const api = (method: 'GET' | 'POST', url: string, bearer: string, payload?: object) =>
      t.app.inject({
        method,
        url: `/api/v1/partnerships/${url}`,
        headers: { authorization: `Bearer ${bearer}` },
        ...(payload ? { payload } : {}),
      });
    const viewer = await token('viewer');
    const list = await api('GET', 'swale/priorities', viewer);
    expect(list.json()).toMatchObject([{ id: exerciseId, yearLabel: '2025/26', scorers: 3 }]);
    const result = await api('GET', `swale/priorities/${exerciseId}/result`, viewer);
    expect(result.statusCode).toBe(200);
    expect(nth(result.json<{ rows: { score: { num: string } }[] }>().rows, 0).score.num).toBe('98');
    const outsider = await token('outsider');
    expect((await api('GET', `swale/priorities/${exerciseId}/result`, outsider)).statusCode).toBe(
      404,
    );
    const lead = await token('lead');
    const mine = await api('GET', `swale/priorities/${exerciseId}/scores`, lead);
    const { scores } = mine.json<{ scores: Record<string, string> }>();
    expect(Object.keys(scores)).toHaveLength(candidates.length * criteria.length);
    const first = scoreField(nth(candidates, 0).id, nth(criteria, 0).id);
    const saved = await api('POST', `swale/priorities/${exerciseId}/scores`, lead, {
      scores: { ...scores, [first]: 4 },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json<{ scores: Record<string, string> }>().scores[first]).toBe('4');
    const refused = await api('POST', `swale/priorities/${exerciseId}/scores`, viewer, { scores });
    expect(refused.statusCode).toBe(403);
    // Back as it was.
    await api('POST', `swale/priorities/${exerciseId}/scores`, lead, { scores });
  });

  it('closes scoring, then starts next year’s plan from the chosen priorities in one go', async () => {
    const base = `/partnerships/swale/priorities/${exerciseId}`;
    const c = clients.coordinator;
    const early = await c.get(`${base}/choose`);
    expect(early.body).toContain('Close scoring before starting the plan');
    expect((await c.post(`${base}/close`)).statusCode).toBe(303);
    expect(
      await fieldErrorsOf(
        t.services.priorities.saveScores(actors.lead, 'swale', exerciseId, scoresOf([[1]])),
      ),
    ).toEqual({ exercise: 'Scoring has closed, so the exercise can no longer be changed' });

    await c.get(`${base}/choose`);
    const gap = await c.post(`${base}/choose`, {
      [`order-${nth(candidates, 0).id}`]: '1',
      [`order-${nth(candidates, 2).id}`]: '3',
      title: 'Safer Swale',
      carryThemes: 'yes',
    });
    expect(gap.statusCode).toBe(400);
    expect(gap.body).toContain('without gaps');
    const confirm = await c.post(`${base}/choose`, {
      [`order-${nth(candidates, 0).id}`]: '2',
      [`order-${nth(candidates, 2).id}`]: '1',
      title: 'Safer Swale',
      carryThemes: 'yes',
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Reducing reoffending');
    const started = await c.post(`${base}/start`, {
      title: 'Safer Swale',
      priorities: [String(nth(candidates, 2).id), String(nth(candidates, 0).id)],
      carryThemes: 'yes',
    });
    expect(started.statusCode).toBe(303);
    const plans = await t.services.plans.list(COMMAND_LINE, 'swale');
    const made = nth(
      plans.filter((p) => p.periodLabel === '2025/26'),
      0,
    );
    expect(made.status).toBe('draft');
    const plan = await t.services.plans.get(COMMAND_LINE, 'swale', made.id);
    expect(plan.themes.map((x) => `${x.type}:${x.title}`)).toEqual([
      'priority:Drug supply',
      'priority:Domestic abuse',
      'cross-cutting:Reducing reoffending',
    ]);
    expect(nth(plan.themes, 1).summary).toBe('Reports up a fifth on last year');
    expect(nth(plan.themes, 2).priorityActions).toEqual(['Work with probation']);
    expect(started.headers.location).toBe(`/partnerships/swale/plans/${made.id}`);
  });

  it('refuses to start a plan for a year that already has one, saving nothing', async () => {
    const s = t.services.priorities;
    const other = (await s.create(actors.coordinator, 'swale', { year: '2024/25' })).id;
    await s.saveCandidates(actors.coordinator, 'swale', other, {
      candidates: [{ title: 'Knife crime' }],
    });
    await s.close(actors.coordinator, 'swale', other);
    const before = await t.services.db.selectFrom('themes').select('id').execute();
    expect(
      await fieldErrorsOf(
        s.startPlan(actors.coordinator, 'swale', other, {
          title: 'Again',
          priorities: [nth((await s.get(actors.coordinator, 'swale', other)).candidates, 0).id],
        }),
      ),
    ).toEqual({
      priorities:
        'The partnership already has a plan for 2024/25. Delete that draft first, or add the chosen priorities to it by hand',
    });
    expect(await t.services.db.selectFrom('themes').select('id').execute()).toEqual(before);
    const page = await clients.coordinator.get(`/partnerships/swale/priorities/${other}/choose`);
    expect(page.body).toContain('already has a plan for 2024/25');
  });
});
