import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig } from '../config.js';
import type { Services } from '../services.js';

/** The command was called the wrong way: exit code 2, like other Unix tools. */
export class UsageError extends Error {}

/**
 * The input was understood but cannot be acted on (an unknown agency, say): exit code 1.
 * `details` are further lines, one problem each, such as the bad rows of a file.
 */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

function parseErrorText(err: unknown, command: string): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const hint = `run \`saferplan ${command} --help\``;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${quoted}: ${hint}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return `unexpected argument ${quoted}: ${hint}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /--[a-z-]+/.exec(message)?.[0] ?? 'an option';
    return `${option} needs a value: ${hint}`;
  }
  return `${message.split('. ')[0] ?? message}: ${hint}`;
}

/** Options for one command, plus --help; mistakes become a UsageError naming the option. */
export function parseOptions<O extends Options>(args: string[], options: O, command: string) {
  try {
    return parseArgs({
      args,
      options: { ...options, ...HELP_OPTION },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new UsageError(parseErrorText(err, command));
  }
}

/** Like parseOptions, for a command that also takes files named after its options. */
export function parseOptionsAndFiles<O extends Options>(
  args: string[],
  options: O,
  command: string,
) {
  try {
    return parseArgs({
      args,
      options: { ...options, ...HELP_OPTION },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(parseErrorText(err, command));
  }
}

export function requireOption(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`--${option} is required`);
  return value;
}

export function oneOf<T extends string>(
  value: string | undefined,
  option: string,
  choices: readonly T[],
): T {
  const given = requireOption(value, option);
  if ((choices as readonly string[]).includes(given)) return given as T;
  throw new UsageError(`--${option} must be ${listWords(choices, 'or')}, not "${given}"`);
}

export function listWords(words: readonly string[], joiner: 'and' | 'or'): string {
  if (words.length < 2) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${joiner} ${words.at(-1) ?? ''}`;
}

export function print(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function printError(text: string): void {
  process.stderr.write(`Error: ${text}\n`);
}

/** The configured database, migrated to the latest version, with the services over it. */
export async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Loaded only once a command gets this far, so usage errors and --help answer quickly.
  const [{ createDatabase }, { migrateToLatest }, { buildServices }] = await Promise.all([
    import('../db/database.js'),
    import('../db/migrate.js'),
    import('../services.js'),
  ]);
  const db = createDatabase(config.databaseUrl);
  try {
    await migrateToLatest(db);
    return await work(buildServices(db, config));
  } finally {
    await db.destroy();
  }
}

/**
 * What was piped to standard input, without its final line break; undefined when standard input
 * is a terminal or empty. Reads to the end, so a pipe that never closes keeps waiting. More than
 * `maxBytes` is refused as too long for `what` (a password, say).
 */
export async function readPipedInput(
  what = 'a password',
  maxBytes = 4096,
): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new CommandError(`standard input is too long for ${what}`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  return text === '' ? undefined : text;
}

type Run = (args: string[]) => Promise<void>;

/** A command group such as `user`: picks the sub-command, or explains the group. */
export async function dispatch(
  group: string,
  args: string[],
  commands: Record<string, Run>,
  help: string,
): Promise<void> {
  const [name, ...rest] = args;
  if (name === '--help' || name === '-h' || name === 'help') {
    print(help);
    return;
  }
  const run = name === undefined ? undefined : commands[name];
  if (run) return run(rest);
  const names = listWords(Object.keys(commands), 'or');
  if (name === undefined) throw new UsageError(`saferplan ${group} needs a command: ${names}`);
  throw new UsageError(`unknown command "${group} ${name}": use ${names}`);
}
