import { sql, type Kysely } from 'kysely';

// Ward counts are only ever read as crime or anti-social behaviour (the assessment's hotspot
// wards), never by police.uk type, so they are kept by measure: 'crime' (every type but
// anti-social behaviour, unknown types included) or 'asb'. A national year then writes about a
// fifth of the rows. Existing counts are added up into their measure; the district counts keep
// their types.
const ASB_TYPE = 'Anti-social behaviour';

const measureOf = sql`case when crime_type = ${sql.lit(ASB_TYPE)} then 'asb' else 'crime' end`;

async function createWardCounts(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('crime_ward_counts')
    .addColumn('force', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('ward_vintage', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('crime_ward_counts_pk', [
      'force',
      'month',
      'ward_code',
      'ward_vintage',
      'measure',
    ])
    .addCheckConstraint('crime_ward_counts_measure', sql`measure in ('crime', 'asb')`)
    .execute();
  await db.schema
    .createIndex('crime_ward_counts_district')
    .on('crime_ward_counts')
    .columns(['district_code', 'month'])
    .execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // Set aside first: the new table takes the old one's constraint and index names.
  await sql`create table crime_ward_counts_by_measure as
    select force, month, ward_code, ward_vintage, district_code, ${measureOf} as measure,
           sum(${sql.ref('count')}) as total
    from crime_ward_counts
    group by force, month, ward_code, ward_vintage, district_code, ${measureOf}`.execute(db);
  await db.schema.dropTable('crime_ward_counts').execute();
  await createWardCounts(db);
  await sql`insert into crime_ward_counts
      (force, month, ward_code, ward_vintage, district_code, measure, ${sql.ref('count')})
    select force, month, ward_code, ward_vintage, district_code, measure, total
    from crime_ward_counts_by_measure`.execute(db);
  await db.schema.dropTable('crime_ward_counts_by_measure').execute();
}

// The types cannot be told apart again: crime comes back as one type, 'All crime', which the
// assessment of that version reads as crime, as it reads every type but anti-social behaviour.
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create table crime_ward_counts_by_type as
    select force, month, ward_code, ward_vintage, district_code,
           case when measure = 'asb' then ${sql.lit(ASB_TYPE)} else 'All crime' end as crime_type,
           ${sql.ref('count')} as total
    from crime_ward_counts`.execute(db);
  await db.schema.dropTable('crime_ward_counts').execute();
  await db.schema
    .createTable('crime_ward_counts')
    .addColumn('force', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('ward_vintage', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('crime_type', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('crime_ward_counts_pk', [
      'force',
      'month',
      'ward_code',
      'ward_vintage',
      'crime_type',
    ])
    .execute();
  await db.schema
    .createIndex('crime_ward_counts_district')
    .on('crime_ward_counts')
    .columns(['district_code', 'month'])
    .execute();
  await sql`insert into crime_ward_counts
      (force, month, ward_code, ward_vintage, district_code, crime_type, ${sql.ref('count')})
    select force, month, ward_code, ward_vintage, district_code, crime_type, total
    from crime_ward_counts_by_type`.execute(db);
  await db.schema.dropTable('crime_ward_counts_by_type').execute();
}
