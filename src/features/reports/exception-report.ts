/**
 * The quarterly exception report as data: everything its web page, Word document, spreadsheet
 * and JSON show, worked out once from the plan, its latest updates and the indicators' figures.
 * An issued report keeps this object as it was issued, so every output of it reads the same
 * later, whatever is corrected or renamed since.
 */
import {
  compareWithPrevious,
  comparisonFigures,
  DIRECTION_LABELS,
  directionOfTravel,
  type Direction,
  type Polarity,
} from '../../domain/change.js';
import type { Unit } from '../../domain/figures.js';
import {
  previousWindow,
  rollingYear,
  windowLabel,
  type MonthWindow,
} from '../../domain/periods.js';
import {
  countByReportGroup,
  joinStatus,
  STATUS_LABELS,
  type ReportGroup,
  type Status,
} from '../../domain/statuses.js';
import { flaggedBetween } from '../indicators/crime-indicators.js';
import {
  comparisonInputs,
  type Indicator,
  type IndicatorFigures,
} from '../indicators/indicators.repository.js';
import type { Plan } from '../plans/plans.repository.js';
import type { ThemeType } from '../plans/plans.schemas.js';

export interface ReportHeader {
  /** Who the report goes to: "CSP Executive". */
  to: string;
  /** The report's date, 'YYYY-MM-DD'. */
  date: string;
  subject: string;
  /** Who wrote it: "Community Safety Manager". */
  by: string;
}

export interface ReportIndicator {
  id: number;
  name: string;
  source: string;
  unit: Unit;
  noun: string;
  polarity: Polarity;
  /** The previous window's figure as exact decimal text; null when the window is incomplete. */
  previous: string | null;
  current: string | null;
  /** As the table shows them: "35,172", "52.6%", or "incomplete (10 of 12 months)". */
  previousText: string;
  currentText: string;
  /** Current less previous as exact decimal text ("-1231"); null when either is incomplete. */
  change: string | null;
  /** One decimal place, half away from zero ("-32.3"); null when there is none to give. */
  changePercent: string | null;
  /** "3.2% or 171 increase", "no change", "incomplete (10 of 12 months)". */
  text: string;
  /** Both windows complete. */
  complete: boolean;
  direction: Direction | null;
  /** The direction as a word ("Better"), for the tag beside the change. */
  directionLabel: string | null;
  /**
   * For an indicator filled from police.uk data, the months of either window the import flagged
   * as looking incomplete. Absent in a report issued before flags were kept with it.
   */
  flaggedMonths?: FlaggedMonth[];
}

export interface FlaggedMonth {
  month: string;
  /** "November 2018". */
  label: string;
  /** Which force's data looks incomplete, and why. */
  why: string;
}

export interface ReportAction {
  id: number;
  number: string;
  title: string;
  desiredOutcome: string;
  milestones: { text: string; timescale: string }[];
  leads: string[];
  /** The latest update's status; an action never updated has not started. */
  status: Status;
  statusLabel: string;
  /** The latest update's narrative, or null when the action has none yet. */
  update: string | null;
  /** The update as the full update column shows it, status first: "In progress - …". */
  updateText: string;
  updateMonth: string | null;
}

export interface ReportTheme {
  id: number;
  type: ThemeType;
  title: string;
  indicators: ReportIndicator[];
  actionCounts: Record<ReportGroup, number>;
  commentary: string;
  actions: ReportAction[];
}

export interface ReportEdition {
  status: 'draft' | 'issued' | 'unsaved';
  /** 1 for the first issue of a plan's report for a period, 2 for the next… */
  version: number | null;
  issuedAt: string | null;
  issuedBy: string | null;
}

export interface ExceptionReport {
  partnership: { slug: string; name: string };
  plan: { id: number; title: string; periodLabel: string };
  /** The last month of the current rolling year, 'YYYY-MM'. */
  periodEnd: string;
  currentWindow: MonthWindow;
  previousWindow: MonthWindow;
  /** Column headings of every indicator table, built from the windows. */
  labels: { previous: string; current: string; change: string };
  /** Updates are the latest posted for this month or before: the month of the report's date. */
  updatesUpTo: string;
  header: ReportHeader;
  introduction: string;
  edition: ReportEdition;
  themes: ReportTheme[];
  /**
   * What the figures lack, one sentence each: "Domestic abuse incidents: current rolling year
   * incomplete (10 of 12 months)". Empty when every figure is complete.
   */
  gaps: string[];
}

export interface ReportInputs {
  partnership: { slug: string; name: string };
  /** The plan with each action's latest update up to `updatesUpTo`. */
  plan: Plan;
  indicators: (Indicator & { figures: IndicatorFigures })[];
  /** Months the crime import flagged for the partnership's districts, with why. */
  crimeFlags: ReadonlyMap<string, string>;
  periodEnd: string;
  updatesUpTo: string;
  header: ReportHeader;
  introduction: string;
  /** Commentary by theme id. */
  commentary: ReadonlyMap<number, string>;
  edition: ReportEdition;
}

