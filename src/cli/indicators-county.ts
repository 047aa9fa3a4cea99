import { COMMAND_LINE } from '../core/actor.js';
import { NotFoundError } from '../core/errors.js';
import {
  DIRECTION_LABELS,
  type Change,
  type Direction,
  type WindowTotal,
} from '../domain/change.js';
import { UNIT_LABELS, UNITS, type Unit } from '../domain/figures.js';
import { monthLabel, windowLabel, type MonthWindow } from '../domain/periods.js';
import {
  totalNotes,
  type CountyComparison,
  type SummedWindow,
} from '../features/county/county.service.js';
import { nameKey } from '../features/indicators/indicators.schemas.js';
import type { PartnershipRow } from '../features/partnerships/partnerships.table.js';
import type { Services } from '../services.js';
import { partnershipNamed } from './plan-lookup.js';
import {
  CommandError,
  listWords,
  oneOf,
  parseOptions,
  print,
  requireOption,
  withServices,
} from './support.js';

const COUNTY_HELP = `Usage: saferplan indicators county --partnership COUNTY --indicator NAME --end MONTH
                                [--unit UNIT] [--format text|json]

Compares an indicator that two or more districts of a county partnership share (the same
name, case and spacing aside, and the same unit), as the county's District indicators page
does: for each district and, for counts, in total, the rolling year ending MONTH against the
year before, the change and its direction of travel. A total is given only for counts (a
rate or percentage cannot be added up across districts) and only when every district has
every month of the year.

Options:
  --partnership COUNTY  the county partnership's short name, like kent
  --indicator NAME      the indicator's name, like "ASB incidents"
  --end MONTH           the last month of the current rolling year, like 2024-09
  --unit UNIT           count, rate or percentage: needed only when districts share the
                        name in more than one unit
  --format FORMAT       text (the default) or json

With --format json it prints one JSON object, for scripts:
  partnership          the county partnership's short name
  indicator            { name, unit }
  end                  the month asked for, like 2024-09
  previousWindow       { from, to, label }: the months of the previous rolling year, and its
  currentWindow        label as the page heads its column, like "Oct 22 – end Sep 23"
  districts            one object per district sharing the indicator, by name:
                       { partnership, name } and the figures below
  total                the figures for the districts together, or null for a rate or percentage
  notes                why there is no total, or no direction for it, in sentences
  notComparable        [{ partnership, name, unit }]: districts with the name in another unit
  without              [{ partnership, name }]: districts with no indicator of that name
The figures are previous and current (exact decimal text, like "1234", or null when
incomplete), previousText and currentText (as the page shows them, like "1,234" or
"incomplete (10 of 12 months)"), change and percent (like "-12" and "-1.0", or null),
changeText (like "-1.0% or 12 incident decrease") and direction (better, worse, neutral,
no-change, or null when there is none).`;

const COUNTY_FORMATS = ['text', 'json'] as const;

async function sharedUnit(
  services: Services,
  p: PartnershipRow,
  name: string,
  unit: Unit | undefined,
): Promise<Unit> {
  let shared;
  try {
    shared = await services.county.shared(COMMAND_LINE, p.slug);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    throw new CommandError(
      `${p.name} is a ${p.type} partnership: only a county partnership compares its districts' indicators (--partnership)`,
    );
  }
  const matches = shared.indicators.filter((i) => nameKey(i.name) === nameKey(name));
  if (matches.length === 0) {
    const names = [...new Set(shared.indicators.map((i) => `"${i.name}"`))];
    const have = names.length
      ? `they share ${listWords(names, 'and')}`
      : 'they share no indicator yet';
    throw new CommandError(
      `no two districts of ${shared.county.name} share an indicator called "${name}" (--indicator): ${have}`,
    );
  }
  const units = matches.map((i) => i.unit);
  if (unit !== undefined) {
    if (units.includes(unit)) return unit;
    throw new CommandError(
      `districts share "${name}" as ${listWords(units, 'or')}, not as ${unit} (--unit)`,
    );
  }
  const [only, ...more] = matches;
  if (only && more.length === 0) return only.unit;
  throw new CommandError(
    `districts share "${name}" as ${listWords(units, 'and')}: choose one with --unit`,
  );
}

