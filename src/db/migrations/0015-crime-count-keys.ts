import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

// The count tables keyed the way they are read, so that each is held in fewer B-trees: an
// import of a national year writes hundreds of thousands of rows, and on SQLite every B-tree a
// row goes into costs about as much as the row itself.
//
// District counts are read by district and months (an assessment, an indicator) and by months
// for every district (peer ranks). On SQLite the table is WITHOUT ROWID, so the table itself is
// the district-ordered index holding the count, and one index serves the months and the
// replacing of a force's month. PostgreSQL keeps rows in a heap, so it keeps a covering index too.
//
// Ward counts are read by months and districts only, and replaced a month at a time: one
// month-first key serves both.

const COPY = '_before_0015';

function withoutRowid<T extends string>(
  db: Kysely<unknown>,
  table: CreateTableBuilder<T>,
): CreateTableBuilder<T> {
  return isPostgres(db) ? table : table.modifyEnd(sql`without rowid`);
}

async function setAside(db: Kysely<unknown>, table: string): Promise<void> {
  await sql`create table ${sql.table(table + COPY)} as select * from ${sql.table(table)}`.execute(
    db,
  );
  await db.schema.dropTable(table).execute();
}

async function bringBack(db: Kysely<unknown>, table: string, columns: string[]): Promise<void> {
  const list = sql.join(columns.map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(table)} (${list})
    select ${list} from ${sql.table(table + COPY)}`.execute(db);
  await db.schema.dropTable(table + COPY).execute();
}

const DISTRICT_COLUMNS = ['force', 'month', 'district_code', 'crime_type', 'count'];
const WARD_COLUMNS = [
  'force',
  'month',
  'ward_code',
  'ward_vintage',
  'district_code',
  'measure',
  'count',
];

function districtTable(db: Kysely<unknown>) {
  return db.schema
    .createTable('crime_district_counts')
    .addColumn('force', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('crime_type', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull());
}

function wardTable(db: Kysely<unknown>) {
  return db.schema
    .createTable('crime_ward_counts')
    .addColumn('force', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('ward_vintage', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addCheckConstraint('crime_ward_counts_measure', sql`measure in ('crime', 'asb')`);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await setAside(db, 'crime_district_counts');
  await withoutRowid(
    db,
    districtTable(db).addPrimaryKeyConstraint('crime_district_counts_pk', [
      'district_code',
      'month',
      'crime_type',
      'force',
    ]),
  ).execute();
  await db.schema
    .createIndex('crime_district_counts_month')
    .on('crime_district_counts')
    .columns(['month', 'force', 'district_code', 'crime_type', 'count'])
    .execute();
  if (isPostgres(db)) {
    await db.schema
      .createIndex('crime_district_counts_area')
      .on('crime_district_counts')
      .columns(['district_code', 'month', 'crime_type', 'force', 'count'])
      .execute();
  }
  await bringBack(db, 'crime_district_counts', DISTRICT_COLUMNS);

  await setAside(db, 'crime_ward_counts');
  await withoutRowid(
    db,
    wardTable(db).addPrimaryKeyConstraint('crime_ward_counts_pk', [
      'month',
      'district_code',
      'ward_code',
      'ward_vintage',
      'measure',
      'force',
    ]),
  ).execute();
  await bringBack(db, 'crime_ward_counts', WARD_COLUMNS);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setAside(db, 'crime_district_counts');
  await districtTable(db)
    .addPrimaryKeyConstraint('crime_district_counts_pk', [
      'force',
      'month',
      'district_code',
      'crime_type',
    ])
    .execute();
  for (const [name, columns] of [
    ['crime_district_counts_district', ['district_code', 'month']],
    ['crime_district_counts_month', ['month', 'district_code', 'force', 'crime_type', 'count']],
    ['crime_district_counts_area', ['district_code', 'month', 'crime_type', 'force', 'count']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('crime_district_counts')
      .columns([...columns])
      .execute();
  }
  await bringBack(db, 'crime_district_counts', DISTRICT_COLUMNS);

  await setAside(db, 'crime_ward_counts');
  await wardTable(db)
    .addPrimaryKeyConstraint('crime_ward_counts_pk', [
      'force',
      'month',
      'ward_code',
      'ward_vintage',
      'measure',
    ])
    .execute();
  await db.schema
    .createIndex('crime_ward_counts_district')
    .on('crime_ward_counts')
    .columns(['district_code', 'month'])
    .execute();
  await bringBack(db, 'crime_ward_counts', WARD_COLUMNS);
}
