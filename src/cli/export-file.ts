import { stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode } from './import-file.js';
import { CommandError, UsageError } from './support.js';

/** Where an export goes: a file, never replaced without --force, or standard output for -. */
export interface ExportTarget {
  out: string;
  force: boolean;
}

const refuseExisting = (out: string) =>
  new CommandError(
    `${out} already exists (--out): give another file name, or add --force to replace it`,
  );

/** Checks --out before the work: an existing file is refused unless forced. */
export async function exportTarget(
  out: string,
  format: 'csv' | 'xlsx',
  force: boolean,
): Promise<ExportTarget> {
  if (out === '-') {
    if (format === 'xlsx' && process.stdout.isTTY) {
      throw new UsageError(
        'an Excel file cannot be shown in a terminal: give --out a file name, or redirect standard output to a file',
      );
    }
    return { out, force };
  }
  if (!force && (await stat(out).catch(() => undefined))) throw refuseExisting(out);
  return { out, force };
}

/** Writes the file; the write itself never replaces a file without --force, whatever happened since the check. */
export async function writeExport(target: ExportTarget, content: Buffer): Promise<void> {
  const { out, force } = target;
  if (out === '-') {
    await new Promise<void>((done, fail) => {
      process.stdout.write(content, (err) => {
        if (err) fail(err);
        else done();
      });
    });
    return;
  }
  try {
    await writeFile(out, content, { flag: force ? 'w' : 'wx' });
  } catch (err) {
    const code = errorCode(err);
    if (code === 'EEXIST') throw refuseExisting(out);
    if (code === 'ENOENT') throw new CommandError(`there is no folder ${dirname(out)} (--out)`);
    if (code === 'EISDIR') throw new CommandError(`${out} is a folder (--out)`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new CommandError(`${out} could not be written: permission denied (--out)`);
    throw err;
  }
}
