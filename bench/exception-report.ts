/**
 * How long the exception report takes to build and write, in this process: a plan of 40
 * actions and 12 indicators with five years of monthly figures. Each run reads the draft from
 * the database and computes it afresh, as the page and the download do, then renders it.
 * Run by `npm run bench` after the page scenarios, or alone: `npx tsx bench/exception-report.ts`.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { COMMAND_LINE } from '../src/core/actor.js';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { addMonths, monthsBetween } from '../src/domain/periods.js';
import { renderReport, type ReportFormat } from '../src/features/reports/report-outputs.js';
import { buildServices, type Services } from '../src/services.js';
import { benchDatabase } from './database.js';
import { describeMachine } from './machine.js';
import { BENCHMARKS_DOC, markdownTable, writeSection } from './report.js';
import { summariseLatencies } from './stats.js';

const SLUG = 'northmoor';
const THEMES = 8;
const ACTIONS = 40;
const INDICATORS = 12;
const PERIOD_END = '2025-03';
const FIRST_MONTH = addMonths(PERIOD_END, -59);
const TARGET_DOCX_MS = 300;

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    runs: { type: 'string', default: '40' },
    'print-only': { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 5)
  throw new Error('--runs takes a whole number of 5 or more');

const log = (line: string) => process.stderr.write(`${line}\n`);
const sentence = (n: number, words: string) =>
  `${words} ${n}: ${'the partnership works with residents and partners to '.repeat(3)}deliver it.`;

async function seed(s: Services): Promise<number> {
  await s.partnerships.create(COMMAND_LINE, {
    name: 'Northmoor CSP',
    slug: SLUG,
    type: 'district',
    areas: '',
  });
  const police = await s.agencies.create(COMMAND_LINE, {
    name: 'Northmoor Police',
    kind: 'police',
  });
  const council = await s.agencies.create(COMMAND_LINE, {
    name: 'Northmoor Council',
    kind: 'council',
  });
  for (const a of [police, council]) {
    await s.partnerships.addPartnerAgency(COMMAND_LINE, SLUG, { agencyId: a.id });
  }
  const plan = await s.plans.create(COMMAND_LINE, SLUG, {
    title: 'Safer Northmoor',
    period: '2024/25',
  });
  const themeIds: number[] = [];
  for (let t = 1; t <= THEMES; t++) {
    const theme = await s.themes.add(COMMAND_LINE, SLUG, plan.id, {
      type: t <= 5 ? 'priority' : 'cross-cutting',
      title: `Theme ${t}`,
    });
    themeIds.push(theme.id);
  }
  for (let a = 0; a < ACTIONS; a++) {
    const t = a % THEMES;
    const { id } = await s.actions.add(COMMAND_LINE, SLUG, plan.id, {
      themeId: String(themeIds[t]),
      number: `${t + 1}.${Math.floor(a / THEMES) + 1}`,
      title: sentence(a, 'Action'),
      desiredOutcome: sentence(a, 'Outcome'),
      milestone1: 'Agree the approach with partners',
      timescale1: 'By June 24',
      milestone2: 'Report progress to the executive',
      timescale2: 'Quarterly (April, July, October and January)',
      milestone3: 'Review what changed',
      timescale3: 'March 25',
      leads: [`agency:${police.id}`, `agency:${council.id}`],
    });
    for (const [month, status] of [
      ['2024-06', 'not-started'],
      ['2024-09', 'in-progress'],
      ['2024-12', (['complete', 'in-progress', 'on-hold', 'off-track'] as const)[a % 4]],
    ] as const) {
      await s.updates.post(COMMAND_LINE, SLUG, plan.id, id, {
        month,
        status,
        narrative: sentence(a, `Update for ${month}`).repeat(2),
      });
    }
  }
  const months = monthsBetween(FIRST_MONTH, PERIOD_END);
  for (let i = 0; i < INDICATORS; i++) {
    const indicator = await s.indicators.create(COMMAND_LINE, SLUG, {
      name: `Indicator ${i + 1}`,
      source: 'Northmoor Police',
      unit: i === 11 ? 'rate' : 'count',
      noun: 'incidents',
      polarity: (['increase-bad', 'increase-good', 'neutral'] as const)[i % 3],
      themeId: String(themeIds[i % THEMES]),
    });
    await s.indicators.saveMonths(
      COMMAND_LINE,
      SLUG,
      indicator.id,
      Object.fromEntries(
        months.map((m, k) => [
          m,
          i === 11 ? `${(k % 9) + 1}.25` : String(200 + ((k * 37 + i * 11) % 90)),
        ]),
      ),
    );
  }
  const { id } = await s.reports.create(COMMAND_LINE, SLUG, {
    planId: plan.id,
    periodEnd: PERIOD_END,
  });
  for (const themeId of themeIds) {
    await s.reports.saveCommentary(COMMAND_LINE, SLUG, id, themeId, {
      commentary: `${sentence(themeId, 'Comment')}\n\n${sentence(themeId, 'On hold')}`,
    });
  }
  return id;
}

interface Measured {
  output: string;
  p50: number;
  p95: number;
  bytes: number;
}

async function measure(
  s: Services,
  reportId: number,
  output: string,
  formatOf: ReportFormat | null,
): Promise<Measured> {
  const once = async () => {
    const { report } = await s.reports.get(COMMAND_LINE, SLUG, reportId);
    return formatOf ? (await renderReport(report, formatOf)).length : 0;
  };
  for (let i = 0; i < 3; i++) await once();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    bytes = await once();
    times.push(performance.now() - start);
  }
  const { p50, p95 } = summariseLatencies(times);
  log(`${output}: median ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
  return { output, p50, p95, bytes };
}

async function main(): Promise<void> {
  const database = await benchDatabase(args.db);
  const db = createDatabase(database.url);
  try {
    await migrateToLatest(db);
    const services = buildServices(db, loadConfig({ DATABASE_URL: database.url }));
    log(`Seeding ${database.describe}: ${ACTIONS} actions, ${INDICATORS} indicators, 60 months`);
    const reportId = await seed(services);
    const rssBefore = process.memoryUsage().rss;
    const loadBefore = loadavg()[0] ?? 0;
    const results = [
      await measure(services, reportId, 'Build (read and compute)', null),
      await measure(services, reportId, 'HTML', 'html'),
      await measure(services, reportId, 'DOCX', 'docx'),
      await measure(services, reportId, 'XLSX', 'xlsx'),
    ];
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const docx = results.find((r) => r.output === 'DOCX');
    const met = docx !== undefined && docx.p50 < TARGET_DOCX_MS;
    const section = [
      '## Exception report: 40 actions, 12 indicators, five years of months',
      '',
      `Measured ${new Date().toISOString()} on ${database.describe.replace(/ \(.*\)$/, '')}, in one process: ` +
        `${runs} runs of each after 3 warm-ups. Each run reads the draft report from the database, ` +
        'computes every comparison and count afresh, and writes the file (the build row only reads and computes).',
      `Machine: ${describeMachine()}; load average ${loadBefore.toFixed(2)} before the runs.`,
      `Memory (RSS): ${(rssBefore / 1024 / 1024).toFixed(0)} MiB before the runs, ` +
        `${(peakRss / 1024 / 1024).toFixed(0)} MiB at the process's peak.`,
      '',
      markdownTable(
        ['Output', 'Median ms', 'p95 ms', 'File size KiB'],
        results.map((r) => [
          r.output,
          r.p50.toFixed(1),
          r.p95.toFixed(1),
          r.bytes ? (r.bytes / 1024).toFixed(0) : '–',
        ]),
        [false, true, true, true],
      ),
      '',
      `Target: the DOCX under ${TARGET_DOCX_MS} ms median on 2 cores — ${met ? 'met' : 'NOT met'}.`,
    ].join('\n');
    process.stdout.write(`${section}\n`);
    if (!args['print-only']) {
      await writeSection('exception-report', section);
      log(`Results written to ${BENCHMARKS_DOC}`);
    }
  } finally {
    await db.destroy();
    await database.drop();
  }
}

await main();
