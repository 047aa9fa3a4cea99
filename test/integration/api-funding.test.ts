import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { fundingWorld, type FundingWorld } from '../helpers/funding-fixture.js';

let t: TestApp;
let w: FundingWorld;
const tokens = { coordinator: '', voter: '', lead: '', viewer: '', outsider: '' };
const today = new Date().toISOString().slice(0, 10);

type Json = Record<string, unknown>;
function api(method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: Json) {
  return t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload }),
  });
}
function errorsOf(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(422);
  return res.json<{ errors: { field: string; message: string }[] }>().errors;
}

beforeAll(async () => {
  t = await testApp();
  w = await fundingWorld(t.services);
  const actors = {
    coordinator: w.coordinator,
    voter: w.voters[0],
    lead: w.lead,
    viewer: w.viewer,
    outsider: w.outsider,
  };
  for (const [key, actor] of Object.entries(actors)) {
    if (!actor) throw new Error('no actor');
    tokens[key as keyof typeof tokens] = (
      await t.services.tokens.create(actor, { name: 'Script' })
    ).token;
  }
});
afterAll(async () => t.close());

describe('the funding API', () => {
  let fundId: number;
  let potIds: number[];
  let proposalId: number;
  const funds = () => `/partnerships/${w.slug}/funds`;
  const proposal = () => `/partnerships/${w.slug}/proposals/${proposalId}`;

  it('adds a fund and splits it, amounts in pence both ways', async () => {
    const made = await api('POST', funds(), tokens.coordinator, {
      source: 'Police and Crime Commissioner',
      name: 'Crime Reduction Grant',
      year: '2024/25',
      amountPence: 3_966_100,
      status: 'confirmed',
      confirmedOn: '2024-05-01',
      priorities: ['Anti-social behaviour'],
      workingGroupId: w.groupId,
      voteThreshold: 'majority',
    });
    expect(made.statusCode, made.body).toBe(201);
    fundId = made.json<{ id: number }>().id;
    expect(made.json()).toMatchObject({
      amountPence: 3_966_100,
      year: '2024/25',
      status: 'confirmed',
    });
    const split = await api('POST', `${funds()}/${fundId}/pots`, tokens.coordinator, {
      mode: 'shares',
      remainderTo: 1,
      pots: [
        { name: 'Upfront', share: 2 },
        { name: 'Tactical', share: 1 },
      ],
    });
    expect(split.statusCode, split.body).toBe(200);
    const pots = split.json<{
      pots: { id: number; allocatedPence: number; remainderPence: number }[];
    }>().pots;
    expect(pots.map((p) => [p.allocatedPence, p.remainderPence])).toEqual([
      [2_644_000, 0],
      [1_322_100, 100],
    ]);
    potIds = pots.map((p) => p.id);
  });

  it('refuses amounts that are not whole pence, and pots that miss the fund', async () => {
    expect(
      errorsOf(
        await api('POST', `${funds()}/${fundId}/virements`, tokens.coordinator, {
          fromPotId: potIds[0],
          toPotId: potIds[1],
          amountPence: 10.5,
          reason: 'x',
        }),
      ),
    ).toEqual([
      { field: 'amountPence', message: 'amountPence must be a whole number of pence, 0 or more' },
    ]);
    expect(
      errorsOf(
        await api('POST', `${funds()}/${fundId}/pots`, tokens.coordinator, {
          mode: 'amounts',
          pots: [
            { name: 'Upfront', amountPence: 2_644_000 },
            { name: 'Tactical', amountPence: 1_322_000 },
          ],
        }),
      ),
    ).toEqual([
      { field: 'pots', message: 'The pots add up to £39,660, £1 less than the fund of £39,661' },
    ]);
  });

  it('takes a proposal, votes once each, and both decisions', async () => {
    const made = await api('POST', `${funds()}/${fundId}/proposals`, tokens.lead, {
      title: 'Youth outreach',
      leadAgencyId: w.agencies.council,
      potId: potIds[0],
      requestedPence: 420_000,
    });
    expect(made.statusCode, made.body).toBe(201);
    proposalId = made.json<{ id: number }>().id;
    expect(made.json()).toMatchObject({ stage: 'received', requestedPence: 420_000 });
    expect((await api('GET', proposal(), tokens.viewer)).statusCode).toBe(404);
    expect((await api('GET', proposal(), tokens.outsider)).statusCode).toBe(404);

    await api('POST', `${proposal()}/voting`, tokens.coordinator, { closesOn: today });
    expect(
      (await api('POST', `${proposal()}/votes`, tokens.voter, { choice: 'support' })).statusCode,
    ).toBe(201);
    expect(
      errorsOf(await api('POST', `${proposal()}/votes`, tokens.voter, { choice: 'oppose' })),
    ).toEqual([
      {
        field: 'choice',
        message: 'You have already voted on this proposal: change your vote instead',
      },
    ]);
    expect(
      (await api('POST', `${proposal()}/votes`, tokens.lead, { choice: 'support' })).statusCode,
    ).toBe(403);
    const changed = await api('PATCH', `${proposal()}/votes/mine`, tokens.voter, {
      choice: 'abstain',
    });
    expect(changed.json()).toMatchObject({ voting: { myVote: 'abstain', tally: { abstain: 1 } } });
    await api('PATCH', `${proposal()}/votes/mine`, tokens.voter, { choice: 'support' });
    await api('POST', `${proposal()}/voting/close`, tokens.coordinator);
    for (const to of ['shortlisted', 'detail-requested', 'submitted']) {
      const moved = await api('POST', `${proposal()}/stage`, tokens.coordinator, {
        to,
        reason: 'Next',
      });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    const chair = await api('POST', `${proposal()}/decisions`, tokens.coordinator, {
      decider: 'chair',
      decision: 'approve',
      amountPence: 420_000,
      decidedOn: today,
    });
    expect(chair.json()).toMatchObject({ stage: 'pending', approvedPence: null });
    const funder = await api('POST', `${proposal()}/decisions`, tokens.coordinator, {
      decider: 'funder',
      decision: 'approve',
      amountPence: 420_000,
      decidedOn: today,
    });
    expect(funder.json()).toMatchObject({ stage: 'approved', approvedPence: 420_000 });
  });

  it('records spend and outcomes, and shows approved projects to viewers', async () => {
    await api('POST', `${proposal()}/stage`, tokens.coordinator, {
      to: 'in-delivery',
      reason: 'Go',
    });
    const spent = await api('POST', `${proposal()}/spend`, tokens.coordinator, {
      paidOn: today,
      amountPence: 400_050,
      note: 'Invoice 1',
    });
    expect(spent.statusCode, spent.body).toBe(201);
    expect(spent.json()).toMatchObject({ spentPence: 400_050 });
    expect(
      errorsOf(
        await api('POST', `${proposal()}/spend`, tokens.coordinator, {
          paidOn: today,
          amountPence: 20_000,
        }),
      ),
    ).toEqual([
      {
        field: 'overrideReason',
        message:
          'Spending £200 is more than the £199.50 of the approved amount not yet spent: give a reason to record it anyway',
      },
    ]);
    const outcome = await api('POST', `${proposal()}/outcomes`, tokens.lead, {
      sessionsDelivered: 3,
      reach: [{ audience: 'Young people', people: 41 }],
      narrative: 'Three evenings at the youth centre.',
    });
    expect(outcome.statusCode, outcome.body).toBe(201);
    const seen = await api('GET', proposal(), tokens.viewer);
    expect(seen.json()).toMatchObject({
      outcomes: [{ sessionsDelivered: 3, reach: [{ people: 41 }] }],
      voting: { votes: null },
    });
    const report = await api('GET', `${funds()}/${fundId}/report`, tokens.coordinator);
    expect(report.json()).toMatchObject({
      totals: { grantedPence: 3_966_100, committedPence: 420_000, spentPence: 400_050 },
    });
    const list = await api('GET', funds(), tokens.outsider);
    expect(list.statusCode).toBe(404);
  });

  it('describes the endpoints in the OpenAPI document', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const paths = Object.keys(doc.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toContain('/partnerships/{slug}/funds/{fundId}/pots');
    expect(paths).toContain('/partnerships/{slug}/proposals/{proposalId}/decisions');
  });
});
