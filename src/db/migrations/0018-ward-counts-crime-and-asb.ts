import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

// A ward's crime and anti-social behaviour for a force's month are one row, not a row for
// each: every read wants both (the assessment's hotspot wards), and an import of a national
// year writes a third fewer rows, SQLite's cost for each row being about the same whatever it
// holds. A ward with no count of a measure holds 0 for it.

const COPY = 'crime_ward_counts_before_0018';
const KEY = ['month', 'district_code', 'ward_code', 'ward_vintage'] as const;

async function setAside(db: Kysely<unknown>): Promise<void> {
  await sql`create table ${sql.table(COPY)} as select * from crime_ward_counts`.execute(db);
  await db.schema.dropTable('crime_ward_counts').execute();
}

function wardTable(db: Kysely<unknown>) {
  return db.schema
    .createTable('crime_ward_counts')
    .addColumn('force', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('ward_vintage', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull());
}

function withoutRowid<T extends string>(
  db: Kysely<unknown>,
  table: CreateTableBuilder<T>,
): CreateTableBuilder<T> {
  return isPostgres(db) ? table : table.modifyEnd(sql`without rowid`);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await setAside(db);
  await withoutRowid(
    db,
    wardTable(db)
      .addColumn('crime', 'integer', (c) => c.notNull())
      .addColumn('asb', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('crime_ward_counts_pk', [...KEY, 'force'])
      .addCheckConstraint('crime_ward_counts_counts', sql`crime >= 0 and asb >= 0`),
  ).execute();
  await sql`insert into crime_ward_counts
      (force, month, ward_code, ward_vintage, district_code, crime, asb)
    select force, month, ward_code, ward_vintage, district_code,
           sum(case when measure = 'crime' then ${sql.ref('count')} else 0 end),
           sum(case when measure = 'asb' then ${sql.ref('count')} else 0 end)
    from ${sql.table(COPY)}
    group by force, month, ward_code, ward_vintage, district_code`.execute(db);
  await db.schema.dropTable(COPY).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setAside(db);
  await withoutRowid(
    db,
    wardTable(db)
      .addColumn('measure', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addCheckConstraint('crime_ward_counts_measure', sql`measure in ('crime', 'asb')`)
      .addPrimaryKeyConstraint('crime_ward_counts_pk', [...KEY, 'measure', 'force']),
  ).execute();
  for (const measure of ['crime', 'asb'] as const) {
    await sql`insert into crime_ward_counts
        (force, month, ward_code, ward_vintage, district_code, measure, ${sql.ref('count')})
      select force, month, ward_code, ward_vintage, district_code, ${measure}, ${sql.ref(measure)}
      from ${sql.table(COPY)} where ${sql.ref(measure)} > 0`.execute(db);
  }
  await db.schema.dropTable(COPY).execute();
}
