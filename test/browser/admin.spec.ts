import { describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { DISTRICT_AGENCY, PEOPLE } from './support/people.js';
import { SignInPage, follow, heading, signIn, visit } from './support/pages.js';

const b = useBrowser();

const NEW_PERSON = { name: 'Tom Reid', email: 'tom.reid@example.org' };
const NEW_PASSWORD = 'lantern orchard pebble violet';

describe('a system administrator managing accounts', () => {
  it('creates an account, whose owner sets a password from the link; disabling it signs them out', async () => {
    const admin = await b.newPage();
    await signIn(admin, PEOPLE.admin);
    expect(await visit(admin, '/admin/users')).toBe(200);
    await follow(admin, () => admin.getByRole('button', { name: 'Create account' }).click());
    await admin.getByLabel('Full name').fill(NEW_PERSON.name);
    await admin.getByLabel('Email address').fill(NEW_PERSON.email);
    await admin.getByLabel('Agency').selectOption({ label: DISTRICT_AGENCY });
    await follow(admin, () => admin.getByRole('button', { name: 'Create account' }).click());
    expect(await heading(admin, `Send ${NEW_PERSON.name} their link`).isVisible()).toBe(true);
    const link = (await admin.locator('#sign-in-link').innerText()).trim();

    // The link names the configured public address; the person follows its path here.
    const person = await b.newPage();
    expect(await visit(person, new URL(link).pathname)).toBe(200);
    await person.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await person.getByLabel('Enter the password again', { exact: true }).fill(NEW_PASSWORD);
    await follow(person, () =>
      person.getByRole('button', { name: 'Set password and sign in' }).click(),
    );
    expect(new URL(person.url()).pathname).toBe('/');
    expect(await person.getByText('Your password is set.').isVisible()).toBe(true);

    await follow(admin, () =>
      admin.getByRole('link', { name: `Go to ${NEW_PERSON.name}’s account` }).click(),
    );
    await follow(admin, () => admin.getByRole('button', { name: 'Disable account' }).click());
    expect(await admin.locator('.govuk-summary-list').innerText()).toMatch(/Status\s+Disabled/);

    // Their open session ends at once, and the password no longer signs them in.
    expect(await visit(person, '/')).toBe(200);
    expect(new URL(person.url()).pathname).toBe('/sign-in');
    const signInPage = new SignInPage(person);
    await signInPage.signIn(NEW_PERSON.email, NEW_PASSWORD);
    expect(await signInPage.errorSummary.isVisible()).toBe(true);
  });
});
