import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import { ForbiddenError, NotFoundError } from '../../src/core/errors.js';
import { historyOf } from '../../src/features/audit/audit.service.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { fieldErrorsOf } from '../helpers/factories.js';
import { fundingWorld, type FundingWorld } from '../helpers/funding-fixture.js';

let t: TestApp;
let w: FundingWorld;
let c: Actor;
let fundId: number;
let potId: number;

const refusal = async (call: Promise<unknown>) =>
  call.then(
    () => 'allowed',
    (e: unknown) =>
      e instanceof NotFoundError ? 404 : e instanceof ForbiddenError ? 403 : `error: ${String(e)}`,
  );

const proposal = (title: string, more: Record<string, unknown> = {}) => ({
  title,
  leadAgencyId: String(w.agencies.police),
  potId: String(potId),
  requested: '1,000',
  ...more,
});

beforeAll(async () => {
  t = await testApp();
  w = await fundingWorld(t.services);
  c = w.coordinator;
  fundId = (
    await w.funding.createFund(c, w.slug, {
      source: 'Police and Crime Commissioner',
      name: 'Crime Reduction Grant',
      year: '2023/24',
      amount: '10,000',
      status: 'confirmed',
      confirmedOn: '2023-04-01',
      priorities: 'Anti-social behaviour\nSerious violence',
      workingGroupId: String(w.groupId),
      voteThreshold: 'majority',
    })
  ).id;
  await w.funding.splitPots(c, w.slug, fundId, {
    mode: 'amounts',
    pots: [
      { name: 'Projects', amount: '8,000' },
      { name: 'Tactical', amount: '2,000' },
    ],
  });
  potId = (await w.funding.fund(c, w.slug, fundId)).pots[0]?.id ?? 0;
});
afterAll(async () => t.close());

describe('bad input', () => {
  it.each([
    ['-5', 'Amount must be £0 or more'],
    ['five pounds', 'Enter an amount in pounds, like £1,500 or £1,234.56'],
    ['12.345', 'Amount must have 2 decimal places or fewer, like £1,234.56'],
    ['0', 'Amount must be more than £0'],
    ['', 'Enter the amount requested, like £4,200'],
  ])('refuses %j as an amount requested', async (requested, message) => {
    expect(
      await fieldErrorsOf(
        w.funding.proposals.submitProposal(w.lead, w.slug, fundId, proposal('X', { requested })),
      ),
    ).toEqual({ requested: message });
  });

  it('refuses a split that does not add up, and keeps the pots as they were', async () => {
    expect(
      await fieldErrorsOf(
        w.funding.splitPots(c, w.slug, fundId, {
          mode: 'amounts',
          pots: [
            { name: 'Projects', amount: '8,000' },
            { name: 'Tactical', amount: '2,000.01' },
          ],
        }),
      ),
    ).toEqual({ pots: 'The pots add up to £10,000.01, £0.01 more than the fund of £10,000' });
    const fund = await w.funding.fund(c, w.slug, fundId);
    expect(fund.pots.map((p) => p.allocated)).toEqual([800_000, 200_000]);
  });

  it('refuses a fund confirmed without a date, and names fields it cannot read', async () => {
    expect(
      await fieldErrorsOf(
        w.funding.createFund(c, w.slug, {
          source: '',
          name: 'Grant',
          year: '2023/25',
          amount: '1.999',
          status: 'confirmed',
          voteThreshold: 'unanimous',
        }),
      ),
    ).toEqual({
      source: 'Enter who gives the fund, like Police and Crime Commissioner',
      year: 'A financial year runs over two years in a row: 2023/24',
      amount: 'Amount must have 2 decimal places or fewer, like £1,234.56',
      voteThreshold: 'Select the threshold a vote must meet: consensus or majority',
    });
    expect(
      await fieldErrorsOf(
        w.funding.createFund(c, w.slug, {
          source: 'PCC',
          name: 'Grant',
          year: '2023/24',
          amount: '1',
          status: 'confirmed',
          voteThreshold: 'majority',
        }),
      ),
    ).toEqual({ confirmedOn: 'Enter the date the amount was confirmed, like 30/06/2023' });
  });

  it('refuses another partnership’s agency, pot or theme on a proposal', async () => {
    expect(
      await fieldErrorsOf(
        w.funding.proposals.submitProposal(
          w.lead,
          w.slug,
          fundId,
          proposal('X', { leadAgencyId: '99999', potId: '99999', themeIds: ['99999'] }),
        ),
      ),
    ).toEqual({
      leadAgencyId: 'Select one of the partnership’s agencies as the lead agency',
      potId: 'Select one of the fund’s pots',
      themeIds: 'Select themes of the partnership’s plans',
    });
  });
});

