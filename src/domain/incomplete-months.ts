/**
 * Which police.uk months look incomplete. A force sometimes publishes a month with many of its
 * crime records missing (Kent, November and December 2018) while its anti-social behaviour
 * incidents are all there; read as they are, such a month shows a fall in crime that did not
 * happen. A month is flagged when its crimes (anti-social behaviour left out) fall well below
 * the months around it of the same force.
 */
import { addMonths, compareMonths, monthLabel } from './periods.js';

/** How far either side a neighbouring month may be. */
export const NEIGHBOUR_SPAN = 3;
/** At least this many neighbouring months are needed to judge a month. */
export const MIN_NEIGHBOURS = 2;
/** A month below this share of its neighbours' typical crimes is flagged. */
export const INCOMPLETE_SHARE = 0.8;

export interface MonthCrimes {
  month: string;
  /** Crime records of the month, anti-social behaviour excluded. */
  crimes: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const figure = (n: number): string => Math.round(n).toLocaleString('en-GB');

/**
 * The reason each month of one force looks incomplete, or null when it does not. The typical
 * figure is the median of the months up to three either side (the median, so one other short
 * month does not drag the comparison down).
 */
export function incompleteMonthFlags(months: readonly MonthCrimes[]): Map<string, string | null> {
  const flags = new Map<string, string | null>();
  for (const m of months) {
    const neighbours = months.filter((n) => {
      if (n.month === m.month) return false;
      return (
        compareMonths(n.month, addMonths(m.month, -NEIGHBOUR_SPAN)) >= 0 &&
        compareMonths(n.month, addMonths(m.month, NEIGHBOUR_SPAN)) <= 0
      );
    });
    if (neighbours.length < MIN_NEIGHBOURS) {
      flags.set(m.month, null);
      continue;
    }
    const typical = median(neighbours.map((n) => n.crimes));
    if (typical > 0 && m.crimes < typical * INCOMPLETE_SHARE) {
      const ordered = neighbours.map((n) => n.month).sort(compareMonths);
      const below = Math.round((1 - m.crimes / typical) * 100);
      flags.set(
        m.month,
        `${figure(m.crimes)} crimes (anti-social behaviour not counted) is ${below}% below the ` +
          `${figure(typical)} typical of ${monthLabel(ordered[0] ?? m.month)} to ` +
          `${monthLabel(ordered[ordered.length - 1] ?? m.month)}: records look incomplete for this month`,
      );
    } else {
      flags.set(m.month, null);
    }
  }
  return flags;
}
