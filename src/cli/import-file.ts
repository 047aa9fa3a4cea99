import { readFile, stat } from 'node:fs/promises';
import { describeProblem, FileError, MAX_FILE_BYTES } from '../core/grid-file.js';
import { CommandError } from './support.js';

export const MAX_MB = MAX_FILE_BYTES / 1024 / 1024;

export const errorCode = (err: unknown): string | undefined => (err as { code?: string }).code;

/** The file to import, refused by its size before any of it is read. */
export async function readImportFile(path: string, option = '--file'): Promise<Buffer> {
  const where = option ? ` (${option})` : '';
  const cannotRead = (err: unknown): CommandError => {
    const code = errorCode(err);
    if (code === 'ENOENT') return new CommandError(`there is no file at ${path}${where}`);
    if (code === 'EACCES' || code === 'EPERM')
      return new CommandError(`${path} could not be read: permission denied${where}`);
    const reason = err instanceof Error ? err.message : String(err);
    return new CommandError(`${path} could not be read: ${reason}${where}`);
  };
  let size: number;
  try {
    const found = await stat(path);
    if (!found.isFile()) throw new CommandError(`${path} is not a file${where}`);
    size = found.size;
  } catch (err) {
    if (err instanceof CommandError) throw err;
    throw cannotRead(err);
  }
  if (size > MAX_FILE_BYTES) {
    throw new CommandError(
      `${path} is too large: the file must be smaller than ${MAX_MB} MB${where}`,
    );
  }
  try {
    return await readFile(path);
  } catch (err) {
    throw cannotRead(err);
  }
}

/** Runs an import; a refused file becomes an error listing each problem on its own line. */
export async function importing<T>(filename: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof FileError)) throw err;
    throw new CommandError(
      `nothing was imported: fix ${err.problems.length === 1 ? 'this problem' : `these ${err.problems.length} problems`} in ${filename} and import it again`,
      err.problems.map(describeProblem),
    );
  }
}