describe('votes and thresholds', () => {
  let id: number;

  beforeAll(async () => {
    w.clock.set('2023-04-10');
    id = (
      await w.funding.proposals.submitProposal(w.lead, w.slug, fundId, proposal('Youth diversion'))
    ).id;
  });

  it('refuses votes before voting opens, and shortlisting without a vote', async () => {
    const [v1] = w.voters as [Actor];
    expect(
      await fieldErrorsOf(w.funding.proposals.vote(v1, w.slug, id, { choice: 'support' })),
    ).toEqual({
      choice: 'Voting on this proposal is not open',
    });
    expect(
      await fieldErrorsOf(
        w.funding.proposals.moveStage(c, w.slug, id, { to: 'shortlisted', reason: 'x' }),
      ),
    ).toEqual({ to: 'Open a vote on the proposal and let it close before shortlisting it' });
  });

  it('takes one vote per member, changed only on purpose, until the window closes', async () => {
    const [v1, v2, v3] = w.voters as [Actor, Actor, Actor];
    await w.funding.proposals.openVoting(c, w.slug, id, { closesOn: '2023-04-17' });
    expect(await w.funding.proposals.vote(v1, w.slug, id, { choice: 'oppose' })).toMatchObject({
      oppose: 1,
      members: 3,
      met: false,
    });
    expect(
      await fieldErrorsOf(w.funding.proposals.vote(v1, w.slug, id, { choice: 'support' })),
    ).toEqual({
      choice: 'You have already voted on this proposal: change your vote instead',
    });
    await w.funding.proposals.vote(v2, w.slug, id, { choice: 'support' });
    await w.funding.proposals.vote(v3, w.slug, id, { choice: 'abstain' });
    expect(await refusal(w.funding.proposals.vote(w.lead, w.slug, id, { choice: 'support' }))).toBe(
      403,
    );
    expect(
      await w.funding.proposals.vote(v1, w.slug, id, { choice: 'support' }, { change: true }),
    ).toMatchObject({ support: 2, oppose: 0, abstain: 1, voted: 3, met: true });
    expect(
      await fieldErrorsOf(
        w.funding.proposals.moveStage(c, w.slug, id, { to: 'shortlisted', reason: 'x' }),
      ),
    ).toEqual({
      to: 'Voting on this proposal is still open: wait until it closes to shortlist it',
    });
    w.clock.set('2023-04-18');
    expect(
      await fieldErrorsOf(
        w.funding.proposals.vote(v1, w.slug, id, { choice: 'oppose' }, { change: true }),
      ),
    ).toEqual({ choice: 'Voting on this proposal has closed' });
    await w.funding.proposals.moveStage(c, w.slug, id, {
      to: 'shortlisted',
      reason: 'Majority support',
    });
    const p = await w.funding.proposals.proposal(c, w.slug, id);
    expect(p.voting.tally).toMatchObject({ support: 2, abstain: 1, met: true });
    expect(p.history.map((h) => [h.from, h.to, h.reason])).toEqual([
      [null, 'received', 'Proposal submitted'],
      ['received', 'shortlisted', 'Majority support'],
    ]);
  });

  it('refuses to shortlist when the threshold is not met', async () => {
    w.clock.set('2023-04-10');
    const other = (
      await w.funding.proposals.submitProposal(w.lead, w.slug, fundId, proposal('Other'))
    ).id;
    await w.funding.proposals.openVoting(c, w.slug, other, { closesOn: '2023-04-11' });
    const [v1, v2] = w.voters as [Actor, Actor];
    await w.funding.proposals.vote(v1, w.slug, other, { choice: 'support' });
    await w.funding.proposals.vote(v2, w.slug, other, { choice: 'oppose' });
    w.clock.set('2023-04-12');
    expect(
      await fieldErrorsOf(
        w.funding.proposals.moveStage(c, w.slug, other, { to: 'shortlisted', reason: 'x' }),
      ),
    ).toEqual({
      to: 'The vote has not met the fund’s threshold, so the proposal cannot be shortlisted',
    });
  });
});

