/**
 * Reads an action plan from a CSV or Excel (.xlsx) file into themes and actions, or refuses it
 * with every problem found, each naming the row (as the spreadsheet numbers it, the header being
 * row 1) and the column; and gives a plan's actions back in the same columns, for export.
 * Nothing here touches the database.
 */
import { normaliseHeader, readColumns, readMonthCell, rowCells } from '../../core/grid-columns.js';
import {
  FileError,
  fileMessages,
  readGridFile,
  tooManyRows,
  type FileProblem,
  type GridLimits,
} from '../../core/grid-file.js';
import { parseStatus, splitStatus, STATUS_LABELS, type Status } from '../../domain/statuses.js';
import type { Plan } from './plans.repository.js';

export type PlanFileThemeType = 'priority' | 'cross-cutting';

export interface PlanFileMilestone {
  text: string;
  timescale: string;
}

export interface PlanFileAction {
  number: string;
  action: string;
  desiredOutcome: string;
  milestones: PlanFileMilestone[];
  /** Set when the cell had a different number of milestones and timescales. */
  milestoneNote?: string;
  leads: string[];
  status?: Status;
  update?: string;
  updateMonth?: string;
}

export interface PlanFileTheme {
  type: PlanFileThemeType;
  title: string;
  actions: PlanFileAction[];
}

export interface PlanFile {
  themes: PlanFileTheme[];
  /** Actions read: one per non-blank row below the header. */
  rows: number;
}

export const MAX_ROWS = 5000;
const MAX_PROBLEMS = 100;
const LIMITS: GridLimits = { maxRows: MAX_ROWS, rowNoun: 'actions', maxColumns: 12 };

export const planFileMessages = {
  ...fileMessages,
  headerOnly: 'The file has a header row but no actions below it',
  tooManyRows: tooManyRows(LIMITS),
  themeTypeEmpty: 'Enter the theme type: Priority or Cross-cutting theme',
  themeTypeBad: 'Theme type must be Priority or Cross-cutting theme',
  themeEmpty: 'Enter the theme',
  themeTooLong: 'Theme must be 200 characters or fewer',
  numberEmpty: 'Enter the action’s number, like 1.1',
  numberBad: 'Action number must be written like 1.1',
  actionTooLong: 'Action must be 2,000 characters or fewer',
  outcomeTooLong: 'Desired outcome must be 2,000 characters or fewer',
  milestoneTooLong: 'Each milestone must be 1,000 characters or fewer',
  timescaleTooLong: 'Each timescale must be 200 characters or fewer',
  actionEmpty: 'Enter the action',
  leadEmpty: 'Enter at least one lead agency',
  statusBad: 'Status must be Not yet started, In progress, Complete, On hold or Off track',
  monthBad: 'Update month must be a real month written like 2024-09',
  statusMissing: 'Enter the status, or start the update with it, like “In progress - …”',
  updateTooLong: 'Update must be 5,000 characters or fewer',
  leadTooLong: 'Each lead agency must be 200 characters or fewer',
};

// The columns in the order they are described to users.
const COLUMNS = {
  themeType: { header: 'Theme type', required: true },
  theme: { header: 'Theme', required: true },
  number: { header: 'No.', required: true },
  action: { header: 'Action', required: true },
  desiredOutcome: { header: 'Desired outcome', required: true },
  milestones: { header: 'Key milestones', required: true },
  timescales: { header: 'Timescales', required: true },
  leads: { header: 'Lead agency', required: true },
  status: { header: 'Status', required: false },
  update: { header: 'Update', required: false },
  updateMonth: { header: 'Update month', required: false },
} as const;

/** The file's columns, as an export writes them. */
export const PLAN_FILE_HEADERS = Object.values(COLUMNS).map((c) => c.header);

