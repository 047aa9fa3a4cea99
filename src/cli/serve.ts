import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config.js';
import {
  DEMO_COORDINATOR_EMAIL,
  DemoAlreadyLoaded,
  demoLoaded,
  loadDemo,
  type DemoResult,
} from '../features/demo/demo.service.js';
import { printSignIns } from './demo.js';
import { CommandError, parseOptions, print, UsageError } from './support.js';

export const SERVE_HELP = `Usage: saferplan serve [--demo] [--port N]

Starts the web server on HOST and PORT (default localhost:3000) with the database in
DATABASE_URL, after bringing the database up to date. Stop it with Ctrl+C.

Options:
  --demo     on an empty database, load the demo first and print its sign-ins
  --port N   listen on port N instead of PORT (0 picks a free port)`;

/** Where people reach the site; a free port picked by the system is only known once listening. */
function siteUrl(app: FastifyInstance, config: Config): string {
  const address = app.server.address();
  if (config.port === 0 && address && typeof address === 'object') {
    return `http://localhost:${address.port}`;
  }
  return config.publicUrl;
}

export async function runServe(args: string[]): Promise<void> {
  const options = parseOptions(
    args,
    { demo: { type: 'boolean' }, port: { type: 'string' } },
    'serve',
  );
  if (options.help) {
    print(SERVE_HELP);
    return;
  }
  const overrides: Record<string, string> = {};
  if (options.port !== undefined) {
    if (!/^\d{1,5}$/.test(options.port) || Number(options.port) > 65535) {
      throw new UsageError(`--port must be a whole number from 0 to 65535, not "${options.port}"`);
    }
    overrides.PORT = options.port;
  }
  const config = loadConfig(undefined, overrides);
  // The web server is loaded only now, so `serve --help` and a bad option answer at once.
  const [{ startServer }, { describeDatabase }] = await Promise.all([
    import('../server.js'),
    import('../db/database.js'),
  ]);
  let demo: DemoResult | undefined;
  let notLoaded: string | undefined;
  const loadOnEmpty = async (server: FastifyInstance): Promise<void> => {
    try {
      demo = await loadDemo(server.services);
    } catch (err) {
      // Partnerships made by hand with the demo's short names: serve them rather than stop.
      if (!(err instanceof DemoAlreadyLoaded)) throw err;
      notLoaded = err.message;
    }
  };
  let app: FastifyInstance;
  try {
    app = await startServer({ config, onEmptyDatabase: options.demo ? loadOnEmpty : undefined });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    throw new CommandError(
      `port ${config.port} is already in use: stop what is using it, or choose another with --port N`,
    );
  }
  const url = siteUrl(app, config);
  print();
  if (demo) {
    printSignIns(demo, url);
    print();
  } else if (notLoaded) {
    print(`The demo was not loaded: ${notLoaded}.`);
    print();
  } else if (options.demo) {
    if (await demoLoaded(app.services)) {
      print('The demo was loaded on an earlier start, and its data is kept.');
      print('Its passwords were shown only then. For a new sign-in link, run for example');
      print(`  bin/saferplan user reset --email ${DEMO_COORDINATOR_EMAIL}`);
    } else {
      print('The database already has accounts, so the demo was not loaded.');
      print('For a new sign-in link, run  bin/saferplan user reset --email EMAIL');
    }
    print();
  }
  print(`Saferplan is running at ${url} on ${describeDatabase(config.databaseUrl)}.`);
  print('Press Ctrl+C to stop.');
}
