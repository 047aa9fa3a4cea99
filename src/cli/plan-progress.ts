import { COMMAND_LINE } from '../core/actor.js';
import { todayIso } from '../db/database.js';
import { ukDate } from '../domain/dates.js';
import { monthLabel, parseMonth, PeriodError } from '../domain/periods.js';
import { parseStatus, STATUS_LABELS, STATUSES, type Status } from '../domain/statuses.js';
import { plural } from '../domain/words.js';
import type { PartnershipRow } from '../features/partnerships/partnerships.table.js';
import type { PlanSummary } from '../features/plans/plans.repository.js';
import { PLAN_STATUS_LABELS } from '../features/plans/plans.schemas.js';
import type { Round } from '../features/plans/rounds.service.js';
import type { Services } from '../services.js';
import { partnershipNamed, periodOption, planForPeriod } from './plan-lookup.js';
import {
  CommandError,
  dispatch,
  listWords,
  oneOf,
  parseOptions,
  print,
  readPipedInput,
  requireOption,
  UsageError,
  withServices,
} from './support.js';

const OVERVIEW_FORMATS = ['text', 'json'] as const;
// An update may be 5,000 characters, each up to 4 bytes; the service says when it is too long.
const MAX_NARRATIVE_BYTES = 5000 * 4;

const PLAN_OPTIONS = {
  partnership: { type: 'string' },
  period: { type: 'string' },
} as const;
const ROUND_OPTIONS = { ...PLAN_OPTIONS, month: { type: 'string' } } as const;

const OVERVIEW_HELP = `Usage: saferplan plan overview --partnership SLUG --period PERIOD [--format text|json]

Shows where a plan stands, as its overview page does: for each priority or theme in the
plan's order, then for the whole plan, how many actions are complete, in progress, or not
started, on hold or off track (by each action's latest update; an action never updated has
not started), how many milestones are overdue (past their due date, on an action that is not
complete) and how many actions have no update for the open update round's month.

Options:
  --partnership SLUG   the partnership's short name, like swale
  --period PERIOD      the plan's period, like 2024/25 (see saferplan plan list)
  --format FORMAT      text (the default) or json

With --format json it prints one JSON object, for scripts:
  partnership          the partnership's short name
  plan                 { id, title, period, status }: status is draft, adopted or archived
  date                 the day milestones were judged overdue on, like 2025-01-06
  round                the open update round as { month, deadline }, like 2024-12 and
                       2025-01-15, or null when no round is open
  themes               one object per priority or theme, in the plan's order:
                       { id, type, title } (type is priority or cross-cutting) and the counts
  total                the counts for the whole plan
The counts are actions, complete, inProgress, notStartedOnHoldOrOffTrack,
overdueMilestones and notUpdated (null when no round is open).`;

const ROUND_OPEN_HELP = `Usage: saferplan plan round open --partnership SLUG --period PERIOD --month MONTH
                                 --deadline DATE

Opens an update round: the plan's leads are asked, on their home pages, for a progress
update on each of their actions for the month, by the deadline.

Options:
  --partnership SLUG   the partnership's short name, like swale
  --period PERIOD      the plan's period, like 2024/25 (see saferplan plan list)
  --month MONTH        the month the updates are for, like 2024-12; a plan has one round a month
  --deadline DATE      the day updates are due by, like 2025-01-15, in or after the month`;

const ROUND_LIST_HELP = `Usage: saferplan plan round list --partnership SLUG --period PERIOD

Lists a plan's update rounds, latest month first: month, deadline, and whether the round is
open or when it was closed.

Options:
  --partnership SLUG   the partnership's short name, like swale
  --period PERIOD      the plan's period, like 2024/25 (see saferplan plan list)`;

const ROUND_SHOW_HELP = `Usage: saferplan plan round show --partnership SLUG --period PERIOD --month MONTH

Shows who has and has not updated for a round: a line for each action of the plan with its
number, whether it has an update for the month (and the status it gave), its title and leads.

Options:
  --partnership SLUG   the partnership's short name, like swale
  --period PERIOD      the plan's period, like 2024/25 (see saferplan plan list)
  --month MONTH        the round's month, like 2024-12 (see saferplan plan round list)`;

const roundStateHelp = (command: 'close' | 'reopen', what: string) =>
  `Usage: saferplan plan round ${command} --partnership SLUG --period PERIOD --month MONTH

${what}

Options:
  --partnership SLUG   the partnership's short name, like swale
  --period PERIOD      the plan's period, like 2024/25 (see saferplan plan list)
  --month MONTH        the round's month, like 2024-12 (see saferplan plan round list)`;

