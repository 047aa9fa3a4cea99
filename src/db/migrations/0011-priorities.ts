import { sql, type Kysely } from 'kysely';
import { withId } from './helpers.js';

// Priority setting: a partnership's exercise for the plan year it prepares, its candidate issues
// and weighted criteria, and each partner's scores. Also the police.uk crime type an indicator's
// monthly figures are filled from.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('priority_exercises'))
    .addColumn('partnership_id', 'integer', (c) =>
      c.notNull().references('partnerships.id').onDelete('cascade'),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    // The financial year of the plan it prepares: 2025 for 2025/26.
    .addColumn('year_start', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_by_label', 'text')
    // The draft plan started from the chosen priorities; a deleted plan leaves the exercise.
    .addColumn('plan_id', 'integer', (c) => c.references('plans.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('priority_exercises_status', sql`status in ('open', 'closed')`)
    .addUniqueConstraint('priority_exercises_unique_year', ['partnership_id', 'year_start'])
    .execute();

  await withId(db, db.schema.createTable('priority_criteria'))
    .addColumn('exercise_id', 'integer', (c) =>
      c.notNull().references('priority_exercises.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // A whole number: the weighted score stays exact.
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addCheckConstraint('priority_criteria_weight', sql`weight >= 0`)
    .execute();
  await db.schema
    .createIndex('priority_criteria_exercise')
    .on('priority_criteria')
    .column('exercise_id')
    .execute();

  await withId(db, db.schema.createTable('priority_candidates'))
    .addColumn('exercise_id', 'integer', (c) =>
      c.notNull().references('priority_exercises.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .createIndex('priority_candidates_exercise')
    .on('priority_candidates')
    .column('exercise_id')
    .execute();

  // Who took part, with the agency they scored for as it was named then.
  await db.schema
    .createTable('priority_scorers')
    .addColumn('exercise_id', 'integer', (c) =>
      c.notNull().references('priority_exercises.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('agency_name', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('priority_scorers_pk', ['exercise_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('priority_scores')
    .addColumn('exercise_id', 'integer', (c) =>
      c.notNull().references('priority_exercises.id').onDelete('cascade'),
    )
    .addColumn('candidate_id', 'integer', (c) =>
      c.notNull().references('priority_candidates.id').onDelete('cascade'),
    )
    .addColumn('criterion_id', 'integer', (c) =>
      c.notNull().references('priority_criteria.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('priority_scores_pk', ['candidate_id', 'criterion_id', 'user_id'])
    .addCheckConstraint('priority_scores_scale', sql`score between 1 and 5`)
    .execute();
  await db.schema
    .createIndex('priority_scores_exercise')
    .on('priority_scores')
    .column('exercise_id')
    .execute();

  // A police.uk crime type ('All crime' and 'Anti-social behaviour' included) whose counts in
  // the partnership's districts fill the indicator's monthly figures; null for figures entered
  // by hand or imported.
  await db.schema.alterTable('indicators').addColumn('crime_type', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('indicators').dropColumn('crime_type').execute();
  for (const table of [
    'priority_scores',
    'priority_scorers',
    'priority_candidates',
    'priority_criteria',
    'priority_exercises',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
