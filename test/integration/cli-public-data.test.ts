import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saferplan } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/database.js';
import { LOOKUP_FILES, LOOKUPS, POPULATION, POPULATION_FILES } from '../helpers/public-data.js';

let url: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshDatabase();
  url = fresh.url;
  drop = fresh.drop;
});
afterAll(async () => drop());

describe('saferplan geography and population', () => {
  it('imports lookups and a population release, and lists them', { timeout: 60_000 }, async () => {
    const lookups = await saferplan(
      [
        'geography',
        'import',
        resolve(LOOKUPS, LOOKUP_FILES.lsoa11),
        resolve(LOOKUPS, LOOKUP_FILES.csp23),
      ],
      url,
    );
    expect(lookups.stderr).toBe('');
    expect(lookups.stdout).toBe(
      `${LOOKUP_FILES.lsoa11}: LSOA (2011) to ward (2021) to district (2021), 1,384 rows, 16 districts\n` +
        `${LOOKUP_FILES.csp23}: District (2023) to community safety partnership (2023) to police force area (2023), 332 rows, 318 districts\n`,
    );
    const population = await saferplan(
      ['population', 'import', resolve(POPULATION, POPULATION_FILES.mid2023)],
      url,
    );
    expect(population.stdout).toBe(
      'Mid-Year Population Estimates, England and Wales, June 2023, published 15 July 2024\n357 areas, mid-2011 to mid-2023\n',
    );
    const list = await saferplan(['geography', 'list'], url);
    expect(list.stdout).toContain('LSOA (2011) to ward (2021) to district (2021)');
    expect(list.stdout).toContain(
      'Mid-Year Population Estimates, England and Wales, June 2023, published 15 July 2024: mid-2011 to mid-2023',
    );
  });

  it('imports nothing when one file is wrong, naming it', { timeout: 60_000 }, async () => {
    const crimes = resolve(
      LOOKUPS,
      '../police-uk/street/kent-2021-03_full-force/2021-03-kent-street.csv',
    );
    const r = await saferplan(
      ['geography', 'import', resolve(LOOKUPS, LOOKUP_FILES.region23), crimes],
      url,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Error: nothing was imported: fix this problem in ${LOOKUP_FILES.region23}, 2021-03-kent-street.csv and import it again`,
    );
    expect(r.stderr).toContain('2021-03-kent-street.csv: The file is not an ONS lookup');
    expect((await saferplan(['geography', 'list'], url)).stdout).not.toContain('region');
    const help = await saferplan(['geography', 'import', '--help'], url);
    expect(help.stdout).toContain('Usage: saferplan geography import FILE...');
    const none = await saferplan(['geography', 'import'], url);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('name at least one lookup file to import');
    const missing = await saferplan(['population', 'import', '/nowhere/mye.xlsx'], url);
    expect(missing.stderr).toContain('there is no file at /nowhere/mye.xlsx');
  });
});