const ROUND_CLOSE_HELP = roundStateHelp(
  'close',
  `Closes an update round once its updates are in: leads are no longer asked for updates for
its month. Updates can still be posted. A closed round is left as it is.`,
);

const ROUND_REOPEN_HELP = roundStateHelp(
  'reopen',
  `Reopens a closed update round: leads who have not updated for its month are asked again.
An open round is left as it is.`,
);

export const ROUND_HELP = `Usage: saferplan plan round open|list|show|close|reopen [options]

Commands:
  open     open an update round for a month (see saferplan plan round open --help)
  list     list a plan's update rounds (see saferplan plan round list --help)
  show     show who has and has not updated (see saferplan plan round show --help)
  close    stop asking for a round's updates (see saferplan plan round close --help)
  reopen   ask for a closed round's updates again (see saferplan plan round reopen --help)`;

const UPDATE_HELP = `Usage: saferplan plan update --partnership SLUG --period PERIOD --action NUMBER --month MONTH
                             --status STATUS [--narrative TEXT]

Posts a progress update to an action, as "Command line" in its history. The latest update is
the action's current state; earlier ones are kept.

Options:
  --partnership SLUG   the partnership's short name, like swale
  --period PERIOD      the plan's period, like 2024/25 (see saferplan plan list)
  --action NUMBER      the action's number in the plan, like 1.2
  --month MONTH        the month the update is for, like 2024-12
  --status STATUS      ${listWords(STATUSES, 'or')}, or as the pages
                       write them, like "In progress" or "Not yet started"
  --narrative TEXT     what has happened, up to 5,000 characters. Without it, the text piped
                       to standard input is the narrative; give --narrative "" for none when
                       standard input is not a terminal (in a loop reading a file, say)`;

/** --month as a year and month, or an error naming the option. */
function monthOption(value: string | undefined): string {
  const given = requireOption(value, 'month');
  try {
    return parseMonth(given);
  } catch (err) {
    if (!(err instanceof PeriodError)) throw err;
    throw new CommandError(`${err.message} (--month)`);
  }
}

/** A status by its id or as the pages and imported files write it. */
function statusOption(value: string | undefined): Status {
  const given = requireOption(value, 'status');
  const status = parseStatus(given);
  if (status) return status;
  throw new UsageError(
    `--status must be ${listWords(STATUSES, 'or')} (or as the pages write them, like "In progress"), not "${given}"`,
  );
}

const named = (plan: PlanSummary) => `"${plan.title}" for ${plan.periodLabel}`;

/** The plan's round for the month, or an error listing the months it has rounds for. */
async function roundFor(
  services: Services,
  p: PartnershipRow,
  plan: PlanSummary,
  month: string,
): Promise<Round> {
  const rounds = await services.rounds.list(COMMAND_LINE, p.slug, plan.id);
  const round = rounds.find((r) => r.month === month);
  if (round) return round;
  const have = rounds.length
    ? `its rounds are for ${rounds.map((r) => r.month).join(', ')}`
    : 'it has no update rounds yet';
  throw new CommandError(
    `the plan ${named(plan)} has no update round for ${monthLabel(month)} (--month): ${have}`,
  );
}

interface Counts {
  actions: number;
  complete: number;
  inProgress: number;
  notStartedOnHoldOrOffTrack: number;
  overdueMilestones: number;
  /** Null when no round is open: nothing is being asked for. */
  notUpdated: number | null;
}

/** What `plan overview --format json` prints; its field names are documented in the help. */
interface OverviewReport {
  partnership: string;
  plan: { id: number; title: string; period: string; status: string };
  date: string;
  round: { month: string; deadline: string } | null;
  themes: ({ id: number; type: string; title: string } & Counts)[];
  total: Counts;
}

async function overviewReport(
  services: Services,
  p: PartnershipRow,
  plan: PlanSummary,
): Promise<OverviewReport> {
  const date = todayIso();
  const view = await services.overview.get(COMMAND_LINE, p.slug, plan.id, {}, date);
  const themes = view.themes.map((t) => ({
    id: t.theme.id,
    type: t.theme.type,
    title: t.theme.title,
    actions: t.actions.length,
    complete: t.counts.complete,
    inProgress: t.counts.inProgress,
    notStartedOnHoldOrOffTrack: t.counts.notStartedOrOffTrack,
    overdueMilestones: t.overdue,
    notUpdated: view.round ? t.notUpdated : null,
  }));
  const sum = (count: (t: Counts) => number) => themes.reduce((n, t) => n + count(t), 0);
  return {
    partnership: p.slug,
    plan: { id: plan.id, title: plan.title, period: plan.periodLabel, status: plan.status },
    date,
    round: view.round ? { month: view.round.month, deadline: view.round.deadline } : null,
    themes,
    total: {
      actions: sum((t) => t.actions),
      complete: sum((t) => t.complete),
      inProgress: sum((t) => t.inProgress),
      notStartedOnHoldOrOffTrack: sum((t) => t.notStartedOnHoldOrOffTrack),
      overdueMilestones: sum((t) => t.overdueMilestones),
      notUpdated: view.round ? sum((t) => t.notUpdated ?? 0) : null,
    },
  };
}

