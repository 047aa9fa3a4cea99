import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// Exception reports of a plan for a rolling year ending at `period_end`. A plan has at most one
// draft for a period; each issue of it is numbered and keeps in `snapshot` (JSON) the report
// exactly as issued, so later corrections of figures, plans or names never change it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('reports'))
    .addColumn('partnership_id', 'integer', (c) =>
      c.notNull().references('partnerships.id').onDelete('cascade'),
    )
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // The number this report has (or will have, while a draft) among the period's issues.
    .addColumn('issue_number', 'integer', (c) => c.notNull())
    .addColumn('to_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('report_date', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('by_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('introduction', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('snapshot', 'text')
    .addColumn('issued_at', 'text')
    .addColumn('issued_by_label', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('reports_status', sql`status in ('draft', 'issued')`)
    .addCheckConstraint(
      'reports_issued_snapshot',
      sql`(status = 'issued') = (snapshot is not null and issued_at is not null)`,
    )
    .addUniqueConstraint('reports_unique_issue', ['plan_id', 'period_end', 'issue_number'])
    .execute();
  await db.schema
    .createIndex('reports_one_draft')
    .on('reports')
    .columns(['plan_id', 'period_end'])
    .unique()
    .where(sql.ref('status'), '=', 'draft')
    .execute();
  await db.schema
    .createIndex('reports_partnership')
    .on('reports')
    .column('partnership_id')
    .execute();

  await db.schema
    .createTable('report_commentary')
    .addColumn('report_id', 'integer', (c) =>
      c.notNull().references('reports.id').onDelete('cascade'),
    )
    .addColumn('theme_id', 'integer', (c) =>
      c.notNull().references('themes.id').onDelete('cascade'),
    )
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by_label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_commentary_pk', ['report_id', 'theme_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('report_commentary').execute();
  await db.schema.dropTable('reports').execute();
}
