import { describe, expect, it } from 'vitest';
import {
  assertMove,
  canMove,
  outcomeOfDecisions,
  StageError,
  STAGES,
  tally,
  type Stage,
} from './funding-stages.js';

const allowed: [Stage, Stage][] = [
  ['received', 'shortlisted'],
  ['received', 'declined'],
  ['received', 'withdrawn'],
  ['shortlisted', 'detail-requested'],
  ['shortlisted', 'declined'],
  ['shortlisted', 'withdrawn'],
  ['detail-requested', 'submitted'],
  ['detail-requested', 'declined'],
  ['detail-requested', 'withdrawn'],
  ['submitted', 'approved'],
  ['submitted', 'pending'],
  ['submitted', 'declined'],
  ['submitted', 'withdrawn'],
  ['pending', 'approved'],
  ['pending', 'declined'],
  ['pending', 'withdrawn'],
  ['approved', 'in-delivery'],
  ['approved', 'withdrawn'],
  ['in-delivery', 'delivered'],
  ['in-delivery', 'withdrawn'],
];
const key = (from: Stage, to: Stage) => `${from}→${to}`;
const allowedKeys = new Set(allowed.map(([f, t]) => key(f, t)));
const pairs = STAGES.flatMap((from) => STAGES.map((to) => [from, to] as [Stage, Stage]));

describe('the stage machine', () => {
  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(canMove(from, to)).toBe(true);
    expect(() => {
      assertMove(from, to);
    }).not.toThrow();
  });

  it.each(pairs.filter(([f, t]) => !allowedKeys.has(key(f, t))))('refuses %s → %s', (from, to) => {
    expect(canMove(from, to)).toBe(false);
    expect(() => {
      assertMove(from, to);
    }).toThrow(StageError);
  });

  it('explains a refusal in words', () => {
    expect(() => {
      assertMove('received', 'approved');
    }).toThrow('A proposal cannot move from received to approved');
    expect(() => {
      assertMove('delivered', 'in-delivery');
    }).toThrow('The proposal is delivered, so its stage cannot change');
    expect(() => {
      assertMove('pending', 'pending');
    }).toThrow('The proposal is already pending');
  });
});

describe('votes', () => {
  it('meets consensus with support and no opposition, abstentions aside', () => {
    expect(tally(['support', 'abstain', 'support'], 5, 'consensus')).toEqual({
      support: 2,
      oppose: 0,
      abstain: 1,
      voted: 3,
      members: 5,
      met: true,
    });
    expect(tally(['support', 'support', 'oppose'], 3, 'consensus').met).toBe(false);
    expect(tally(['abstain'], 3, 'consensus').met).toBe(false);
    expect(tally([], 3, 'consensus').met).toBe(false);
  });

  it('meets a majority with more support than opposition', () => {
    expect(tally(['support', 'support', 'oppose'], 3, 'majority').met).toBe(true);
    expect(tally(['support', 'oppose'], 3, 'majority').met).toBe(false);
    expect(tally(['support', 'oppose', 'abstain', 'abstain'], 4, 'majority').met).toBe(false);
  });
});

describe('decisions', () => {
  it('approves only when the chair and the funder both approve the same amount', () => {
    expect(outcomeOfDecisions([])).toEqual({ stage: 'pending' });
    expect(outcomeOfDecisions([{ decider: 'chair', decision: 'approve', amount: 500 }])).toEqual({
      stage: 'pending',
    });
    expect(
      outcomeOfDecisions([
        { decider: 'chair', decision: 'approve', amount: 500 },
        { decider: 'funder', decision: 'pending', amount: null },
      ]),
    ).toEqual({ stage: 'pending' });
    expect(
      outcomeOfDecisions([
        { decider: 'chair', decision: 'approve', amount: 500 },
        { decider: 'funder', decision: 'approve', amount: 500 },
      ]),
    ).toEqual({ stage: 'approved', amount: 500 });
  });

  it('declines when either declines, and refuses two different approved amounts', () => {
    expect(
      outcomeOfDecisions([
        { decider: 'chair', decision: 'approve', amount: 500 },
        { decider: 'funder', decision: 'decline', amount: null },
      ]),
    ).toEqual({ stage: 'declined' });
    expect(() =>
      outcomeOfDecisions([
        { decider: 'chair', decision: 'approve', amount: 420_000 },
        { decider: 'funder', decision: 'approve', amount: 544_000 },
      ]),
    ).toThrow(StageError);
  });
});