describe('approval, spend and delivery', () => {
  let id: number;

  beforeAll(async () => {
    w.clock.set('2023-05-01');
    id = (
      await w.funding.proposals.submitProposal(w.lead, w.slug, fundId, proposal('Street lighting'))
    ).id;
    await w.funding.proposals.openVoting(c, w.slug, id, { closesOn: '2023-05-02' });
    for (const v of w.voters) await w.funding.proposals.vote(v, w.slug, id, { choice: 'support' });
    w.clock.set('2023-05-03');
    for (const to of ['shortlisted', 'detail-requested', 'submitted'])
      await w.funding.proposals.moveStage(c, w.slug, id, { to, reason: 'Next step' });
  });

  it('refuses a manual approval and an approval without both decisions', async () => {
    expect(
      await fieldErrorsOf(
        w.funding.proposals.moveStage(c, w.slug, id, { to: 'approved', reason: 'x' }),
      ),
    ).toEqual({ to: 'Record the chair’s and the funder’s decisions to approve a proposal' });
    const stage = await w.funding.proposals.decide(c, w.slug, id, {
      decider: 'chair',
      decision: 'approve',
      amount: '1,000',
      decidedOn: '2023-05-04',
    });
    expect(stage).toBe('pending');
    expect((await w.funding.fund(c, w.slug, fundId)).proposals).toContainEqual(
      expect.objectContaining({ id, stage: 'pending', stageLabel: 'Pending', approved: null }),
    );
    expect(
      await w.funding.proposals.decide(c, w.slug, id, {
        decider: 'funder',
        decision: 'approve',
        amount: '1,000',
        decidedOn: '2023-05-10',
      }),
    ).toBe('approved');
  });

  it('refuses spend beyond the approved amount without a reason, then records it with one', async () => {
    await w.funding.proposals.moveStage(c, w.slug, id, { to: 'in-delivery', reason: 'Started' });
    await w.funding.proposals.recordSpend(c, w.slug, id, { paidOn: '2023-06-01', amount: '900' });
    expect(
      await fieldErrorsOf(
        w.funding.proposals.recordSpend(c, w.slug, id, { paidOn: '2023-06-02', amount: '100.01' }),
      ),
    ).toEqual({
      overrideReason:
        'Spending £100.01 is more than the £100 of the approved amount not yet spent: give a reason to record it anyway',
    });
    await w.funding.proposals.recordSpend(c, w.slug, id, {
      paidOn: '2023-06-02',
      amount: '100.01',
      overrideReason: 'Invoice came in a penny over',
    });
    const p = await w.funding.proposals.proposal(c, w.slug, id);
    expect(p.spent).toBe(100_001);
    const events = await historyOf(t.services.db, 'funding-proposal', id);
    expect(events.at(-1)?.summary).toContain(
      'past the approved amount: Invoice came in a penny over',
    );
  });

  it('cannot mark a project delivered without an outcome entry', async () => {
    expect(
      await fieldErrorsOf(
        w.funding.proposals.moveStage(c, w.slug, id, { to: 'delivered', reason: 'Done' }),
      ),
    ).toEqual({ to: 'Record the project’s outcomes before marking it delivered' });
    await w.funding.proposals.recordOutcome(w.lead, w.slug, id, {
      sessionsDelivered: '4',
      reach: 'Residents: 1,200\nBusinesses: 35',
      feedback: '9 in 10 felt safer',
      evidenceLinks: 'https://example.org/lighting-report',
    });
    await w.funding.proposals.moveStage(c, w.slug, id, { to: 'delivered', reason: 'Done' });
    const p = await w.funding.proposals.proposal(w.viewer, w.slug, id);
    expect(p.outcomes[0]).toMatchObject({
      sessionsDelivered: 4,
      reach: [
        { audience: 'Residents', people: 1200 },
        { audience: 'Businesses', people: 35 },
      ],
    });
  });

  it('refuses an outcome line it cannot read and an empty outcome', async () => {
    expect(
      await fieldErrorsOf(
        w.funding.proposals.recordOutcome(c, w.slug, id, { reach: 'lots of people' }),
      ),
    ).toEqual({
      reach:
        'Write each line of people reached as an audience, a colon and a number, like Pupils: 900',
    });
    expect(await fieldErrorsOf(w.funding.proposals.recordOutcome(c, w.slug, id, {}))).toEqual({
      narrative: 'Enter at least one outcome: sessions, people reached, feedback or a narrative',
    });
  });
});

