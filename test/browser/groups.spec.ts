import { describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { DISTRICT, DISTRICT_AGENCY, DISTRICT_PERSON, PEOPLE } from './support/people.js';
import { GroupsPage, heading, signIn } from './support/pages.js';

const b = useBrowser();

describe('a coordinator managing groups', () => {
  it('creates a group, changes it, and adds an agency and a person to it', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    const groups = new GroupsPage(page, DISTRICT.slug);
    await groups.open();

    await groups.create({
      name: 'Night-time Economy Group',
      kind: 'Sub-group',
      keyFunctions: 'Keep the town centre safe at night\nWork with licensed premises',
    });
    expect(await page.getByText('Group created.').isVisible()).toBe(true);
    expect(await heading(page, 'Night-time Economy Group').isVisible()).toBe(true);

    await groups.change({ name: 'Night-time Economy Panel', kind: 'Panel', meets: 'Monthly' });
    expect(await page.getByText('Group saved.').isVisible()).toBe(true);
    expect(await heading(page, 'Night-time Economy Panel').isVisible()).toBe(true);
    const details = page.locator('.govuk-summary-list');
    expect(await details.innerText()).toMatch(/Kind\s+Panel/);
    expect(await details.innerText()).toMatch(/Meets\s+Monthly/);
    expect(await page.getByText('Work with licensed premises').isVisible()).toBe(true);

    await groups.addMember('Agency', DISTRICT_AGENCY);
    expect(await page.getByText('Added to the group.').isVisible()).toBe(true);
    await groups.addMember('Person', DISTRICT_PERSON);

    const names = await groups.memberRows().locator('td:first-child').allInnerTexts();
    expect(names.sort()).toEqual([DISTRICT_AGENCY, DISTRICT_PERSON].sort());

    await groups.open();
    expect(
      await page.getByRole('row').filter({ hasText: 'Night-time Economy Panel' }).innerText(),
    ).toMatch(/Panel\s+Monthly\s+2/);
  });
});
