/**
 * How fast a national year of data.police.uk street-level files imports, against the floor of
 * DuckDB only reading and counting the same files. Generates 43 forces × 12 months (about 6
 * million records by default) shaped like the real files — crime types as common as in a real
 * month, No Location rows, LSOAs outside the force and outside every lookup, ASB and British
 * Transport Police rows with blank Crime IDs, duplicate Crime IDs, quoted fields, CRLF and LF
 * files — into a temporary folder, deleted afterwards. The floor and the import each run twice,
 * taking turns, each in a process of its own, so each peak memory is its own. Run by
 * `npm run bench`, or alone: `npm run bench -- --only crime-import`; `--step generate --dir D`
 * only writes the files, to profile an import of them.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, statfs } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig } from '../src/config.js';
import { COMMAND_LINE } from '../src/core/actor.js';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { POLICE_UK_CRIME_TYPES, type PoliceUkCrimeType } from '../src/domain/crime-types.js';
import { gatherCrimeFiles } from '../src/features/crime/crime-files.js';
import { ROOT } from '../src/paths.js';
import { buildServices } from '../src/services.js';
import { benchDatabase } from './database.js';
import { describeMachine } from './machine.js';
import { BENCHMARKS_DOC, markdownTable, writeSection } from './report.js';

const FORCES = 43;
const MONTHS = 12;
const FIRST_YEAR = 2023;
const LSOAS = 34_753;
const LSOAS_PER_WARD = 5;
const WARDS_PER_DISTRICT = 21;
const TARGET_RATIO = 2;
const TARGET_RSS = 1.5 * 1024 ** 3;
// Bytes of CSV per record, generously: the disk must hold the files.
const BYTES_PER_RECORD = 300;

const { values: args } = parseArgs({
  options: {
    step: { type: 'string' },
    dir: { type: 'string' },
    db: { type: 'string' },
    records: { type: 'string', default: '6000000' },
    'print-only': { type: 'boolean', default: false },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);
const records = Number(args.records);
if (!Number.isInteger(records) || records < FORCES * MONTHS) {
  throw new Error('--records takes a whole number of at least 516');
}

const lsoaCode = (i: number) => `E01${String(i + 1).padStart(6, '0')}`;
const wardCode = (i: number) => `E05${String(Math.floor(i / LSOAS_PER_WARD) + 1).padStart(6, '0')}`;
const districtCode = (i: number) =>
  `E07${String(Math.floor(i / LSOAS_PER_WARD / WARDS_PER_DISTRICT) + 1).padStart(6, '0')}`;

/** A small deterministic generator: the same files every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER =
  'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context';
const OUTCOMES = [
  'Investigation complete; no suspect identified',
  'Unable to prosecute suspect',
  'Under investigation',
];
// Records of each type in the real whole-force Kent month (../shared/data/police-uk, 2021-03):
// a few types hold most records, so a month has far fewer LSOA-and-type cells than if every
// type were as common.
const TYPE_RECORDS: Record<PoliceUkCrimeType, number> = {
  'Anti-social behaviour': 4507,
  'Bicycle theft': 70,
  Burglary: 502,
  'Criminal damage and arson': 1568,
  Drugs: 402,
  'Other crime': 601,
  'Other theft': 889,
  'Possession of weapons': 85,
  'Public order': 1052,
  Robbery: 94,
  Shoplifting: 612,
  'Theft from the person': 47,
  'Vehicle crime': 538,
  'Violence and sexual offences': 6920,
};
const TYPE_TOTAL = POLICE_UK_CRIME_TYPES.reduce((s, t) => s + TYPE_RECORDS[t], 0);
/** A crime type drawn as often as in the real month, from a number in [0, 1). */
function crimeType(x: number): PoliceUkCrimeType {
  let left = x * TYPE_TOTAL;
  for (const t of POLICE_UK_CRIME_TYPES) {
    left -= TYPE_RECORDS[t];
    if (left < 0) return t;
  }
  return 'Violence and sexual offences';
}

