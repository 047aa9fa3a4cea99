/**
 * Money as whole numbers of pence. Grants, pots, bids and payments are typed by people
 * ("£39,661", "1,234.56"), kept as integer pence and only turned back into text for a page or a
 * document. Nothing here uses fractions of a penny or binary floating point: a split of a fund
 * into pots or a year's spend always adds up to the penny.
 *
 * The ledger at the end is the arithmetic of a fund over a year: pots, the amounts approved for
 * projects out of each pot, virements between pots and payments. Every operation is a pure
 * function returning a new ledger, or refusing with a MoneyError that says why; the service
 * builds a ledger from its records and asks it before saving anything.
 */

/** An amount that cannot be taken as money, or a move the rules refuse. */
export class MoneyError extends Error {}

/** Largest amount accepted: £1,000,000,000 (far more than any community safety grant). */
export const MAX_PENCE = 100_000_000_000;

export const moneyMessages = {
  empty: 'Enter an amount, like £1,500 or £1,234.56',
  notNumber: 'Enter an amount in pounds, like £1,500 or £1,234.56',
  negative: 'Amount must be £0 or more',
  tooManyDecimals: 'Amount must have 2 decimal places or fewer, like £1,234.56',
  tooLarge: 'Amount must be less than £1,000,000,000',
} as const;

function assertPence(pence: number, what = 'Amount'): void {
  if (!Number.isSafeInteger(pence)) throw new MoneyError(`${what} must be a whole number of pence`);
}

/**
 * The amount typed as pence, or the reason it is not an amount. A leading "£", thousands
 * separators in the right places ("39,661") and spaces are accepted; "39661.5" is £39,661.50.
 * Negative amounts, words, exponents and more than two decimal places are refused, never
 * rounded, so the amount saved is always the amount typed.
 */
export function parseMoney(text: string): { pence: number } | { error: string } {
  const t = text.trim().replace(/\s+/g, '');
  if (t === '') return { error: moneyMessages.empty };
  if (/^(-£|£-|-|−)\s*[\d.]/.test(t)) return { error: moneyMessages.negative };
  const m = /^£?(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[1] === '' && !m[2])) return { error: moneyMessages.notNumber };
  const whole = (m[1] ?? '').replace(/,/g, '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = m[2] ?? '';
  if (fraction.replace(/0+$/, '').length > 2) return { error: moneyMessages.tooManyDecimals };
  if (whole.length > 10) return { error: moneyMessages.tooLarge };
  const pence = Number(whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  if (pence >= MAX_PENCE) return { error: moneyMessages.tooLarge };
  return { pence };
}

/** parseMoney for code that has already been told the text is an amount: throws MoneyError. */
export function toPence(text: string): number {
  const r = parseMoney(text);
  if ('error' in r) throw new MoneyError(r.error);
  return r.pence;
}

/**
 * "£39,661" for whole pounds, "£1,234.56" otherwise; a negative amount reads "-£12.50".
 * With `pence: 'always'`, whole pounds are written "£39,661.00" (for columns of figures).
 */
export function formatMoney(pence: number, options: { pence?: 'auto' | 'always' } = {}): string {
  assertPence(pence);
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100);
  const rest = abs % 100;
  const grouped = String(pounds).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const showPence = rest !== 0 || options.pence === 'always';
  return `${sign}£${grouped}${showPence ? `.${String(rest).padStart(2, '0')}` : ''}`;
}

/** Pence as plain decimal pounds for a form field: 123456 → "1234.56", 3966100 → "39661". */
export function penceToInput(pence: number): string {
  assertPence(pence);
  const pounds = Math.floor(pence / 100);
  const rest = pence % 100;
  return rest === 0 ? String(pounds) : `${pounds}.${String(rest).padStart(2, '0')}`;
}

export function sumPence(amounts: Iterable<number>): number {
  let total = 0;
  for (const a of amounts) {
    assertPence(a);
    total += a;
  }
  assertPence(total, 'Total');
  return total;
}

// ---------------------------------------------------------------------------------------------
// Splitting a fund into pots

/** Whole pounds (100) or pence (1): the step every share of a split is rounded down to. */
export type SplitUnit = 1 | 100;

