import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// A partnership's strategic assessment for a 12-month period: the words written around the
// figures (the figures themselves are worked out from the crime counts whenever it is read).
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('assessments'))
    .addColumn('partnership_id', 'integer', (c) =>
      c.notNull().references('partnerships.id').onDelete('cascade'),
    )
    // 'YYYY-MM': the first and last month of the 12-month period.
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('introduction', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('progress', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('plan_review', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data_sources', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('glossary', 'text', (c) => c.notNull().defaultTo(''))
    // JSON array of the district codes the partnership compares itself with.
    .addColumn('peers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by_label', 'text', (c) => c.notNull())
    .addUniqueConstraint('assessments_period', ['partnership_id', 'period_from'])
    .addCheckConstraint('assessments_status', sql`status in ('draft')`)
    .execute();

  // What partners did under each priority of the partnership's current plan.
  await db.schema
    .createTable('assessment_overviews')
    .addColumn('assessment_id', 'integer', (c) =>
      c.notNull().references('assessments.id').onDelete('cascade'),
    )
    .addColumn('theme_id', 'integer', (c) =>
      c.notNull().references('themes.id').onDelete('cascade'),
    )
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by_label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('assessment_overviews_pk', ['assessment_id', 'theme_id'])
    .execute();

  // Peer ranks read every district's totals for a period, and an assessment its districts'
  // months: both from an index holding the count itself, never the table.
  await db.schema
    .createIndex('crime_district_counts_month')
    .on('crime_district_counts')
    .columns(['month', 'district_code', 'force', 'crime_type', 'count'])
    .execute();
  await db.schema
    .createIndex('crime_district_counts_area')
    .on('crime_district_counts')
    .columns(['district_code', 'month', 'crime_type', 'force', 'count'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('crime_district_counts_area').execute();
  await db.schema.dropIndex('crime_district_counts_month').execute();
  await db.schema.dropTable('assessment_overviews').execute();
  await db.schema.dropTable('assessments').execute();
}
