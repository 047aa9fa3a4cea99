import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

// The real command line, as a person runs it: the shell script, tsx, a separate process.
export const BIN = resolve(import.meta.dirname, '../../bin/saferplan');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/saferplan from an unrelated directory; `input` is piped to standard input. */
export function saferplan(args: string[], url: string, input?: string): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(BIN, args, {
      cwd: tmpdir(),
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      stdio: 'pipe',
    });
    // Decoded at the end: a character split across two chunks would otherwise come out garbled.
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    child.on('error', fail);
    child.on('close', (code) => {
      done({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    // A command that fails early exits without reading its input: that pipe error is expected.
    child.stdin.on('error', () => undefined);
    // Nothing to say is an empty pipe: standard input that is not a terminal and has no content.
    child.stdin.end(input ?? '');
  });
}