export interface Split {
  parts: number[];
  /** What was left after every part was rounded down, in pence, and the part that took it. */
  remainderPence: number;
  remainderTo: number;
}

/**
 * Splits `total` pence by whole-number weights (2 and 1 for two thirds and one third).
 *
 * The convention: each part is its share rounded DOWN to the unit (whole pounds by default,
 * as grant papers give them); whatever is left over — less than one unit per part, plus any
 * pence below the unit in the total — goes to the part at `remainderTo`, chosen by the person
 * making the split, and is reported. So £39,661 split 2:1 with the remainder to the second
 * part gives £26,440 and £13,221 (a remainder of £1). The parts always add up to the total.
 */
export function splitByShares(
  total: number,
  weights: readonly number[],
  options: { remainderTo: number; unit?: SplitUnit },
): Split {
  assertPence(total, 'Total');
  if (total < 0) throw new MoneyError(moneyMessages.negative);
  if (weights.length === 0) throw new MoneyError('Give at least one share');
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) {
    throw new MoneyError('Each share must be a whole number, 0 or more');
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (weightSum <= 0) throw new MoneyError('At least one share must be more than 0');
  const { remainderTo } = options;
  if (!Number.isInteger(remainderTo) || remainderTo < 0 || remainderTo >= weights.length) {
    throw new MoneyError('Choose which pot takes the remainder');
  }
  const unit = BigInt(options.unit ?? 100);
  const units = BigInt(total) / unit;
  const parts = weights.map((w) => Number(((units * BigInt(w)) / BigInt(weightSum)) * unit));
  const remainderPence = total - parts.reduce((a, b) => a + b, 0);
  parts[remainderTo] = (parts[remainderTo] ?? 0) + remainderPence;
  return { parts, remainderPence, remainderTo };
}

/**
 * Checks that amounts given for each pot add up to the total exactly; refuses otherwise,
 * saying by how much they miss. (A paper's "£26,440 and £13,220" of a £39,661 grant is refused.)
 */
export function splitByAmounts(total: number, amounts: readonly number[]): Split {
  assertPence(total, 'Total');
  if (amounts.length === 0) throw new MoneyError('Give at least one pot');
  amounts.forEach((a) => {
    assertPence(a);
    if (a < 0) throw new MoneyError(moneyMessages.negative);
  });
  const sum = sumPence(amounts);
  if (sum !== total) {
    const gap = Math.abs(total - sum);
    throw new MoneyError(
      `The pots add up to ${formatMoney(sum)}, ${formatMoney(gap)} ${sum < total ? 'less' : 'more'} than the fund of ${formatMoney(total)}`,
    );
  }
  return { parts: [...amounts], remainderPence: 0, remainderTo: amounts.length - 1 };
}

// ---------------------------------------------------------------------------------------------
// The ledger of a fund

export interface LedgerPot {
  id: string;
  name: string;
  allocated: number;
}

export interface LedgerProject {
  id: string;
  potId: string;
  approved: number;
  spent: number;
}

export interface Ledger {
  fund: number;
  pots: readonly LedgerPot[];
  projects: readonly LedgerProject[];
}

export interface PotTotals {
  allocated: number;
  committed: number;
  /** Allocated less committed; below 0 only after an approval with an override. */
  remaining: number;
  spent: number;
}

export interface FundTotals extends PotTotals {
  /** What is left of the fund when nothing more is spent: the fund less spend, never below 0. */
  underspend: number;
  /** Spend above the fund (only ever after overrides). */
  overspend: number;
}

function potOf(ledger: Ledger, potId: string): LedgerPot {
  const pot = ledger.pots.find((p) => p.id === potId);
  if (!pot) throw new MoneyError('There is no such pot in this fund');
  return pot;
}

function projectOf(ledger: Ledger, projectId: string): LedgerProject {
  const project = ledger.projects.find((p) => p.id === projectId);
  if (!project) throw new MoneyError('There is no such project in this fund');
  return project;
}

export function potTotals(ledger: Ledger, potId: string): PotTotals {
  const pot = potOf(ledger, potId);
  const projects = ledger.projects.filter((p) => p.potId === potId);
  const committed = sumPence(projects.map((p) => p.approved));
  const spent = sumPence(projects.map((p) => p.spent));
  return { allocated: pot.allocated, committed, remaining: pot.allocated - committed, spent };
}

