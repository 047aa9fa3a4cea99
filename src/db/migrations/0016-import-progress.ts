import type { Kysely } from 'kysely';

// How far a running import has got, kept with it so that every server behind a load balancer
// shows it, not only the one running the import.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('data_imports').addColumn('progress', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('data_imports').dropColumn('progress').execute();
}
