import type nunjucks from 'nunjucks';
import { createViewEnvironment } from '../../plugins/views.js';
import { REPORT_GROUP_LABELS } from '../../domain/statuses.js';
import { THEME_TYPE_LABELS } from '../plans/plans.schemas.js';
import { exceptionReportDocx } from './exception-docx.js';
import { editionText, reportTitle } from './exception-edition.js';
import { flaggedText, FULL_UPDATE_COLUMNS, type ExceptionReport } from './exception-report.js';
import { exceptionReportXlsx } from './exception-xlsx.js';

/** The files a report comes as: a web page, Word, Excel and JSON. */
export const REPORT_FORMATS = {
  html: { type: 'text/html; charset=utf-8', text: 'Web page (HTML)' },
  docx: {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    text: 'Word document (DOCX)',
  },
  xlsx: {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    text: 'Figures as a spreadsheet (XLSX)',
  },
  json: { type: 'application/json; charset=utf-8', text: 'Data (JSON)' },
} as const;
export type ReportFormat = keyof typeof REPORT_FORMATS;

export const isReportFormat = (f: unknown): f is ReportFormat =>
  typeof f === 'string' && Object.hasOwn(REPORT_FORMATS, f);

/** "swale-exception-report-2022-08-v1.docx"; a draft says so in its name. */
export function reportFilename(report: ExceptionReport, format: ReportFormat): string {
  const { status, version } = report.edition;
  const edition = status === 'issued' ? `v${version ?? 1}` : 'draft';
  return `${report.partnership.slug}-exception-report-${report.periodEnd}-${edition}.${format}`;
}

/** The report as one of its files. */
let views: nunjucks.Environment | undefined;

export async function renderReport(report: ExceptionReport, format: ReportFormat): Promise<Buffer> {
  switch (format) {
    case 'json':
      return Buffer.from(`${JSON.stringify(report, null, 2)}\n`);
    case 'html':
      views ??= createViewEnvironment();
      return Buffer.from(
        views.render('reports/views/document.njk', {
          report,
          groupLabels: REPORT_GROUP_LABELS,
          typeLabels: THEME_TYPE_LABELS,
          flaggedText,
          fullUpdateColumns: FULL_UPDATE_COLUMNS,
          title: reportTitle(report),
          edition: editionText(report),
        }),
      );
    case 'docx':
      return exceptionReportDocx(report);
    case 'xlsx':
      return exceptionReportXlsx(report);
  }
}
