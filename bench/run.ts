import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { ROOT } from '../src/paths.js';
import { buildServices } from '../src/services.js';
import { benchDatabase } from './database.js';
import { queriesFor } from './http.js';
import { describeMachine, PeakRss, procStatusBytes } from './machine.js';
import { runLoad } from './load.js';
import {
  BENCHMARKS_DOC,
  failed,
  readBenchmarksDoc,
  replaceSection,
  suiteRows,
  suiteSection,
  type RunInfo,
  type ScenarioResult,
  writeBenchmarksDoc,
} from './report.js';
import type { Load, Scenario } from './scenario.js';
import { BASELINE, SCENARIOS } from './scenarios/index.js';
import { summariseLatencies } from './stats.js';

const STARTUP_LIMIT_MS = 30_000;
// Requests the load generator gave up on at the end of a run are still being served: let them
// finish so they neither slow the next scenario nor meet a closing database.
const SETTLE_MS = 1_000;
const WHOLE_RUN_LIMIT_MS = 10 * 60_000;

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    only: { type: 'string' },
    seconds: { type: 'string', default: '12' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '20' },
    'print-only': { type: 'boolean', default: false },
  },
});

const seconds = Number(args.seconds);
const warmupSeconds = Number(args.warmup);
const connections = Number(args.connections);
if (![seconds, warmupSeconds, connections].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error('--seconds, --warmup and --connections take whole numbers above 0');
}
if (args.db && !/^postgres(ql)?:\/\//.test(args.db)) {
  throw new Error('--db takes a PostgreSQL server address, postgres://user@host:5432/postgres');
}

/** Measured each in a process of its own after the page scenarios, not under HTTP load. */
const PROCESS_BENCHES = ['exception-report', 'crime-import', 'assessment'];

