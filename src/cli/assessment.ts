import { COMMAND_LINE } from '../core/actor.js';
import { ValidationFailed } from '../core/errors.js';
import {
  ASSESSMENT_FORMATS,
  renderAssessment,
} from '../features/assessments/assessment-outputs.js';
import { checkOutput, writeOutput } from './output-file.js';
import { partnershipNamed } from './plan-lookup.js';
import {
  CommandError,
  oneOf,
  parseOptions,
  print,
  requireOption,
  UsageError,
  withServices,
} from './support.js';

const FORMATS = Object.keys(ASSESSMENT_FORMATS) as (keyof typeof ASSESSMENT_FORMATS)[];

export const ASSESSMENT_HELP = `Usage: saferplan assessment --partnership SLUG (--year YYYY/YY | --from YYYY-MM)
         --format json|html|docx --out FILE [--force]

Writes a partnership's strategic assessment for 12 months: crime and anti-social behaviour
by level, rate per 1,000 people, change on the year before, rank among districts,
partnerships and the peer group, five-year trend, months, crime types and hotspot wards,
with the sections written for it. Without a saved assessment for the period, the document
has the figures and empty sections.

Options:
  --partnership SLUG   the partnership's short name, like swale
  --year YYYY/YY       a financial year, like 2021/22 (April 2021 to March 2022)
  --from YYYY-MM       or the first month of any other 12 months, like 2021-01
  --format FORMAT      json (every figure with its source, period and flagged months),
                       html (a web page) or docx (Word)
  --out FILE           the file to write, or - for standard output
  --force              replace FILE if it exists`;

export async function runAssessment(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    {
      partnership: { type: 'string' },
      year: { type: 'string' },
      from: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    },
    'assessment',
  );
  if (options.help) {
    print(ASSESSMENT_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  if (options.year === undefined && options.from === undefined) {
    throw new UsageError('--year or --from is needed: run saferplan assessment --help');
  }
  const format = oneOf(options.format, 'format', FORMATS);
  const output = { out: requireOption(options.out, 'out'), force: options.force === true };
  await checkOutput(output, 'a Word file', format === 'docx');

  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    let doc;
    try {
      doc = await services.assessments.forPeriod(COMMAND_LINE, p.slug, {
        year: options.year,
        from: options.from,
      });
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      const [field, e] = Object.entries(err.errors.fields)[0] ?? ['year', { text: err.message }];
      throw new CommandError(`${e.text} (--${field === 'from' ? 'from' : 'year'})`);
    }
    await writeOutput(output, await renderAssessment(doc, format));
    const crime = doc.figures.measures.crime;
    process.stderr.write(
      `${doc.title}${doc.record ? '' : ' (figures only: no assessment is saved for this period)'}` +
        `${output.out === '-' ? '' : ` written to ${output.out}`}.\n` +
        (crime.basis.complete
          ? ''
          : `Months not loaded: ${crime.basis.missing.map((m) => m.label).join(', ')}.\n`) +
        (doc.figures.notes.some((n) => n.reason !== 'not loaded')
          ? `Flagged months: ${doc.figures.notes
              .filter((n) => n.reason !== 'not loaded')
              .map((n) => n.label)
              .join(', ')}.\n`
          : ''),
    );
  });
}
