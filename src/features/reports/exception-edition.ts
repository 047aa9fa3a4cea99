/**
 * How every file of the exception report names itself and its edition, so the Word document
 * and the spreadsheet of a draft both say it is one, in the same words.
 */
import { ukDate } from '../../domain/dates.js';
import type { ExceptionReport } from './exception-report.js';

/** Anything not issued, a saved draft or a preview, may still change. */
export function isDraft(report: ExceptionReport): boolean {
  return report.edition.status !== 'issued';
}

/** "Exception report: Community Safety Plan 2022/23", "Draft exception report: …". */
export function reportTitle(report: ExceptionReport): string {
  const plan = `${report.plan.title} ${report.plan.periodLabel}`;
  return isDraft(report) ? `Draft exception report: ${plan}` : `Exception report: ${plan}`;
}

/** "Version 2, issued 12 October 2022", or that a draft is not issued yet. */
export function editionText(report: ExceptionReport): string {
  const { version, issuedAt } = report.edition;
  if (isDraft(report)) return 'Draft: not yet issued. Figures and updates may change.';
  const issued = ukDate(issuedAt);
  return version === null ? `Issued ${issued}` : `Version ${version}, issued ${issued}`;
}
