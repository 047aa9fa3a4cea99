import { stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode } from './import-file.js';
import { CommandError, UsageError } from './support.js';

/** Where a command writes its file: a path, or standard output for "-". */
export interface Output {
  out: string;
  force: boolean;
}

const refuseExisting = (out: string) =>
  new CommandError(
    `${out} already exists (--out): give another file name, or add --force to replace it`,
  );

/**
 * Checks --out before the work starts: a binary file is not sent to a terminal, and an existing
 * file is not replaced without --force (the write checks again, as the file may appear meanwhile).
 */
export async function checkOutput(
  { out, force }: Output,
  what: string,
  binary: boolean,
): Promise<void> {
  if (out === '-' && binary && process.stdout.isTTY) {
    throw new UsageError(
      `${what} cannot be shown in a terminal: give --out a file name, or redirect standard output to a file`,
    );
  }
  if (out !== '-' && !force && (await stat(out).catch(() => undefined))) {
    throw refuseExisting(out);
  }
}

/** Writes the file, or sends it to standard output; errors name --out and what to change. */
export async function writeOutput({ out, force }: Output, content: Buffer): Promise<void> {
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
