import { type Kysely } from 'kysely';
import { withId } from './helpers.js';

// An update round asks every lead for an update for one month by a deadline.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('update_rounds'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addUniqueConstraint('update_rounds_unique_month', ['plan_id', 'month'])
    .execute();

  // Reminders are recorded now; sending them by email comes later.
  await withId(db, db.schema.createTable('round_reminders'))
    .addColumn('round_id', 'integer', (c) =>
      c.notNull().references('update_rounds.id').onDelete('cascade'),
    )
    .addColumn('action_id', 'integer', (c) =>
      c.notNull().references('actions.id').onDelete('cascade'),
    )
    .addColumn('sent_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('round_reminders_round')
    .on('round_reminders')
    .column('round_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('round_reminders').execute();
  await db.schema.dropTable('update_rounds').execute();
}
