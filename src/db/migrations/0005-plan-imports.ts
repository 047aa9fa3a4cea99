import type { Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.js';

// An action plan file waits here between its preview and the coordinator's confirmation, so
// the confirmation imports exactly the file that was previewed, on whichever server answers.
// Once imported, the row keeps what the import did (for its result page) until it is swept.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('plan_imports'))
    .addColumn('partnership_id', 'integer', (c) =>
      c.notNull().references('partnerships.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('update_month', 'text')
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('plan_id', 'integer', (c) => c.references('plans.id').onDelete('cascade'))
    .addColumn('result', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('plan_imports_created')
    .on('plan_imports')
    .column('created_at')
    .execute();
  // Files whose milestones and timescales did not pair up keep both lists and say so here,
  // until a coordinator checks the action and saves it.
  await db.schema.alterTable('actions').addColumn('milestone_note', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('actions').dropColumn('milestone_note').execute();
  await db.schema.dropTable('plan_imports').execute();
}
