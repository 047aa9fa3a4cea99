import { describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { PEOPLE, type PersonKey } from './support/people.js';
import { SignInPage, follow, heading, signIn, signOut, visit } from './support/pages.js';

const b = useBrowser();

describe('signing in', () => {
  it.each(Object.keys(PEOPLE) as PersonKey[])(
    'takes the %s to their own home page',
    async (key) => {
      const person = PEOPLE[key];
      const page = await b.newPage();
      await signIn(page, person);
      expect(await page.title()).toBe('Home – Saferplan');
      if (person.memberOf) {
        const row = page.getByRole('row').filter({ hasText: person.memberOf.name });
        expect(await row.getByRole('cell').allInnerTexts()).toEqual([
          person.memberOf.name,
          person.memberOf.role,
        ]);
      } else {
        expect(
          await page.getByText('You are not a member of any partnership yet').isVisible(),
        ).toBe(true);
      }
      for (const name of person.reads) {
        expect(await page.getByRole('link', { name, exact: true }).isVisible(), name).toBe(true);
      }
      const accounts = page.getByRole('navigation', { name: 'Main' }).getByRole('link', {
        name: 'Accounts',
      });
      expect(await accounts.count()).toBe(person.isAdmin ? 1 : 0);
    },
  );

  it('explains a wrong password in an error summary that leads to the field', async () => {
    const page = await b.newPage();
    const signInPage = new SignInPage(page);
    await signInPage.open();
    await signInPage.signIn(PEOPLE.viewer.email, 'not the password');

    expect(await page.title()).toBe('Error: Sign in – Saferplan');
    expect(await signInPage.errorSummary.isVisible()).toBe(true);
    // The summary takes focus so a screen reader announces it straight away.
    expect(await page.locator(':focus').getAttribute('class')).toContain('govuk-error-summary');
    const link = signInPage.errorSummary.getByRole('link', {
      name: 'Enter a correct email address and password',
    });
    expect(await link.getAttribute('href')).toBe('#email');
    await link.click();
    expect(await page.locator(':focus').getAttribute('id')).toBe('email');
    // The field keeps what was typed and is described by its error message.
    expect(await signInPage.email.inputValue()).toBe(PEOPLE.viewer.email);
    const describedBy = (await signInPage.email.getAttribute('aria-describedby')) ?? '';
    const described = await page
      .locator(
        describedBy
          .split(' ')
          .map((id) => `#${id}`)
          .join(', '),
      )
      .allInnerTexts();
    expect(described.join(' ')).toContain('Enter a correct email address and password');
  });

  it('signs out, and the pages ask for sign-in again', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    await signOut(page);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await visit(page, '/partnerships')).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await follow(page, () => page.goBack());
    expect(await heading(page, 'Sign in to Saferplan').isVisible()).toBe(true);
  });
});