// The overview's columns; the variable-width title comes last so the numbers line up.
const COLUMNS: [string, (c: Counts) => number | null][] = [
  ['Complete', (c) => c.complete],
  ['In progress', (c) => c.inProgress],
  ['Not started/on hold/off track', (c) => c.notStartedOnHoldOrOffTrack],
  ['Overdue milestones', (c) => c.overdueMilestones],
  ['Not updated', (c) => c.notUpdated],
];

function printOverview(report: OverviewReport, plan: PlanSummary): void {
  print(
    `Where the plan ${named(plan)} (${PLAN_STATUS_LABELS[plan.status].toLowerCase()}) stands on ${ukDate(report.date)}.`,
  );
  print(
    report.round
      ? `Update round open: ${monthLabel(report.round.month)}, updates due by ${ukDate(report.round.deadline)}.`
      : 'No update round is open, so no action is counted as not updated.',
  );
  if (report.themes.length === 0) {
    print('The plan has no priorities or themes yet.');
    return;
  }
  print();
  const row = (counts: Counts, title: string) =>
    [
      ...COLUMNS.map(([head, value]) => String(value(counts) ?? '-').padStart(head.length)),
      title,
    ].join('  ');
  print([...COLUMNS.map(([head]) => head), 'Priority or theme'].join('  '));
  for (const t of report.themes) print(row(t, t.title));
  print(row(report.total, 'Whole plan'));
}

async function overview(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    { ...PLAN_OPTIONS, format: { type: 'string' } },
    'plan overview',
  );
  if (options.help) {
    print(OVERVIEW_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const periodText = requireOption(options.period, 'period');
  const format =
    options.format === undefined ? 'text' : oneOf(options.format, 'format', OVERVIEW_FORMATS);
  const period = periodOption(periodText);
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const plan = await planForPeriod(services, p, period);
    const report = await overviewReport(services, p, plan);
    if (format === 'json') print(JSON.stringify(report, null, 2));
    else printOverview(report, plan);
  });
}

async function openRound(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    { ...ROUND_OPTIONS, deadline: { type: 'string' } },
    'plan round open',
  );
  if (options.help) {
    print(ROUND_OPEN_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const periodText = requireOption(options.period, 'period');
  const input = {
    month: requireOption(options.month, 'month'),
    deadline: requireOption(options.deadline, 'deadline'),
  };
  const period = periodOption(periodText);
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const plan = await planForPeriod(services, p, period);
    const round = await services.rounds.open(COMMAND_LINE, p.slug, plan.id, input);
    print(
      `Opened the ${round.monthLabel} update round of the plan ${named(plan)}: updates are due by ${ukDate(round.deadline)}.`,
    );
  });
}

async function listRounds(args: string[]): Promise<void> {
  const options = parseOptions(args, PLAN_OPTIONS, 'plan round list');
  if (options.help) {
    print(ROUND_LIST_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const period = periodOption(options.period);
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const plan = await planForPeriod(services, p, period);
    const rounds = await services.rounds.list(COMMAND_LINE, p.slug, plan.id);
    if (rounds.length === 0) {
      print(`The plan ${named(plan)} has no update rounds yet.`);
      return;
    }
    const due = rounds.map((r) => `due by ${ukDate(r.deadline)}`);
    const labelWidth = Math.max(...rounds.map((r) => r.monthLabel.length));
    const dueWidth = Math.max(...due.map((d) => d.length));
    for (const [i, r] of rounds.entries()) {
      const state = r.closedAt === null ? 'open' : `closed on ${ukDate(r.closedAt)}`;
      print(
        `${r.month}  ${r.monthLabel.padEnd(labelWidth)}  ${(due[i] ?? '').padEnd(dueWidth)}  ${state}`,
      );
    }
  });
}

