import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// Progress updates are history: each is kept, the latest is the action's current state.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('action_updates'))
    .addColumn('action_id', 'integer', (c) =>
      c.notNull().references('actions.id').onDelete('cascade'),
    )
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('narrative', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'action_updates_status',
      sql`status in ('not-started', 'in-progress', 'complete', 'on-hold', 'off-track')`,
    )
    .execute();
  await db.schema
    .createIndex('action_updates_action')
    .on('action_updates')
    .columns(['action_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('action_updates').execute();
}
