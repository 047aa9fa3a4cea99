/**
 * Reads the timescales partners write beside a milestone ("By March 23", "Summer 24",
 * "Quarterly (April, July, October and January)", "April 2022 By March 2023"). The text is
 * always kept as written; a due date, start or recurrence is derived only where the words
 * allow, and anything not understood is flagged with the words that were not, never guessed.
 */
import { MONTH_NUMBERS } from './periods.js';

export interface PlanSpan {
  /** First day of the plan, 'YYYY-MM-DD' (1 April for a financial-year plan). */
  start: string;
}

export type Recurrence = 'week' | 'fortnight' | 'month' | 'quarter' | 'half-year' | 'year';

export type TimescalePart =
  /** A deadline: done by the end of `due`. `from` is set for a span ("April to June 2024"). */
  | { kind: 'by'; due: string; from?: string; yearFromPlan?: true }
  /** Starts then and carries on ("May onwards", "From April 2024"). */
  | { kind: 'from'; from: string; yearFromPlan?: true }
  /** Repeats; `months` lists the months named, if any (1 = January). */
  | { kind: 'recurring'; every: Recurrence; months: number[] }
  | { kind: 'ongoing' }
  | { kind: 'as-required' }
  | { kind: 'to-be-confirmed' };

export interface Timescale {
  text: string;
  parts: TimescalePart[];
  /** The latest deadline among the parts, if any. */
  due: string | null;
  /** Set when the text could not be read: what was not understood. Parts are then empty. */
  unread: string | null;
}

const MONTH =
  '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?';
const YEAR = "'?(\\d{4}|\\d{2})";

// UK seasons: the first and last month of each; winter runs into the next year.
const SEASONS: Record<string, [number, number]> = {
  spring: [3, 5],
  summer: [6, 8],
  autumn: [9, 11],
  fall: [9, 11],
  winter: [12, 2],
};

/** A stretch of time named by the text: its first and last day. */
interface Point {
  first: string;
  last: string;
  /** The year was not written: it was taken from the plan. */
  yearFromPlan: boolean;
  /** Month named without a year, kept to re-resolve against a later point's year. */
  month?: number;
}

type Token =
  | { t: 'point'; p: Point }
  | { t: 'by' }
  | { t: 'from' }
  | { t: 'onwards' }
  | { t: 'to' }
  | { t: 'sep' }
  | { t: 'part'; part: TimescalePart };

const pad = (n: number): string => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number): string => `${y}-${pad(m)}-${pad(d)}`;
const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const fullYear = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));

function monthPoint(y: number, m: number, yearFromPlan = false): Point {
  return { first: iso(y, m, 1), last: iso(y, m, daysIn(y, m)), yearFromPlan };
}

/** A month named without a year falls in the plan's first twelve months. */
function planYearOfMonth(plan: PlanSpan, m: number): number {
  const startYear = Number(plan.start.slice(0, 4));
  const startMonth = Number(plan.start.slice(5, 7));
  return m >= startMonth ? startYear : startYear + 1;
}

function seasonPoint(name: string, year: number | undefined, plan: PlanSpan): Point {
  const [from, to] = SEASONS[name] ?? [1, 1];
  let y = year;
  const yearFromPlan = y === undefined;
  if (y === undefined) {
    // The first such season that has not ended before the plan starts.
    y = Number(plan.start.slice(0, 4));
    const endYear = (yy: number): number => (to < from ? yy + 1 : yy);
    if (iso(endYear(y), to, daysIn(endYear(y), to)) < plan.start) y += 1;
  }
  const lastYear = to < from ? y + 1 : y;
  return { first: iso(y, from, 1), last: iso(lastYear, to, daysIn(lastYear, to)), yearFromPlan };
}

function financialQuarterPoint(q: number, plan: PlanSpan, fyStart?: number): Point {
  const startYear = fyStart ?? Number(plan.start.slice(0, 4));
  const firstMonth = 4 + (q - 1) * 3; // Q1 is April to June
  const y = firstMonth > 12 ? startYear + 1 : startYear;
  const m = firstMonth > 12 ? firstMonth - 12 : firstMonth;
  return {
    first: iso(y, m, 1),
    last: iso(y, m + 2, daysIn(y, m + 2)),
    yearFromPlan: fyStart === undefined,
  };
}

function recurrenceOf(word: string): Recurrence | undefined {
  const w = word.replace(/[\s-]+/g, ' ');
  if (w === 'weekly') return 'week';
  if (w === 'fortnightly') return 'fortnight';
  if (w === 'monthly') return 'month';
  if (w === 'quarterly') return 'quarter';
  if (['six monthly', 'bi annually', 'biannually', 'twice yearly', 'twice a year'].includes(w))
    return 'half-year';
  if (['annually', 'annual', 'yearly', 'every year', 'once a year'].includes(w)) return 'year';
  return undefined;
}

