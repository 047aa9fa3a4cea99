import type { Kysely } from 'kysely';
import { isPostgres, withId } from './helpers.js';

// A file an importer previewed waits here until the person confirms it, so the confirmation
// imports exactly the file that was previewed, on whichever server answers. Once imported,
// the row keeps the result in place of the file until it is swept a day later.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('file_imports'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('partnership_id', 'integer', (c) =>
      c.notNull().references('partnerships.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('result', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('file_imports_created')
    .on('file_imports')
    .column('created_at')
    .execute();
  // Files whose milestones and timescales did not pair up keep both lists and say so here,
  // until a coordinator checks the action and saves it.
  await db.schema.alterTable('actions').addColumn('milestone_note', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('actions').dropColumn('milestone_note').execute();
  await db.schema.dropTable('file_imports').execute();
}