describe('who can do what', () => {
  let own: number;
  let approvedId: number;

  beforeAll(async () => {
    w.clock.set('2023-07-01');
    own = (await w.funding.proposals.submitProposal(w.lead, w.slug, fundId, proposal('Lead’s own')))
      .id;
    approvedId = (
      (await w.funding.fund(c, w.slug, fundId)).proposals.find((p) => p.stage === 'delivered') ?? {
        id: 0,
      }
    ).id;
  });

  it('shows a received proposal to its author, the working group and coordinators only', async () => {
    const [v1] = w.voters as [Actor];
    expect((await w.funding.proposals.proposal(w.lead, w.slug, own)).title).toBe('Lead’s own');
    expect((await w.funding.proposals.proposal(v1, w.slug, own)).title).toBe('Lead’s own');
    expect((await w.funding.proposals.proposal(c, w.slug, own)).can.manage).toBe(true);
    expect(await refusal(w.funding.proposals.proposal(w.viewer, w.slug, own))).toBe(404);
    expect(await refusal(w.funding.proposals.proposal(w.outsider, w.slug, own))).toBe(404);
  });

  it('lets viewers read approved projects and their outcomes, and nothing else', async () => {
    const fund = await w.funding.fund(w.viewer, w.slug, fundId);
    expect(fund.proposals.map((p) => p.stage)).toEqual(['delivered']);
    expect(
      (await w.funding.proposals.proposal(w.viewer, w.slug, approvedId)).outcomes,
    ).toHaveLength(1);
    expect(
      (await w.funding.proposals.proposal(w.viewer, w.slug, approvedId)).voting.votes,
    ).toBeNull();
    expect(
      await refusal(w.funding.proposals.submitProposal(w.viewer, w.slug, fundId, proposal('V'))),
    ).toBe(403);
  });

  it('lets the author edit until shortlisting, and nobody else but coordinators', async () => {
    await w.funding.proposals.updateProposal(w.lead, w.slug, own, proposal('Lead’s own, revised'));
    const [v1] = w.voters as [Actor];
    expect(
      await refusal(w.funding.proposals.updateProposal(v1, w.slug, own, proposal('Not theirs'))),
    ).toBe(403);
    expect((await w.funding.proposals.proposal(w.lead, w.slug, own)).title).toBe(
      'Lead’s own, revised',
    );
    await w.funding.proposals.openVoting(c, w.slug, own, { closesOn: '2023-07-01' });
    await w.funding.proposals.vote(v1, w.slug, own, { choice: 'support' });
    w.clock.set('2023-07-02');
    await w.funding.proposals.moveStage(c, w.slug, own, { to: 'shortlisted', reason: 'Supported' });
    expect(
      await fieldErrorsOf(
        w.funding.proposals.updateProposal(w.lead, w.slug, own, proposal('Late')),
      ),
    ).toEqual({
      title: 'Only proposals still being received can be changed',
    });
    await w.funding.proposals.updateProposal(c, w.slug, own, proposal('Coordinator’s edit'));
  });

  it('keeps coordinators’ work to coordinators', async () => {
    const [v1] = w.voters as [Actor];
    for (const who of [w.lead, v1, w.viewer]) {
      expect(
        await refusal(
          w.funding.proposals.moveStage(who, w.slug, approvedId, { to: 'declined', reason: 'x' }),
        ),
      ).toBe(403);
      expect(
        await refusal(
          w.funding.vire(who, w.slug, fundId, {
            fromPotId: '1',
            toPotId: '2',
            amount: '1',
            reason: 'x',
          }),
        ),
      ).toBe(403);
      expect(
        await refusal(
          w.funding.proposals.recordSpend(who, w.slug, approvedId, {
            paidOn: '2023-07-01',
            amount: '1',
          }),
        ),
      ).toBe(403);
      expect(
        await refusal(w.funding.closeYear(who, w.slug, fundId, { closedOn: '2024-03-31' })),
      ).toBe(403);
    }
  });

  it('answers 404 to another partnership for every record of the fund', async () => {
    const o = w.outsider;
    expect(await refusal(w.funding.fund(o, w.slug, fundId))).toBe(404);
    expect(await refusal(w.funding.fund(o, w.outsiderSlug, fundId))).toBe(404);
    expect(await refusal(w.funding.proposals.proposal(o, w.slug, approvedId))).toBe(404);
    expect(await refusal(w.funding.proposals.proposal(o, w.outsiderSlug, approvedId))).toBe(404);
    expect(
      await refusal(
        w.funding.proposals.recordSpend(o, w.outsiderSlug, approvedId, {
          paidOn: '2023-07-01',
          amount: '1',
        }),
      ),
    ).toBe(404);
    expect(
      await refusal(w.funding.proposals.submitProposal(o, w.slug, fundId, proposal('X'))),
    ).toBe(404);
    expect(await w.funding.listFunds(o)).toEqual([]);
  });

  it('lets the author withdraw their own proposal, recording why', async () => {
    await w.funding.proposals.moveStage(w.lead, w.slug, own, {
      to: 'withdrawn',
      reason: 'Funded elsewhere',
    });
    const p = await w.funding.proposals.proposal(w.lead, w.slug, own);
    expect(p.history.at(-1)).toMatchObject({
      from: 'shortlisted',
      to: 'withdrawn',
      reason: 'Funded elsewhere',
    });
  });
});

