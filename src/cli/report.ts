import { COMMAND_LINE } from '../core/actor.js';
import { ValidationFailed } from '../core/errors.js';
import { ukDate } from '../domain/dates.js';
import {
  longWindowLabel,
  monthLabel,
  parseMonth,
  PeriodError,
  rollingYear,
} from '../domain/periods.js';
import type { ExceptionReport } from '../features/reports/exception-report.js';
import { REPORT_FORMATS, renderReport } from '../features/reports/report-outputs.js';
import { checkOutput, writeOutput } from './output-file.js';
import { partnershipNamed, periodOption, planForPeriod } from './plan-lookup.js';
import {
  CommandError,
  dispatch,
  oneOf,
  parseOptions,
  print,
  requireOption,
  withServices,
} from './support.js';

const FORMATS = Object.keys(REPORT_FORMATS) as (keyof typeof REPORT_FORMATS)[];

const EXCEPTION_HELP = `Usage: saferplan report exception --partnership SLUG --plan PERIOD --period YYYY-MM
         --format json|docx|html|xlsx --out FILE [--draft] [--force]

Writes a plan's exception report for the rolling year ending in a month: for each theme
its indicators against the year before, its actions by status and its commentary, then
the full update of the plan. The report is the latest issued version for that plan and
month; with --draft, the draft being written. When neither exists it is made from today's
figures and updates, without commentary. Which one was written is said on standard error.

Options:
  --partnership SLUG   the partnership's short name, like swale
  --plan PERIOD        the plan's period, like 2024/25
  --period YYYY-MM     the last month of the rolling year, like 2025-03
  --format FORMAT      json, docx (Word), html (a web page) or xlsx (the figures in Excel)
  --out FILE           the file to write, or - for standard output
  --draft              the draft rather than the latest issued version
  --force              replace FILE if it exists`;

export const REPORT_HELP = `Usage: saferplan report exception [options]

Commands:
  exception   write a plan's quarterly exception report (see saferplan report exception --help)`;

/** What the report is, for the person who asked for it. */
function describe(report: ExceptionReport): string {
  const { status, version, issuedAt } = report.edition;
  const what =
    status === 'issued'
      ? `version ${version ?? 1}, issued ${ukDate(issuedAt)}`
      : status === 'draft'
        ? `draft of version ${version ?? 1}`
        : 'not saved: made from today’s figures and updates, without commentary';
  return `Exception report of "${report.plan.title}" ${report.plan.periodLabel} for ${longWindowLabel(report.currentWindow)} (${what})`;
}

async function exception(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    {
      partnership: { type: 'string' },
      plan: { type: 'string' },
      period: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      draft: { type: 'boolean' },
      force: { type: 'boolean' },
    },
    'report exception',
  );
  if (options.help) {
    print(EXCEPTION_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const planPeriod = periodOption(options.plan, 'plan');
  let periodEnd: string;
  try {
    periodEnd = parseMonth(requireOption(options.period, 'period'));
  } catch (err) {
    if (!(err instanceof PeriodError)) throw err;
    throw new CommandError(`${err.message} (--period)`);
  }
  const format = oneOf(options.format, 'format', FORMATS);
  const output = { out: requireOption(options.out, 'out'), force: options.force === true };
  await checkOutput(output, 'a Word or Excel file', format === 'docx' || format === 'xlsx');

  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const plan = await planForPeriod(services, p, planPeriod, 'plan');
    const saved = await services.reports.find(COMMAND_LINE, p.slug, plan.id, periodEnd, {
      draft: options.draft === true,
    });
    if (!saved && options.draft) {
      throw new CommandError(
        `there is no draft report of ${plan.periodLabel} for the rolling year to ${monthLabel(periodEnd)} (--draft)`,
      );
    }
    let report: ExceptionReport;
    try {
      report =
        saved?.report ??
        (await services.reports.preview(COMMAND_LINE, p.slug, { planId: plan.id, periodEnd }));
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      throw new CommandError(`${err.message} (--period)`);
    }
    const noData = saved ? saved.noData : await services.reports.noDataFor(report);
    if (noData) {
      const window = rollingYear(periodEnd);
      throw new CommandError(
        `no indicator of the plan has a figure for ${longWindowLabel(window)} or the year before (--period)`,
        [
          noData.indicators.length
            ? `the plan's indicators: ${noData.indicators.join(', ')}`
            : 'no indicators are linked to the plan’s themes',
          ...(noData.latestMonth
            ? [`their latest figure is for ${monthLabel(noData.latestMonth)}`]
            : []),
        ],
      );
    }
    const content = await renderReport(report, format);
    await writeOutput(output, content);
    process.stderr.write(
      `${describe(report)}${output.out === '-' ? '' : ` written to ${output.out}`}.\n`,
    );
  });
}

export async function runReport(args: string[]): Promise<void> {
  return dispatch('report', args, { exception }, REPORT_HELP);
}
