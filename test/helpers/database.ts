import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Migrator } from 'kysely';
import { createDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';

/** The migrator `saferplan migrate` uses, to stop at or go back to a named migration. */
export function testMigrator(db: Db): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

async function migrate(db: Db, upTo: string | undefined): Promise<void> {
  if (upTo === undefined) {
    await migrateToLatest(db);
    return;
  }
  const { error } = await testMigrator(db).migrateTo(upTo);
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
}

/**
 * A fresh, migrated database for one test file: SQLite in a temporary folder by default,
 * or a new PostgreSQL database on the server named by TEST_DATABASE_URL. `upTo` stops the
 * migrations after the one named, to test the next on data of the shape before it.
 */
export async function freshDatabase(
  upTo?: string,
): Promise<{ db: Db; url: string; drop: () => Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) {
    const dir = mkdtempSync(join(tmpdir(), 'saferplan-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const db = createDatabase(url);
    await migrate(db, upTo);
    return {
      db,
      url,
      drop: async () => {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `saferplan_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(server);
  target.pathname = `/${name}`;
  const url = target.toString();
  const db = createDatabase(url);
  await migrate(db, upTo);
  return {
    db,
    url,
    drop: async () => {
      await db.destroy();
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
