import { basename } from 'node:path';
import { COMMAND_LINE } from '../core/actor.js';
import { INDICATOR_FILE_HEADERS } from '../features/indicators/indicator-file.js';
import { POLARITY_LABELS } from '../domain/change.js';
import { UNIT_LABELS } from '../domain/figures.js';
import { monthLabel } from '../domain/periods.js';
import { county } from './indicators-county.js';
import { checkOutput, writeOutput } from './output-file.js';
import { importing, MAX_MB, readImportFile } from './import-file.js';
import { partnershipNamed } from './plan-lookup.js';
import { dispatch, oneOf, parseOptions, print, requireOption, withServices } from './support.js';

const FORMATS = ['csv', 'xlsx'] as const;

const LIST_HELP = `Usage: saferplan indicators list --partnership SLUG

Lists a partnership's performance indicators by theme: name, unit, what an increase
means, the months it has figures for and its id.

Options:
  --partnership SLUG   the partnership's short name, like swale`;

const IMPORT_HELP = `Usage: saferplan indicators import --partnership SLUG --file FILE

Imports figures of performance indicators from a CSV or Excel (.xlsx) file. Each month's
figure replaces the one saved for that month; months the file leaves out are kept.
Indicators the partnership does not have yet are created. The whole file is checked first:
if any row has a problem, every problem is listed by row and column and nothing is saved.

The first row names the columns: Indicator, Month (like 2024-09) and Value, and optionally
Theme, Source, Unit, Polarity and Noun, used to create an indicator the partnership does
not have yet (the theme is matched by its title in the partnership's plans, latest first),
and Months: 1 or blank for a month's value, 12 for the total of the 12 months ending at
the month, as a source publishes it. saferplan indicators export writes these columns:
  ${INDICATOR_FILE_HEADERS.join(', ')}

Options:
  --partnership SLUG   the partnership's short name, like swale
  --file FILE          the CSV or .xlsx file, smaller than ${MAX_MB} MB`;

const EXPORT_HELP = `Usage: saferplan indicators export --partnership SLUG --format FORMAT --out FILE
                                   [--force]

Writes every figure of a partnership's indicators, monthly values and 12-month totals, in
the columns saferplan indicators import reads, so the file can be edited and imported
again, here or into another partnership. Indicators with no figures have no rows.

Options:
  --partnership SLUG   the partnership's short name, like swale
  --format FORMAT      csv or xlsx
  --out FILE           the file to write, or - for standard output
  --force              replace FILE if it already exists`;

export const INDICATORS_HELP = `Usage: saferplan indicators list|import|export|county [options]

Commands:
  list     list a partnership's indicators (see saferplan indicators list --help)
  import   import indicator figures from a CSV or Excel file (see saferplan indicators import --help)
  export   write indicator figures to a CSV or Excel file (see saferplan indicators export --help)
  county   compare an indicator a county's districts share (see saferplan indicators county --help)`;

async function list(args: string[]): Promise<void> {
  const options = parseOptions(args, { partnership: { type: 'string' } }, 'indicators list');
  if (options.help) {
    print(LIST_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const indicators = await services.indicators.list(COMMAND_LINE, p.slug);
    if (indicators.length === 0) {
      print(`${p.name} has no indicators yet.`);
      return;
    }
    let heading: string | undefined;
    for (const i of indicators) {
      const theme = i.theme
        ? `${i.theme.title} (${i.theme.planTitle} ${i.theme.periodLabel})`
        : 'Not under a theme';
      if (theme !== heading) {
        if (heading !== undefined) print();
        print(theme);
        heading = theme;
      }
      const { months, totals } = await services.indicators.figures(COMMAND_LINE, p.slug, i.id);
      const first = months[0]?.month;
      const last = months.at(-1)?.month;
      const span =
        first && last
          ? `${months.length} months, ${monthLabel(first)} to ${monthLabel(last)}`
          : 'no monthly figures';
      const extra = totals.length ? `, ${totals.length} 12-month totals` : '';
      print(
        `  ${i.name}: ${UNIT_LABELS[i.unit].toLowerCase()}, ${POLARITY_LABELS[i.polarity].toLowerCase()}; ${span}${extra}; id ${i.id}`,
      );
    }
  });
}

async function importIndicators(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    { partnership: { type: 'string' }, file: { type: 'string' } },
    'indicators import',
  );
  if (options.help) {
    print(IMPORT_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const path = requireOption(options.file, 'file');
  const file = { filename: basename(path), content: await readImportFile(path) };
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const result = await importing(file.filename, () =>
      services.indicatorFiles.importFile(COMMAND_LINE, p.slug, file),
    );
    const { counts } = result;
    print(`Imported ${file.filename} into ${p.name} (${p.slug}).`);
    print(`Indicators: ${counts.indicators}, of which new: ${counts.newIndicators}`);
    print(`Figures added: ${counts.added}`);
    print(`Figures changed: ${counts.changed}`);
    print(`Figures already saved: ${counts.unchanged}`);
    if (counts.totals)
      print(`Of the file's ${counts.values} figures, 12-month totals: ${counts.totals}`);
    for (const name of result.createdIndicators) print(`  new: ${name}`);
  });
}

async function exportIndicators(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    {
      partnership: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    },
    'indicators export',
  );
  if (options.help) {
    print(EXPORT_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const format = oneOf(options.format, 'format', FORMATS);
  const output = { out: requireOption(options.out, 'out'), force: options.force === true };
  await checkOutput(output, 'an Excel file', format === 'xlsx');
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const file = await services.indicatorFiles.exportFile(COMMAND_LINE, p.slug, format);
    await writeOutput(output, file.content);
    if (output.out === '-') return;
    // The header is not a figure.
    const figures = file.rows - 1;
    print(
      `Wrote ${figures === 1 ? '1 figure' : `${figures.toLocaleString('en-GB')} figures`} of ${p.name}'s indicators to ${output.out} as ${format === 'csv' ? 'CSV' : 'an Excel workbook'}: ${file.content.length.toLocaleString('en-GB')} bytes.`,
    );
  });
}

export async function runIndicators(args: string[]): Promise<void> {
  return dispatch(
    'indicators',
    args,
    { list, import: importIndicators, export: exportIndicators, county },
    INDICATORS_HELP,
  );
}
