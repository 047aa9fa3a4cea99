/**
 * Indicator figures as exact decimal text. A figure is typed by a person or read from a
 * spreadsheet cell; it is kept as canonical text ("1234", "12.35") rather than a binary float,
 * so a rate of 0.1 stays 0.1 and sums can be done exactly by whoever compares figures.
 */

export type FigureUnit = 'count' | 'rate' | 'percentage';

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
export function parseFigure(text: string, unit: FigureUnit): { value: string } | { error: string } {
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

/** "1,234.5" for the page: the stored text grouped in thousands, never rounded. */
export function formatFigure(value: string): string {
  const [whole = '', fraction] = value.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}
