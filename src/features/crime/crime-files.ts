/**
 * The files a crime import reads, as people download them: single CSVs, folders of monthly
 * folders, or zip archives (unpacked entry by entry to a temporary folder, never held in
 * memory). Each CSV's layout is told from its header.
 */
import { closeSync, createWriteStream, fstatSync, openSync, readSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import yauzl from 'yauzl';

/** A problem with one file: names the file and, when known, the line. */
export class CrimeFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly line?: number,
  ) {
    super(line === undefined ? `${file}: ${problem}` : `${file}, line ${line}: ${problem}`);
  }
}

export const STREET_COLUMNS = [
  'Crime ID',
  'Month',
  'Reported by',
  'Falls within',
  'Longitude',
  'Latitude',
  'Location',
  'LSOA code',
  'LSOA name',
  'Crime type',
  'Last outcome category',
  'Context',
] as const;

export const PFA_COLUMNS = [
  '12 months ending',
  'PFA',
  'Region',
  'Offence',
  'Rolling year total number of offences',
] as const;

export const CSP_COLUMNS = [
  'Financial Year',
  'Financial Quarter',
  'Force Name',
  'CSP Name',
  'Offence Description',
  'Offence Group',
  'Offence Subgroup',
  'Offence Code',
  'Number of Offences',
] as const;

export type Layout = 'street' | 'pfa' | 'csp';

const LAYOUTS: { layout: Layout; columns: readonly string[]; name: string }[] = [
  { layout: 'street', columns: STREET_COLUMNS, name: 'a data.police.uk street-level file' },
  { layout: 'pfa', columns: PFA_COLUMNS, name: 'the recorded crime by police force area table' },
  { layout: 'csp', columns: CSP_COLUMNS, name: 'the Home Office recorded crime by CSP table' },
];

export interface CrimeFile {
  /** Where the file is read from (a temporary copy for a zip entry). */
  path: string;
  /** How the file is named to people: its path, or "archive.zip: 2021-03/2021-03-kent-street.csv". */
  name: string;
  layout: Layout;
  /** The header's column names, in the file's order. */
  header: string[];
  bytes: number;
}

/** A path to read, or a path with the name to show for it (an upload's own file name). */
export type CrimeInput = string | { path: string; name: string };

export interface GatheredFiles {
  files: CrimeFile[];
  /** Files found in folders and archives that are not crime counts (outcomes, stop and search). */
  skipped: string[];
  /** Removes the temporary copies of zip entries. */
  cleanup: () => Promise<void>;
}

const HEADER_BYTES = 64 * 1024;

/**
 * A file's first line, split as CSV (a byte-order mark and CR dropped), and its size. A national
 * year is over 500 files: they are read synchronously (promise-based file calls took 30 times
 * as long as the reads), and a header line seen before in `parsed` is not split again.
 */
function readStart(
  path: string,
  name: string,
  parsed: Map<string, string[]>,
): { header: string[]; bytes: number } {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const bytesRead = readSync(fd, buffer, 0, HEADER_BYTES, 0);
    const end = buffer.subarray(0, bytesRead).indexOf(0x0a);
    if (end < 0 && bytesRead === HEADER_BYTES) {
      throw new CrimeFileError(name, 'the first line is too long to be a header', 1);
    }
    let line = buffer.subarray(0, end < 0 ? bytesRead : end).toString('utf8');
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    line = line.replace(/\r$/, '');
    if (line.trim() === '') throw new CrimeFileError(name, 'the file is empty', 1);
    let header = parsed.get(line);
    if (!header) {
      let rows: string[][];
      try {
        rows = parse(line, { relax_column_count: true });
      } catch {
        throw new CrimeFileError(name, 'the header line is not valid CSV', 1);
      }
      header = (rows[0] ?? []).map((c) => c.trim());
      parsed.set(line, header);
    }
    return { header, bytes: fstatSync(fd).size };
  } finally {
    closeSync(fd);
  }
}

/** The layout whose columns the header has; otherwise an error naming what is missing. */
export function detectLayout(header: readonly string[], name: string): Layout {
  let closest = LAYOUTS[0];
  let closestShared = -1;
  for (const candidate of LAYOUTS) {
    const missing = candidate.columns.filter((c) => !header.includes(c));
    if (missing.length === 0) return candidate.layout;
    const shared = candidate.columns.length - missing.length;
    if (shared > closestShared) {
      closest = candidate;
      closestShared = shared;
    }
  }
  const target = closest ?? LAYOUTS[0];
  const missing = (target?.columns ?? []).filter((c) => !header.includes(c));
  throw new CrimeFileError(
    name,
    `the header is not a layout Saferplan knows: as ${target?.name ?? 'a crime file'} it lacks the column${missing.length === 1 ? '' : 's'} ${missing.map((c) => `"${c}"`).join(', ')}`,
    1,
  );
}

// data.police.uk archives also hold these; they count outcomes and searches, not crimes.
const NOT_COUNTS = /-(outcomes|stop-and-search)\.csv$/i;

function describe(path: string, name: string, parsed: Map<string, string[]>): CrimeFile {
  const { header, bytes } = readStart(path, name, parsed);
  return { path, name, layout: detectLayout(header, name), header, bytes };
}

async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(full)));
    else if (/\.(csv|zip)$/i.test(entry.name)) found.push(full);
  }
  return found;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err) reject(err);
      else resolve(zip);
    });
  });
}