/** A plan's actions with their latest updates, as an export writes them: the header row first. */
export function planFileRows(plan: Plan): string[][] {
  const rows = plan.themes.flatMap((theme) =>
    theme.actions.map((a) => [
      THEME_TYPE_NAMES[theme.type],
      theme.title,
      a.number,
      a.title,
      a.desiredOutcome,
      a.milestones.map((m) => m.text).join('\n'),
      a.milestones.map((m) => m.timescale).join('\n'),
      a.leads.map((l) => l.name).join('\n'),
      a.latest ? STATUS_LABELS[a.latest.status] : '',
      a.latest?.narrative ?? '',
      a.latest?.month ?? '',
    ]),
  );
  return [PLAN_FILE_HEADERS, ...rows];
}

/**
 * The plan a file holds. `isLead` tells a lead the partnership knows by a name holding a "/"
 * (a group called "ASB/Tasking Panel"), which is kept whole rather than split.
 */
export async function readPlanFile(
  buffer: Buffer,
  filename: string,
  isLead: (name: string) => boolean = () => false,
): Promise<PlanFile> {
  return readGrid(await readGridFile(buffer, filename, LIMITS), isLead);
}

// ---------------------------------------------------------------------------------------------
// Rows to themes and actions

export const THEME_TYPE_NAMES: Record<PlanFileThemeType, string> = {
  priority: 'Priority',
  'cross-cutting': 'Cross-cutting theme',
};

const THEME_TYPES = new Map<string, PlanFileThemeType>([
  ['priority', 'priority'],
  ['cross-cutting theme', 'cross-cutting'],
  ['cross-cutting', 'cross-cutting'],
  ['cross cutting theme', 'cross-cutting'],
  ['cross cutting', 'cross-cutting'],
]);

const rawLines = (text: string): string[] =>
  text.split(/\r\n|\r|\n/).map((l) => l.replace(/^\s*[•·▪◦]\s*/, '').trim());

/**
 * Milestones pair with timescales line by line. Where both cells have the same lines (blank
 * lines included, as an export writes a milestone with no timescale), they pair as they stand;
 * otherwise blank lines are dropped, the lists pair in order and the action says so.
 */
function pairMilestones(
  milestoneCell: string,
  timescaleCell: string,
): { milestones: PlanFileMilestone[]; note?: string } {
  const trimEnd = (ls: string[]) => ls.slice(0, ls.findLastIndex((l) => l !== '') + 1);
  const m = trimEnd(rawLines(milestoneCell));
  const t = trimEnd(rawLines(timescaleCell));
  if (m.length === t.length && m.every((text, i) => text !== '' || t[i] === '')) {
    return {
      milestones: m
        .map((text, i) => ({ text, timescale: t[i] ?? '' }))
        .filter((x) => x.text !== ''),
    };
  }
  const ms = m.filter((l) => l !== '');
  const ts = t.filter((l) => l !== '');
  return {
    milestones: Array.from({ length: Math.max(ms.length, ts.length) }, (_, i) => ({
      text: ms[i] ?? '',
      timescale: ts[i] ?? '',
    })),
    ...(ms.length !== ts.length
      ? {
          note: `The file had ${count(ms.length, 'milestone')} and ${count(ts.length, 'timescale')}: check they are paired correctly`,
        }
      : {}),
  };
}

/**
 * The leads a cell names: one a line, or split by ";" or "/" as plans write them ("Swale BC /
 * Kent Police"). Parts that together make a name `isLead` knows are kept as that one name.
 */
export function splitLeads(text: string, isLead: (name: string) => boolean): string[] {
  const seen = new Set<string>();
  const leads: string[] = [];
  const add = (lead: string) => {
    if (lead === '' || seen.has(lead.toLowerCase())) return;
    seen.add(lead.toLowerCase());
    leads.push(lead);
  };
  for (const line of text.split(/[;\r\n]+/)) {
    const parts = line.split('/').map((part) => part.trim());
    for (let from = 0; from < parts.length;) {
      // The longest run of parts from here that names a known lead, or the one part.
      let to = parts.length;
      while (to > from + 1 && !isLead(parts.slice(from, to).join('/'))) to--;
      add(parts.slice(from, to).join('/'));
      from = to;
    }
  }
  return leads;
}

