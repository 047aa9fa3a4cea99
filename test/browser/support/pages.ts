import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible } from './axe.js';
import type { Person } from './people.js';

/** Opens a page and checks it with axe; answers the HTTP status. */
export async function visit(page: Page, path: string): Promise<number> {
  const response = await page.goto(path);
  await expectAccessible(page);
  return response?.status() ?? 0;
}

/** Does something that loads a new page (a link, a form), then checks that page with axe. */
export async function follow(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForEvent('load'), action()]);
  await expectAccessible(page);
}

export const heading = (page: Page, name: string, level = 1): Locator =>
  page.getByRole('heading', { level, name, exact: true });

export async function isShown(locator: Locator): Promise<boolean> {
  return (await locator.count()) > 0 && locator.first().isVisible();
}

export class SignInPage {
  constructor(readonly page: Page) {}

  get email(): Locator {
    return this.page.getByLabel('Email address');
  }
  get password(): Locator {
    return this.page.getByLabel('Password', { exact: true });
  }
  get errorSummary(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'There is a problem' });
  }

  async open(): Promise<void> {
    expect(await visit(this.page, '/sign-in')).toBe(200);
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await follow(this.page, () => this.page.getByRole('button', { name: 'Sign in' }).click());
  }
}

export async function signIn(page: Page, person: Person): Promise<void> {
  const signInPage = new SignInPage(page);
  await signInPage.open();
  await signInPage.signIn(person.email, person.password);
  expect(new URL(page.url()).pathname, `${person.email} signed in`).toBe('/');
}

export async function signOut(page: Page): Promise<void> {
  await follow(page, () => page.getByRole('button', { name: 'Sign out' }).click());
}

/** The CSRF token the page's forms carry (every signed-in page has the sign-out form). */
export async function csrfToken(page: Page): Promise<string> {
  return page.locator('input[name="_csrf"]').first().inputValue();
}

export class MembersPage {
  constructor(
    readonly page: Page,
    readonly slug: string,
  ) {}

  get addButton(): Locator {
    return this.page.getByRole('button', { name: 'Add a member' });
  }

  async open(): Promise<void> {
    expect(await visit(this.page, `/partnerships/${this.slug}/members`)).toBe(200);
  }

  row(name: string): Locator {
    return this.page.getByRole('row').filter({ hasText: name });
  }

  async add(email: string, role: string): Promise<void> {
    await follow(this.page, () => this.addButton.click());
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByRole('radio', { name: role, exact: true }).check();
    await follow(this.page, () => this.page.getByRole('button', { name: 'Add member' }).click());
  }

  async changeRole(name: string, role: string): Promise<void> {
    await follow(this.page, () => this.page.getByRole('link', { name, exact: true }).click());
    await this.page.getByRole('radio', { name: role, exact: true }).check();
    await follow(this.page, () => this.page.getByRole('button', { name: 'Save role' }).click());
  }
}

export interface GroupDetails {
  name: string;
  kind: string;
  keyFunctions?: string;
  meets?: string;
}

export class GroupsPage {
  constructor(
    readonly page: Page,
    readonly slug: string,
  ) {}

  get createButton(): Locator {
    return this.page.getByRole('button', { name: 'Create a group' });
  }

  async open(): Promise<void> {
    expect(await visit(this.page, `/partnerships/${this.slug}/groups`)).toBe(200);
  }

  async create(details: GroupDetails): Promise<void> {
    await follow(this.page, () => this.createButton.click());
    await this.fill(details);
  }

  /** Fills the group form (create or change) and saves it. */
  async fill(details: GroupDetails): Promise<void> {
    const { page } = this;
    await page.getByLabel('Name', { exact: true }).fill(details.name);
    await page.getByRole('radio', { name: details.kind, exact: true }).check();
    if (details.keyFunctions !== undefined)
      await page.getByLabel('Key functions (optional)').fill(details.keyFunctions);
    if (details.meets !== undefined)
      await page.getByLabel('How often it meets (optional)').fill(details.meets);
    await follow(page, () => page.getByRole('button', { name: 'Save group' }).click());
  }

  async change(details: GroupDetails): Promise<void> {
    await follow(this.page, () =>
      this.page.getByRole('button', { name: 'Change group details' }).click(),
    );
    await this.fill(details);
  }

  /** On a group's page: adds one of the partnership's agencies or people, chosen by name. */
  async addMember(field: 'Agency' | 'Person', name: string): Promise<void> {
    const select = this.page.getByLabel(field, { exact: true });
    // People are listed with their agency after the name.
    const option = select.locator('option').filter({ hasText: name });
    const value = await option.getAttribute('value');
    await select.selectOption(value ?? '');
    await follow(this.page, () => this.page.getByRole('button', { name: 'Add to group' }).click());
  }

  /** The rows of the group's own member table, heading row excluded. */
  memberRows(): Locator {
    return this.page
      .getByRole('table')
      .filter({ has: this.page.getByRole('columnheader', { name: 'Member', exact: true }) })
      .locator('tbody tr');
  }
}
