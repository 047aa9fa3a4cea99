import { describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { PEOPLE } from './support/people.js';
import { follow, heading, signIn, visit } from './support/pages.js';

const b = useBrowser();

describe('API tokens', () => {
  it('shows a new token once, lists it without the secret, and revokes it', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.lead);
    expect(await visit(page, '/account/tokens')).toBe(200);

    await page.getByLabel('Token name').fill('Monthly figures script');
    await follow(page, () => page.getByRole('button', { name: 'Create token' }).click());
    expect(await heading(page, 'Copy your new API token').isVisible()).toBe(true);
    const token = (await page.locator('#api-token').innerText()).trim();
    expect(token.length).toBeGreaterThan(20);
    expect(await b.services.tokens.authenticate(token)).toBeTypeOf('number');

    await follow(page, () => page.getByRole('link', { name: 'Back to your API tokens' }).click());
    const row = page.getByRole('row').filter({ hasText: 'Monthly figures script' });
    expect(await row.innerText()).toContain('Active');
    // Shown once: from here on only its first characters, to tell tokens apart.
    expect(await page.content()).not.toContain(token);

    await follow(page, () =>
      row.getByRole('button', { name: 'Revoke Monthly figures script' }).click(),
    );
    expect(await page.getByText('Token revoked. It no longer works.').isVisible()).toBe(true);
    expect(await row.innerText()).toContain('Revoked');
    expect(await b.services.tokens.authenticate(token)).toBeUndefined();
  });

  it('asks for a name before making a token', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.viewer);
    await visit(page, '/account/tokens');
    await follow(page, () => page.getByRole('button', { name: 'Create token' }).click());
    expect(await page.title()).toMatch(/^Error: /);
    const summaryLink = page.getByRole('alert').getByRole('link');
    expect(await summaryLink.getAttribute('href')).toBe('#name');
    expect(await page.getByText('You have no API tokens.').isVisible()).toBe(true);
  });
});