/** Writes the files; returns how many records they hold. */
async function generate(dir: string): Promise<number> {
  const next = random(20_241_123);
  const perForce = Math.floor(LSOAS / FORCES);
  // Forces differ in size, as the Metropolitan Police and the City of London do.
  const weights = Array.from({ length: FORCES }, (_, f) => 0.4 + ((f * 37) % 43) / 30);
  const total = weights.reduce((a, b) => a + b, 0);
  let written = 0;
  let id = 0;
  for (let f = 0; f < FORCES; f++) {
    const btp = f === FORCES - 1;
    const force = btp
      ? 'British Transport Police'
      : `Force ${String(f + 1).padStart(2, '0')} Police`;
    const eol = f % 2 === 0 ? '\r\n' : '\n';
    const first = f * perForce;
    for (let m = 0; m < MONTHS; m++) {
      const month = `${FIRST_YEAR}-${String(m + 1).padStart(2, '0')}`;
      const rows = Math.round((records * (weights[f] ?? 1)) / total / MONTHS);
      const out = createWriteStream(join(dir, `${month}-force-${f + 1}-street.csv`));
      let buffer = HEADER + eol;
      let lastId = '';
      for (let r = 0; r < rows; r++) {
        const type = crimeType(next());
        const asb = type === 'Anti-social behaviour';
        let crimeId = asb || btp ? '' : (++id).toString(16).padStart(64, '0');
        // Three records a month share a Crime ID, as in the real files.
        if (!asb && !btp && r > 0 && r % Math.max(1, Math.floor(rows / 3)) === 0 && lastId)
          crimeId = lastId;
        if (crimeId) lastId = crimeId;
        const y = next();
        let lsoa = '';
        let name = '';
        let lon = '';
        let lat = '';
        let location = 'No Location';
        if (y >= 0.015) {
          // Mostly in the force's own area. In the real whole-force Kent month 0.35% of the
          // records with a location lie outside Kent, in 25 districts near and far: here as
          // many lie anywhere in the country. A few are in LSOAs no lookup holds (Scotland's
          // data zones, say).
          const i =
            btp || y > 0.9915 ? Math.floor(next() * LSOAS) : first + Math.floor(next() * perForce);
          lsoa =
            y > 0.995 ? `S01${String(Math.floor(next() * 7000)).padStart(6, '0')}` : lsoaCode(i);
          name = `District ${Math.floor(i / LSOAS_PER_WARD / WARDS_PER_DISTRICT) + 1} ${String(i % 1000).padStart(3, '0')}A`;
          lon = (-2 + next() * 3).toFixed(6);
          lat = (51 + next() * 3).toFixed(6);
          location =
            next() < 0.005
              ? `"On or near Green, Street ${r % 97}"`
              : `On or near Street ${r % 997}`;
        }
        const outcome = asb || btp ? '' : (OUTCOMES[r % OUTCOMES.length] ?? '');
        buffer += `${crimeId},${month},${force},${force},${lon},${lat},${location},${lsoa},${name},${type},${outcome},${eol}`;
        if (buffer.length > 1 << 20) {
          if (!out.write(buffer)) await once(out, 'drain');
          buffer = '';
        }
      }
      out.end(buffer);
      await once(out, 'finish');
      written += rows;
    }
    log(`Generated ${force}: ${written.toLocaleString('en-GB')} records so far`);
  }
  return written;
}

const peakRss = () => process.resourceUsage().maxRSS * 1024;

/** DuckDB alone: read every file with the importer's CSV settings and count by LSOA and type. */
async function floorStep(dir: string): Promise<void> {
  const gathered = await gatherCrimeFiles([dir]);
  const start = performance.now();
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB' });
  const duck = await instance.connect();
  const columns = gathered.files[0]?.header.map((c) => `'${c}': 'VARCHAR'`).join(', ') ?? '';
  const files = gathered.files.map((f) => `'${f.path}'`).join(', ');
  const reader = await duck.runAndReadAll(`select sum(n)::double as n from (
    select filename, "Reported by", "Month", "LSOA code", "Crime type", count(*)::integer as n
    from read_csv([${files}], header = true, auto_detect = false, delim = ',', quote = '"',
      escape = '"', strict_mode = true, null_padding = false, filename = true,
      columns = {${columns}})
    group by all)`);
  const counted = Number(reader.getRowObjectsJS()[0]?.n ?? 0);
  const ms = performance.now() - start;
  duck.closeSync();
  instance.closeSync();
  process.stdout.write(JSON.stringify({ ms, rss: peakRss(), records: counted }));
}

/** The real import into a fresh database, lookups loaded first (not timed). */
async function importStep(dir: string, url: string): Promise<void> {
  const db = createDatabase(url);
  try {
    await migrateToLatest(db);
    const rows = Array.from({ length: LSOAS }, (_, i) => ({
      lsoa_code: lsoaCode(i),
      lsoa_vintage: '2011',
      ward_code: wardCode(i),
      ward_vintage: '2021',
      district_code: districtCode(i),
    }));
    for (let i = 0; i < rows.length; i += 1000) {
      await db
        .insertInto('geo_lsoa_wards')
        .values(rows.slice(i, i + 1000))
        .execute();
    }
    const services = buildServices(db, loadConfig({ DATABASE_URL: url }));
    const start = performance.now();
    let readMs = 0;
    const { summary } = await services.crime.importFiles(COMMAND_LINE, [dir], (p) => {
      if (p.stage === 'writing' && readMs === 0) readMs = performance.now() - start;
    });
    const ms = performance.now() - start;
    const wardRows = await db
      .selectFrom('crime_ward_counts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    process.stdout.write(
      JSON.stringify({
        ms,
        readMs,
        rss: peakRss(),
        records: summary.records,
        months: summary.months.length,
        unassigned: summary.unassigned.noLocation + summary.unassigned.unknownLsoa,
        wardRows: wardRows.n,
      }),
    );
  } finally {
    await db.destroy();
  }
}

