/**
 * How long strategic assessments take to work out at national scale, in this process: counts for
 * every district of England and Wales (330), about 8,000 wards, the 14 police.uk types and five
 * years of months from 43 forces, with 300 partnerships. One partnership's assessment reads its
 * counts and the national picture and computes every figure, as its page does; all partnerships'
 * assessments read the national picture once and compute each partnership's figures.
 * Run by `npm run bench` after the page scenarios, or alone: `npm run bench -- --only assessment`.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { COMMAND_LINE } from '../src/core/actor.js';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { POLICE_UK_CRIME_TYPES } from '../src/domain/crime-types.js';
import { monthsBetween } from '../src/domain/periods.js';
import { buildServices, type Services } from '../src/services.js';
import { bulkInsert, type Cell } from './bulk.js';
import { benchDatabase } from './database.js';
import { describeMachine } from './machine.js';
import { BENCHMARKS_DOC, markdownTable, writeSection } from './report.js';
import { summariseLatencies } from './stats.js';

const DISTRICTS = 330;
const WARDS_PER_DISTRICT = 24;
const FORCES = 43;
const PARTNERSHIPS = 300;
const YEAR = '2024/25';
const MONTHS = monthsBetween('2020-04', '2025-03');
const TYPES = POLICE_UK_CRIME_TYPES;
const TARGET_ONE_MS = 200;
const TARGET_ALL_MS = 10_000;

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    runs: { type: 'string', default: '30' },
    'print-only': { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 5)
  throw new Error('--runs takes a whole number of 5 or more');

const log = (line: string) => process.stderr.write(`${line}\n`);
/** This process's own processor time: what the work costs when other work shares the cores. */
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const median = (values: number[]) => summariseLatencies(values).p50;

const district = (i: number) => `E07${String(i).padStart(6, '0')}`;
const ward = (d: number, w: number) => `E05${String(d * 100 + w).padStart(6, '0')}`;
const forceOf = (d: number) => `Force ${(d % FORCES) + 1}`;
/** Partnership p covers district p; the last 30 partnerships cover two districts each. */
const districtsOf = (p: number): number[] =>
  p < PARTNERSHIPS - 30 ? [p] : [p, p + 30].filter((d) => d < DISTRICTS);

/** A count that differs by district, month and type, and never repeats a pattern too soon. */
const countFor = (d: number, m: number, t: number) => 5 + ((d * 31 + m * 17 + t * 13) % 97);