export function fundTotals(ledger: Ledger): FundTotals {
  const committed = sumPence(ledger.projects.map((p) => p.approved));
  const spent = sumPence(ledger.projects.map((p) => p.spent));
  return {
    allocated: ledger.fund,
    committed,
    remaining: ledger.fund - committed,
    spent,
    underspend: Math.max(0, ledger.fund - spent),
    overspend: Math.max(0, spent - ledger.fund),
  };
}

/** Starts a fund's ledger; the pots must add up to the fund exactly. */
export function openLedger(fund: number, pots: readonly LedgerPot[]): Ledger {
  splitByAmounts(
    fund,
    pots.map((p) => p.allocated),
  );
  return { fund, pots: [...pots], projects: [] };
}

function positive(amount: number, what: string): void {
  assertPence(amount, what);
  if (amount <= 0) throw new MoneyError(`${what} must be more than £0`);
}

/**
 * Commits `amount` out of a pot to a project. Past the pot's remaining amount it is refused
 * unless `override` is set (the service asks for a reason and audits it).
 */
export function approve(
  ledger: Ledger,
  move: { projectId: string; potId: string; amount: number; override?: boolean },
): Ledger {
  positive(move.amount, 'Amount approved');
  if (ledger.projects.some((p) => p.id === move.projectId)) {
    throw new MoneyError('This project already has an approved amount');
  }
  const { remaining } = potTotals(ledger, move.potId);
  if (move.amount > remaining && !move.override) {
    const pot = potOf(ledger, move.potId);
    throw new MoneyError(
      `Approving ${formatMoney(move.amount)} is more than the ${formatMoney(Math.max(0, remaining))} left in the ${pot.name}: give a reason to approve it anyway`,
    );
  }
  return {
    ...ledger,
    projects: [
      ...ledger.projects,
      { id: move.projectId, potId: move.potId, approved: move.amount, spent: 0 },
    ],
  };
}

/**
 * Moves `amount` of allocation from one pot to another. Only what is not committed can move;
 * the pots still add up to the fund afterwards.
 */
export function vire(
  ledger: Ledger,
  move: { fromPotId: string; toPotId: string; amount: number },
): Ledger {
  positive(move.amount, 'Amount moved');
  if (move.fromPotId === move.toPotId) throw new MoneyError('Choose two different pots');
  const from = potOf(ledger, move.fromPotId);
  potOf(ledger, move.toPotId);
  const { remaining } = potTotals(ledger, move.fromPotId);
  if (move.amount > remaining) {
    throw new MoneyError(
      `Only ${formatMoney(Math.max(0, remaining))} of the ${from.name} is not committed, so ${formatMoney(move.amount)} cannot move`,
    );
  }
  return {
    ...ledger,
    pots: ledger.pots.map((p) =>
      p.id === move.fromPotId
        ? { ...p, allocated: p.allocated - move.amount }
        : p.id === move.toPotId
          ? { ...p, allocated: p.allocated + move.amount }
          : p,
    ),
  };
}

/** Records a payment to a project; beyond its approved amount only with `override`. */
export function spend(
  ledger: Ledger,
  move: { projectId: string; amount: number; override?: boolean },
): Ledger {
  positive(move.amount, 'Amount spent');
  const project = projectOf(ledger, move.projectId);
  const left = project.approved - project.spent;
  if (move.amount > left && !move.override) {
    throw new MoneyError(
      `Spending ${formatMoney(move.amount)} is more than the ${formatMoney(Math.max(0, left))} of the approved amount not yet spent: give a reason to record it anyway`,
    );
  }
  return {
    ...ledger,
    projects: ledger.projects.map((p) =>
      p.id === move.projectId ? { ...p, spent: p.spent + move.amount } : p,
    ),
  };
}

/** What goes back to the funder at year end: the fund less everything spent. */
export function yearEnd(ledger: Ledger): { granted: number; spent: number; returned: number } {
  const t = fundTotals(ledger);
  return { granted: ledger.fund, spent: t.spent, returned: t.underspend };
}
