/**
 * The exception report's figures and action counts as a spreadsheet, for partners who work the
 * numbers further: figures are numbers wherever both years are complete. Like the Word
 * document, it reads the report object only.
 */
import ExcelJS from 'exceljs';
import { neutralise } from '../../core/grid-export.js';
import { ukDate } from '../../domain/dates.js';
import { UNIT_LABELS } from '../../domain/figures.js';
import { longWindowLabel, monthLabel } from '../../domain/periods.js';
import { REPORT_GROUP_LABELS, REPORT_GROUPS } from '../../domain/statuses.js';
import { THEME_TYPE_LABELS } from '../plans/plans.schemas.js';
import { editionText, isDraft, reportTitle } from './exception-edition.js';
import type { ExceptionReport, ReportIndicator, ReportTheme } from './exception-report.js';

type Cell = string | number | null;
interface ThemeIndicator {
  theme: ReportTheme;
  indicator: ReportIndicator;
}

// Text someone typed goes through neutralise, so no cell of theirs runs as a formula when the
// sheet is opened or saved as CSV. The words and numbers the report works out itself are
// written as they are: a decrease's "-50.0% or 3 decrease" would otherwise show an apostrophe.
const typed = neutralise;

const figure = (value: string | null, text: string): Cell =>
  value === null ? text : Number(value);

function addSheet(
  workbook: ExcelJS.Workbook,
  report: ExceptionReport,
  name: string,
  columns: { header: string; width: number }[],
  rows: Cell[][],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ width: c.width }));
  sheet.addRow(columns.map((c) => c.header));
  for (const r of rows) sheet.addRow(r).alignment = { vertical: 'top', wrapText: true };
  sheet.getRow(1).font = { bold: true };
  if (isDraft(report)) sheet.headerFooter.oddHeader = '&C&BDRAFT – not yet issued';
  return sheet;
}

function aboutRows(report: ExceptionReport): Cell[][] {
  const { header } = report;
  const gaps = report.gaps.length > 0 ? report.gaps.map(typed) : ['None'];
  return [
    ['Status', editionText(report)],
    ['Partnership', typed(report.partnership.name)],
    ['Plan', typed(`${report.plan.title} ${report.plan.periodLabel}`)],
    ['To', typed(header.to)],
    ['Date', ukDate(header.date)],
    ['Subject', typed(header.subject)],
    ['By', typed(header.by)],
    ['Current rolling year', longWindowLabel(report.currentWindow)],
    ['Previous rolling year', longWindowLabel(report.previousWindow)],
    ['Updates up to', monthLabel(report.updatesUpTo)],
    ...gaps.map((g, i) => [i === 0 ? 'Incomplete figures' : '', g]),
  ];
}

function figureRows(report: ExceptionReport, indicators: ThemeIndicator[]): Cell[][] {
  const { previousWindow: before, currentWindow: now } = report;
  return indicators.map(({ theme: t, indicator: i }) => [
    THEME_TYPE_LABELS[t.type],
    typed(t.title),
    typed(i.name),
    typed(i.source),
    UNIT_LABELS[i.unit],
    before.from,
    before.to,
    figure(i.previous, i.previousText),
    now.from,
    now.to,
    figure(i.current, i.currentText),
    i.change === null ? null : Number(i.change),
    i.changePercent === null ? null : Number(i.changePercent),
    i.text,
    i.directionLabel,
    i.complete ? 'Yes' : 'No',
    // The reasons name forces as the files spelled them.
    typed((i.flaggedMonths ?? []).map((f) => `${f.label} (${f.why})`).join('; ')) || null,
  ]);
}

function countRows(report: ExceptionReport): Cell[][] {
  return report.themes.map((t) => {
    const counts = REPORT_GROUPS.map((g) => t.actionCounts[g]);
    return [
      THEME_TYPE_LABELS[t.type],
      typed(t.title),
      ...counts,
      counts.reduce((a, b) => a + b, 0),
    ];
  });
}

export async function exceptionReportXlsx(report: ExceptionReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Saferplan';
  workbook.title = reportTitle(report);
  // First, so a draft says so before anyone reads a figure.
  const about = addSheet(
    workbook,
    report,
    'Report',
    [
      { header: typed(reportTitle(report)), width: 24 },
      { header: '', width: 80 },
    ],
    aboutRows(report),
  );
  about.getColumn(1).font = { bold: true };
  const indicators = report.themes.flatMap((theme) =>
    theme.indicators.map((indicator) => ({ theme, indicator })),
  );
  const figures = addSheet(
    workbook,
    report,
    'Figures',
    [
      { header: 'Theme type', width: 18 },
      { header: 'Theme', width: 28 },
      { header: 'Indicator', width: 36 },
      { header: 'Source', width: 20 },
      { header: 'Unit', width: 12 },
      { header: 'Previous from', width: 10 },
      { header: 'Previous to', width: 10 },
      { header: 'Previous figure', width: 16 },
      { header: 'Current from', width: 10 },
      { header: 'Current to', width: 10 },
      { header: 'Current figure', width: 16 },
      { header: 'Change', width: 12 },
      { header: 'Change (%)', width: 12 },
      { header: 'Change text', width: 36 },
      { header: 'Direction', width: 12 },
      { header: 'Complete', width: 10 },
      { header: 'Flagged months', width: 40 },
    ],
    figureRows(report, indicators),
  );
  // Counts grouped in thousands as the document writes them; rates and percentages as typed.
  indicators.forEach(({ indicator }, n) => {
    if (indicator.unit !== 'count') return;
    for (const column of [8, 11, 12]) figures.getCell(n + 2, column).numFmt = '#,##0';
  });
  figures.getColumn(13).numFmt = '0.0';
  addSheet(
    workbook,
    report,
    'Action counts',
    [
      { header: 'Theme type', width: 18 },
      { header: 'Theme', width: 36 },
      ...REPORT_GROUPS.map((g) => ({ header: REPORT_GROUP_LABELS[g], width: 16 })),
      { header: 'Total', width: 10 },
    ],
    countRows(report),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
