/**
 * The arithmetic of priority setting, exact: a candidate's weighted score is the sum over the
 * criteria of the criterion's weight times the mean of the partners' scores on it. Means are
 * kept as fractions of whole numbers, so two candidates are tied exactly when their scores are
 * equal, never by the luck of binary rounding.
 */

/** A fraction in lowest terms with a positive denominator. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function fraction(num: bigint, den: bigint = 1n): Fraction {
  if (den === 0n) throw new RangeError('A fraction cannot have a zero denominator');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

export function add(a: Fraction, b: Fraction): Fraction {
  return fraction(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function compare(a: Fraction, b: Fraction): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The fraction to `places` decimal places, rounded half away from zero: "12.67". */
export function decimal(f: Fraction, places = 2): string {
  const scale = 10n ** BigInt(places);
  const negative = f.num < 0n;
  const n = (negative ? -f.num : f.num) * scale;
  let q = n / f.den;
  if ((n % f.den) * 2n >= f.den) q += 1n;
  const whole = (q / scale).toString();
  const part = (q % scale).toString().padStart(places, '0');
  return `${negative && q !== 0n ? '-' : ''}${whole}${places ? `.${part}` : ''}`;
}

export interface CriterionWeight {
  id: number;
  weight: number;
}

/** Scores given to one candidate: by criterion id, every partner's score on it. */
export type CandidateScores = ReadonlyMap<number, readonly number[]>;

export interface WeightedScore {
  /** Null when a weighted criterion has no score yet: the candidate cannot be ranked. */
  score: Fraction | null;
  /** Each criterion's mean, null where nobody has scored it. */
  means: Map<number, Fraction | null>;
}

/** Σ weight × mean, over the criteria; null when a criterion with a weight has no scores. */
export function weightedScore(
  criteria: readonly CriterionWeight[],
  scores: CandidateScores,
): WeightedScore {
  let total = fraction(0n);
  let complete = true;
  const means = new Map<number, Fraction | null>();
  for (const c of criteria) {
    const given = scores.get(c.id) ?? [];
    if (given.length === 0) {
      means.set(c.id, null);
      if (c.weight !== 0) complete = false;
      continue;
    }
    const mean = fraction(
      given.reduce((s, x) => s + BigInt(x), 0n),
      BigInt(given.length),
    );
    means.set(c.id, mean);
    total = add(total, fraction(mean.num * BigInt(c.weight), mean.den));
  }
  return { score: complete ? total : null, means };
}

export interface Ranked<T> {
  item: T;
  /** 1 for the highest; equal scores share a rank and the next rank is skipped (1, 2, 2, 4). */
  rank: number | null;
  tied: boolean;
}

/**
 * Highest score first. Equal scores share the rank and are marked tied; items without a score
 * come last, unranked, in their given order.
 */
export function rank<T>(items: readonly T[], scoreOf: (item: T) => Fraction | null): Ranked<T>[] {
  const scored = items
    .map((item, i) => ({ item, i, score: scoreOf(item) }))
    .filter((x): x is { item: T; i: number; score: Fraction } => x.score !== null)
    .sort((a, b) => compare(b.score, a.score) || a.i - b.i);
  const out: Ranked<T>[] = [];
  scored.forEach((x, i) => {
    const prev = i > 0 ? scored[i - 1] : undefined;
    const next = scored[i + 1];
    const samePrev = prev !== undefined && compare(prev.score, x.score) === 0;
    const sameNext = next !== undefined && compare(next.score, x.score) === 0;
    // Equal scores sit together, so a tie takes the rank of the first of its run.
    const rankHere = samePrev ? (out[i - 1]?.rank ?? i + 1) : i + 1;
    out.push({ item: x.item, rank: rankHere, tied: samePrev || sameNext });
  });
  for (const item of items) {
    if (scoreOf(item) === null) out.push({ item, rank: null, tied: false });
  }
  return out;
}
