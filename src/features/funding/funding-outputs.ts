import type nunjucks from 'nunjucks';
import { createViewEnvironment } from '../../plugins/views.js';
import { REPORT_FORMATS, type ReportFormat } from '../reports/report-outputs.js';
import { fundingReportDocx } from './funding-docx.js';
import { fundingReportTitle, type FundingReport } from './funding-report.js';
import { fundingReportXlsx } from './funding-xlsx.js';

export { REPORT_FORMATS as FUNDING_REPORT_FORMATS, type ReportFormat };

/** "kent-crime-reduction-grant-2023-24-funding-report.docx". */
export function fundingReportFilename(r: FundingReport, format: ReportFormat): string {
  const name = `${r.fund.name} ${r.fund.year}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${r.partnership.slug}-${name}-funding-report.${format}`;
}

let views: nunjucks.Environment | undefined;

export async function renderFundingReport(r: FundingReport, format: ReportFormat): Promise<Buffer> {
  switch (format) {
    case 'json':
      return Buffer.from(`${JSON.stringify(r, null, 2)}\n`);
    case 'html':
      views ??= createViewEnvironment();
      return Buffer.from(
        views.render('funding/views/document.njk', {
          r,
          title: fundingReportTitle(r),
          hasOutcomes: r.projects.some((x) => x.outcomes.length > 0),
        }),
      );
    case 'docx':
      return fundingReportDocx(r);
    case 'xlsx':
      return fundingReportXlsx(r);
  }
}