function readGrid(grid: string[][], isLead: (name: string) => boolean): PlanFile {
  const { columnIndex, dataRows } = readColumns(grid, COLUMNS, planFileMessages, MAX_ROWS);
  const problems: FileProblem[] = [];
  const themes: PlanFileTheme[] = [];
  const themeByTitle = new Map<string, { theme: PlanFileTheme; row: number }>();
  const rowOfNumber = new Map<string, number>();

  for (const dataRow of dataRows) {
    const { row } = dataRow;
    const { cell, problem } = rowCells(COLUMNS, columnIndex, dataRow, problems);

    const typeText = cell('themeType');
    const type = THEME_TYPES.get(normaliseHeader(typeText));
    if (!typeText) problem('themeType', planFileMessages.themeTypeEmpty);
    else if (!type) problem('themeType', planFileMessages.themeTypeBad);

    const title = cell('theme').replace(/\s+/g, ' ');
    if (!title) problem('theme', planFileMessages.themeEmpty);
    else if (title.length > 200) problem('theme', planFileMessages.themeTooLong);

    const number = cell('number');
    if (!number) problem('number', planFileMessages.numberEmpty);
    else if (!/^\d{1,3}\.\d{1,3}$/.test(number)) problem('number', planFileMessages.numberBad);
    else {
      const earlier = rowOfNumber.get(number);
      if (earlier !== undefined) {
        problem(
          'number',
          `Action ${number} is on row ${earlier} and row ${row}: each number must be used once`,
        );
      } else rowOfNumber.set(number, row);
    }

    const action = cell('action');
    if (!action) problem('action', planFileMessages.actionEmpty);
    else if (action.length > 2000) problem('action', planFileMessages.actionTooLong);
    const desiredOutcome = cell('desiredOutcome');
    if (desiredOutcome.length > 2000) problem('desiredOutcome', planFileMessages.outcomeTooLong);

    const leads = splitLeads(cell('leads'), isLead);
    if (leads.length === 0) problem('leads', planFileMessages.leadEmpty);
    if (leads.some((l) => l.length > 200)) problem('leads', planFileMessages.leadTooLong);

    const { milestones, note } = pairMilestones(cell('milestones'), cell('timescales'));
    if (milestones.some((m) => m.text.length > 1000)) {
      problem('milestones', planFileMessages.milestoneTooLong);
    }
    if (milestones.some((m) => m.timescale.length > 200)) {
      problem('timescales', planFileMessages.timescaleTooLong);
    }

    let status: Status | undefined;
    let update = cell('update');
    const statusText = cell('status');
    if (statusText) {
      status = parseStatus(statusText);
      if (!status) problem('status', planFileMessages.statusBad);
    } else if (update) {
      const split = splitStatus(update);
      status = split.status;
      update = split.narrative;
    }

    if (update.length > 5000) problem('update', planFileMessages.updateTooLong);
    const monthText = cell('updateMonth');
    const updateMonth = monthText ? readMonthCell(monthText) : undefined;
    if (monthText && !updateMonth) problem('updateMonth', planFileMessages.monthBad);
    if (!status && !statusText && (update || monthText)) {
      problem('status', planFileMessages.statusMissing);
    }

    if (problems.length >= MAX_PROBLEMS) break;
    if (!type || !title) continue;

    const key = title.toLowerCase();
    let found = themeByTitle.get(key);
    if (!found) {
      found = { theme: { type, title, actions: [] }, row };
      themeByTitle.set(key, found);
      themes.push(found.theme);
    } else if (found.theme.type !== type) {
      problem(
        'themeType',
        `Theme type must be the same on every row of a theme: row ${found.row} says ${THEME_TYPE_NAMES[found.theme.type]}`,
      );
      continue;
    }

    found.theme.actions.push({
      number,
      action,
      desiredOutcome,
      milestones,
      ...(note ? { milestoneNote: note } : {}),
      leads,
      ...(status ? { status } : {}),
      ...(update ? { update } : {}),
      ...(updateMonth ? { updateMonth } : {}),
    });
  }

  if (problems.length) throw new FileError(problems.slice(0, MAX_PROBLEMS));
  return { themes, rows: dataRows.length };
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
