import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// Plans, their themes and the action plan. Positions order lists as the paper plans do.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('plans'))
    .addColumn('partnership_id', 'integer', (c) =>
      c.notNull().references('partnerships.id').onDelete('cascade'),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('period_label', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('introduction', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('background', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('delivery', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('performance_monitoring', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('plans_status', sql`status in ('draft', 'adopted', 'archived')`)
    .addUniqueConstraint('plans_unique_period', ['partnership_id', 'period_label'])
    .execute();

  await withId(db, db.schema.createTable('plan_drivers'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_drivers_plan').on('plan_drivers').column('plan_id').execute();

  await withId(db, db.schema.createTable('plan_risks'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('risk', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('plan_risks_plan').on('plan_risks').column('plan_id').execute();

  await withId(db, db.schema.createTable('themes'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('themes_type', sql`type in ('priority', 'cross-cutting')`)
    .execute();
  await db.schema.createIndex('themes_plan').on('themes').column('plan_id').execute();

  await withId(db, db.schema.createTable('theme_priority_actions'))
    .addColumn('theme_id', 'integer', (c) =>
      c.notNull().references('themes.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('theme_priority_actions_theme')
    .on('theme_priority_actions')
    .column('theme_id')
    .execute();

  await withId(db, db.schema.createTable('actions'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('theme_id', 'integer', (c) =>
      c.notNull().references('themes.id').onDelete('cascade'),
    )
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('desired_outcome', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('actions_unique_number', ['plan_id', 'number'])
    .execute();
  await db.schema.createIndex('actions_theme').on('actions').column('theme_id').execute();

  await withId(db, db.schema.createTable('action_leads'))
    .addColumn('action_id', 'integer', (c) =>
      c.notNull().references('actions.id').onDelete('cascade'),
    )
    .addColumn('agency_id', 'integer', (c) => c.references('agencies.id'))
    .addColumn('group_id', 'integer', (c) => c.references('groups.id').onDelete('cascade'))
    .addCheckConstraint('action_leads_one_kind', sql`(agency_id is null) <> (group_id is null)`)
    .addUniqueConstraint('action_leads_unique', ['action_id', 'agency_id', 'group_id'])
    .execute();
  await db.schema
    .createIndex('action_leads_action')
    .on('action_leads')
    .column('action_id')
    .execute();

  await withId(db, db.schema.createTable('milestones'))
    .addColumn('action_id', 'integer', (c) =>
      c.notNull().references('actions.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('timescale', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('due_date', 'text')
    .addColumn('timescale_note', 'text')
    .execute();
  await db.schema.createIndex('milestones_action').on('milestones').column('action_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'milestones',
    'action_leads',
    'actions',
    'theme_priority_actions',
    'themes',
    'plan_risks',
    'plan_drivers',
    'plans',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
