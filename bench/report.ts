import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { ROOT } from '../src/paths.js';
import type { LatencySummary } from './stats.js';

export const BENCHMARKS_DOC = resolve(ROOT, 'docs/benchmarks.md');

export interface ScenarioResult {
  id: string;
  title: string;
  /** Method and path as requested, e.g. `POST /sign-in`. */
  request: string;
  expectedStatus: number;
  /** Responses with the expected status during the measured run. */
  ok: number;
  /** Other responses by status, plus connection errors and time-outs. */
  unexpected: Record<string, number>;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  latency: LatencySummary | null;
  peakRssBytes: number;
  /** SQL statements the server ran for one request of the scenario; null if not reported. */
  queries: number | null;
  note?: string;
}

export interface RunInfo {
  date: string;
  machine: string;
  database: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  serverPeakBytes: number;
  serverStartBytes: number;
  /** One-minute load average before the run: anything else busy on the machine shows here. */
  loadBefore: number;
}

export function failed(r: ScenarioResult): boolean {
  return r.errors > 0 || Object.keys(r.unexpected).length > 0 || r.ok === 0;
}

export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly boolean[] = [],
): string {
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  const rule = headers.map((_, i) => (numeric[i] ? '---:' : '---'));
  return [line(headers), line(rule), ...rows.map(line)].join('\n');
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
const fixed = (n: number): string => n.toFixed(1);

/** One table for a suite; ratios are requests per second against the bare page of the same run. */
export function resultsTable(
  results: readonly ScenarioResult[],
  baseline?: ScenarioResult,
): string {
  const headers = [
    'Scenario',
    'Request',
    'Requests/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'Responses',
    'Errors',
    'Peak RSS MiB',
    'SQL statements',
    'Ratio to bare page',
  ];
  const rows = results.map((r) => [
    r.title,
    `\`${r.request}\``,
    fixed(r.requestsPerSecond),
    r.latency ? fixed(r.latency.p50) : '–',
    r.latency ? fixed(r.latency.p95) : '–',
    r.latency ? fixed(r.latency.p99) : '–',
    `${r.ok} × ${r.expectedStatus}`,
    String(r.errors + Object.values(r.unexpected).reduce((a, b) => a + b, 0)),
    mib(r.peakRssBytes),
    r.queries === null ? '–' : String(r.queries),
    baseline && baseline.requestsPerSecond > 0
      ? (r.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)
      : '–',
  ]);
  return markdownTable(headers, rows, [
    false,
    false,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
  ]);
}

/**
 * A suite's rows in its own order, led by the bare page when the suite does not hold it, so
 * each section shows what its ratios are taken against.
 */
export function suiteRows(
  ids: readonly string[],
  results: readonly ScenarioResult[],
  baseline?: ScenarioResult,
): ScenarioResult[] {
  const rows = ids.flatMap((id) => results.filter((r) => r.id === id));
  return baseline && !rows.includes(baseline) ? [baseline, ...rows] : rows;
}

export function suiteSection(
  heading: string,
  info: RunInfo,
  results: readonly ScenarioResult[],
  baseline?: ScenarioResult,
): string {
  const notes = results.flatMap((r) => (r.note ? [`- ${r.title}: ${r.note}`] : []));
  return [
    `## ${heading}`,
    '',
    `Measured ${info.date} on ${info.database}: ${info.connections} connections, ` +
      `${info.warmupSeconds} s warm-up then ${info.seconds} s measured per scenario.`,
    `Machine: ${info.machine}; load average ${info.loadBefore.toFixed(2)} before the run.`,
    `Server memory (RSS): ${mib(info.serverStartBytes)} MiB after start-up, ` +
      `${mib(info.serverPeakBytes)} MiB at its peak over the whole run.`,
    '',
    resultsTable(results, baseline),
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}

const start = (id: string) => `<!-- bench:${id} -->`;
const end = (id: string) => `<!-- /bench:${id} -->`;

/** Replace one suite's section between its markers, keeping everything else; append a new one. */
export function replaceSection(doc: string, id: string, body: string): string {
  const block = `${start(id)}\n${body.trim()}\n${end(id)}`;
  const from = doc.indexOf(start(id));
  const to = doc.indexOf(end(id));
  if (from !== -1 && to > from) {
    return doc.slice(0, from) + block + doc.slice(to + end(id).length);
  }
  return `${doc.trimEnd()}\n\n${block}\n`;
}

/** docs/benchmarks.md as it stands, or its head when it does not exist yet. */
export function readBenchmarksDoc(): string {
  return existsSync(BENCHMARKS_DOC) ? readFileSync(BENCHMARKS_DOC, 'utf8') : INTRO;
}

/** Writes docs/benchmarks.md as the project's formatter would, so the lint check passes. */
export async function writeBenchmarksDoc(doc: string): Promise<void> {
  mkdirSync(dirname(BENCHMARKS_DOC), { recursive: true });
  const options = await resolveConfig(BENCHMARKS_DOC);
  writeFileSync(BENCHMARKS_DOC, await format(doc, { ...options, filepath: BENCHMARKS_DOC }));
}

/** Replaces one benchmark's section of docs/benchmarks.md, keeping the rest. */
export async function writeSection(id: string, body: string): Promise<void> {
  await writeBenchmarksDoc(replaceSection(readBenchmarksDoc(), id, body));
}

/** The head of docs/benchmarks.md when the file does not exist yet; edited by hand after. */
const INTRO = `# Benchmarks

\`npm run bench\` measures Saferplan's pages under load on this machine and rewrites the
results below. It creates a new SQLite database in a temporary folder (or, with
\`npm run bench -- --db postgres://user@host:5432/postgres\`, a new database on that PostgreSQL
server, dropped afterwards), fills it through the same services the pages use (the plan
scenarios' 288,000 updates are loaded in bulk, in one transaction), and starts the real
server as a separate process on 127.0.0.1 with sign-in throttling off and logging at
\`warn\`. For each scenario, autocannon keeps 20 connections busy (each sends its next request
as soon as the last is answered): a warm-up, then a measured run. Other options: \`--only
home,sign-in\`, \`--seconds 12\`, \`--warmup 3\`, \`--connections 20\`, \`--print-only\` (do not
write this file).

What each column means:
- Requests/s: responses with the expected status in the measured run, divided by its length.
- p50, p95, p99: the response time that half, 95 % and 99 % of those responses came within,
  from every response's own time (nearest rank), in milliseconds.
- Responses: how many there were, and their status. Any other status, connection error or
  time-out counts as an error; a run with any error fails and writes nothing here.
- Peak RSS: the server process's highest resident memory while the scenario ran (sampled every
  100 ms from /proc).
- SQL statements: what the server ran for one request of the scenario, counted through the
  database's query log on a request sent on its own before the load. A plan page also gives,
  under its table, the count for the same page over a plan of 5 actions: the two must match,
  or the page queries per action or per update.
- Ratio to bare page: requests per second against the bare page measured in the same run, a
  page with the full layout and navigation and no data. Read later pages by this ratio: it
  changes less from machine to machine than the raw numbers. Each section starts with the
  bare page of its run.

Targets for the plan pages, on 2 cores with SQLite: at least half the bare page's requests per
second, and p95 under 100 ms.

To add a scenario, write one file in \`bench/scenarios/\` and list it in
\`bench/scenarios/index.ts\`: it seeds its records through the services before the server
starts, then signs in and checks its page answers as expected before the load begins.

The load generator and the server share the machine, so on few cores the numbers are lower
than the server alone could reach; compare runs on the same machine only. Each section below
is rewritten by the runner when all of its scenarios run; the others are kept.
`;
