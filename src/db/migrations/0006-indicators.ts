import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// Performance indicators of a partnership, optionally under one theme of one of its plans, and
// their figures: one a month, or a 12-month total where a source publishes nothing finer.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('indicators'))
    .addColumn('partnership_id', 'integer', (c) =>
      c.notNull().references('partnerships.id').onDelete('cascade'),
    )
    // A theme deleted from its plan leaves the indicator and its figures, unlinked.
    .addColumn('theme_id', 'integer', (c) => c.references('themes.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('noun', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('polarity', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('indicators_unit', sql`unit in ('count', 'rate', 'percentage')`)
    .addCheckConstraint(
      'indicators_polarity',
      sql`polarity in ('increase-bad', 'increase-good', 'neutral')`,
    )
    .addUniqueConstraint('indicators_unique_name', ['partnership_id', 'name'])
    .execute();
  await db.schema.createIndex('indicators_theme').on('indicators').column('theme_id').execute();

  // `value` is the figure as exact decimal text ("1234", "12.35"): no binary float drift, and
  // the same on both databases. `months` is 1 for a month's figure, 12 for a 12-month total
  // whose window ends at `month`.
  await withId(db, db.schema.createTable('indicator_values'))
    .addColumn('indicator_id', 'integer', (c) =>
      c.notNull().references('indicators.id').onDelete('cascade'),
    )
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('months', 'integer', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by_label', 'text', (c) => c.notNull())
    .addCheckConstraint('indicator_values_months', sql`months in (1, 12)`)
    .addUniqueConstraint('indicator_values_unique', ['indicator_id', 'months', 'month'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('indicator_values').execute();
  await db.schema.dropTable('indicators').execute();
}
