import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, decimal, fraction, rank, weightedScore } from './priority-scores.js';

describe('weightedScore', () => {
  it('adds each weight times the mean of the scores given on the criterion', () => {
    const criteria = [
      { id: 1, weight: 3 },
      { id: 2, weight: 1 },
    ];
    // 3 × (4 + 5) / 2 + 1 × (2 + 2 + 3) / 3 = 13.5 + 7/3 = 95/6
    const { score } = weightedScore(
      criteria,
      new Map([
        [1, [4, 5]],
        [2, [2, 2, 3]],
      ]),
    );
    expect(score).toEqual(fraction(95n, 6n));
    expect(score && decimal(score)).toBe('15.83');
  });

  it('cannot score a candidate a weighted criterion has no scores on, but ignores weight 0', () => {
    const criteria = [
      { id: 1, weight: 2 },
      { id: 2, weight: 0 },
    ];
    expect(weightedScore(criteria, new Map([[2, [5]]])).score).toBeNull();
    expect(weightedScore(criteria, new Map([[1, [5]]])).score).toEqual(fraction(10n));
  });

  it('ties candidates whose exact scores are equal, however the thirds fall', () => {
    // 3 × 4/3 against 2 + 1 + 1: both exactly 4.
    const criteria = [
      { id: 1, weight: 1 },
      { id: 2, weight: 1 },
      { id: 3, weight: 1 },
    ];
    const a = weightedScore(
      criteria,
      new Map([
        [1, [1, 1, 2]],
        [2, [1, 1, 2]],
        [3, [1, 1, 2]],
      ]),
    ).score;
    const b = weightedScore(
      criteria,
      new Map([
        [1, [2]],
        [2, [1]],
        [3, [1, 1, 1]],
      ]),
    ).score;
    expect(a && b && compare(a, b)).toBe(0);
  });
});

describe('rank', () => {
  it('shares a rank between equal scores and skips the next', () => {
    const items = [
      { n: 'a', s: fraction(5n) },
      { n: 'b', s: fraction(7n) },
      { n: 'c', s: fraction(14n, 2n) },
      { n: 'd', s: null },
      { n: 'e', s: fraction(1n) },
    ];
    const ranked = rank(items, (x) => x.s).map((r) => [r.item.n, r.rank, r.tied]);
    expect(ranked).toEqual([
      ['b', 1, true],
      ['c', 1, true],
      ['a', 3, false],
      ['e', 4, false],
      ['d', null, false],
    ]);
  });

  it('orders any scores highest first, with equal ranks exactly for equal scores', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 6 }))),
        (pairs) => {
          const items = pairs.map(([n, d]) => fraction(BigInt(n), BigInt(d)));
          const ranked = rank(items, (x) => x);
          for (let i = 1; i < ranked.length; i += 1) {
            const prev = ranked[i - 1];
            const cur = ranked[i];
            if (!prev || !cur) throw new Error('missing');
            const c = compare(prev.item, cur.item);
            expect(c).toBeGreaterThanOrEqual(0);
            expect(c === 0).toBe(prev.rank === cur.rank);
          }
        },
      ),
    );
  });
});

describe('decimal', () => {
  it('rounds half away from zero', () => {
    expect(decimal(fraction(1n, 8n))).toBe('0.13');
    expect(decimal(fraction(2n, 3n))).toBe('0.67');
    expect(decimal(fraction(12n))).toBe('12.00');
  });
});
