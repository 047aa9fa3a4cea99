import { parseArgs } from 'node:util';
import { COMMAND_LINE } from '../core/actor.js';
import { monthLabel } from '../domain/periods.js';
import { CrimeFileError } from '../features/crime/crime-files.js';
import type { CrimeImportSummary, ImportProgress } from '../features/crime/crime.service.js';
import { CrimeTableError } from '../features/crime/recorded-crime.js';
import {
  CommandError,
  dispatch,
  oneOf,
  parseOptions,
  print,
  UsageError,
  withServices,
} from './support.js';

const IMPORT_HELP = `Usage: saferplan crime import FILE|DIR|ZIP…

Imports crime data as published, telling each CSV's layout from its header:
  - data.police.uk street-level files (YYYY-MM-<force>-street.csv), one by one, folders of
    monthly folders, or the zip archive as downloaded (outcomes and stop and search files
    in folders and archives are skipped);
  - the ONS/Home Office recorded crime by police force area table (rec-crime-pfa.csv);
  - the Home Office recorded crime by community safety partnership table (CSV).
Each record is placed in its ward and district by its LSOA code through the ONS lookups
(import them first with saferplan geography import). A force's month imported again
replaces the one saved. Everything named is saved together or, if any file has a problem,
nothing is saved and the file and line are named.

Progress is written to standard error; the summary to standard output.`;

const MONTHS_HELP = `Usage: saferplan crime months [--force NAME] [--format text|json]

Lists the police.uk months loaded, force by force, with their records, the records that
could not be placed in an area, and why a month looks incomplete when it does.

Options:
  --force NAME      only this force, as its records name it, like "Kent Police"
  --format FORMAT   text (the default) or json`;

export const CRIME_HELP = `Usage: saferplan crime import|months [options]

Commands:
  import   import police.uk files and Home Office tables (see saferplan crime import --help)
  months   list the police.uk months loaded (see saferplan crime months --help)`;

const n = (v: number): string => v.toLocaleString('en-GB');

function progressLine(p: ImportProgress): string {
  return p.stage === 'reading'
    ? `Read ${n(p.filesRead)} of ${n(p.files)} files: ${n(p.records)} records counted`
    : `Writing counts: ${n(p.records)} rows saved`;
}

/** The summary as lines a person reads at a terminal. */
export function summaryLines(s: CrimeImportSummary): string[] {
  const lines = [
    `Files read: ${n(s.files)}${s.skipped.length > 0 ? ` (${n(s.skipped.length)} outcomes or stop and search files skipped)` : ''}`,
    `Records: ${n(s.records)}`,
    `Months: ${s.months.length === 0 ? 'none' : s.months.map((m) => `${m.force} ${m.month}`).join(', ')}`,
    `Areas: ${n(s.areas.districts)} districts, ${n(s.areas.wards)} wards`,
    `Unassigned: ${n(s.unassigned.noLocation)} records with no location, ${n(s.unassigned.unknownLsoa)} in LSOAs no lookup holds`,
  ];
  for (const m of s.months.filter((m) => m.noLocation + m.unknownLsoa > 0)) {
    lines.push(
      `  ${m.force} ${m.month}: ${n(m.noLocation)} no location, ${n(m.unknownLsoa)} unknown LSOA`,
    );
  }
  if (s.unassigned.unknownLsoaCodes.length > 0) {
    lines.push(
      `  LSOAs no lookup holds (most records first): ${s.unassigned.unknownLsoaCodes
        .map((c) => `${c.code} (${n(c.records)})`)
        .join(', ')}`,
    );
  }
  lines.push(s.flaggedMonths.length === 0 ? 'Flagged months: none' : 'Flagged months:');
  for (const f of s.flaggedMonths) lines.push(`  ${f.force} ${monthLabel(f.month)}: ${f.reason}`);
  for (const f of s.unflaggedMonths)
    lines.push(`  ${f.force} ${monthLabel(f.month)}: no longer flagged`);
  lines.push(
    `Unknown crime types: ${s.unknownTypes.length === 0 ? 'none' : s.unknownTypes.map((t) => `${t.type} (${n(t.records)}, kept as its own type)`).join(', ')}`,
  );
  for (const t of s.tables) {
    lines.push(
      `${t.layout === 'pfa' ? 'Recorded crime by force area' : 'Recorded crime by CSP'}: ${t.file}: ${n(t.rows)} rows, ${n(t.areas)} areas, ${t.periods.length} periods (${t.periods[0] ?? ''} to ${t.periods.at(-1) ?? ''})`,
    );
  }
  return lines;
}

async function importCrime(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(
      `${err instanceof Error ? err.message : String(err)}: run \`saferplan crime import --help\``,
    );
  }
  if (parsed.values.help) {
    print(IMPORT_HELP);
    return;
  }
  if (parsed.positionals.length === 0) {
    throw new UsageError(
      'name at least one file, folder or zip to import: run `saferplan crime import --help`',
    );
  }
  await withServices(async (services) => {
    let last = 0;
    const onProgress = (p: ImportProgress) => {
      const now = Date.now();
      if (now - last < 500 && p.filesRead < p.files) return;
      last = now;
      process.stderr.write(`${progressLine(p)}\n`);
    };
    try {
      const { summary } = await services.crime.importFiles(
        COMMAND_LINE,
        parsed.positionals,
        onProgress,
      );
      for (const line of summaryLines(summary)) print(line);
    } catch (err) {
      if (err instanceof CrimeFileError) {
        throw new CommandError(`nothing was imported: ${err.message}`);
      }
      if (err instanceof CrimeTableError) {
        throw new CommandError(
          `nothing was imported: fix these problems in ${err.file} and import it again`,
          err.problems,
        );
      }
      if (err instanceof Error && err.message.startsWith('No LSOA lookups'))
        throw new CommandError(err.message);
      throw err;
    }
  });
}

async function months(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    { force: { type: 'string' }, format: { type: 'string' } },
    'crime months',
  );
  if (options.help) {
    print(MONTHS_HELP);
    return;
  }
  const format =
    options.format === undefined
      ? 'text'
      : oneOf(options.format, 'format', ['text', 'json'] as const);
  await withServices(async (services) => {
    const list = await services.crime.months(options.force);
    if (format === 'json') {
      print(JSON.stringify(list, null, 2));
      return;
    }
    if (list.length === 0) {
      print(
        options.force
          ? `No months are loaded for ${options.force}.`
          : 'No police.uk months are loaded.',
      );
      return;
    }
    let force = '';
    for (const m of list) {
      if (m.force !== force) {
        force = m.force;
        print(force);
      }
      const unassigned = m.noLocation + m.unknownLsoa;
      print(
        `  ${m.month}  ${n(m.records)} records (${n(m.asb)} anti-social behaviour), ${n(unassigned)} unassigned, LSOA ${m.lsoaVintage || 'none'}${m.flag ? `\n    Flagged: ${m.flag}` : ''}`,
      );
    }
  });
}

export async function runCrime(args: string[]): Promise<void> {
  return dispatch('crime', args, { import: importCrime, months }, CRIME_HELP);
}
