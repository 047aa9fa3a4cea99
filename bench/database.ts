import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface BenchDatabase {
  url: string;
  describe: string;
  drop: () => Promise<void>;
}

async function onServer(serverUrl: string, sql: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const res = await client.query<Record<string, string>>(sql);
    return Object.values(res.rows[0] ?? {})[0] ?? '';
  } finally {
    await client.end();
  }
}

/** A new empty database: a SQLite file in a temporary folder, or a new database on a PostgreSQL server. */
export async function benchDatabase(postgresServer?: string): Promise<BenchDatabase> {
  if (!postgresServer) {
    const dir = mkdtempSync(join(tmpdir(), 'saferplan-bench-'));
    return {
      url: `sqlite:${join(dir, 'bench.db')}`,
      describe: 'SQLite (a new file)',
      drop: async () => {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `saferplan_bench_${randomBytes(6).toString('hex')}`;
  const version = await onServer(postgresServer, 'show server_version');
  await onServer(postgresServer, `create database ${name}`);
  const url = new URL(postgresServer);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    describe: `PostgreSQL ${version.split(' ')[0] ?? ''} (a new database)`,
    drop: async () => {
      await onServer(postgresServer, `drop database if exists ${name} with (force)`);
    },
  };
}
