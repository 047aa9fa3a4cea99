import { describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { COUNTY, PEOPLE } from './support/people.js';
import { follow, heading, signIn, visit } from './support/pages.js';

const b = useBrowser();

describe('the county view of district indicators', () => {
  it('takes a county coordinator from the county to an indicator its districts share', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.countyCoordinator);
    await visit(page, `/partnerships/${COUNTY.slug}`);
    const sections = page.getByRole('navigation', { name: 'Partnership sections' });
    await follow(page, () => sections.getByRole('link', { name: 'District indicators' }).click());
    expect(await heading(page, 'District indicators').isVisible()).toBe(true);
    await follow(page, () => page.getByRole('link', { name: 'ASB incidents' }).click());
    expect(await heading(page, 'ASB incidents by district').isVisible()).toBe(true);

    // The demo's two districts have every month to December 2024: the view starts there.
    expect(await heading(page, 'Rolling year to December 2024', 2).isVisible()).toBe(true);
    const headers = await page.getByRole('columnheader').allInnerTexts();
    expect(headers).toEqual([
      'District',
      'Previous rolling year (Jan 23 – end Dec 23)',
      'Current rolling year (Jan 24 – end Dec 24)',
      'Change',
      'Direction',
    ]);
    const total = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Total' }) });
    expect(await total.getByRole('cell').allInnerTexts()).toEqual([
      '8,923',
      '8,456',
      '-5.2% or 467 incident decrease',
      'Better',
    ]);

    // A month in the future is refused in the error summary, which leads to the field.
    const end = page.getByLabel('Rolling year ending');
    await end.fill('2999-01');
    await follow(page, () => page.getByRole('button', { name: 'Show', exact: true }).click());
    expect(await page.title()).toMatch(/^Error: ASB incidents by district/);
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByRole('link').first().click();
    expect(await page.locator(':focus').getAttribute('id')).toBe('end');

    await end.fill('2024-09');
    await follow(page, () => page.getByRole('button', { name: 'Show', exact: true }).click());
    expect(await heading(page, 'Rolling year to September 2024', 2).isVisible()).toBe(true);
  });

  it('is not there for a district’s members', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    expect(await visit(page, `/partnerships/${COUNTY.slug}/county-indicators`)).toBe(404);
  });
});
