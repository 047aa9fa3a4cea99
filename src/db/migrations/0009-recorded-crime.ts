import type { Kysely } from 'kysely';

// Home Office police recorded crime, in the two tables it is published as. Both are shared
// public reference data. The force-area table holds rolling 12-month totals: one row per
// 12 months ending at a quarter's end, never to be added to the next quarter's.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('recorded_crime_pfa')
    .addColumn('import_id', 'integer', (c) => c.notNull().references('data_imports.id'))
    // The last day of the 12 months, 'YYYY-MM-DD' (always a quarter's end).
    .addColumn('period_end', 'text', (c) => c.notNull())
    // The force area as the table names it ("Kent"), or a fraud body ("Action Fraud").
    .addColumn('pfa', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('offence', 'text', (c) => c.notNull())
    .addColumn('rolling_total', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('recorded_crime_pfa_pk', ['pfa', 'offence', 'period_end'])
    .execute();

  // Offences recorded in one financial quarter by community safety partnership.
  await db.schema
    .createTable('recorded_crime_csp')
    .addColumn('import_id', 'integer', (c) => c.notNull().references('data_imports.id'))
    // '2021/22'
    .addColumn('financial_year', 'text', (c) => c.notNull())
    .addColumn('financial_quarter', 'integer', (c) => c.notNull())
    .addColumn('force_name', 'text', (c) => c.notNull())
    .addColumn('csp_name', 'text', (c) => c.notNull())
    .addColumn('offence_description', 'text', (c) => c.notNull())
    .addColumn('offence_group', 'text', (c) => c.notNull())
    .addColumn('offence_subgroup', 'text', (c) => c.notNull())
    .addColumn('offence_code', 'text', (c) => c.notNull())
    .addColumn('offences', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('recorded_crime_csp_pk', [
      'financial_year',
      'financial_quarter',
      'csp_name',
      'offence_code',
    ])
    .execute();
  await db.schema
    .createIndex('recorded_crime_csp_csp')
    .on('recorded_crime_csp')
    .columns(['csp_name', 'financial_year'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('recorded_crime_csp').execute();
  await db.schema.dropTable('recorded_crime_pfa').execute();
}