interface Matcher {
  re: RegExp;
  read: (m: RegExpExecArray, plan: PlanSpan) => Token | undefined;
}

const FILLER = /^(?:\s+|[,;&.+]|\/|\band\b|\bthen\b|\bthe\b|\bin\b)/;

// Tried in order at each position; the first that matches and reads wins.
const MATCHERS: Matcher[] = [
  {
    re: /(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b/y,
    read: (m) => dayPoint(fullYear(m[3] ?? ''), Number(m[2]), Number(m[1])),
  },
  {
    re: /(\d{4})-(\d{2})-(\d{2})\b/y,
    read: (m) => dayPoint(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  {
    re: new RegExp(`(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\s*,?\\s*${YEAR}\\b`, 'y'),
    read: (m) => dayPoint(fullYear(m[3] ?? ''), MONTH_NUMBERS[m[2] ?? ''] ?? 0, Number(m[1])),
  },
  {
    // Not "June 30 2024" (a day) nor "March 24/25" (a year range): those are flagged, not misread.
    re: new RegExp(
      `${MONTH}\\s*[-/\\s]?\\s*${YEAR}(?![\\w])(?!\\s*,?\\s*\\d)(?!\\s*\\/\\s*\\d)`,
      'y',
    ),
    read: (m) => point(monthPoint(fullYear(m[2] ?? ''), MONTH_NUMBERS[m[1] ?? ''] ?? 0)),
  },
  {
    re: /(spring|summer|autumn|fall|winter)(?:\s*[-/]?\s*'?(\d{4}|\d{2})(?:\s*\/\s*(?:\d{4}|\d{2}))?)?\b/y,
    read: (m, plan) => point(seasonPoint(m[1] ?? '', m[2] ? fullYear(m[2]) : undefined, plan)),
  },
  {
    re: /q([1-4])(?:\s+(\d{4})\s*\/\s*(?:\d{4}|\d{2}))?\b/y,
    read: (m, plan) =>
      point(financialQuarterPoint(Number(m[1]), plan, m[2] ? Number(m[2]) : undefined)),
  },
  {
    re: new RegExp(`${MONTH}\\b`, 'y'),
    read: (m, plan) => {
      const month = MONTH_NUMBERS[m[1] ?? ''] ?? 0;
      return point({ ...monthPoint(planYearOfMonth(plan, month), month, true), month });
    },
  },
  {
    re: /(?:(?:financial|plan)\s+)?year[\s-]?end\b|end\s+of\s+(?:the\s+)?(?:financial\s+|plan\s+)?year\b/y,
    read: (_m, plan) => {
      const y = planYearOfMonth(plan, 3);
      return point({ ...monthPoint(y, 3), first: iso(y, 3, 31), yearFromPlan: true });
    },
  },
  {
    re: /(?:on[\s-]?going|continuous(?:ly)?|throughout(?:\s+the\s+year)?|all\s+year(?:\s+round)?)\b/y,
    read: () => part({ kind: 'ongoing' }),
  },
  {
    re: /(?:as\s+and\s+when(?:\s+required)?|as\s+required|as\s+needed|when\s+required|if\s+required)\b/y,
    read: () => part({ kind: 'as-required' }),
  },
  {
    re: /(?:tbc|tba|tbd|to\s+be\s+(?:confirmed|agreed|decided))\b/y,
    read: () => part({ kind: 'to-be-confirmed' }),
  },
  {
    re: /(weekly|fortnightly|monthly|quarterly|six[\s-]monthly|bi[\s-]?annually|twice\s+(?:yearly|a\s+year)|annually|annual|yearly|every\s+year|once\s+a\s+year)\b(?:\s*(?:meetings?|reviews?|basis))?/y,
    read: (m) => {
      const every = recurrenceOf(m[1] ?? '');
      return every ? part({ kind: 'recurring', every, months: [] }) : undefined;
    },
  },
  {
    re: /(?:by\s+(?:the\s+)?end\s+of|(?:the\s+)?end\s+of|completed?\s+by|no\s+later\s+than|by|before|deadline:?|due:?|until|till|up\s+to)(?=\W|$)/y,
    read: () => ({ t: 'by' }),
  },
  {
    re: /(?:from|starting(?:\s+in|\s+from)?|start(?:ing)?|commencing|beginning)(?=\W|$)/y,
    read: () => ({ t: 'from' }),
  },
  { re: /(?:onwards?|and\s+beyond)\b/y, read: () => ({ t: 'onwards' }) },
  { re: /(?:to|[-–—]|through)(?=\W|$|\s)/y, read: () => ({ t: 'to' }) },
];

function point(p: Point): Token {
  return { t: 'point', p };
}

function part(p: TimescalePart): Token {
  return { t: 'part', part: p };
}

function dayPoint(y: number, m: number, d: number): Token | undefined {
  if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return undefined;
  const day = iso(y, m, d);
  return point({ first: day, last: day, yearFromPlan: false });
}

function tokenise(text: string, plan: PlanSpan): { tokens: Token[]; unread: string | null } {
  const s = text.toLowerCase();
  const tokens: Token[] = [];
  let i = 0;
  // Where the last token ended: a message quotes from there, filler words too ("In progress").
  let runStart = 0;
  while (i < s.length) {
    const filler = FILLER.exec(s.slice(i));
    if (filler) {
      if (/[,;&/]|and|then|\+/.test(filler[0]) && !/^\s+$/.test(filler[0]))
        tokens.push({ t: 'sep' });
      i += filler[0].length;
      continue;
    }
    if (s[i] === '(' || s[i] === ')') {
      i++;
      continue;
    }
    let read: Token | undefined;
    for (const { re, read: fn } of MATCHERS) {
      re.lastIndex = i;
      const m = re.exec(s);
      if (!m) continue;
      read = fn(m, plan);
      if (read) {
        tokens.push(read);
        i = re.lastIndex;
        runStart = i;
        break;
      }
    }
    if (!read) {
      const rest = text.slice(runStart).trim();
      const word = /^\S+(?:\s+\S+){0,3}/.exec(rest)?.[0] ?? rest;
      return { tokens, unread: word };
    }
  }
  return { tokens, unread: null };
}

/** A month written without a year beside a later point with one takes that year ("April - June 2024"). */
function alignYears(from: Point, to: Point): Point {
  if (!from.yearFromPlan || from.month === undefined || to.yearFromPlan) return from;
  const toYear = Number(to.last.slice(0, 4));
  const toMonth = Number(to.last.slice(5, 7));
  const y = from.month <= toMonth ? toYear : toYear - 1;
  return monthPoint(y, from.month);
}

function withYearFlag<T extends TimescalePart>(p: T, fromPlan: boolean): T {
  return fromPlan ? { ...p, yearFromPlan: true } : p;
}

/** Turn tokens into parts: a grammar of points joined by "by", "from", "to" and "onwards". */
function assemble(tokens: Token[]): { parts: TimescalePart[]; unread: string | null } {
  const parts: TimescalePart[] = [];
  let i = 0;
  while (i < tokens.length) {
    const tok = tokens[i];
    if (!tok || tok.t === 'sep') {
      i++;
      continue;
    }
    if (tok.t === 'part') {
      // "Quarterly (April, July, October and January)": months after a recurrence name when it repeats.
      if (tok.part.kind === 'recurring') {
        const months: number[] = [];
        let j = i + 1;
        for (; j < tokens.length; j++) {
          const next = tokens[j];
          if (next?.t === 'sep') continue;
          if (next?.t === 'point' && next.p.month !== undefined) months.push(next.p.month);
          else break;
        }
        parts.push({ ...tok.part, months });
        i = j;
      } else {
        parts.push(tok.part);
        i++;
      }
      continue;
    }
    const mode = tok.t === 'by' || tok.t === 'from' ? tok.t : 'plain';
    const at = mode === 'plain' ? i : i + 1;
    const first = tokens[at];
    if (first?.t !== 'point') {
      return { parts: [], unread: `“${tok.t === 'to' ? 'to' : tok.t}” is not followed by a date` };
    }
    let next = at + 1;
    if (tokens[next]?.t === 'to' && tokens[next + 1]?.t === 'point') {
      const last = (tokens[next + 1] as { p: Point }).p;
      const start = alignYears(first.p, last);
      parts.push(
        withYearFlag(
          { kind: 'by', due: last.last, from: start.first },
          start.yearFromPlan || last.yearFromPlan,
        ),
      );
      next += 2;
    } else if (mode === 'from' || tokens[next]?.t === 'onwards') {
      parts.push(withYearFlag({ kind: 'from', from: first.p.first }, first.p.yearFromPlan));
      if (tokens[next]?.t === 'onwards') next++;
    } else {
      parts.push(withYearFlag({ kind: 'by', due: first.p.last }, first.p.yearFromPlan));
    }
    i = next;
  }
  return { parts, unread: null };
}

export function readTimescale(text: string, plan: PlanSpan): Timescale {
  const kept = text.trim();
  const empty = { text: kept, parts: [], due: null };
  if (!kept) return { ...empty, unread: 'No timescale written' };
  const { tokens, unread } = tokenise(kept, plan);
  if (unread !== null) return { ...empty, unread: `Could not read “${unread}”` };
  const assembled = assemble(tokens);
  if (assembled.unread !== null) return { ...empty, unread: assembled.unread };
  if (assembled.parts.length === 0) return { ...empty, unread: 'No date or frequency found' };
  const dues = assembled.parts.flatMap((p) => (p.kind === 'by' ? [p.due] : []));
  return {
    text: kept,
    parts: assembled.parts,
    due: dues.length ? (dues.sort().at(-1) ?? null) : null,
    unread: null,
  };
}
