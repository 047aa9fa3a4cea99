import { describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { useBrowser } from './support/browser.js';
import { DISTRICT, NEWCOMER, PEOPLE } from './support/people.js';
import { GroupsPage, MembersPage, csrfToken, follow, signIn } from './support/pages.js';

const b = useBrowser();

describe('a viewer', () => {
  it('is offered no controls to add members or create groups', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.viewer);

    const members = new MembersPage(page, DISTRICT.slug);
    await members.open();
    expect(await members.row(PEOPLE.viewer.email).count()).toBe(1);
    expect(await members.addButton.count()).toBe(0);

    const groups = new GroupsPage(page, DISTRICT.slug);
    await groups.open();
    expect(await page.getByRole('row').count()).toBeGreaterThan(1);
    expect(await groups.createButton.count()).toBe(0);

    await follow(page, () => page.getByRole('table').getByRole('link').first().click());
    for (const name of ['Change group details', 'Add to group']) {
      expect(await page.getByRole('button', { name }).count(), name).toBe(0);
    }
  });

  it('is refused when posting the forms directly, and nothing changes', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.viewer);
    const _csrf = await csrfToken(page);
    const base = `/partnerships/${DISTRICT.slug}`;
    const groupsBefore = await b.services.groups.list(COMMAND_LINE, DISTRICT.slug);

    const addMember = await page.request.post(`${base}/members/add`, {
      form: { _csrf, email: NEWCOMER.email, role: 'coordinator' },
      maxRedirects: 0,
    });
    const createGroup = await page.request.post(`${base}/groups/new`, {
      form: { _csrf, name: 'Viewer’s own group', kind: 'panel' },
      maxRedirects: 0,
    });

    // Refused for the role, not for a bad CSRF token (that is a 403 too, with another page).
    for (const refused of [addMember, createGroup]) {
      expect(refused.status()).toBe(403);
      expect(await refused.text()).toContain('You cannot do that');
    }
    const members = await b.services.members.members(COMMAND_LINE, DISTRICT.slug);
    expect(members.map((m) => m.email)).not.toContain(NEWCOMER.email);
    expect(await b.services.groups.list(COMMAND_LINE, DISTRICT.slug)).toEqual(groupsBefore);
  });
});