// Police.uk CSVs compress about five times; an entry compressed far more was made to fill a disk.
const MAX_COMPRESSION_RATIO = 100;
// Left free on the disk after unpacking, for the database and everything else.
const DISK_MARGIN_BYTES = 1024 ** 3;

const megabytes = (bytes: number): string =>
  `${Math.ceil(bytes / 1024 ** 2).toLocaleString('en-GB')} MB`;

/** What an archive may unpack to: the space free where it unpacks, less a margin. */
async function unpackRoom(dir: string): Promise<number> {
  const fs = await statfs(dir);
  return Math.max(0, fs.bavail * fs.bsize - DISK_MARGIN_BYTES);
}

/**
 * Copies a zip's CSV entries to `into`, one at a time; returns [copy, entry name] pairs. The
 * sizes the archive declares are checked before anything is written (and the reader stops an
 * entry that runs past its declared size), so an archive cannot fill the disk.
 */
async function unpackZip(
  zipPath: string,
  shown: string,
  into: string,
  room: { bytes: number },
): Promise<[string, string][]> {
  const fail = (err: unknown, entry?: string): CrimeFileError =>
    new CrimeFileError(
      entry ? `${shown}: ${entry}` : shown,
      `the zip archive is corrupt or incomplete (${err instanceof Error ? err.message : String(err)})`,
    );
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(zipPath);
  } catch (err) {
    throw fail(err);
  }
  const copies: [string, string][] = [];
  await new Promise<void>((resolve, reject) => {
    let n = 0;
    zip.on('error', (err) => {
      reject(fail(err));
    });
    zip.on('end', () => {
      resolve();
    });
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/') || !/\.csv$/i.test(entry.fileName)) {
        zip.readEntry();
        return;
      }
      const size = entry.uncompressedSize;
      if (size > MAX_COMPRESSION_RATIO * Math.max(entry.compressedSize, 1)) {
        reject(
          new CrimeFileError(
            `${shown}: ${entry.fileName}`,
            `it is compressed more than ${MAX_COMPRESSION_RATIO} times, which no crime file is: the archive looks made to fill the disk`,
          ),
        );
        return;
      }
      if (size > room.bytes) {
        reject(
          new CrimeFileError(
            `${shown}: ${entry.fileName}`,
            `it unpacks to ${megabytes(size)}, more than the ${megabytes(room.bytes)} left to unpack into: free some disk space, or import fewer months at a time`,
          ),
        );
        return;
      }
      room.bytes -= size;
      // The entry's own path is never used to write: a name like ../../x cannot escape.
      const copy = join(into, `${String(n++).padStart(6, '0')}-${basename(entry.fileName)}`);
      zip.openReadStream(entry, (err, stream) => {
        if (err) {
          reject(fail(err, entry.fileName));
          return;
        }
        pipeline(stream, createWriteStream(copy)).then(
          () => {
            copies.push([copy, entry.fileName]);
            zip.readEntry();
          },
          (e: unknown) => {
            reject(fail(e, entry.fileName));
          },
        );
      });
    });
    zip.readEntry();
  }).catch((err: unknown) => {
    zip.close();
    throw err;
  });
  return copies;
}

/**
 * Every CSV named, found in the folders named, or inside the zips named, with its layout. A
 * file named on its own must be a known layout; in folders and archives, outcomes and stop and
 * search files are skipped (and listed).
 */
export async function gatherCrimeFiles(
  inputs: readonly CrimeInput[],
  options: { unpackRoomBytes?: number } = {},
): Promise<GatheredFiles> {
  let temp: string | undefined;
  const cleanup = async () => {
    if (temp) await rm(temp, { recursive: true, force: true });
  };
  const files: CrimeFile[] = [];
  const skipped: string[] = [];
  const parsed = new Map<string, string[]>();
  // Every archive of the import unpacks into one folder, and shares the room there.
  let room: { bytes: number } | undefined;
  const unpacking = async (): Promise<{ temp: string; room: { bytes: number } }> => {
    temp ??= await mkdtemp(join(tmpdir(), 'saferplan-crime-'));
    room ??= { bytes: options.unpackRoomBytes ?? (await unpackRoom(temp)) };
    return { temp, room };
  };
  const take = async (
    path: string,
    shown: string,
    named: boolean,
    zipCount: { n: number },
  ): Promise<void> => {
    if (/\.zip$/i.test(path)) {
      const where = await unpacking();
      const into = join(where.temp, `zip-${zipCount.n++}`);
      await mkdir(into);
      for (const [copy, entry] of await unpackZip(path, shown, into, where.room)) {
        const name = `${shown}: ${entry}`;
        if (NOT_COUNTS.test(entry)) skipped.push(name);
        else files.push(describe(copy, name, parsed));
      }
      return;
    }
    if (!named && NOT_COUNTS.test(path)) {
      skipped.push(shown);
      return;
    }
    files.push(describe(path, shown, parsed));
  };
  const zipCount = { n: 0 };
  try {
    for (const input of inputs) {
      const { path, name } = typeof input === 'string' ? { path: input, name: input } : input;
      let info;
      try {
        info = await stat(path);
      } catch {
        throw new CrimeFileError(name, 'there is no file or folder here');
      }
      if (info.isDirectory()) {
        const found = await walk(path);
        if (found.length === 0)
          throw new CrimeFileError(name, 'the folder holds no CSV or zip files');
        for (const file of found) await take(file, name + file.slice(path.length), false, zipCount);
      } else {
        await take(path, name, true, zipCount);
      }
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { files, skipped, cleanup };
}