export const NO_UPDATE = 'No update yet';

/** The columns of the full update, as every output heads them. */
export const FULL_UPDATE_COLUMNS = [
  'No.',
  'Action',
  'Desired outcome',
  'Key milestones',
  'Timescales',
  'Lead agency',
  'Updates',
] as const;

function reportIndicator(
  indicator: Indicator & { figures: IndicatorFigures },
  window: MonthWindow,
  crimeFlags: ReadonlyMap<string, string>,
): ReportIndicator {
  const from = previousWindow(window).from;
  const { months, entered } = comparisonInputs(indicator.figures);
  const options = { unit: indicator.unit, noun: indicator.noun };
  const c = compareWithPrevious(window, options, months, entered);
  const direction = directionOfTravel(c.change, indicator.polarity);
  return {
    id: indicator.id,
    name: indicator.name,
    source: indicator.source,
    unit: indicator.unit,
    noun: indicator.noun,
    polarity: indicator.polarity,
    ...comparisonFigures(c),
    direction,
    directionLabel: direction === null ? null : DIRECTION_LABELS[direction],
    flaggedMonths: indicator.crimeType ? flaggedBetween(crimeFlags, from, window.to) : [],
  };
}

/** The line under an indicator's figures when police.uk months in them look incomplete. */
export function flaggedText(i: ReportIndicator): string | null {
  const flagged = i.flaggedMonths ?? [];
  if (flagged.length === 0) return null;
  const months = flagged.map((f) => `${f.label} (${f.why})`).join('; ');
  return `${i.name} counts months that look incomplete in the police.uk data, so its figures may be too low: ${months}.`;
}

function gapsOf(themes: ReportTheme[], labels: { previous: string; current: string }): string[] {
  const seen = new Set<number>();
  const gaps: string[] = [];
  for (const i of themes.flatMap((t) => t.indicators)) {
    if (seen.has(i.id)) continue;
    seen.add(i.id);
    if (i.previous === null) gaps.push(`${i.name}: ${labels.previous} ${i.previousText}`);
    if (i.current === null) gaps.push(`${i.name}: ${labels.current} ${i.currentText}`);
  }
  return gaps;
}

/** The report for a plan and the rolling year ending `periodEnd`, from live data. */
export function buildExceptionReport(inputs: ReportInputs): ExceptionReport {
  const currentWindow = rollingYear(inputs.periodEnd);
  const byTheme = new Map<number, (Indicator & { figures: IndicatorFigures })[]>();
  for (const i of inputs.indicators) {
    if (!i.theme) continue;
    const list = byTheme.get(i.theme.id);
    if (list) list.push(i);
    else byTheme.set(i.theme.id, [i]);
  }
  const themes: ReportTheme[] = inputs.plan.themes.map((t) => {
    const actions: ReportAction[] = t.actions.map((a) => {
      const status = a.latest?.status ?? 'not-started';
      return {
        id: a.id,
        number: a.number,
        title: a.title,
        desiredOutcome: a.desiredOutcome,
        milestones: a.milestones.map((m) => ({ text: m.text, timescale: m.timescale })),
        leads: a.leads.map((l) => l.name),
        status,
        statusLabel: STATUS_LABELS[status],
        update: a.latest?.narrative ?? null,
        updateText: a.latest ? joinStatus(a.latest.status, a.latest.narrative) : NO_UPDATE,
        updateMonth: a.latest?.month ?? null,
      };
    });
    return {
      id: t.id,
      type: t.type,
      title: t.title,
      indicators: (byTheme.get(t.id) ?? []).map((i) =>
        reportIndicator(i, currentWindow, inputs.crimeFlags),
      ),
      actionCounts: countByReportGroup(actions.map((a) => a.status)),
      commentary: inputs.commentary.get(t.id) ?? '',
      actions,
    };
  });
  const before = previousWindow(currentWindow);
  const labels = {
    previous: `Previous rolling year (${windowLabel(before)})`,
    current: `Current rolling year (${windowLabel(currentWindow)})`,
    change: 'Change',
  };
  return {
    partnership: inputs.partnership,
    plan: { id: inputs.plan.id, title: inputs.plan.title, periodLabel: inputs.plan.periodLabel },
    periodEnd: currentWindow.to,
    currentWindow,
    previousWindow: before,
    labels,
    updatesUpTo: inputs.updatesUpTo,
    header: inputs.header,
    introduction: inputs.introduction,
    edition: inputs.edition,
    themes,
    gaps: gapsOf(themes, labels),
  };
}
