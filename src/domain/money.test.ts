import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approve,
  formatMoney,
  fundTotals,
  MoneyError,
  moneyMessages,
  openLedger,
  parseMoney,
  penceToInput,
  potTotals,
  spend,
  splitByAmounts,
  splitByShares,
  vire,
  yearEnd,
  type Ledger,
} from './money.js';

describe('parseMoney', () => {
  it.each([
    ['£39,661', 3_966_100],
    ['39661.5', 3_966_150],
    ['1,234.56', 123_456],
    [' £ 12 ', 1_200],
    ['0.07', 7],
    ['.5', 50],
    ['12.', 1_200],
    ['1.230', 123],
    ['0', 0],
    ['007', 700],
  ])('reads %s as %i pence', (text, pence) => {
    expect(parseMoney(text)).toEqual({ pence });
  });

  it.each([
    ['', moneyMessages.empty],
    ['twelve', moneyMessages.notNumber],
    ['£', moneyMessages.notNumber],
    ['1,23', moneyMessages.notNumber],
    ['12,3456', moneyMessages.notNumber],
    ['1.2.3', moneyMessages.notNumber],
    ['1e3', moneyMessages.notNumber],
    ['$12', moneyMessages.notNumber],
    ['-5', moneyMessages.negative],
    ['-£5', moneyMessages.negative],
    ['£-5', moneyMessages.negative],
    ['1.234', moneyMessages.tooManyDecimals],
    ['0.001', moneyMessages.tooManyDecimals],
    ['1000000000', moneyMessages.tooLarge],
  ])('refuses %j', (text, error) => {
    expect(parseMoney(text)).toEqual({ error });
  });

  it('reads back whatever it formats, for any amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (pence) => {
        expect(parseMoney(formatMoney(pence))).toEqual({ pence });
        expect(parseMoney(penceToInput(pence))).toEqual({ pence });
      }),
    );
  });
});

describe('formatMoney', () => {
  it('writes whole pounds without pence and other amounts with two places', () => {
    expect(formatMoney(3_966_100)).toBe('£39,661');
    expect(formatMoney(123_456)).toBe('£1,234.56');
    expect(formatMoney(5)).toBe('£0.05');
    expect(formatMoney(0)).toBe('£0');
    expect(formatMoney(-1_250)).toBe('-£12.50');
    expect(formatMoney(100, { pence: 'always' })).toBe('£1.00');
  });

  it('refuses fractions of a penny', () => {
    expect(() => formatMoney(1.5)).toThrow(MoneyError);
  });
});

describe('splitByShares', () => {
  it('splits £39,661 two thirds and one third as £26,440 and £13,221, the £1 left to the tactical pot', () => {
    const split = splitByShares(3_966_100, [2, 1], { remainderTo: 1 });
    expect(split.parts).toEqual([2_644_000, 1_322_100]);
    expect(split.remainderPence).toBe(100);
    expect(split.remainderTo).toBe(1);
  });

  it('puts the remainder where it is told to, and splits to the penny when asked', () => {
    expect(splitByShares(3_966_100, [2, 1], { remainderTo: 0 }).parts).toEqual([
      2_644_100, 1_322_000,
    ]);
    const byPence = splitByShares(3_966_100, [2, 1], { remainderTo: 1, unit: 1 });
    expect(byPence.parts).toEqual([2_644_066, 1_322_034]);
    expect(byPence.remainderPence).toBe(1);
  });

  it('gives pence below a whole pound to the remainder pot', () => {
    const split = splitByShares(1_050, [1, 1], { remainderTo: 0 });
    expect(split.parts).toEqual([550, 500]);
    expect(split.remainderPence).toBe(50);
  });

  it('refuses shares that cannot split anything', () => {
    expect(() => splitByShares(100, [], { remainderTo: 0 })).toThrow(MoneyError);
    expect(() => splitByShares(100, [0, 0], { remainderTo: 0 })).toThrow(MoneyError);
    expect(() => splitByShares(100, [1, -1], { remainderTo: 0 })).toThrow(MoneyError);
    expect(() => splitByShares(100, [1, 1], { remainderTo: 2 })).toThrow(MoneyError);
  });

  it('always adds up exactly, every part within one unit per part of its share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999_999 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom<1 | 100>(1, 100),
        fc.nat(),
        (total, weights, unit, pick) => {
          fc.pre(weights.some((w) => w > 0));
          const remainderTo = pick % weights.length;
          const { parts, remainderPence } = splitByShares(total, weights, { remainderTo, unit });
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          expect(parts.every((p) => Number.isSafeInteger(p) && p >= 0)).toBe(true);
          expect(remainderPence).toBeGreaterThanOrEqual(0);
          expect(remainderPence).toBeLessThan(unit * weights.length + unit);
        },
      ),
    );
  });
});

describe('splitByAmounts', () => {
  it('accepts pots that add up to the fund', () => {
    expect(splitByAmounts(3_966_100, [2_644_000, 1_322_100]).parts).toEqual([2_644_000, 1_322_100]);
  });

  it('refuses pots that miss the fund, saying by how much', () => {
    expect(() => splitByAmounts(3_966_100, [2_644_000, 1_322_000])).toThrow(
      'The pots add up to £39,660, £1 less than the fund of £39,661',
    );
    expect(() => splitByAmounts(100, [60, 50])).toThrow('£0.10 more than the fund');
  });
});

