/**
 * Indicator figures as exact decimal text. A figure is typed by a person or read from a
 * spreadsheet cell; it is kept as canonical text ("1234", "12.35") rather than a binary float,
 * so a rate of 0.1 stays 0.1. Whoever sums or compares figures does it exactly on whole numbers
 * of the smallest step a figure can have (toScaled, fromScaled), never on JavaScript numbers.
 *
 * The rules, by unit: counts are whole numbers; rates (e.g. per 1,000 population) and
 * percentages have at most 4 decimal places; every figure is 0 or more and less than
 * 1,000,000,000,000. A figure with more decimals is refused, not rounded, so no figure ever
 * differs from the one entered.
 */

export const UNITS = ['count', 'rate', 'percentage'] as const;
export type Unit = (typeof UNITS)[number];
export const UNIT_LABELS: Record<Unit, string> = {
  count: 'Count',
  rate: 'Rate',
  percentage: 'Percentage',
};

export const MAX_DECIMALS = 4;
const MAX_WHOLE_DIGITS = 12;

export const figureMessages = {
  notNumber: 'Enter a number, like 1,234 or 12.5',
  negative: 'Value must be 0 or more',
  notWhole: 'Value must be a whole number for a count',
  tooManyDecimals: `Value must have ${MAX_DECIMALS} decimal places or fewer`,
  tooLarge: 'Value must be less than 1,000,000,000,000',
};

/**
 * The figure as canonical decimal text, or the reason it is not one. Thousands separators
 * ("1,234") and, for percentages, a trailing % are accepted; leading and trailing zeros go.
 */
export function parseFigure(text: string, unit: Unit): { value: string } | { error: string } {
  let t = text.trim().replace(/\s+/g, '');
  if (unit === 'percentage') t = t.replace(/%$/, '');
  if (/^-/.test(t) && /^-(\d|\.\d)/.test(t)) return { error: figureMessages.negative };
  const m = /^(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || t === '' || t === '.' || (m[1] === '' && !m[2]))
    return { error: figureMessages.notNumber };
  const whole = (m[1] ?? '').replace(/,/g, '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (whole.length > MAX_WHOLE_DIGITS) return { error: figureMessages.tooLarge };
  if (fraction.length > MAX_DECIMALS) return { error: figureMessages.tooManyDecimals };
  if (unit === 'count' && fraction) return { error: figureMessages.notWhole };
  return { value: fraction ? `${whole}.${fraction}` : whole };
}

/** "1,234.5" for the page: the text grouped in thousands, never rounded; a sign is kept. */
export function formatFigure(value: string): string {
  const [whole = '', fraction] = value.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/** Steps of the smallest decimal a figure can have in one unit: 10,000 for 4 places. */
export const FIGURE_SCALE = 10n ** BigInt(MAX_DECIMALS);

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Decimal text ("1234", "0.125", or a signed result like "-6.25") as a whole number of
 * 1/FIGURE_SCALE, exactly. Throws for anything else, or for more than MAX_DECIMALS places: a
 * figure that broke the rules above is a fault of the code that passed it.
 */
export function toScaled(value: string): bigint {
  const m = DECIMAL.exec(value);
  const fraction = m?.[3] ?? '';
  if (!m || fraction.length > MAX_DECIMALS) throw new RangeError(`Not a figure: "${value}"`);
  const n = BigInt(m[2] ?? '') * FIGURE_SCALE + BigInt(fraction.padEnd(MAX_DECIMALS, '0'));
  return m[1] ? -n : n;
}

/** A whole number of 1/FIGURE_SCALE back to canonical text: "-6.25", "1200", "0.0001". */
export function fromScaled(n: bigint): string {
  const a = n < 0n ? -n : n;
  const fraction = (a % FIGURE_SCALE).toString().padStart(MAX_DECIMALS, '0').replace(/0+$/, '');
  const text = fraction ? `${a / FIGURE_SCALE}.${fraction}` : `${a / FIGURE_SCALE}`;
  return n < 0n ? `-${text}` : text;
}
