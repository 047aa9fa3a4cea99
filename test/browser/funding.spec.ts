import mammoth from 'mammoth';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PASSWORD, member, user } from '../helpers/factories.js';
import { useBrowser } from './support/browser.js';
import { COUNTY, PEOPLE } from './support/people.js';
import { follow, heading, signIn, signOut, visit } from './support/pages.js';

const b = useBrowser();
const today = new Date().toISOString().slice(0, 10);

/** A county lead from Kent Police, whose agency sits on the county's working group. */
async function partnerLead() {
  const s = b.services;
  const police = await s.agencies.findByName('Kent Police');
  const u = await user(s, {
    email: 'sam.okafor@police.example.org',
    name: 'Sam Okafor',
    agencyId: police?.id,
  });
  await member(s, COUNTY.slug, u.email, 'lead');
  return { email: u.email, password: PASSWORD, reads: [], isAdmin: false };
}

async function openFund(page: Page) {
  await visit(page, `/partnerships/${COUNTY.slug}`);
  await follow(page, () => page.getByRole('link', { name: 'Funding', exact: true }).click());
  await follow(page, () => page.getByRole('link', { name: /^Crime Reduction Grant/ }).click());
}

describe('grant funding', () => {
  // Four sign-ins and some thirty pages, each checked with axe: longer than the default minute.
  it(
    'takes a proposal from a partner through the vote, both approvals, spend and outcomes to the report',
    { timeout: 180_000 },
    async () => {
      const lead = await partnerLead();
      const page = await b.newPage();

      // A partner submits a proposal; a mistyped amount is refused first.
      await signIn(page, lead);
      await openFund(page);
      await follow(page, () => page.getByRole('button', { name: 'Submit a proposal' }).click());
      await page.getByLabel('Project title').fill('Cycle marking at railway stations');
      await page.getByLabel('Lead agency').selectOption({ label: 'Kent Police' });
      await page.getByLabel('Upfront projects').check();
      await page.getByLabel('Amount requested').fill('1,250.555');
      await page.getByLabel('Summary').fill('Mark bikes at four stations and register them.');
      await page.getByLabel('Safer streets').check();
      await follow(page, () => page.getByRole('button', { name: 'Save proposal' }).click());
      await expect(
        page
          .getByRole('link', { name: 'Amount must have 2 decimal places or fewer, like £1,234.56' })
          .isVisible(),
      ).resolves.toBe(true);
      await page.getByLabel('Amount requested').fill('1,250.50');
      await follow(page, () => page.getByRole('button', { name: 'Save proposal' }).click());
      expect(await page.getByText('Proposal submitted.').isVisible()).toBe(true);
      const proposalPath = new URL(page.url()).pathname;
      expect(await heading(page, 'Cycle marking at railway stations').isVisible()).toBe(true);
      await signOut(page);

      // The coordinator opens the vote; the group votes; the vote closes at the meeting.
      await signIn(page, PEOPLE.countyCoordinator);
      await visit(page, proposalPath);
      await page.getByLabel('Open a vote until the end of').fill(today);
      await follow(page, () => page.getByRole('button', { name: 'Open the vote' }).click());
      await page.getByLabel('Support').check();
      await follow(page, () => page.getByRole('button', { name: 'Vote', exact: true }).click());
      expect(await page.getByText('Vote recorded.').isVisible()).toBe(true);
      await signOut(page);
      await signIn(page, lead);
      await visit(page, proposalPath);
      await page.getByLabel('Abstain').check();
      await follow(page, () => page.getByRole('button', { name: 'Vote', exact: true }).click());
      await page.getByLabel('Support').check();
      await follow(page, () => page.getByRole('button', { name: 'Change vote' }).click());
      await signOut(page);

      await signIn(page, PEOPLE.countyCoordinator);
      await visit(page, proposalPath);
      expect(await page.getByRole('table', { name: 'How members voted' }).innerText()).toContain(
        'Sam Okafor',
      );
      await follow(page, () => page.getByRole('button', { name: 'Close the vote now' }).click());
      for (const stage of [
        'Shortlisted',
        'Detailed proposal requested',
        'Submitted for approval',
      ]) {
        await page.getByLabel(stage).check();
        await page.getByLabel('Why').fill(`Agreed at the meeting: ${stage.toLowerCase()}`);
        await follow(page, () => page.getByRole('button', { name: 'Change the stage' }).click());
        expect(await page.getByText('Stage changed.').isVisible()).toBe(true);
      }

      // The chair approves; it stays pending until the funder approves too.
      for (const decider of ['Chair', 'Funder']) {
        await follow(page, () => page.getByRole('link', { name: 'Record a decision' }).click());
        await page.getByLabel(decider).check();
        await page.getByRole('radio', { name: 'Approved' }).check();
        await page.getByLabel('Amount approved (when approved)').fill('1250.50');
        await page.getByLabel('Date of the decision').fill(today);
        await follow(page, () => page.getByRole('button', { name: 'Record the decision' }).click());
        expect(
          await page
            .getByText(decider === 'Chair' ? 'Pending' : 'Approved', { exact: true })
            .first()
            .isVisible(),
        ).toBe(true);
      }
      await page.getByLabel('In delivery').check();
      await page.getByLabel('Why').fill('Stations booked');
      await follow(page, () => page.getByRole('button', { name: 'Change the stage' }).click());

      await follow(page, () => page.getByRole('link', { name: 'Record spend' }).click());
      await page.getByLabel('Date paid or claimed').fill(today);
      await page.getByLabel('Amount', { exact: true }).fill('1,300');
      await follow(page, () => page.getByRole('button', { name: 'Record spend' }).click());
      expect(
        await page.getByRole('link', { name: /give a reason to record it anyway/ }).isVisible(),
      ).toBe(true);
      await page.getByLabel('Amount', { exact: true }).fill('1,200');
      await follow(page, () => page.getByRole('button', { name: 'Record spend' }).click());
      expect(await page.getByText('£1,200 spent of £1,250.50 approved.').isVisible()).toBe(true);

      await follow(page, () => page.getByRole('link', { name: 'Record outcomes' }).click());
      await page.getByLabel('Sessions delivered (optional)').fill('4');
      await page.getByLabel('People trained or reached (optional)').fill('Cyclists: 212');
      await follow(page, () => page.getByRole('button', { name: 'Record outcomes' }).click());
      await page.getByRole('radio', { name: 'Delivered', exact: true }).check();
      await page.getByLabel('Why').fill('All four stations done');
      await follow(page, () => page.getByRole('button', { name: 'Change the stage' }).click());
      expect(
        await page.getByRole('table', { name: 'Stages of the proposal' }).innerText(),
      ).toContain('All four stations done');

      // The report lists the project at its one amount, in the list and the appendix.
      await follow(page, () => page.getByRole('link', { name: /^Crime Reduction Grant/ }).click());
      const [download]: [Download, unknown] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Word document (DOCX)' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        /^kent-crime-reduction-grant-\d{4}-\d{2}-funding-report\.docx$/,
      );
      const parts: Buffer[] = [];
      for await (const chunk of await download.createReadStream()) parts.push(chunk as Buffer);
      const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.concat(parts) });
      expect(html).toContain('<td><p>Cycle marking at railway stations</p></td>');
      expect(html).toContain('<h2>Cycle marking at railway stations (£1,250.50)</h2>');
      expect(html).toContain('Cyclists: 212');
    },
  );

  it('shows a viewer approved projects only, and refuses them the coordinators’ forms', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.admin);
    await openFund(page);
    const all = await page
      .getByRole('table', { name: 'Proposals of the fund' })
      .getByRole('row')
      .count();
    await signOut(page);
    const s = b.services;
    const viewer = await user(s, { email: 'lee.viewer@kcc.example.org', name: 'Lee Viewer' });
    await member(s, COUNTY.slug, viewer.email, 'viewer');
    await signIn(page, { email: viewer.email, password: PASSWORD, reads: [], isAdmin: false });
    await openFund(page);
    const rows = page.getByRole('table', { name: 'Proposals of the fund' }).getByRole('row');
    expect(await rows.count()).toBeLessThan(all);
    for (const text of await rows.allInnerTexts()) {
      if (!text.includes('Proposal')) expect(text).toMatch(/Approved|In delivery|Delivered/);
    }
    expect(await page.getByRole('button', { name: 'Split into pots' }).count()).toBe(0);
    expect(await visit(page, `${new URL(page.url()).pathname}/pots`)).toBe(403);
  });
});
