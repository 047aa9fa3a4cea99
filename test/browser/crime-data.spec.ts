import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importLookups, STREET } from '../helpers/crime-data.js';
import { useBrowser } from './support/browser.js';
import { PEOPLE } from './support/people.js';
import { follow, heading, signIn, visit } from './support/pages.js';
import { expectAccessible } from './support/axe.js';

const b = useBrowser();

describe('the crime data pages', () => {
  it('takes a coordinator from an upload to the months loaded', { timeout: 60_000 }, async () => {
    await importLookups(b.services.db);
    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await follow(page, () => nav.getByRole('link', { name: 'Public data' }).click());
    await follow(page, () =>
      page.getByRole('link', { name: 'See the crime data loaded and import more' }).click(),
    );
    expect(await heading(page, 'Crime data').isVisible()).toBe(true);

    // No file chosen: the error summary leads to the field.
    await follow(page, () => page.getByRole('button', { name: 'Import the file' }).click());
    expect(await page.title()).toMatch(/^Error: Crime data/);

    await page
      .getByLabel('Crime data file')
      .setInputFiles(join(STREET, 'kent-2018-10_to_2019-02_swale-medway/2018-12-kent-street.csv'));
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Import the file' }).click(),
    ]);
    // While the import runs the status page refreshes itself (meta refresh, no script), as
    // asked; WCAG 2.2.1 is met by its "Stop refreshing this page" link, which axe cannot see.
    await expectAccessible(page, ['meta-refresh']);
    const stop = page.getByRole('link', { name: 'Stop refreshing this page' });
    if (await stop.count()) await follow(page, () => stop.click());
    for (
      let i = 0;
      i < 60 && (await page.getByText('Complete', { exact: true }).count()) === 0;
      i++
    ) {
      await page.waitForTimeout(500);
      await follow(page, () => page.getByRole('link', { name: 'Check progress again' }).click());
    }
    expect(await heading(page, 'What was imported', 2).isVisible()).toBe(true);

    await follow(page, () => page.getByRole('link', { name: 'Back to crime data' }).click());
    const table = page.getByRole('table', { name: 'Kent Police' });
    expect(await table.getByRole('cell', { name: 'December 2018', exact: true }).count()).toBe(1);
  });

  it('lets a viewer read the months but not import', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.viewer);
    expect(await visit(page, '/crime-data')).toBe(200);
    expect(await page.getByRole('button', { name: 'Import the file' }).count()).toBe(0);
  });
});
