import { ConfigError } from '../config.js';
import { ForbiddenError, NotFoundError, ValidationFailed } from '../core/errors.js';
import { CommandError, print, printError, UsageError } from './support.js';

const HELP = `Usage: saferplan COMMAND [options]

Commands:
  serve [--demo] [--port N]   start the web server
  migrate                     bring the database up to date
  demo                        load the demo partnerships, agencies, groups and accounts
  partnership create          add a partnership
  agency create               add a partner agency
  user create                 add an account, optionally with a partnership role
  user reset                  print a one-time link to set a new password
  plan list                   list a partnership's action plans
  plan import                 import an action plan from a CSV or Excel file as a draft
  plan export                 write an action plan to a CSV or Excel file
  plan overview               show where a plan stands, priority by priority
  plan round open             open a plan's update round for a month
  plan round list             list a plan's update rounds
  plan round show             show who has and has not updated for a round
  plan round close            stop asking for a round's updates
  plan round reopen           ask for a closed round's updates again
  plan update                 post a progress update to an action
  indicators list             list a partnership's performance indicators
  indicators import           import indicator figures from a CSV or Excel file
  indicators export           write indicator figures to a CSV or Excel file
  indicators county           compare an indicator a county's districts share
  priorities list             list a partnership's priority-setting exercises
  priorities result           print an exercise's ranked result (text or JSON)
  report exception            write a plan's quarterly exception report (Word, web page, Excel, JSON)
  crime import                import police.uk street files and Home Office recorded crime tables
  crime months                list the police.uk months loaded, with incomplete months flagged
  geography import            import ONS lookups: LSOA to ward to district, district to CSP and force area
  geography list              list the lookups and population releases imported
  population import           import an ONS mid-year population estimates workbook
  assessment                  write a partnership's strategic assessment (Word, web page, JSON)
  funding list                list grant funds with their amounts and status
  funding report              write a fund's funding report (Word, web page, Excel, JSON)

Run saferplan COMMAND --help for a command's options. The database is the one in
DATABASE_URL (default sqlite:./data/saferplan.db).`;

type Run = (args: string[]) => Promise<void>;

// Each command's module is loaded only when it runs: `saferplan user reset` need not load the web server.
const COMMANDS: Record<string, () => Promise<Run>> = {
  serve: async () => (await import('./serve.js')).runServe,
  migrate: async () => (await import('./migrate.js')).runMigrate,
  demo: async () => (await import('./demo.js')).runDemo,
  partnership: async () => (await import('./partnership.js')).runPartnership,
  agency: async () => (await import('./agency.js')).runAgency,
  user: async () => (await import('./user.js')).runUser,
  plan: async () => (await import('./plan.js')).runPlan,
  indicators: async () => (await import('./indicators.js')).runIndicators,
  report: async () => (await import('./report.js')).runReport,
  crime: async () => (await import('./crime.js')).runCrime,
  priorities: async () => (await import('./priorities.js')).runPriorities,
  geography: async () => (await import('./geography.js')).runGeography,
  population: async () => (await import('./geography.js')).runPopulation,
  assessment: async () => (await import('./assessment.js')).runAssessment,
  funding: async () => (await import('./funding.js')).runFunding,
};

// Form fields named as the command line's options, so an error says what to change.
const FIELD_OPTIONS: Record<string, string> = {
  agencyId: '--agency',
  isAdmin: '--admin',
  updateMonth: '--update-month',
  file: '--file',
  narrative: '--narrative or standard input',
  password: 'the password on standard input',
  confirm: 'the password on standard input',
};

/** Prints the error the way a person at a terminal can act on, and returns the exit code. */
async function report(err: unknown): Promise<number> {
  if (err instanceof UsageError) {
    printError(err.message);
    return 2;
  }
  if (err instanceof ValidationFailed) {
    for (const [field, { text }] of Object.entries(err.errors.fields)) {
      printError(`${text} (${FIELD_OPTIONS[field] ?? `--${field}`})`);
    }
    return 1;
  }
  // Loaded here, not up front: by the time they can be thrown, their modules are loaded anyway.
  const { MigrationError } = await import('../db/migrate.js');
  const { DemoAlreadyLoaded } = await import('../features/demo/demo.service.js');
  if (err instanceof CommandError) {
    for (const line of [err.message, ...err.details]) printError(line);
    return 1;
  }
  if (
    err instanceof ConfigError ||
    err instanceof NotFoundError ||
    err instanceof ForbiddenError ||
    err instanceof DemoAlreadyLoaded ||
    err instanceof MigrationError
  ) {
    printError(err.message);
    return 1;
  }
  printError(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return 1;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    print(HELP);
    return 0;
  }
  const load = command === undefined ? undefined : COMMANDS[command];
  if (!load) {
    printError(
      command === undefined
        ? 'a command is needed: run saferplan --help for the list'
        : `unknown command "${command}": run saferplan --help for the list`,
    );
    return 2;
  }
  try {
    await (
      await load()
    )(rest);
    return 0;
  } catch (err) {
    return report(err);
  }
}

// Output piped into a reader that stops early (`| head`) is not an error: stop quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

const code = await main(process.argv.slice(2));
// On failure, stop at once: a server that failed to start may still hold database connections.
if (code !== 0) process.exit(code);
