import { basename } from 'node:path';
import { COMMAND_LINE } from '../core/actor.js';
import { PLAN_FILE_HEADERS } from '../features/plans/plan-file.js';
import { PLAN_STATUS_LABELS } from '../features/plans/plans.schemas.js';
import { exportTarget, writeExport } from './export-file.js';
import { importing, MAX_MB, readImportFile } from './import-file.js';
import { partnershipNamed, periodOption, planForPeriod } from './plan-lookup.js';
import { PROGRESS_COMMANDS } from './plan-progress.js';
import { dispatch, oneOf, parseOptions, print, requireOption, withServices } from './support.js';

const FORMATS = ['csv', 'xlsx'] as const;

const LIST_HELP = `Usage: saferplan plan list --partnership SLUG

Lists a partnership's action plans, latest period first: period, title, status and id.

Options:
  --partnership SLUG   the partnership's short name, like swale`;

/** Words joined by ", " in lines of at most `width` characters, each indented by two spaces. */
function wrapList(words: readonly string[], width = 88): string {
  const lines: string[] = [];
  let line = '';
  for (const [i, word] of words.entries()) {
    const item = i < words.length - 1 ? `${word},` : word;
    if (line && line.length + 1 + item.length > width - 2) {
      lines.push(line);
      line = item;
    } else line = line ? `${line} ${item}` : item;
  }
  lines.push(line);
  return lines.map((l) => `  ${l}`).join('\n');
}

const IMPORT_HELP = `Usage: saferplan plan import --partnership SLUG --period PERIOD --title TITLE --file FILE
                             [--update-month MONTH]

Imports an action plan from a CSV or Excel (.xlsx) file as a new draft plan: its themes,
actions, milestones, lead agencies and each action's latest progress update. The whole
file is checked first: if any row has a problem, every problem is listed by row and column
and nothing is saved. Lead bodies the partnership does not have yet are added as groups.

The first row names the columns, as saferplan plan export writes them (Status, Update and
Update month may be left out):
${wrapList(PLAN_FILE_HEADERS)}

Options:
  --partnership SLUG     the partnership's short name, like swale
  --period PERIOD        the years the plan covers, like 2024/25 or 2016 to 2020; the
                         partnership must not have a plan for them yet
  --title TITLE          the plan's title, like "Community safety action plan"
  --file FILE            the CSV or .xlsx file, smaller than ${MAX_MB} MB
  --update-month MONTH   the month of progress updates with no Update month in the file,
                         like 2024-09`;

const EXPORT_HELP = `Usage: saferplan plan export --partnership SLUG --period PERIOD --format FORMAT --out FILE
                             [--force]

Writes a plan's actions with their milestones, lead agencies and latest progress updates in
the columns saferplan plan import reads, so the file can be edited and imported again.

Options:
  --partnership SLUG   the partnership's short name, like swale
  --period PERIOD      the plan's period, like 2024/25 (see saferplan plan list)
  --format FORMAT      csv or xlsx
  --out FILE           the file to write, or - for standard output
  --force              replace FILE if it already exists`;

export const PLAN_HELP = `Usage: saferplan plan list|import|export|overview|round|update [options]

Commands:
  list       list a partnership's action plans (see saferplan plan list --help)
  import     import an action plan from a CSV or Excel file (see saferplan plan import --help)
  export     write an action plan to a CSV or Excel file (see saferplan plan export --help)
  overview   show where a plan stands (see saferplan plan overview --help)
  round      open, list, show, close or reopen update rounds (see saferplan plan round --help)
  update     post a progress update to an action (see saferplan plan update --help)`;

async function list(args: string[]): Promise<void> {
  const options = parseOptions(args, { partnership: { type: 'string' } }, 'plan list');
  if (options.help) {
    print(LIST_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const plans = await services.plans.list(COMMAND_LINE, p.slug);
    if (plans.length === 0) {
      print(`${p.name} has no action plans yet.`);
      return;
    }
    const periodWidth = Math.max(...plans.map((plan) => plan.periodLabel.length));
    const titleWidth = Math.max(...plans.map((plan) => plan.title.length));
    for (const plan of plans) {
      const status = PLAN_STATUS_LABELS[plan.status].toLowerCase().padEnd(8);
      print(
        `${plan.periodLabel.padEnd(periodWidth)}  ${plan.title.padEnd(titleWidth)}  ${status}  id ${plan.id}`,
      );
    }
  });
}

async function importPlan(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    {
      partnership: { type: 'string' },
      period: { type: 'string' },
      title: { type: 'string' },
      file: { type: 'string' },
      'update-month': { type: 'string' },
    },
    'plan import',
  );
  if (options.help) {
    print(IMPORT_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const input = {
    title: requireOption(options.title, 'title'),
    period: requireOption(options.period, 'period'),
    updateMonth: options['update-month'],
  };
  const path = requireOption(options.file, 'file');
  const file = { filename: basename(path), content: await readImportFile(path) };

  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const result = await importing(file.filename, () =>
      services.planFiles.importFile(COMMAND_LINE, p.slug, input, file),
    );
    const { plan, counts, createdGroups } = result;
    print(
      `Imported ${file.filename} into ${p.name} (${p.slug}) as the ${PLAN_STATUS_LABELS[plan.status].toLowerCase()} plan "${plan.title}" for ${plan.periodLabel}, id ${plan.id}.`,
    );
    print(`Themes: ${counts.themes}`);
    print(`Actions: ${counts.actions}`);
    print(`Milestones: ${counts.milestones}`);
    print(`Progress updates: ${counts.updates}`);
    print(`Timescales that could not be read as dates: ${counts.unreadTimescales}`);
    print(
      `Actions whose milestones and timescales did not pair up: ${counts.mismatchedMilestones}`,
    );
    print(`Lead bodies added as groups: ${createdGroups.length}`);
    for (const name of createdGroups) print(`  ${name}`);
  });
}

async function exportPlan(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    {
      partnership: { type: 'string' },
      period: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    },
    'plan export',
  );
  if (options.help) {
    print(EXPORT_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const periodText = requireOption(options.period, 'period');
  const format = oneOf(options.format, 'format', FORMATS);
  const out = requireOption(options.out, 'out');
  const period = periodOption(periodText);
  const target = await exportTarget(out, format, options.force === true);

  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const plan = await planForPeriod(services, p, period);
    const file = await services.planFiles.exportPlan(COMMAND_LINE, p.slug, plan.id, format);
    await writeExport(target, file.content);
    if (out === '-') return;
    print(
      `Wrote the plan "${plan.title}" for ${plan.periodLabel} (${PLAN_STATUS_LABELS[plan.status].toLowerCase()}, id ${plan.id}) to ${out} as ${format === 'csv' ? 'CSV' : 'an Excel workbook'}: ${file.content.length.toLocaleString('en-GB')} bytes.`,
    );
  });
}

export async function runPlan(args: string[]): Promise<void> {
  return dispatch(
    'plan',
    args,
    { list, import: importPlan, export: exportPlan, ...PROGRESS_COMMANDS },
    PLAN_HELP,
  );
}
