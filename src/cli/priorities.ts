import { COMMAND_LINE } from '../core/actor.js';
import { PeriodError, financialYearLabel, parseFinancialYear } from '../domain/periods.js';
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

const LIST_HELP = `Usage: saferplan priorities list --partnership SLUG

Lists a partnership's priority-setting exercises, latest plan year first: the plan year,
whether scoring is open, how many candidates and how many partners scored.

Options:
  --partnership SLUG   the partnership's short name, like swale`;

const RESULT_HELP = `Usage: saferplan priorities result --partnership SLUG --year YEAR [--format text|json]

Prints the ranked result of the exercise preparing a plan year: each candidate's rank
(equal scores share one, marked joint), weighted score and how many partners scored it.
The weighted score is the sum, over the criteria, of the criterion's weight times the mean
of the partners' scores on it; JSON gives it exactly as a fraction as well.

Options:
  --partnership SLUG   the partnership's short name, like swale
  --year YEAR          the plan year the exercise prepares, like 2025/26
  --format FORMAT      text (the default) or json`;

export const PRIORITIES_HELP = `Usage: saferplan priorities list|result [options]

Commands:
  list     list a partnership's priority-setting exercises (see saferplan priorities list --help)
  result   print an exercise's ranked result (see saferplan priorities result --help)`;

async function list(args: string[]): Promise<void> {
  const options = parseOptions(args, { partnership: { type: 'string' } }, 'priorities list');
  if (options.help) {
    print(LIST_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const exercises = await services.priorities.list(COMMAND_LINE, p.slug);
    if (exercises.length === 0) {
      print(`${p.name} has no priority-setting exercises yet.`);
      return;
    }
    for (const e of exercises) {
      print(
        `${e.yearLabel}: ${e.title}; scoring ${e.status}; ${e.candidates} candidates; ${e.scorers} partners scored${e.planId ? '; plan started' : ''}; id ${e.id}`,
      );
    }
  });
}

async function result(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    { partnership: { type: 'string' }, year: { type: 'string' }, format: { type: 'string' } },
    'priorities result',
  );
  if (options.help) {
    print(RESULT_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  let year;
  try {
    year = parseFinancialYear(requireOption(options.year, 'year'));
  } catch (err) {
    if (!(err instanceof PeriodError)) throw err;
    throw new CommandError(`${err.message} (--year)`);
  }
  const format =
    options.format === undefined ? 'text' : oneOf(options.format, 'format', ['text', 'json']);
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const label = financialYearLabel(year);
    const id = await services.priorities.idForYear(COMMAND_LINE, p.slug, year.start);
    if (id === undefined)
      throw new CommandError(`${p.name} has no priority-setting exercise for ${label} (--year)`);
    const exercise = await services.priorities.get(COMMAND_LINE, p.slug, id);
    const r = await services.priorities.result(COMMAND_LINE, p.slug, id);
    if (format === 'json') {
      print(
        JSON.stringify(
          {
            partnership: { slug: p.slug, name: p.name },
            exercise: { id, title: exercise.title, year: label, status: exercise.status },
            formula: r.formula,
            scale: r.scale,
            final: r.final,
            criteria: r.criteria.map((k) => ({ name: k.name, weight: k.weight })),
            scorers: r.scorers,
            completeScorers: r.completeScorers,
            ranked: r.rows.map((row) => ({
              rank: row.rank,
              tied: row.tied,
              candidate: row.candidate.title,
              evidence: row.candidate.evidence,
              weightedScore: row.score,
              scorers: row.scorers,
              means: Object.fromEntries(r.criteria.map((k, i) => [k.name, row.means[i] ?? null])),
            })),
          },
          null,
          2,
        ),
      );
      return;
    }
    print(`${exercise.title} (${p.name}, for the ${label} plan)`);
    print(
      r.final ? 'Scoring closed: the result is final.' : 'Scoring is open: the result may change.',
    );
    print(`${r.formula}.`);
    print(`Criteria: ${r.criteria.map((k) => `${k.name} (weight ${k.weight})`).join(', ')}`);
    print();
    for (const row of r.rows) {
      const rank = row.rank === null ? 'Not ranked' : `${row.tied ? 'Joint ' : ''}${row.rank}`;
      const score = row.score ? row.score.text : 'not scored on every weighted criterion';
      print(`${rank}. ${row.candidate.title}: ${score}, scored by ${row.scorers} partners`);
    }
  });
}

export async function runPriorities(args: string[]): Promise<void> {
  return dispatch('priorities', args, { list, result }, PRIORITIES_HELP);
}
