import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { freshDatabase, testMigrator } from '../helpers/database.js';

// 0019: on PostgreSQL the district counts' key carries the count, replacing a covering index
// with the same leading columns; on SQLite the table is its key already and nothing changes.
let db: Db;
let drop: () => Promise<void>;
const postgres = process.env.TEST_DATABASE_URL !== undefined;

/** The table's indexes, each as its name and definition. */
async function indexes(): Promise<Record<string, string>> {
  const { rows } = postgres
    ? await sql<{ name: string; definition: string }>`
        select indexname as name, indexdef as definition from pg_indexes
        where tablename = 'crime_district_counts'`.execute(db)
    : await sql<{ name: string; definition: string }>`
        select name, coalesce(sql, '') as definition from sqlite_master
        where type = 'index' and tbl_name = 'crime_district_counts'`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, r.definition]));
}

const counts = () =>
  db
    .selectFrom('crime_district_counts')
    .selectAll()
    .orderBy('district_code')
    .orderBy('month')
    .execute();

beforeAll(async () => {
  ({ db, drop } = await freshDatabase('0018-ward-counts-crime-and-asb'));
  await db
    .insertInto('crime_district_counts')
    .values([
      {
        force: 'Kent Police',
        month: '2024-01',
        district_code: 'E07000113',
        crime_type: 'Burglary',
        count: 5,
      },
      {
        force: 'Kent Police',
        month: '2024-02',
        district_code: 'E07000113',
        crime_type: 'Burglary',
        count: 4,
      },
    ])
    .execute();
  await migrateToLatest(db);
});

afterAll(() => drop());

describe('the district counts’ key (migration 0019)', () => {
  it('keeps the counts, one row per force, month, district and type, with the month index', async () => {
    expect((await counts()).map((r) => r.count)).toEqual([5, 4]);
    await expect(
      db
        .insertInto('crime_district_counts')
        .values({
          force: 'Kent Police',
          month: '2024-01',
          district_code: 'E07000113',
          crime_type: 'Burglary',
          count: 1,
        })
        .execute(),
    ).rejects.toThrow();
    const found = await indexes();
    expect(Object.keys(found)).not.toContain('crime_district_counts_area');
    expect(Object.keys(found)).toContain('crime_district_counts_month');
    if (postgres) {
      expect(found.crime_district_counts_pk).toContain(
        '(district_code, month, crime_type, force) INCLUDE (count)',
      );
    }
  });

  it('goes back to the covering index on PostgreSQL, and forward again', async () => {
    const { error } = await testMigrator(db).migrateTo('0018-ward-counts-crime-and-asb');
    expect(error).toBeUndefined();
    expect(Object.keys(await indexes()).includes('crime_district_counts_area')).toBe(postgres);
    expect((await counts()).map((r) => r.count)).toEqual([5, 4]);
    await migrateToLatest(db);
    expect(Object.keys(await indexes())).not.toContain('crime_district_counts_area');
  });
});
