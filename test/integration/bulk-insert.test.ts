import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pgConnectionOf, type Db } from '../../src/db/database.js';
import { bulkInsert, copyText, type Chunk } from '../../src/features/crime/bulk-insert.js';
import { freshDatabase } from '../helpers/database.js';

// The count rows of an import reach the app database through bulkInsert: COPY on PostgreSQL,
// multi-row inserts on SQLite. Both must keep every text as given and save nothing on failure.
let db: Db;
let drop: () => Promise<void>;

const COLUMNS = [
  { name: 'force', type: 'text' },
  { name: 'month', type: 'text' },
  { name: 'district_code', type: 'text' },
  { name: 'crime_type', type: 'text' },
  { name: 'count', type: 'integer' },
] as const;

const AWKWARD = [
  'Tab\there',
  'Line\nbreak',
  'Carriage\rreturn',
  'Back\\slash',
  '\\N',
  '\\.',
  'Quotes "double" and \'single\'',
  'Ünïcödé – dash',
  '',
];

async function* chunksOf(...chunks: Chunk[]): AsyncGenerator<Chunk> {
  for (const chunk of chunks) yield await Promise.resolve(chunk);
}

const saved = () =>
  db
    .selectFrom('crime_district_counts')
    .select(['force', 'month', 'district_code', 'crime_type', 'count'])
    .orderBy('crime_type')
    .execute();

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
});

afterAll(async () => {
  await drop();
});

beforeEach(async () => {
  await db.deleteFrom('crime_district_counts').execute();
});

describe('bulkInsert', () => {
  it('saves every text as given, over several chunks', async () => {
    const told: number[] = [];
    const half = Math.ceil(AWKWARD.length / 2);
    const chunk = (types: string[], from: number): Chunk => [
      types.map(() => 'Kent Police'),
      types.map(() => '2024-01'),
      types.map(() => 'E07000113'),
      types,
      types.map((_, i) => from + i),
    ];
    await db
      .transaction()
      .execute((trx) =>
        bulkInsert(
          trx,
          'crime_district_counts',
          COLUMNS,
          chunksOf(chunk(AWKWARD.slice(0, half), 0), chunk(AWKWARD.slice(half), half)),
          (n) => told.push(n),
        ),
      );
    const rows = await saved();
    expect(rows.map((r) => [r.crime_type, r.count]).sort()).toEqual(
      AWKWARD.map((t, i) => [t, i]).sort(),
    );
    expect(told).toEqual([half, AWKWARD.length - half]);
  });

  it('saves nothing when a row breaks a rule, and the connection carries on', async () => {
    const twice: Chunk = [
      ['Kent Police', 'Kent Police'],
      ['2024-01', '2024-01'],
      ['E07000113', 'E07000113'],
      ['Burglary', 'Burglary'],
      [1, 2],
    ];
    const first: Chunk = [['Kent Police'], ['2024-01'], ['E07000113'], ['Robbery'], [3]];
    await expect(
      db
        .transaction()
        .execute((trx) =>
          bulkInsert(trx, 'crime_district_counts', COLUMNS, chunksOf(first, twice)),
        ),
    ).rejects.toThrow();
    expect(await saved()).toEqual([]);
    await db
      .transaction()
      .execute((trx) => bulkInsert(trx, 'crime_district_counts', COLUMNS, chunksOf(first)));
    expect(await saved()).toHaveLength(1);
  });

  it('saves nothing when the rows stop with an error part-way', async () => {
    const first: Chunk = [['Kent Police'], ['2024-01'], ['E07000113'], ['Robbery'], [3]];
    async function* failing(): AsyncGenerator<Chunk> {
      yield await Promise.resolve(first);
      throw new Error('the counts could not be read');
    }
    await expect(
      db
        .transaction()
        .execute((trx) => bulkInsert(trx, 'crime_district_counts', COLUMNS, failing())),
    ).rejects.toThrow('the counts could not be read');
    expect(await saved()).toEqual([]);
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    'reaches the transaction’s own connection on PostgreSQL, so COPY is used',
    async () => {
      await db.transaction().execute(async (trx) => {
        const connection = await pgConnectionOf(trx);
        expect(connection).toBeDefined();
        const pid = await connection?.query<{ pid: number }>('select pg_backend_pid() as pid');
        const viaTrx = await trx
          .selectNoFrom((eb) => eb.fn<number>('pg_backend_pid', []).as('pid'))
          .executeTakeFirstOrThrow();
        expect(pid?.rows[0]?.pid).toBe(viaTrx.pid);
      });
    },
  );
});

describe('copyText', () => {
  it('escapes what COPY’s text format reads as special, and nothing else', () => {
    expect(
      copyText([
        ['a\tb', 'c\\d', 'e\nf\rg', '\\N', 'plain'],
        [1, 2, 3, 4, 5],
      ]),
    ).toBe('a\\tb\t1\nc\\\\d\t2\ne\\nf\\rg\t3\n\\\\N\t4\nplain\t5\n');
  });
});
