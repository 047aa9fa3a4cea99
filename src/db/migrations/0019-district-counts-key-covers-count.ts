import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

// On PostgreSQL the district counts kept a covering index with the same leading columns as the
// primary key, so that a district's counts are read from the index alone. The key now carries
// the count itself (INCLUDE), and that index goes: an import writes one B-tree fewer for every
// row. SQLite keeps the table in its key already (WITHOUT ROWID), so nothing changes there.

const KEY = sql`district_code, month, crime_type, force`;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter table crime_district_counts
    drop constraint crime_district_counts_pk,
    add constraint crime_district_counts_pk primary key (${KEY}) include (${sql.ref('count')})`.execute(
    db,
  );
  await db.schema.dropIndex('crime_district_counts_area').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter table crime_district_counts
    drop constraint crime_district_counts_pk,
    add constraint crime_district_counts_pk primary key (${KEY})`.execute(db);
  await db.schema
    .createIndex('crime_district_counts_area')
    .on('crime_district_counts')
    .columns(['district_code', 'month', 'crime_type', 'force', 'count'])
    .execute();
}
