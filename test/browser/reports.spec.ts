import mammoth from 'mammoth';
import type { Download } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { monthsBetween } from '../../src/domain/periods.js';
import { useBrowser } from './support/browser.js';
import { DISTRICT, LEAD_AGENCY, PEOPLE } from './support/people.js';
import { follow, heading, signIn, visit } from './support/pages.js';
import { seedPlan } from './support/plans.js';

const b = useBrowser();

describe('the exception report', () => {
  it('lets a coordinator write commentary, issue the report and download it as Word', async () => {
    const s = b.services;
    const plan = await seedPlan(s, DISTRICT.slug, {
      title: 'Report plan',
      period: '2019/20',
      themes: [
        {
          type: 'priority',
          title: 'Burglary',
          actions: [
            {
              number: '1.1',
              title: 'Mark property in the worst-hit streets',
              leads: [LEAD_AGENCY],
              milestones: [['Buy marking kits', 'By June 19']],
              updates: [
                {
                  month: '2019-09',
                  status: 'on-hold',
                  narrative: 'Kits are late from the supplier.',
                },
              ],
            },
          ],
        },
      ],
    });
    const theme = (await s.indicators.themeChoices(COMMAND_LINE, DISTRICT.slug)).find(
      (t) => t.planId === plan.id,
    );
    const burglary = await s.indicators.create(COMMAND_LINE, DISTRICT.slug, {
      name: 'Residential burglary',
      unit: 'count',
      noun: 'burglaries',
      polarity: 'increase-bad',
      themeId: String(theme?.id),
    });
    await s.indicators.saveMonths(
      COMMAND_LINE,
      DISTRICT.slug,
      burglary.id,
      Object.fromEntries(
        monthsBetween('2017-09', '2019-08').map((m) => [m, m < '2018-09' ? '50' : '40']),
      ),
    );

    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    await visit(page, `/partnerships/${DISTRICT.slug}`);
    await follow(page, () => page.getByRole('link', { name: 'Exception reports' }).click());
    await page.getByLabel('Plan').selectOption({ label: 'Report plan 2019/20' });
    await page.getByLabel('Last month of the rolling year').fill('2019-08');
    await follow(page, () => page.getByRole('button', { name: 'Start report' }).click());
    expect(await heading(page, 'Exception report: rolling year to August 2019').isVisible()).toBe(
      true,
    );
    const table = page.getByRole('table', { name: 'Indicators' });
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual([
      'Indicator',
      'Previous rolling year (Sep 17 – end Aug 18)',
      'Current rolling year (Sep 18 – end Aug 19)',
      'Change',
    ]);
    expect(await table.getByRole('row').nth(1).innerText()).toContain(
      '-20.0% or 120 burglary decrease',
    );
    expect(await table.getByText('Better', { exact: true }).isVisible()).toBe(true);

    await follow(page, () =>
      page.getByRole('link', { name: 'Write commentary on Burglary' }).click(),
    );
    // The theme's latest updates sit beside the box, to write from.
    expect(await page.getByText('On hold - Kits are late from the supplier.').isVisible()).toBe(
      true,
    );
    await page
      .getByLabel('Comments')
      .fill('Burglary fell by a fifth.\n\nProperty marking waits for kits.');
    await follow(page, () => page.getByRole('button', { name: 'Save commentary' }).click());
    expect(await page.getByText('Commentary saved.').isVisible()).toBe(true);
    expect(await page.getByText('Property marking waits for kits.').isVisible()).toBe(true);

    await follow(page, () => page.getByRole('button', { name: 'Issue report' }).click());
    expect(await heading(page, 'Issue version 1 of the report').isVisible()).toBe(true);
    await follow(page, () => page.getByRole('button', { name: 'Issue report' }).click());
    expect(await page.getByText('Report issued.').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: /Write commentary/ }).count()).toBe(0);

    const [download]: [Download, unknown] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Word document (DOCX)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${DISTRICT.slug}-exception-report-2019-08-v1.docx`);
    const parts: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) parts.push(chunk as Buffer);
    const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.concat(parts) });
    expect(html).toContain('Burglary fell by a fifth.');
    expect(html).toContain('-20.0% or 120 burglary decrease');
    expect(html).toContain('On hold - Kits are late from the supplier.');

    // A figure corrected afterwards does not change what was issued.
    await s.indicators.saveMonths(COMMAND_LINE, DISTRICT.slug, burglary.id, { '2019-08': '400' });
    await follow(page, () => page.reload());
    expect(await table.getByRole('row').nth(1).innerText()).toContain(
      '-20.0% or 120 burglary decrease',
    );
  });

  it('says what is missing for a rolling year without figures, and lets the draft go', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    await visit(page, `/partnerships/${DISTRICT.slug}/reports`);
    await page.getByLabel('Plan').selectOption({ label: 'Report plan 2019/20' });
    await page.getByLabel('Last month of the rolling year').fill('2012-03');
    await follow(page, () => page.getByRole('button', { name: 'Start report' }).click());
    expect(await heading(page, 'There are no figures for this report yet').isVisible()).toBe(true);
    expect(await page.getByText('Their latest figure is for August 2019.').isVisible()).toBe(true);
    expect(await page.getByRole('table').count()).toBe(0);

    const draft = page.url();
    await visit(page, `${new URL(draft).pathname}/header`);
    await page.getByLabel('Subject').fill('');
    await follow(page, () => page.getByRole('button', { name: 'Save' }).click());
    expect(await page.getByRole('link', { name: 'Enter the subject' }).isVisible()).toBe(true);

    await visit(page, new URL(draft).pathname);
    await follow(page, () => page.getByRole('link', { name: 'Delete this draft' }).click());
    await follow(page, () => page.getByRole('button', { name: 'Delete draft' }).click());
    expect(await page.getByText('Draft report deleted.').isVisible()).toBe(true);
  });
});
