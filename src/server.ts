import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { createDatabase, describeDatabase, type DatabaseOptions } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { buildServices } from './services.js';

// How long a shutdown waits for handlers still running (for example a sign-in whose client left).
const SHUTDOWN_GRACE_MS = 10_000;

export interface StartOptions {
  config: Config;
  /** Load the demo on an empty database and print its sign-ins. */
  demo?: boolean;
  onEmptyDatabase?: (app: FastifyInstance) => Promise<void>;
  /** Sees every statement the database runs (the benchmark counts them per request). */
  onQuery?: DatabaseOptions['onQuery'];
}

/** Open the database, migrate, build the app, listen, and close cleanly on a signal. */
export async function startServer({
  config,
  onEmptyDatabase,
  onQuery,
}: StartOptions): Promise<FastifyInstance> {
  const db = createDatabase(config.databaseUrl, onQuery ? { onQuery } : {});
  await migrateToLatest(db);
  const app = await buildApp(buildServices(db, config));
  app.addHook('onClose', async () => {
    await app.drained(SHUTDOWN_GRACE_MS);
    await db.destroy();
  });
  if (onEmptyDatabase) {
    const anyone = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (!anyone) await onEmptyDatabase(app);
  }
  let closing = false;
  const close = (signal: string): void => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // Stop accepting, let requests in flight finish, then close the database.
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => {
    close('SIGTERM');
  });
  process.once('SIGINT', () => {
    close('SIGINT');
  });
  await app.listen({ port: config.port, host: config.host });
  app.log.info({ database: describeDatabase(config.databaseUrl) }, 'Saferplan is running');
  return app;
}
