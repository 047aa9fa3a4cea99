import type { Kysely } from 'kysely';

// When a running import last showed it was alive: one that stops showing it was cut off (the
// server restarted or the command was stopped) and is reported as such, whichever server asks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('data_imports').addColumn('alive_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('data_imports').dropColumn('alive_at').execute();
}