async function seed(url: string, s: Services): Promise<number> {
  const now = new Date().toISOString();
  // Whether the month rows keep their ASB records apart: the schema gains the column with the
  // crime import, and the benchmark seeds whichever it finds.
  const monthColumns = (await s.db.introspection.getTables()).find(
    (t) => t.name === 'crime_months',
  )?.columns;
  const asbColumn = monthColumns?.some((c) => c.name === 'asb') === true;
  const months: Cell[][] = [];
  for (let f = 0; f < FORCES; f++) {
    for (const [m, month] of MONTHS.entries()) {
      months.push([
        `Force ${f + 1}`,
        month,
        1,
        10_000,
        ...(asbColumn ? [1_000] : []),
        0,
        0,
        '2021',
        f === 0 && m === 44 ? 'Half the records of the months either side' : null,
      ]);
    }
  }
  const areas: Cell[][] = [];
  const links: Cell[][] = [];
  const population: Cell[][] = [];
  for (let d = 0; d < DISTRICTS; d++) {
    areas.push([district(d), '2023', 'district', `District ${d + 1}`]);
    for (let w = 0; w < WARDS_PER_DISTRICT; w++) {
      areas.push([ward(d, w), '2023', 'ward', `Ward ${d + 1}.${w + 1}`]);
    }
    for (let y = 2020; y <= 2024; y++) population.push([2, district(d), y, 100_000 + d * 997]);
  }
  for (let p = 0; p < PARTNERSHIPS; p++) {
    areas.push([`E22${String(p).padStart(6, '0')}`, '2023', 'csp', `Partnership ${p + 1}`]);
    for (const d of districtsOf(p)) {
      links.push([district(d), '2023', 'csp', `E22${String(p).padStart(6, '0')}`]);
    }
  }
  const text = 'text' as const;
  const integer = 'integer' as const;
  await bulkInsert(url, [
    {
      table: 'data_imports',
      hasId: true,
      columns: [
        ['id', integer],
        ['kind', text],
        ['status', text],
        ['title', text],
        ['release', text],
        ['filenames', text],
        ['started_at', text],
        ['finished_at', text],
        ['by_label', text],
      ],
      rows: [
        [1, 'crime', 'complete', 'Street-level crime', '', '[]', now, now, 'Benchmark'],
        [
          2,
          'population',
          'complete',
          'Mid-year estimates',
          '2025-07-01',
          '[]',
          now,
          now,
          'Benchmark',
        ],
      ],
    },
    {
      table: 'geo_areas',
      columns: [
        ['code', text],
        ['vintage', text],
        ['type', text],
        ['name', text],
      ],
      rows: areas,
    },
    {
      table: 'geo_district_links',
      columns: [
        ['district_code', text],
        ['vintage', text],
        ['parent_type', text],
        ['parent_code', text],
      ],
      rows: links,
    },
    {
      table: 'population_estimates',
      columns: [
        ['import_id', integer],
        ['area_code', text],
        ['year', integer],
        ['population', integer],
      ],
      rows: population,
    },
    {
      table: 'crime_months',
      columns: [
        ['force', text],
        ['month', text],
        ['import_id', integer],
        ['records', integer],
        ...(asbColumn ? [['asb', integer] as const] : []),
        ['no_location', integer],
        ['unknown_lsoa', integer],
        ['lsoa_vintage', text],
        ['flag', text],
      ],
      rows: months,
    },
  ]);
  // The counts, a few districts at a time: all at once would hold millions of rows in memory.
  let rows = 0;
  for (let from = 0; from < DISTRICTS; from += 30) {
    const districtRows: Cell[][] = [];
    const wardRows: Cell[][] = [];
    for (let d = from; d < Math.min(DISTRICTS, from + 30); d++) {
      for (const [m, month] of MONTHS.entries()) {
        // Each of the district's wards holds an equal share of every type, as crime and ASB.
        const perWard = { crime: 0, asb: 0 };
        for (const [t, type] of TYPES.entries()) {
          const n = countFor(d, m, t);
          districtRows.push([forceOf(d), month, district(d), type, n * WARDS_PER_DISTRICT]);
          perWard[type === 'Anti-social behaviour' ? 'asb' : 'crime'] += n;
        }
        for (let w = 0; w < WARDS_PER_DISTRICT; w++) {
          wardRows.push([
            forceOf(d),
            month,
            ward(d, w),
            '2023',
            district(d),
            perWard.crime,
            perWard.asb,
          ]);
        }
      }
    }
    await bulkInsert(url, [
      {
        table: 'crime_district_counts',
        columns: [
          ['force', text],
          ['month', text],
          ['district_code', text],
          ['crime_type', text],
          ['count', integer],
        ],
        rows: districtRows,
      },
      {
        table: 'crime_ward_counts',
        columns: [
          ['force', text],
          ['month', text],
          ['ward_code', text],
          ['ward_vintage', text],
          ['district_code', text],
          ['crime', integer],
          ['asb', integer],
        ],
        rows: wardRows,
      },
    ]);
    rows += districtRows.length + wardRows.length;
  }
  for (let p = 0; p < PARTNERSHIPS; p++) {
    await s.partnerships.create(COMMAND_LINE, {
      slug: `partnership-${p + 1}`,
      name: `Partnership ${p + 1}`,
      type: 'district',
      areas: districtsOf(p).map(district).join(','),
    });
  }
  return rows;
}