function chosenScenarios(): Scenario[] {
  if (!args.only) return [...SCENARIOS];
  const ids = args.only.split(',').map((s) => s.trim());
  const unknown = ids.filter(
    (id) => !PROCESS_BENCHES.includes(id) && !SCENARIOS.some((s) => s.id === id),
  );
  if (unknown.length) throw new Error(`No scenario called ${unknown.join(', ')}`);
  // The baseline always runs: every ratio is against it.
  return SCENARIOS.filter((s) => s === BASELINE || ids.includes(s.id));
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

function startServer(databaseUrl: string, port: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'bench/server.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      SIGN_IN_THROTTLE: 'off',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function waitForHealth(baseUrl: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not answer /healthz within ${STARTUP_LIMIT_MS / 1000} s`);
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Statements run for the scenario's request, and for its counterpart over other data, if any. */
async function countQueries(
  baseUrl: string,
  load: Load,
): Promise<{ queries: number | null; notes: string[] }> {
  const [first] = load.requests;
  if (!first) return { queries: null, notes: [] };
  // A request that builds its body per connection is asked for one, as the load would.
  const request = first.setupRequest ? (first.setupRequest({ ...first }, {}) ?? first) : first;
  const queries = await queriesFor(baseUrl, request);
  const other = load.sameQueriesAs;
  if (!other || queries === null) return { queries, notes: [] };
  const otherQueries = await queriesFor(baseUrl, { path: other.path, headers: other.headers });
  if (otherQueries !== queries) {
    log(
      `${load.request}: ${queries} statements for ${other.of} but ${otherQueries} for ${other.otherOf}`,
    );
  }
  return {
    queries,
    notes: [`${queries} SQL statements for ${other.of}, ${otherQueries} for ${other.otherOf}.`],
  };
}

async function measure(scenario: Scenario, baseUrl: string, pid: number): Promise<ScenarioResult> {
  const load = await scenario.prepare(baseUrl);
  const { queries, notes } = await countQueries(baseUrl, load);
  log(`${scenario.id}: ${load.request}, ${warmupSeconds} s warm-up, ${seconds} s measured`);
  const rss = new PeakRss(pid);
  const common = { baseUrl, requests: load.requests, connections };
  await runLoad({ ...common, seconds: warmupSeconds });
  const outcome = await runLoad({ ...common, seconds });
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const peakRssBytes = rss.stop();
  const okLatencies = outcome.latencies.get(load.expectedStatus) ?? [];
  const unexpected: Record<string, number> = {};
  for (const [status, list] of outcome.latencies) {
    if (status !== load.expectedStatus) unexpected[status] = list.length;
  }
  return {
    id: scenario.id,
    title: scenario.title,
    request: load.request,
    expectedStatus: load.expectedStatus,
    ok: okLatencies.length,
    unexpected,
    errors: outcome.errors,
    seconds: outcome.seconds,
    requestsPerSecond: okLatencies.length / outcome.seconds,
    latency: okLatencies.length ? summariseLatencies(okLatencies) : null,
    peakRssBytes,
    queries,
    ...(load.note || notes.length ? { note: [load.note, ...notes].filter(Boolean).join(' ') } : {}),
  };
}

async function writeResults(
  info: RunInfo,
  ran: readonly Scenario[],
  results: ScenarioResult[],
): Promise<void> {
  const baseline = results.find((r) => r.id === BASELINE.id);
  let doc = readBenchmarksDoc();
  const suites = [...new Set(ran.map((s) => s.suite))];
  for (const suite of suites) {
    const members = SCENARIOS.filter((s) => s.suite === suite);
    if (!members.every((s) => ran.includes(s))) {
      log(`Not writing "${suite.heading}": only some of its scenarios ran.`);
      continue;
    }
    const rows = suiteRows(
      members.map((s) => s.id),
      results,
      baseline,
    );
    doc = replaceSection(doc, suite.id, suiteSection(suite.heading, info, rows, baseline));
  }
  await writeBenchmarksDoc(doc);
  log(`Results written to ${BENCHMARKS_DOC}`);
}

async function main(): Promise<number> {
  // Only benchmarks that run in processes of their own: no page scenarios, no server.
  if (args.only?.split(',').every((id) => PROCESS_BENCHES.includes(id.trim()))) return 0;
  const scenarios = chosenScenarios();
  const loadBefore = loadavg()[0] ?? 0;
  const database = await benchDatabase(args.db);
  let server: ChildProcess | undefined;
  const watchdog = setTimeout(() => {
    log(`The benchmark took longer than ${WHOLE_RUN_LIMIT_MS / 60_000} minutes; stopping.`);
    server?.kill('SIGKILL');
    process.exit(1);
  }, WHOLE_RUN_LIMIT_MS);
  watchdog.unref();
  process.once('SIGINT', () => {
    server?.kill('SIGKILL');
    void database.drop().finally(() => process.exit(130));
  });

  try {
    log(`Seeding ${database.describe}`);
    const db = createDatabase(database.url);
    await migrateToLatest(db);
    const services = buildServices(db, loadConfig({ DATABASE_URL: database.url }));
    const seedStart = performance.now();
    for (const scenario of scenarios) await scenario.seed(services);
    log(`Seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    await db.destroy();

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    server = startServer(database.url, port);
    const pid = server.pid;
    if (pid === undefined) throw new Error('the server did not start');
    await waitForHealth(baseUrl, server);
    const serverStartBytes = procStatusBytes(pid, 'VmRSS');

    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) results.push(await measure(scenario, baseUrl, pid));
    const serverPeakBytes = procStatusBytes(pid, 'VmHWM');
    await stopServer(server);

    const info: RunInfo = {
      date: new Date().toISOString(),
      machine: describeMachine(),
      database: database.describe.replace(/ \(.*\)$/, ''),
      connections,
      warmupSeconds,
      seconds,
      serverPeakBytes,
      serverStartBytes,
      loadBefore,
    };
    const baseline = results.find((r) => r.id === BASELINE.id);
    const section = suiteSection('This run', info, results, baseline);
    process.stdout.write(`${section}\n`);

    const bad = results.filter(failed);
    if (bad.length) {
      for (const r of bad) {
        log(
          `FAILED ${r.id}: ${r.ok} × ${r.expectedStatus}, other statuses ${JSON.stringify(r.unexpected)}, ` +
            `${r.errors} connection errors or time-outs`,
        );
      }
      log('Nothing written: a benchmark with failed requests measures the wrong thing.');
      return 1;
    }
    if (!args['print-only']) await writeResults(info, scenarios, results);
    return 0;
  } finally {
    if (server) await stopServer(server);
    await database.drop();
    clearTimeout(watchdog);
  }
}

/** The exception report's and the strategic assessment's benches, each in a process of its own. */
async function processBenches(): Promise<number> {
  const chosen = args.only ? args.only.split(',').map((id) => id.trim()) : PROCESS_BENCHES;
  for (const id of PROCESS_BENCHES.filter((b) => chosen.includes(b))) {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve(ROOT, `bench/${id}.ts`),
        ...(args.db ? ['--db', args.db] : []),
        ...(args['print-only'] ? ['--print-only'] : []),
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) return code ?? 1;
  }
  return 0;
}

process.exitCode = (await main()) || (await processBenches());
