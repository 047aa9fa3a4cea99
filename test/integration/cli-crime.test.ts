import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saferplan } from '../helpers/cli.js';
import { DATA, importLookups, STREET } from '../helpers/crime-data.js';
import { freshDatabase } from '../helpers/database.js';

let url: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshDatabase();
  url = fresh.url;
  drop = fresh.drop;
  await importLookups(fresh.db);
});
afterAll(async () => drop());

describe('saferplan crime', () => {
  it(
    'imports a folder with progress on standard error and a summary',
    { timeout: 60_000 },
    async () => {
      const result = await saferplan(
        ['crime', 'import', join(STREET, 'kent-2018-10_to_2019-02_swale-medway')],
        url,
      );
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('Read 5 of 5 files: 19,040 records counted');
      expect(result.stdout).toContain('Records: 19,040\n');
      expect(result.stdout).toContain('Areas: 2 districts, ');
      expect(result.stdout).toContain(
        'Unassigned: 0 records with no location, 0 in LSOAs no lookup holds',
      );
      expect(result.stdout).toContain('Kent Police November 2018: 2,937 crimes');
      expect(result.stdout).toContain('Unknown crime types: none');

      const months = await saferplan(['crime', 'months', '--format', 'json'], url);
      const list = JSON.parse(months.stdout) as { month: string; flag: string | null }[];
      expect(list.filter((m) => m.flag).map((m) => m.month)).toEqual(['2018-11', '2018-12']);
    },
  );

  it(
    'refuses a file of another layout, naming its missing columns',
    { timeout: 60_000 },
    async () => {
      const outcomes = join(
        DATA,
        'police-uk/outcomes/kent-2021-03_full-force/2021-03-kent-outcomes.csv',
      );
      const result = await saferplan(['crime', 'import', outcomes], url);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `Error: nothing was imported: ${outcomes}, line 1: the header is not a layout Saferplan knows: as a data.police.uk street-level file it lacks the columns "Crime type", "Last outcome category", "Context"\n`,
      );
      const none = await saferplan(['crime', 'import'], url);
      expect(none.code).toBe(2);
    },
  );
});