async function main(): Promise<void> {
  const database = await benchDatabase(args.db);
  const db = createDatabase(database.url);
  try {
    await migrateToLatest(db);
    const services = buildServices(db, loadConfig({ DATABASE_URL: database.url }));
    log(
      `Seeding ${database.describe}: ${DISTRICTS} districts, ${DISTRICTS * WARDS_PER_DISTRICT} wards, ` +
        `${TYPES.length} types, ${MONTHS.length} months, ${PARTNERSHIPS} partnerships`,
    );
    const seedStart = performance.now();
    const rows = await seed(database.url, services);
    log(
      `Seeded ${rows.toLocaleString('en-GB')} count rows in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    const rssBefore = process.memoryUsage().rss;
    const loadBefore = loadavg()[0] ?? 0;

    // One partnership with two districts: the heavier case.
    const one = async () =>
      services.assessments.forPeriod(COMMAND_LINE, `partnership-${PARTNERSHIPS}`, { year: YEAR });
    const check = await one();
    if (
      check.figures.measures.crime.count === null ||
      !check.figures.measures.crime.ranks.partnerships
    ) {
      throw new Error('the assessment has no figures: the seed is wrong');
    }
    for (let i = 0; i < 3; i++) await one();
    const oneTimes: number[] = [];
    const oneCpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const cpu = process.cpuUsage();
      await one();
      oneTimes.push(performance.now() - start);
      oneCpu.push(cpuMs(process.cpuUsage(cpu)));
    }
    const oneSummary = summariseLatencies(oneTimes);
    log(
      `One partnership: median ${oneSummary.p50.toFixed(1)} ms, p95 ${oneSummary.p95.toFixed(1)} ms`,
    );

    const allRuns = 5;
    const allTimes: number[] = [];
    const allCpu: number[] = [];
    let count = 0;
    for (let i = 0; i < allRuns + 1; i++) {
      const start = performance.now();
      const cpu = process.cpuUsage();
      count = (await services.assessments.figuresForAll(COMMAND_LINE, { year: YEAR })).length;
      if (i > 0) {
        allTimes.push(performance.now() - start);
        allCpu.push(cpuMs(process.cpuUsage(cpu)));
      }
    }
    const allSummary = summariseLatencies(allTimes);
    log(
      `All ${count} partnerships: median ${allSummary.p50.toFixed(0)} ms, p95 ${allSummary.p95.toFixed(0)} ms`,
    );
    const peakRss = process.resourceUsage().maxRSS * 1024;

    const section = [
      `## Strategic assessment: ${DISTRICTS} districts, ${(DISTRICTS * WARDS_PER_DISTRICT).toLocaleString('en-GB')} wards, five years of months`,
      '',
      `Measured ${new Date().toISOString()} on ${database.describe.replace(/ \(.*\)$/, '')}, in one process, ` +
        `over ${rows.toLocaleString('en-GB')} count rows (${TYPES.length} police.uk types, ${MONTHS.length} months, ` +
        `${FORCES} forces, ${PARTNERSHIPS} partnerships, 30 of them of two districts). ` +
        `One partnership: ${runs} runs after 3 warm-ups, each reading its counts and every district's ` +
        'totals and computing every figure of the document (ranks, trend, months, types, hotspot wards). ' +
        `All partnerships: ${allRuns} runs after 1 warm-up, the national totals read once per run.`,
      `Machine: ${describeMachine()}; load average ${loadBefore.toFixed(2)} before the runs ` +
        '(the CPU column is this process’s own processor time, which other work on the machine does not inflate).',
      `Memory (RSS): ${(rssBefore / 1024 / 1024).toFixed(0)} MiB after seeding, ` +
        `${(peakRss / 1024 / 1024).toFixed(0)} MiB at the process's peak (seeding included).`,
      '',
      markdownTable(
        ['Work', 'Median ms', 'p95 ms', 'Median CPU ms', 'Target'],
        [
          [
            'One partnership’s assessment (two districts)',
            oneSummary.p50.toFixed(1),
            oneSummary.p95.toFixed(1),
            median(oneCpu).toFixed(1),
            `under ${TARGET_ONE_MS} ms — ${oneSummary.p50 < TARGET_ONE_MS ? 'met' : 'NOT met'}`,
          ],
          [
            `All ${count} partnerships’ figures`,
            allSummary.p50.toFixed(0),
            allSummary.p95.toFixed(0),
            median(allCpu).toFixed(0),
            `under ${TARGET_ALL_MS / 1000} s — ${allSummary.p50 < TARGET_ALL_MS ? 'met' : 'NOT met'}`,
          ],
        ],
        [false, true, true, true, false],
      ),
    ].join('\n');
    process.stdout.write(`${section}\n`);
    if (!args['print-only']) {
      await writeSection('assessment', section);
      log(`Results written to ${BENCHMARKS_DOC}`);
    }
  } finally {
    await db.destroy();
    await database.drop();
  }
}

await main();