async function child(step: string, extra: string[]): Promise<Record<string, number>> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, 'bench/crime-import.ts'), '--step', step, ...extra],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(proc, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the ${step} step exited with ${code}`);
  return JSON.parse(out) as Record<string, number>;
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const free = await statfs(tmpdir());
  const need = records * BYTES_PER_RECORD * 1.2;
  if (free.bavail * free.bsize < need) {
    throw new Error(
      `${tmpdir()} has ${mib(free.bavail * free.bsize)} free; the files need about ${mib(need)}`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'saferplan-crime-bench-'));
  // Each import goes into a new, empty database, as the first import of a year would.
  let describe = '';
  const importOnce = async () => {
    const database = await benchDatabase(args.db);
    describe = database.describe;
    try {
      log(`Import into ${database.describe}`);
      return await child('import', ['--dir', dir, '--db', database.url]);
    } finally {
      await database.drop();
    }
  };
  const faster = (a: Record<string, number>, b: Record<string, number>) =>
    (a.ms ?? 0) <= (b.ms ?? 0) ? a : b;
  try {
    log(`Generating ${records.toLocaleString('en-GB')} records in ${dir}`);
    const generated = await generate(dir);
    const loadBefore = loadavg()[0] ?? 0;
    // Each twice, taking turns, so that a busy moment on the machine weighs on both alike.
    const floors: Record<string, number>[] = [];
    const imports: Record<string, number>[] = [];
    for (let run = 0; run < 2; run++) {
      log('Floor: DuckDB reading and counting the files');
      floors.push(await child('floor', ['--dir', dir]));
      imports.push(await importOnce());
    }
    const floor = floors.reduce(faster);
    const imported = imports.reduce(faster);
    const floorMs = floor.ms ?? 0;
    const importMs = imported.ms ?? 0;
    const ratio = importMs / floorMs;
    // Memory is judged by the larger of the two imports, not the faster.
    const rss = Math.max(...imports.map((i) => i.rss ?? 0));
    const perSecond = (ms: number) => Math.round(generated / (ms / 1000)).toLocaleString('en-GB');
    const section = [
      '## Crime import: a national year of data.police.uk street files',
      '',
      `Measured ${new Date().toISOString()} into ${describe.replace(/ \(.*\)$/, '')}: ` +
        `${FORCES} forces × ${MONTHS} months, ${generated.toLocaleString('en-GB')} records in ${FORCES * MONTHS} generated files ` +
        '(crime types as common as in the real Kent month, No Location rows, LSOAs in other forces and in no lookup, blank Crime IDs for ASB and British Transport Police, ' +
        'duplicate Crime IDs, quoted fields, CRLF and LF files), with a synthetic national LSOA lookup of ' +
        `${LSOAS.toLocaleString('en-GB')} LSOAs. The floor is DuckDB alone reading the same files with the same CSV settings ` +
        'and counting them by force, month, LSOA and type. The floor and the import each ran twice, taking turns, ' +
        'each in a process of its own and each import into a new database; the faster run of each is used ' +
        `(the others: floor ${(Math.max(...floors.map((f) => f.ms ?? 0)) / 1000).toFixed(1)} s, ` +
        `import ${(Math.max(...imports.map((i) => i.ms ?? 0)) / 1000).toFixed(1)} s).`,
      `Machine: ${describeMachine()}; load average ${loadBefore.toFixed(2)} before the runs.`,
      '',
      markdownTable(
        ['Step', 'Seconds', 'Records/s', 'Peak RSS'],
        [
          [
            'Floor: DuckDB reads and counts',
            (floorMs / 1000).toFixed(1),
            perSecond(floorMs),
            mib(floor.rss ?? 0),
          ],
          [
            `Import (reading and counting ${((imported.readMs ?? 0) / 1000).toFixed(1)} s; ${(imported.wardRows ?? 0).toLocaleString('en-GB')} ward rows written)`,
            (importMs / 1000).toFixed(1),
            perSecond(importMs),
            mib(rss),
          ],
        ],
        [false, true, true, true],
      ),
      '',
      `Import to floor: ${ratio.toFixed(2)}×. Targets on 2 cores: within ${TARGET_RATIO}× of the floor — ` +
        `${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}; peak memory under ${mib(TARGET_RSS)} — ${rss < TARGET_RSS ? 'met' : 'NOT met'}.`,
    ].join('\n');
    process.stdout.write(`${section}\n`);
    if (!args['print-only']) {
      await writeSection('crime-import', section);
      log(`Results written to ${BENCHMARKS_DOC}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (args.step === 'floor') await floorStep(args.dir ?? '');
else if (args.step === 'import') await importStep(args.dir ?? '', args.db ?? '');
else if (args.step === 'generate') await generate(args.dir ?? '');
else await main();