describe('changing a fund', () => {
  const input = (more: Record<string, unknown> = {}) => ({
    source: 'Police and Crime Commissioner',
    name: 'Crime Reduction Grant',
    year: '2023/24',
    amount: '10,000',
    status: 'confirmed',
    confirmedOn: '2023-04-01',
    priorities: 'Serious violence\nAnti-social behaviour\nSafer streets',
    workingGroupId: String(w.groupId),
    voteThreshold: 'majority',
    ...more,
  });

  it('keeps proposals’ priority tags when the priorities are reordered or added to', async () => {
    w.clock.set('2023-08-01');
    const asb = (await w.funding.fund(c, w.slug, fundId)).priorities.find(
      (p) => p.title === 'Anti-social behaviour',
    );
    const { id } = await w.funding.proposals.submitProposal(
      w.lead,
      w.slug,
      fundId,
      proposal('Tagged', { priorityIds: [String(asb?.id)] }),
    );
    await w.funding.updateFund(c, w.slug, fundId, input());
    const fund = await w.funding.fund(c, w.slug, fundId);
    expect(fund.priorities.map((p) => p.title)).toEqual([
      'Serious violence',
      'Anti-social behaviour',
      'Safer streets',
    ]);
    expect((await w.funding.proposals.proposal(c, w.slug, id)).priorities).toEqual([
      { id: asb?.id, title: 'Anti-social behaviour' },
    ]);
  });

  it('changes the amount of a fund split into pots only on the pots form, splitting it again', async () => {
    expect(
      await fieldErrorsOf(w.funding.updateFund(c, w.slug, fundId, input({ amount: '9,000' }))),
    ).toEqual({
      amount:
        'The fund is split into pots of £10,000: change its amount on the pots page, which splits the new amount',
    });
    await w.funding.splitPots(c, w.slug, fundId, {
      mode: 'shares',
      fundAmount: '9,000.01',
      remainderTo: '1',
      pots: [
        { name: 'Projects', share: '3' },
        { name: 'Tactical', share: '1' },
      ],
    });
    const fund = await w.funding.fund(c, w.slug, fundId);
    expect(fund.amount).toBe(900_001);
    expect(fund.pots.map((p) => [p.allocated, p.remainder])).toEqual([
      [675_000, 0],
      [225_001, 1],
    ]);
  });
});