const figure = (t: WindowTotal | SummedWindow) => (t.complete ? t.total : null);

function figures(
  previous: WindowTotal | SummedWindow,
  current: WindowTotal | SummedWindow,
  change: Change,
  direction: Direction | null,
) {
  return {
    previous: figure(previous),
    current: figure(current),
    previousText: previous.text,
    currentText: current.text,
    change: change.change,
    percent: change.percent,
    changeText: change.text,
    direction,
  };
}

const windowJson = (w: MonthWindow) => ({ ...w, label: windowLabel(w) });

/** What `indicators county --format json` prints; its field names are documented in the help. */
function countyReport(c: CountyComparison) {
  const { total } = c;
  return {
    partnership: c.county.slug,
    indicator: { name: c.indicator.name, unit: c.indicator.unit },
    end: c.end,
    previousWindow: windowJson(c.previousWindow),
    currentWindow: windowJson(c.currentWindow),
    districts: c.rows.map((r) => ({
      partnership: r.district.slug,
      name: r.district.name,
      ...figures(r.comparison.previous, r.comparison.current, r.comparison.change, r.direction),
    })),
    total:
      total.kind === 'sum'
        ? figures(total.previous, total.current, total.change, total.direction)
        : null,
    notes: totalNotes(c),
    notComparable: c.otherUnits.map((d) => ({ partnership: d.slug, name: d.name, unit: d.unit })),
    without: c.without.map((d) => ({ partnership: d.slug, name: d.name })),
  };
}

function printCounty(c: CountyComparison): void {
  const report = countyReport(c);
  print(
    `${c.indicator.name} (${UNIT_LABELS[c.indicator.unit].toLowerCase()}) in ${c.rows.length} districts of ${c.county.name}: the rolling year to ${monthLabel(c.end)} against the year before.`,
  );
  print();
  const lines = [
    ...report.districts,
    ...(report.total ? [{ name: 'Total', ...report.total }] : []),
  ];
  const cells = [
    [
      'District',
      `Previous rolling year (${report.previousWindow.label})`,
      `Current rolling year (${report.currentWindow.label})`,
      'Change',
      'Direction',
    ],
    ...lines.map((l) => [
      l.name,
      l.previousText,
      l.currentText,
      l.changeText,
      l.direction ? DIRECTION_LABELS[l.direction] : 'No direction',
    ]),
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  for (const r of cells) {
    // Figures line up on the right, words on the left; the last column needs no padding.
    const padded = r.map((text, i) =>
      i === 1 || i === 2 ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0),
    );
    print(padded.join('  ').trimEnd());
  }
  const after = [
    ...report.notes,
    ...c.otherUnits.map(
      (d) => `Not comparable: ${d.name} keeps it as a ${UNIT_LABELS[d.unit].toLowerCase()}.`,
    ),
    ...(c.without.length
      ? [`Without this indicator: ${c.without.map((d) => d.name).join(', ')}.`]
      : []),
  ];
  if (after.length) print();
  for (const line of after) print(line);
}

export async function county(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    {
      partnership: { type: 'string' },
      indicator: { type: 'string' },
      end: { type: 'string' },
      unit: { type: 'string' },
      format: { type: 'string' },
    },
    'indicators county',
  );
  if (options.help) {
    print(COUNTY_HELP);
    return;
  }
  const slug = requireOption(options.partnership, 'partnership');
  const name = requireOption(options.indicator, 'indicator');
  const end = requireOption(options.end, 'end');
  const unit = options.unit === undefined ? undefined : oneOf(options.unit, 'unit', UNITS);
  const format =
    options.format === undefined ? 'text' : oneOf(options.format, 'format', COUNTY_FORMATS);
  await withServices(async (services) => {
    const p = await partnershipNamed(services, slug);
    const chosen = await sharedUnit(services, p, name, unit);
    const c = await services.county.comparison(COMMAND_LINE, p.slug, { name, unit: chosen, end });
    if (format === 'json') print(JSON.stringify(countyReport(c), null, 2));
    else printCounty(c);
  });
}