describe('the ledger of a fund', () => {
  const pots = [
    { id: 'upfront', name: 'upfront pot', allocated: 2_644_000 },
    { id: 'tactical', name: 'tactical pot', allocated: 1_322_100 },
  ];

  it('reproduces a year: £39,661 granted, £27,765 spent, £11,896 returned', () => {
    let l = openLedger(3_966_100, pots);
    // More than the upfront pot was spent: the last project came out of the tactical pot.
    const projects: [string, string, number][] = [
      ['a', 'upfront', 1_300_000],
      ['b', 'upfront', 460_000],
      ['c', 'upfront', 546_000],
      ['d', 'tactical', 470_500],
    ];
    for (const [id, potId, amount] of projects) {
      l = approve(l, { projectId: id, potId, amount });
      l = spend(l, { projectId: id, amount });
    }
    expect(yearEnd(l)).toEqual({ granted: 3_966_100, spent: 2_776_500, returned: 1_189_600 });
  });

  it('refuses to approve past a pot without an override, and shows the pot overcommitted with one', () => {
    let l = openLedger(3_966_100, pots);
    l = approve(l, { projectId: 'a', potId: 'tactical', amount: 1_300_000 });
    expect(() => approve(l, { projectId: 'b', potId: 'tactical', amount: 30_000 })).toThrow(
      'Approving £300 is more than the £221 left in the tactical pot',
    );
    l = approve(l, { projectId: 'b', potId: 'tactical', amount: 30_000, override: true });
    expect(potTotals(l, 'tactical')).toMatchObject({ committed: 1_330_000, remaining: -7_900 });
  });

  it('refuses spend past the approved amount without an override', () => {
    let l = openLedger(10_000, [{ id: 'p', name: 'pot', allocated: 10_000 }]);
    l = approve(l, { projectId: 'a', potId: 'p', amount: 5_000 });
    l = spend(l, { projectId: 'a', amount: 4_000 });
    expect(() => spend(l, { projectId: 'a', amount: 1_001 })).toThrow(
      /more than the £10 of the approved/,
    );
    expect(fundTotals(spend(l, { projectId: 'a', amount: 1_001, override: true })).spent).toBe(
      5_001,
    );
  });

  it('moves only what is not committed between pots', () => {
    let l = openLedger(3_966_100, pots);
    l = approve(l, { projectId: 'a', potId: 'upfront', amount: 2_000_000 });
    expect(() => vire(l, { fromPotId: 'upfront', toPotId: 'tactical', amount: 644_001 })).toThrow(
      'Only £6,440 of the upfront pot is not committed',
    );
    l = vire(l, { fromPotId: 'upfront', toPotId: 'tactical', amount: 644_000 });
    expect(l.pots.map((p) => p.allocated)).toEqual([2_000_000, 1_966_100]);
  });

  type Op =
    | { kind: 'approve'; pot: number; amount: number; override: boolean }
    | { kind: 'vire'; from: number; to: number; amount: number }
    | { kind: 'spend'; project: number; amount: number; override: boolean };

  const amount = fc.integer({ min: -10, max: 2_000_000 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant('approve' as const),
      pot: fc.nat(3),
      amount,
      override: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('vire' as const), from: fc.nat(3), to: fc.nat(3), amount }),
    fc.record({
      kind: fc.constant('spend' as const),
      project: fc.nat(20),
      amount,
      override: fc.boolean(),
    }),
  );

  it('loses no penny over any sequence of approvals, virements and spends', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.array(op, { maxLength: 60 }),
        (fund, weights, ops) => {
          const split = splitByShares(fund, weights, { remainderTo: weights.length - 1, unit: 1 });
          let l: Ledger = openLedger(
            fund,
            split.parts.map((allocated, i) => ({ id: `pot${i}`, name: `pot ${i}`, allocated })),
          );
          let paid = 0;
          let next = 0;
          for (const o of ops) {
            const before = l;
            try {
              if (o.kind === 'approve') {
                l = approve(l, {
                  projectId: `p${next}`,
                  potId: `pot${o.pot % weights.length}`,
                  amount: o.amount,
                  override: o.override,
                });
                next += 1;
              } else if (o.kind === 'vire') {
                l = vire(l, {
                  fromPotId: `pot${o.from % weights.length}`,
                  toPotId: `pot${o.to % weights.length}`,
                  amount: o.amount,
                });
              } else {
                l = spend(l, {
                  projectId: `p${o.project}`,
                  amount: o.amount,
                  override: o.override,
                });
                paid += o.amount;
              }
            } catch (e) {
              expect(e).toBeInstanceOf(MoneyError);
              expect(l).toBe(before);
            }
            // The pots always add up to the fund, and each pot's committed and remaining
            // amounts add up to what it was given.
            expect(l.pots.reduce((a, p) => a + p.allocated, 0)).toBe(fund);
            for (const p of l.pots) {
              const t = potTotals(l, p.id);
              expect(t.committed + t.remaining).toBe(t.allocated);
            }
            const t = fundTotals(l);
            expect(t.spent).toBe(paid);
            const end = yearEnd(l);
            expect(end.spent + end.returned - t.overspend).toBe(fund);
            // Without overrides, nothing is committed past a pot or spent past an approval.
            if (!ops.some((x) => 'override' in x && x.override)) {
              expect(l.pots.every((p) => potTotals(l, p.id).remaining >= 0)).toBe(true);
              expect(end.returned).toBe(fund - paid);
            }
          }
        },
      ),
    );
  });
});
