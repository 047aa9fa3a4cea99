import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { ROOT } from '../../src/paths.js';
import { useBrowser } from './support/browser.js';
import { DISTRICT, PEOPLE } from './support/people.js';
import { follow, heading, signIn, visit } from './support/pages.js';

const b = useBrowser();

describe('indicators', () => {
  it('lets a coordinator import figures, correct a month in the grid and see it audited', async () => {
    const s = b.services;
    const plan = await s.plans.create(COMMAND_LINE, DISTRICT.slug, {
      title: 'Indicators plan',
      period: '2031/32',
    });
    for (const title of [
      'Safer town centres at night',
      'Domestic abuse',
      'Listening to communities',
    ])
      await s.themes.add(COMMAND_LINE, DISTRICT.slug, plan.id, { type: 'priority', title });

    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    await visit(page, `/partnerships/${DISTRICT.slug}/indicators`);
    await follow(page, () =>
      page.getByRole('button', { name: 'Import figures from a file' }).click(),
    );
    await page.getByLabel('Indicator file').setInputFiles(resolve(ROOT, 'samples/indicators.csv'));
    await follow(page, () => page.getByRole('button', { name: 'Check the file' }).click());
    expect(await heading(page, 'Check the figures before importing them').isVisible()).toBe(true);
    await follow(page, () => page.getByRole('button', { name: 'Import figures' }).click());
    expect(await page.getByText('Indicator figures imported').first().isVisible()).toBe(true);

    await follow(page, () => page.getByRole('link', { name: 'Go to the indicators' }).click());
    // Each theme heads its indicators, captioned with its plan (the demo's Swale keeps some
    // of the same indicators under its own plan's themes; these two are new to it).
    const themeHeading = page
      .getByRole('heading', { level: 2, name: /Listening to communities$/ })
      .filter({ hasText: 'Indicators plan 2031/32' });
    expect(await themeHeading.count()).toBe(1);
    await follow(page, () => page.getByRole('link', { name: 'ASB incidents' }).click());
    await page
      .getByLabel('Months shown')
      .selectOption({ label: 'Financial years 2023/24 and 2024/25' });
    await follow(page, () => page.getByRole('button', { name: 'Show', exact: true }).click());
    const december = page.getByLabel('December 2024', { exact: true });
    const before = await december.inputValue();
    expect(before).toMatch(/^\d+$/);

    await december.fill('four hundred');
    await follow(page, () => page.getByRole('button', { name: 'Save values' }).click());
    expect(await page.title()).toMatch(/^Error: ASB incidents/);
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    expect(await summary.getByRole('link').allInnerTexts()).toEqual([
      'December 2024: Enter a number, like 1,234 or 12.5',
    ]);
    await summary.getByRole('link').first().click();
    expect(await page.locator(':focus').getAttribute('id')).toBe('month-2024-12');

    await december.fill('400');
    await follow(page, () => page.getByRole('button', { name: 'Save values' }).click());
    expect(await page.getByText('Values saved.').isVisible()).toBe(true);
    expect(await page.getByLabel('December 2024', { exact: true }).inputValue()).toBe('400');
    expect(
      await page
        .getByText(
          `Changed a monthly value of ASB incidents: December 2024 changed from ${before} to 400`,
        )
        .isVisible(),
    ).toBe(true);

    await follow(page, () => page.getByRole('link', { name: '12-month totals' }).click());
    await page.getByLabel('Last month of the 12 months').fill('2020-03');
    await page.getByLabel('Total', { exact: true }).fill('4,812');
    await follow(page, () => page.getByRole('button', { name: 'Save total' }).click());
    const row = page.getByRole('row').filter({ hasText: 'April 2019 to March 2020' });
    expect(await row.getByRole('cell').nth(1).innerText()).toBe('4,812');

    // Everyone in the partnership reads the figures; only coordinators get inputs.
    const reader = await b.newPage();
    await signIn(reader, PEOPLE.viewer);
    await visit(reader, new URL(page.url()).pathname.replace(/\/totals$/, '') + '?end=2025-03');
    expect(await reader.locator('input[name^="month-"]').count()).toBe(0);
    const december2024 = reader.getByRole('row').filter({ hasText: 'December 2024' });
    expect(await december2024.getByRole('cell').nth(1).innerText()).toBe('400');
  });

  it('compares the years, refuses a future month, and confirms a deletion first', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    await visit(page, `/partnerships/${DISTRICT.slug}/indicators`);
    // The list shows each indicator's latest rolling year with a tag in words.
    const asbRow = page.getByRole('row').filter({ hasText: 'ASB incidents' });
    expect(await asbRow.innerText()).toContain('Apr 24 – end Mar 25');
    expect(await asbRow.locator('.govuk-tag').innerText()).toMatch(/^(Better|Worse|No change)$/);

    await follow(page, () => page.getByRole('link', { name: 'ASB incidents' }).click());
    const to = page.getByLabel('Last month to compare');
    expect(await to.inputValue()).toBe('2025-03');
    const table = page.getByRole('table', { name: 'Comparisons to the end of March 2025' });
    expect(await table.getByRole('row').count()).toBe(4);

    await to.fill('2999-01');
    await follow(page, () => page.getByRole('button', { name: 'Compare' }).click());
    expect(await page.title()).toMatch(/^Error: ASB incidents/);
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary
      .getByRole('link', { name: 'Last month to compare must not be in the future' })
      .click();
    expect(await page.locator(':focus').getAttribute('id')).toBe('to');

    await to.fill('2024-03');
    await follow(page, () => page.getByRole('button', { name: 'Compare' }).click());
    const march = page.getByRole('table', { name: 'Comparisons to the end of March 2024' });
    const financial = march.getByRole('row').filter({ hasText: 'Financial year' });
    expect(await financial.innerText()).toContain('Apr 23 – end Mar 24');

    await follow(page, () => page.getByRole('button', { name: 'Delete indicator' }).click());
    expect(await heading(page, 'Are you sure you want to delete ASB incidents?').isVisible()).toBe(
      true,
    );
    expect(await page.locator('#goes').innerText()).toContain('48 monthly values');
    await follow(page, () => page.getByRole('button', { name: 'Delete indicator' }).click());
    expect(await page.getByText('Indicator deleted.').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'ASB incidents' }).count()).toBe(0);
  });
});
