import { z } from 'zod';
import { idField, optionalText, requiredText } from '../../core/schema-helpers.js';
import { parseDateAsWritten, parseMonth } from '../../domain/periods.js';
import { periodText } from '../plans/plans.schemas.js';

export const reportMessages = {
  planMissing: 'Select the plan the report is for',
  periodEmpty: 'Enter the last month of the rolling year, like 2022-08',
  periodFuture: 'The rolling year must end this month or earlier',
  toTooLong: 'To must be 200 characters or fewer',
  dateEmpty: 'Enter the report’s date, like 12/10/2022',
  subjectEmpty: 'Enter the subject',
  subjectTooLong: 'Subject must be 300 characters or fewer',
  byTooLong: 'By must be 200 characters or fewer',
  introductionTooLong: 'Introduction must be 20,000 characters or fewer',
  commentaryTooLong: 'Commentary must be 20,000 characters or fewer',
  themeMissing: 'That theme is not in the report’s plan',
  notDraft: 'This report has been issued and cannot be changed. Start a new version to change it.',
  noData: 'There are no figures for this report’s rolling years: add figures before issuing it',
  conflict:
    'Someone else changed this report while you were editing. Their version is shown; make your change again if it is still needed.',
  draftExists: 'A new version of this report is already being drafted',
};

const periodEndField = periodText(parseMonth, reportMessages.periodEmpty);

export const newReportSchema = z.object({
  planId: idField(reportMessages.planMissing),
  periodEnd: periodEndField.meta({
    description: 'The last month of the rolling year, like 2022-08',
  }),
});

export const versionField = z.coerce.number().int().positive().optional();

export const headerSchema = z.object({
  to: optionalText(200, reportMessages.toTooLong),
  date: periodText(parseDateAsWritten, reportMessages.dateEmpty),
  subject: requiredText(reportMessages.subjectEmpty, 300, reportMessages.subjectTooLong),
  by: optionalText(200, reportMessages.byTooLong),
  introduction: optionalText(20000, reportMessages.introductionTooLong),
  version: versionField,
});

export const commentarySchema = z.object({
  commentary: optionalText(20000, reportMessages.commentaryTooLong),
  version: versionField,
});
