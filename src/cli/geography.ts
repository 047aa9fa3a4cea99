import { basename } from 'node:path';
import { COMMAND_LINE } from '../core/actor.js';
import { ukDate } from '../domain/dates.js';
import { importing, MAX_MB, readImportFile } from './import-file.js';
import {
  dispatch,
  parseOptions,
  parseOptionsAndFiles,
  print,
  UsageError,
  withServices,
} from './support.js';

const IMPORT_HELP = `Usage: saferplan geography import FILE...

Imports ONS lookup files (CSV, as downloaded from the Open Geography Portal):
  LSOA to ward to district (LSOA11CD/LSOA21CD, WD..CD, LAD..CD or LTLA..CD), used to place
    police.uk crime records; each vintage is kept, and importing a file again replaces
    the rows of the districts it covers;
  district to community safety partnership to police force area (LAD..CD, CSP..CD, PFA..CD);
  district to county (LTLA..CD, UTLA..CD), district to region (LAD..CD, RGN..CD), and ward
    to district to county to region (WD..CD, LAD..CD, CTY..CD, RGN..CD).
The layout is read from the columns. Every file is checked before anything is saved: if any
has a problem, each is listed with its file, row and column, and nothing is imported.
Files must be smaller than ${MAX_MB} MB.`;

const POPULATION_HELP = `Usage: saferplan population import FILE

Imports an ONS mid-year population estimates workbook (.xlsx, as published), reading each
area's estimate year by year from its MYE4 sheet, and the release's title and date from
its cover sheet. Each release is kept apart, since ONS revises earlier years; importing the
same release again replaces it. The file must be smaller than ${MAX_MB} MB.`;

const GEOGRAPHY_HELP = `Usage: saferplan geography import|list [options]

Commands:
  import   import ONS lookup files (see saferplan geography import --help)
  list     list the lookups and population releases imported`;

async function importLookups(args: string[]): Promise<void> {
  const { values, positionals } = parseOptionsAndFiles(args, {}, 'geography import');
  if (values.help) {
    print(IMPORT_HELP);
    return;
  }
  if (!positionals.length) throw new UsageError('name at least one lookup file to import');
  const files: { filename: string; content: Buffer }[] = [];
  for (const path of positionals) {
    files.push({ filename: basename(path), content: await readImportFile(path, '') });
  }
  const names = files.map((f) => f.filename).join(', ');
  await withServices(async (services) => {
    const imported = await importing(names, () =>
      services.geography.importLookups(COMMAND_LINE, files),
    );
    for (const f of imported) {
      print(
        `${f.filename}: ${f.title}, ${f.rows.toLocaleString('en-GB')} rows, ${f.districts} districts`,
      );
    }
  });
}

async function list(args: string[]): Promise<void> {
  const options = parseOptions(args, {}, 'geography list');
  if (options.help) {
    print(
      'Usage: saferplan geography list\n\nLists the ONS lookups and population releases imported.',
    );
    return;
  }
  await withServices(async (services) => {
    const overview = await services.geography.overview(COMMAND_LINE);
    print('Lookups:');
    if (!overview.lookups.length) print('  none imported');
    for (const l of overview.lookups) {
      print(`  ${l.title} (${l.filenames.join(', ')}), imported ${ukDate(l.finishedAt)}`);
    }
    print('Population releases:');
    if (!overview.population.length) print('  none imported');
    for (const p of overview.population) {
      const years = (p.summary.years as number[] | undefined) ?? [];
      const published = p.release ? `, published ${ukDate(p.release)}` : '';
      print(`  ${p.title}${published}: mid-${Math.min(...years)} to mid-${Math.max(...years)}`);
    }
  });
}

export async function runGeography(args: string[]): Promise<void> {
  await dispatch('geography', args, { import: importLookups, list }, GEOGRAPHY_HELP);
}

async function importPopulation(args: string[]): Promise<void> {
  const { values, positionals } = parseOptionsAndFiles(args, {}, 'population import');
  if (values.help) {
    print(POPULATION_HELP);
    return;
  }
  const [path, ...more] = positionals;
  if (!path || more.length) throw new UsageError('name one population workbook to import');
  const file = { filename: basename(path), content: await readImportFile(path, '') };
  await withServices(async (services) => {
    const p = await importing(file.filename, () =>
      services.geography.importPopulation(COMMAND_LINE, file),
    );
    const published = p.published ? `, published ${ukDate(p.published)}` : '';
    print(`${p.title}${published}`);
    print(
      `${p.areas.toLocaleString('en-GB')} areas, mid-${Math.min(...p.years)} to mid-${Math.max(...p.years)}`,
    );
  });
}

export async function runPopulation(args: string[]): Promise<void> {
  await dispatch(
    'population',
    args,
    { import: importPopulation },
    'Usage: saferplan population import FILE\n\nCommands:\n  import   import an ONS mid-year population estimates workbook',
  );
}
