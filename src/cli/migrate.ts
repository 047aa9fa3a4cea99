import { loadConfig } from '../config.js';
import { parseOptions, print } from './support.js';

export const MIGRATE_HELP = `Usage: saferplan migrate

Brings the database (DATABASE_URL) up to the latest version and lists the migrations it ran.
The server and every other command do this too before they start.`;

export async function runMigrate(args: string[]): Promise<void> {
  const options = parseOptions(args, {}, 'migrate');
  if (options.help) {
    print(MIGRATE_HELP);
    return;
  }
  const config = loadConfig();
  const [{ createDatabase, describeDatabase }, { migrateToLatest }] = await Promise.all([
    import('../db/database.js'),
    import('../db/migrate.js'),
  ]);
  const db = createDatabase(config.databaseUrl);
  try {
    const results = await migrateToLatest(db);
    const where = describeDatabase(config.databaseUrl);
    if (results.length === 0) {
      print(`${where} is up to date: no migrations to run.`);
      return;
    }
    for (const r of results) print(`Ran migration ${r.migrationName}`);
    print(`${where} is up to date.`);
  } finally {
    await db.destroy();
  }
}
