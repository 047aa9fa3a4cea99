import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../helpers/database.js';

describe('the database connection', () => {
  it('survives the server ending an idle connection (PostgreSQL restart or administrator)', async () => {
    const { db, url, drop } = await freshDatabase();
    try {
      await db.selectFrom('agencies').select('id').execute();
      if (url.startsWith('postgres')) {
        const name = new URL(url).pathname.slice(1);
        const killer = await connectTo(url);
        await killer.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [name],
        );
        await killer.end();
        await new Promise((r) => setTimeout(r, 200));
      } else {
        // SQLite has no server to end the connection: the file stays open for the process.
        await sql`select 1`.execute(db);
      }
      expect(await db.selectFrom('agencies').select('id').execute()).toEqual([]);
    } finally {
      await drop();
    }
  });
});

async function connectTo(url: string) {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}
