import mammoth from 'mammoth';
import type { Download } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { DISTRICT, PEOPLE } from './support/people.js';
import { follow, heading, signIn, visit } from './support/pages.js';

const b = useBrowser();

describe('the strategic assessment', () => {
  it('lets a coordinator start one, write its introduction and download it as Word', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    await visit(page, `/partnerships/${DISTRICT.slug}`);
    await follow(page, () => page.getByRole('link', { name: 'Strategic assessments' }).click());
    await page.getByLabel('Financial year').fill('2021/22');
    await follow(page, () => page.getByRole('button', { name: 'Start assessment' }).click());
    expect(await heading(page, `${DISTRICT.name} strategic assessment 2021/22`).isVisible()).toBe(
      true,
    );

    // The figures, with the chart’s data in a table beside it and the hotspot wards named by their set.
    const figures = page.getByRole('table', {
      name: 'All crime (excluding anti-social behaviour): April 2021 to March 2022',
    });
    // The demo loads the real Kent files: the level is a count, not "incomplete".
    expect(await figures.getByRole('row').nth(1).innerText()).toMatch(
      /Level \(count\)\s+\d{1,3}(,\d{3})+/,
    );
    expect(
      await page
        .getByRole('img', { name: 'All crime (excluding anti-social behaviour) by month' })
        .count(),
    ).toBe(1);
    expect(
      await page
        .getByRole('table', { name: 'All crime (excluding anti-social behaviour) by month' })
        .count(),
    ).toBe(1);
    expect(await page.getByRole('table', { name: /^Top five wards \(2021 wards\)/ }).count()).toBe(
      2,
    );

    await follow(page, () => page.getByRole('link', { name: 'Change introduction' }).click());
    await page
      .getByRole('textbox', { name: 'Introduction' })
      .fill('Crime held steady in Swale this year.');
    await follow(page, () => page.getByRole('button', { name: 'Save' }).click());
    expect(await page.getByText('Section saved.').isVisible()).toBe(true);
    expect(await page.getByText('Crime held steady in Swale this year.').isVisible()).toBe(true);

    await follow(page, () => page.getByRole('link', { name: 'Choose the peer group' }).click());
    await page.getByLabel('Medway (E06000035)').check();
    await follow(page, () => page.getByRole('button', { name: 'Save peer group' }).click());
    expect(await page.getByText('Peer group saved.').isVisible()).toBe(true);
    expect(
      await page
        .getByRole('table', { name: /^Peer group by rate per 1,000/ })
        .first()
        .getByRole('row')
        .count(),
    ).toBe(3);

    const [download]: [Download, unknown] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Word document (DOCX)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(
      `${DISTRICT.slug}-strategic-assessment-2021-04-to-2022-03.docx`,
    );
    const parts: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) parts.push(chunk as Buffer);
    const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.concat(parts) });
    expect(html).toContain('Crime held steady in Swale this year.');
    expect(html).toContain('<h1>Anti-social behaviour</h1>');
    expect(html).toMatch(/<img [^>]*alt="Line chart of all crime/);
  });
});
