import { COMMAND_LINE } from '../core/actor.js';
import { formatMoney } from '../domain/money.js';
import {
  FUNDING_REPORT_FORMATS,
  renderFundingReport,
} from '../features/funding/funding-outputs.js';
import { fundingReportTitle } from '../features/funding/funding-report.js';
import { checkOutput, writeOutput } from './output-file.js';
import { partnershipNamed } from './plan-lookup.js';
import {
  CommandError,
  dispatch,
  oneOf,
  parseOptions,
  print,
  requireOption,
  withServices,
} from './support.js';

const FORMATS = Object.keys(FUNDING_REPORT_FORMATS) as (keyof typeof FUNDING_REPORT_FORMATS)[];

const LIST_HELP = `Usage: saferplan funding list [--partnership SLUG] [--format text|json]

Lists grant funds with their ids, partnership, financial year, amount, status, and what is
approved, spent and (after the year end) returned. Every partnership's funds, or one's.

Options:
  --partnership SLUG   only this partnership's funds, like kent
  --format FORMAT      text (the default) or json, for scripts: a list of funds with
                       id, partnership, source, name, year, status, confirmedOn, closedOn
                       and every amount in whole pence (amountPence, committedPence,
                       proposedPence, spentPence, underspendPence, returnedPence)`;

const REPORT_HELP = `Usage: saferplan funding report --partnership SLUG --fund ID
         --format docx|html|json|xlsx --out FILE [--force]

Writes a fund's report for committee papers: allocation and pots, proposals received and
shortlisted, projects with their amounts and status, spend and underspend, outcomes and an
appendix of project summaries. The JSON holds every figure, money in whole pence.

Options:
  --partnership SLUG   the partnership's short name, like kent
  --fund ID            the fund's id, as funding list shows it
  --format FORMAT      docx (Word), html (a web page), json or xlsx (the figures in Excel)
  --out FILE           the file to write, or - for standard output
  --force              replace FILE if it exists`;

export const FUNDING_HELP = `Usage: saferplan funding list|report [options]

Commands:
  list     list grant funds with their amounts and status (see saferplan funding list --help)
  report   write a fund's funding report (see saferplan funding report --help)`;

async function list(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    { partnership: { type: 'string' }, format: { type: 'string' } },
    'funding list',
  );
  if (options.help) {
    print(LIST_HELP);
    return;
  }
  const format =
    options.format === undefined ? 'text' : oneOf(options.format, 'format', ['text', 'json']);
  await withServices(async (services) => {
    const slug =
      options.partnership === undefined
        ? undefined
        : (await partnershipNamed(services, options.partnership)).slug;
    const funds = await services.funding.listFunds(COMMAND_LINE, slug);
    if (format === 'json') {
      print(
        JSON.stringify(
          funds.map((f) => ({
            id: f.id,
            partnership: f.partnership.slug,
            source: f.source,
            name: f.name,
            year: f.year,
            status: f.status,
            confirmedOn: f.confirmedOn,
            closedOn: f.closedOn,
            amountPence: f.amount,
            committedPence: f.totals.committed,
            proposedPence: f.totals.proposed,
            spentPence: f.totals.spent,
            underspendPence: f.totals.underspend,
            returnedPence: f.returned,
          })),
          null,
          2,
        ),
      );
      return;
    }
    if (funds.length === 0) {
      print(slug === undefined ? 'No funds yet.' : `${slug} has no funds yet.`);
      return;
    }
    for (const f of funds) {
      const status = f.closedOn
        ? `year ended, ${formatMoney(f.returned ?? 0)} returned`
        : f.status === 'confirmed'
          ? 'confirmed'
          : 'indicative';
      print(
        `${f.id}\t${f.partnership.slug}\t${f.name} ${f.year}\t${formatMoney(f.amount)}\t${status}\t` +
          `${formatMoney(f.totals.committed)} approved, ${formatMoney(f.totals.spent)} spent`,
      );
    }
  });
}

async function report(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    {
      partnership: { type: 'string' },
      fund: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    },
    'funding report',
  );
  if (options.help) {
    print(REPORT_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const fundText = requireOption(options.fund, 'fund');
  if (!/^\d+$/.test(fundText))
    throw new CommandError(
      'the fund is given by its id, a whole number, as funding list shows it (--fund)',
    );
  const format = oneOf(options.format, 'format', FORMATS);
  const output = { out: requireOption(options.out, 'out'), force: options.force === true };
  await checkOutput(output, 'a Word or Excel file', format === 'docx' || format === 'xlsx');
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const funds = await services.funding.listFunds(COMMAND_LINE, p.slug);
    if (!funds.some((f) => f.id === Number(fundText))) {
      throw new CommandError(
        `${p.slug} has no fund ${fundText}: run saferplan funding list --partnership ${p.slug} (--fund)`,
      );
    }
    const r = await services.funding.report(COMMAND_LINE, p.slug, Number(fundText));
    await writeOutput(output, await renderFundingReport(r, format));
    process.stderr.write(
      `${fundingReportTitle(r)}${output.out === '-' ? '' : ` written to ${output.out}`}.\n`,
    );
  });
}

export async function runFunding(args: string[]): Promise<void> {
  return dispatch('funding', args, { list, report }, FUNDING_HELP);
}
