import { describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { DISTRICT, NEWCOMER, PEOPLE } from './support/people.js';
import { MembersPage, follow, heading, signIn } from './support/pages.js';

const b = useBrowser();

describe('a coordinator managing members', () => {
  it('adds someone as a lead, then makes them a viewer', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    const members = new MembersPage(page, DISTRICT.slug);
    await members.open();
    expect(await members.row(NEWCOMER.name).count()).toBe(0);

    await members.add(NEWCOMER.email, 'Lead');
    expect(await heading(page, 'Member added').isVisible()).toBe(true);
    expect(
      await page.getByText(`${NEWCOMER.name} is now a lead of ${DISTRICT.name}.`).isVisible(),
    ).toBe(true);

    await follow(page, () => page.getByRole('link', { name: 'Back to members' }).click());
    expect(await members.row(NEWCOMER.name).getByRole('cell').nth(3).innerText()).toBe('Lead');

    await members.changeRole(NEWCOMER.name, 'Viewer');
    expect(await page.getByText('Role changed.').isVisible()).toBe(true);
    expect(await members.row(NEWCOMER.name).getByRole('cell').nth(3).innerText()).toBe('Viewer');
  });

  it('shows what is wrong when the form is sent empty', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    const members = new MembersPage(page, DISTRICT.slug);
    await members.open();
    await follow(page, () => members.addButton.click());
    await follow(page, () => page.getByRole('button', { name: 'Add member' }).click());

    expect(await page.title()).toMatch(/^Error: /);
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    const links = summary.getByRole('link');
    expect(await links.count()).toBeGreaterThan(0);
    for (const link of await links.all()) {
      const href = (await link.getAttribute('href')) ?? '';
      expect(await page.locator(href).count(), `${href} is on the page`).toBe(1);
    }
  });
});