async function showRound(args: string[]): Promise<void> {
  const options = parseOptions(args, ROUND_OPTIONS, 'plan round show');
  if (options.help) {
    print(ROUND_SHOW_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const periodText = requireOption(options.period, 'period');
  const monthText = requireOption(options.month, 'month');
  const period = periodOption(periodText);
  const month = monthOption(monthText);
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const plan = await planForPeriod(services, p, period);
    const found = await roundFor(services, p, plan, month);
    const { round, rows, updated } = await services.rounds.get(
      COMMAND_LINE,
      p.slug,
      plan.id,
      found.id,
    );
    print(
      round.closedAt === null
        ? `The ${round.monthLabel} update round of the plan ${named(plan)} is open: updates are due by ${ukDate(round.deadline)}.`
        : `The ${round.monthLabel} update round of the plan ${named(plan)} was closed on ${ukDate(round.closedAt)}: updates were due by ${ukDate(round.deadline)}.`,
    );
    print(`${updated} of ${plural(rows.length, 'action', 'actions')} updated.`);
    if (rows.length === 0) return;
    print();
    const states = rows.map((r) =>
      r.update ? `updated (${STATUS_LABELS[r.update.status]})` : 'not updated',
    );
    const numberWidth = Math.max(...rows.map((r) => r.action.number.length));
    const stateWidth = Math.max(...states.map((s) => s.length));
    for (const [i, { action }] of rows.entries()) {
      const leads = action.leads.length ? action.leads.map((l) => l.name).join(', ') : 'none';
      print(
        `${action.number.padEnd(numberWidth)}  ${(states[i] ?? '').padEnd(stateWidth)}  ${action.title}  Leads: ${leads}`,
      );
    }
  });
}

/** Closes or reopens a round; one already in that state is left alone and said to be. */
async function setRoundState(args: string[], command: 'close' | 'reopen'): Promise<void> {
  const options = parseOptions(args, ROUND_OPTIONS, `plan round ${command}`);
  if (options.help) {
    print(command === 'close' ? ROUND_CLOSE_HELP : ROUND_REOPEN_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const periodText = requireOption(options.period, 'period');
  const monthText = requireOption(options.month, 'month');
  const period = periodOption(periodText);
  const month = monthOption(monthText);
  const closing = command === 'close';
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const plan = await planForPeriod(services, p, period);
    const round = await roundFor(services, p, plan, month);
    const what = `the ${round.monthLabel} update round of the plan ${named(plan)}`;
    if ((round.closedAt !== null) === closing) {
      print(`Nothing to do: ${what} is already ${closing ? 'closed' : 'open'}.`);
      return;
    }
    if (closing) {
      await services.rounds.close(COMMAND_LINE, p.slug, plan.id, round.id);
      print(`Closed ${what}: leads are no longer asked for its updates.`);
    } else {
      await services.rounds.reopen(COMMAND_LINE, p.slug, plan.id, round.id);
      print(`Reopened ${what}: leads who have not updated are asked again.`);
    }
  });
}

async function round(args: string[]): Promise<void> {
  return dispatch(
    'plan round',
    args,
    {
      open: openRound,
      list: listRounds,
      show: showRound,
      close: (rest) => setRoundState(rest, 'close'),
      reopen: (rest) => setRoundState(rest, 'reopen'),
    },
    ROUND_HELP,
  );
}

async function update(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    {
      ...PLAN_OPTIONS,
      action: { type: 'string' },
      month: { type: 'string' },
      status: { type: 'string' },
      narrative: { type: 'string' },
    },
    'plan update',
  );
  if (options.help) {
    print(UPDATE_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const periodText = requireOption(options.period, 'period');
  const number = requireOption(options.action, 'action').trim();
  const monthText = requireOption(options.month, 'month');
  const status = statusOption(options.status);
  const period = periodOption(periodText);
  const month = monthOption(monthText);
  const narrative =
    options.narrative ?? (await readPipedInput('an update', MAX_NARRATIVE_BYTES)) ?? '';
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const plan = await planForPeriod(services, p, period);
    const full = await services.plans.get(COMMAND_LINE, p.slug, plan.id);
    const action = full.themes.flatMap((t) => t.actions).find((a) => a.number === number);
    if (!action)
      throw new CommandError(`the plan ${named(plan)} has no action ${number} (--action)`);
    const posted = await services.updates.post(COMMAND_LINE, p.slug, plan.id, action.id, {
      month,
      status,
      narrative,
    });
    print(
      `Posted the ${monthLabel(month)} update to action ${action.number} of the plan ${named(plan)}: ${STATUS_LABELS[status]}, update id ${posted.id}.`,
    );
  });
}

export const PROGRESS_COMMANDS = { overview, round, update };
