import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { freshDatabase, testMigrator } from '../helpers/database.js';

// Ward counts kept by police.uk type before 0013 are added up into crime and ASB.
let db: Db;
let drop: () => Promise<void>;

// The table as 0013 left it: later migrations change its columns.
const MIGRATION = '0013-ward-counts-by-measure';
const wards = async () =>
  (
    await sql`select * from crime_ward_counts
      order by force, month, ward_code, ward_vintage, measure`.execute(db)
  ).rows;
const insertWard = (row: Record<string, string | number>) =>
  sql`insert into crime_ward_counts
      (force, month, ward_code, ward_vintage, district_code, measure, ${sql.ref('count')})
    values (${row.force}, ${row.month}, ${row.ward_code}, ${row.ward_vintage},
            ${row.district_code}, ${row.measure}, ${row.count})`.execute(db);

beforeAll(async () => {
  ({ db, drop } = await freshDatabase('0012-funding'));
  const rows: [string, string, string, string, string, string, number][] = [
    ['Kent Police', '2024-01', 'E05009544', '2022', 'E07000113', 'Shoplifting', 2],
    [
      'Kent Police',
      '2024-01',
      'E05009544',
      '2022',
      'E07000113',
      'Violence and sexual offences',
      60,
    ],
    ['Kent Police', '2024-01', 'E05009544', '2022', 'E07000113', 'Violent crime', 1],
    ['Kent Police', '2024-01', 'E05009544', '2022', 'E07000113', 'Anti-social behaviour', 7],
    ['Kent Police', '2024-01', 'E05009546', '2022', 'E07000113', 'Anti-social behaviour', 40],
    ['Kent Police', '2024-02', 'E05009544', '2022', 'E07000113', 'Burglary', 5],
    ['Kent Police', '2024-02', 'E05009544', '2023', 'E07000113', 'Burglary', 3],
  ];
  for (const [force, month, ward, vintage, district, type, count] of rows) {
    await sql`insert into crime_ward_counts
        (force, month, ward_code, ward_vintage, district_code, crime_type, ${sql.ref('count')})
      values (${force}, ${month}, ${ward}, ${vintage}, ${district}, ${type}, ${count})`.execute(db);
  }
  await migrateTo(MIGRATION);
});

afterAll(() => drop());

async function migrateTo(name: string): Promise<void> {
  const { error } = await testMigrator(db).migrateTo(name);
  expect(error).toBeUndefined();
}

describe('ward counts by measure (migration 0013)', () => {
  it('adds every type but anti-social behaviour into crime, unknown types included', async () => {
    const ward = (
      code: string,
      month: string,
      vintage: string,
      measure: string,
      count: number,
    ) => ({
      force: 'Kent Police',
      month,
      ward_code: code,
      ward_vintage: vintage,
      district_code: 'E07000113',
      measure,
      count,
    });
    expect(await wards()).toEqual([
      ward('E05009544', '2024-01', '2022', 'asb', 7),
      ward('E05009544', '2024-01', '2022', 'crime', 63),
      ward('E05009546', '2024-01', '2022', 'asb', 40),
      ward('E05009544', '2024-02', '2022', 'crime', 5),
      ward('E05009544', '2024-02', '2023', 'crime', 3),
    ]);
  });

  it('keeps one row per force, month, ward, ward set and measure, and no other measure', async () => {
    const row = {
      force: 'Kent Police',
      month: '2024-01',
      ward_code: 'E05009544',
      ward_vintage: '2022',
      district_code: 'E07000113',
    };
    await expect(insertWard({ ...row, measure: 'crime', count: 1 })).rejects.toThrow();
    await expect(insertWard({ ...row, measure: 'Burglary', count: 1 })).rejects.toThrow();
  });

  it('goes back to one row per type, crime as one type', async () => {
    const { error } = await testMigrator(db).migrateTo('0012-funding');
    expect(error).toBeUndefined();
    const back = await sql<{ crime_type: string; count: number }>`
      select crime_type, ${sql.ref('count')} from crime_ward_counts
      where ward_code = 'E05009544' and month = '2024-01' order by crime_type`.execute(db);
    expect(back.rows).toEqual([
      { crime_type: 'All crime', count: 63 },
      { crime_type: 'Anti-social behaviour', count: 7 },
    ]);
    await migrateTo(MIGRATION);
    expect(await wards()).toHaveLength(5);
  });
});
