import { describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { COORDINATOR_AGENCY, DISTRICT, LEAD_AGENCY, PEOPLE } from './support/people.js';
import { follow, heading, signIn } from './support/pages.js';
import { PlansPage, seedPlan } from './support/plans.js';

const b = useBrowser();

// Each journey has a plan of its own, for a period no other journey or the demo uses.

describe('a coordinator writing a plan', () => {
  it('creates a plan, adds a priority, a cross-cutting theme and an action, and sees them in order', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    const plans = new PlansPage(page, DISTRICT.slug);
    await plans.openList();
    await plans.create('Safer streets', '2030/31');
    expect(await plans.notice('Plan created.').isVisible()).toBe(true);
    expect(await heading(page, 'Safer streets 2030/31').isVisible()).toBe(true);
    expect(await page.getByText('Runs from 1 April 2030 to 31 March 2031.').isVisible()).toBe(true);

    await plans.addTheme('Priority', 'Anti-social behaviour');
    expect(await plans.notice('Theme saved.').isVisible()).toBe(true);
    await plans.addTheme('Cross-cutting theme', 'Listening to communities');

    await plans.addAction('Anti-social behaviour', {
      number: '1.1',
      title: 'Patrol the parks on summer evenings',
      milestones: [
        ['Agree the patrol rota', 'By March 31'],
        ['Ask residents how safe they feel', 'When funding allows'],
      ],
      leads: [LEAD_AGENCY],
    });
    expect(await plans.notice('Action saved.').isVisible()).toBe(true);

    // Themes in the order added, each numbered within its kind as written plans number them.
    const captions = await page.locator('table.app-action-plan caption').allInnerTexts();
    expect(captions).toEqual([
      'Priority 1: Anti-social behaviour',
      'Cross-cutting theme 1: Listening to communities',
    ]);
    const table = plans.actionTable('Priority 1: Anti-social behaviour');
    const cells = plans.actionRow(table, '1.1').getByRole('cell');
    expect(await cells.nth(0).innerText()).toBe('Patrol the parks on summer evenings');
    expect(await cells.nth(2).getByRole('listitem').allInnerTexts()).toEqual([
      'Agree the patrol rota',
      'Ask residents how safe they feel',
    ]);
    // The timescale the plan cannot read as a date says so in words; the other does not.
    const timescales = await cells.nth(3).getByRole('listitem').allInnerTexts();
    expect(timescales.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'By March 31',
      'Date not understood When funding allows',
    ]);
    expect(await cells.nth(4).innerText()).toBe(LEAD_AGENCY);
    expect(await cells.nth(5).innerText()).toBe('No update yet');
    const other = plans.actionTable('Cross-cutting theme 1: Listening to communities');
    expect(await other.innerText()).toContain('No actions yet.');
  });
});

describe('progress updates and update rounds', () => {
  it('a lead posts an update on their action; a coordinator opens a round, sees who has not updated and reminds them', async () => {
    const plan = await seedPlan(b.services, DISTRICT.slug, {
      title: 'Safer streets',
      period: '2031/32',
      themes: [
        {
          type: 'priority',
          title: 'Violence against women and girls',
          actions: [
            { number: '1.1', title: 'Walk the night-time routes', leads: [LEAD_AGENCY] },
            { number: '1.2', title: 'Light the station car park', leads: [COORDINATOR_AGENCY] },
          ],
        },
      ],
    });
    const leadPage = await b.newPage();
    await signIn(leadPage, PEOPLE.lead);
    const asLead = new PlansPage(leadPage, DISTRICT.slug);
    await asLead.openPlan(plan.id);
    await follow(leadPage, () => leadPage.getByRole('link', { name: '1.1', exact: true }).click());
    expect(await heading(leadPage, 'Action 1.1').isVisible()).toBe(true);
    expect(await leadPage.locator('.govuk-tag').first().innerText()).toBe('No update yet');

    await asLead.postUpdate('2031-06', 'In progress', 'Four walks done with residents.');
    expect(await asLead.notice('Update posted.').isVisible()).toBe(true);
    // The latest update is the action's state, said in words beside the month.
    const state = leadPage.locator('h1 + p');
    expect((await state.innerText()).replace(/\s+/g, ' ').trim()).toBe('In progress for June 2031');
    expect(await state.locator('.govuk-tag').innerText()).toBe('In progress');
    const latest = leadPage.locator('.app-history__item').first();
    expect(await latest.getByRole('heading').innerText()).toMatch(/^June 2031:\s+In progress$/);
    expect(await latest.innerText()).toContain('Four walks done with residents.');
    expect(await latest.innerText()).toContain('Dan Hughes'); // the lead, as the author

    // The lead's agency does not lead 1.2: its page has no update form for them.
    await asLead.openAction(plan.id, plan.actions['1.2'] ?? 0);
    expect(await leadPage.getByRole('button', { name: 'Post update' }).count()).toBe(0);

    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    const plans = new PlansPage(page, DISTRICT.slug);
    await plans.openPlan(plan.id);
    await plans.openRounds();
    expect(await page.getByText('No update rounds yet.').isVisible()).toBe(true);
    await plans.openRound('2031-06', '2031-07-15');
    expect(await heading(page, 'June 2031 update round').isVisible()).toBe(true);
    expect(await page.getByText('Updates due by 15 July 2031.').isVisible()).toBe(true);
    expect(await page.getByText('1 of 2 actions updated.').isVisible()).toBe(true);
    const updated = plans.roundRow('1.1');
    expect(await updated.getByRole('cell').nth(2).innerText()).toBe(LEAD_AGENCY);
    expect((await updated.getByRole('cell').nth(3).innerText()).trim()).toMatch(
      /^Updated\s+In progress$/,
    );
    expect(await updated.getByRole('button').count()).toBe(0);
    const notUpdated = plans.roundRow('1.2');
    expect((await notUpdated.getByRole('cell').nth(3).innerText()).trim()).toBe('Not updated');

    await follow(page, () =>
      notUpdated.getByRole('button', { name: 'Remind the leads of action 1.2' }).click(),
    );
    expect(await plans.notice('Reminder recorded.').isVisible()).toBe(true);
    expect((await plans.roundRow('1.2').getByRole('cell').nth(3).innerText()).trim()).toMatch(
      /^Not updated\s+Reminded 1 time$/,
    );
  });
});

describe('where a plan stands', () => {
  it('counts each theme’s actions in the report groups, late milestones and missing updates, and filters by status and lead', async () => {
    // "By March 25" has passed: a milestone carried over from an earlier plan and now late.
    const plan = await seedPlan(b.services, DISTRICT.slug, {
      title: 'Safer streets',
      period: '2032/33',
      themes: [
        {
          type: 'priority',
          title: 'Shoplifting',
          actions: [
            {
              number: '1.1',
              title: 'Train shop staff',
              leads: [LEAD_AGENCY],
              milestones: [['Run the first course', 'By March 25']],
              updates: [{ month: '2032-06', status: 'complete' }],
            },
            {
              number: '1.2',
              title: 'Share pictures of repeat offenders',
              leads: [COORDINATOR_AGENCY],
              milestones: [
                ['Agree what may be shared', 'By March 25'],
                ['Start sharing', 'By March 33'],
              ],
              updates: [{ month: '2032-05', status: 'in-progress' }],
            },
            {
              number: '1.3',
              title: 'Map the shops most often hit',
              leads: [LEAD_AGENCY],
              milestones: [['Draw the map', 'By March 25']],
            },
          ],
        },
        {
          type: 'cross-cutting',
          title: 'Reassuring residents',
          actions: [
            {
              number: '2.1',
              title: 'Hold ward surgeries',
              leads: [LEAD_AGENCY],
              updates: [{ month: '2032-06', status: 'off-track' }],
            },
          ],
        },
      ],
      rounds: [{ month: '2032-06', deadline: '2032-07-15' }],
    });
    const page = await b.newPage();
    await signIn(page, PEOPLE.viewer);
    const plans = new PlansPage(page, DISTRICT.slug);
    await plans.openPlan(plan.id);
    await follow(page, () => page.getByRole('link', { name: 'Where the plan stands' }).click());
    expect(
      await page.getByText('Current update round: June 2032, due by 15 July 2032.').isVisible(),
    ).toBe(true);

    const counts = (
      complete: string,
      inProgress: string,
      notStarted: string,
      late: string,
      missing: string,
    ) => ({
      Complete: complete,
      'In Progress': inProgress,
      'Not yet started/Off track': notStarted,
      'Overdue milestones': late,
      'Not updated this round': missing,
    });
    // An action never updated counts as not yet started; a complete action has nothing late.
    expect(await plans.themeCounts('Shoplifting')).toEqual(counts('1', '1', '1', '2', '2'));
    expect(await plans.themeCounts('Reassuring residents')).toEqual(
      counts('0', '0', '1', '0', '0'),
    );
    expect(await plans.overviewActions('Shoplifting')).toEqual(['1.1', '1.2', '1.3']);

    await plans.filter({ Status: 'Complete' });
    expect(await page.getByLabel('Status', { exact: true }).inputValue()).toBe('complete');
    expect(await plans.themeCounts('Shoplifting')).toEqual(counts('1', '0', '0', '0', '0'));
    expect(await plans.overviewActions('Shoplifting')).toEqual(['1.1']);
    expect(await plans.overviewActions('Reassuring residents')).toEqual([]);
    expect(await page.getByText('No actions match.').isVisible()).toBe(true);

    await plans.filter({ Status: 'All statuses', Lead: LEAD_AGENCY });
    expect(await plans.themeCounts('Shoplifting')).toEqual(counts('1', '0', '1', '1', '1'));
    expect(await plans.overviewActions('Shoplifting')).toEqual(['1.1', '1.3']);
    expect(await plans.overviewActions('Reassuring residents')).toEqual(['2.1']);
  });
});

describe('deleting and closing', () => {
  it('deletes an action after saying what goes with it, and closes an update round', async () => {
    const plan = await seedPlan(b.services, DISTRICT.slug, {
      title: 'Safer streets',
      period: '2033/34',
      themes: [
        {
          type: 'priority',
          title: 'Road safety',
          actions: [
            {
              number: '1.1',
              title: 'Speed checks outside schools',
              leads: [LEAD_AGENCY],
              milestones: [['Pick the schools', 'By June 33']],
              updates: [{ month: '2033-05', status: 'in-progress' }],
            },
            { number: '1.2', title: 'Paint new crossings', leads: [COORDINATOR_AGENCY] },
          ],
        },
      ],
      rounds: [{ month: '2033-05', deadline: '2033-06-10' }],
    });
    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    const plans = new PlansPage(page, DISTRICT.slug);
    await plans.openAction(plan.id, plan.actions['1.1'] ?? 0);
    await follow(page, () => page.getByRole('button', { name: 'Delete action' }).click());
    expect(await heading(page, 'Are you sure you want to delete action 1.1?').isVisible()).toBe(
      true,
    );
    expect(await page.locator('#goes').getByRole('listitem').allInnerTexts()).toEqual([
      '1 milestone',
      '1 progress update',
    ]);
    await follow(page, () => page.getByRole('button', { name: 'Delete action' }).click());
    expect(await plans.notice('Action deleted.').isVisible()).toBe(true);
    const table = plans.actionTable('Priority 1: Road safety');
    expect(await plans.actionRow(table, '1.1').count()).toBe(0);
    expect(await plans.actionRow(table, '1.2').count()).toBe(1);

    await plans.openRounds();
    await follow(page, () => page.getByRole('link', { name: 'May 2033', exact: true }).click());
    expect(
      await plans
        .roundRow('1.2')
        .getByRole('button', { name: /^Remind/ })
        .count(),
    ).toBe(1);
    await follow(page, () => page.getByRole('button', { name: 'Close round' }).click());
    expect(
      await plans.notice('Round closed. Leads are no longer asked for updates for it.').isVisible(),
    ).toBe(true);
    expect(await page.locator('h1 + p .govuk-tag').innerText()).toBe('Closed');
    // A closed round sends no reminders, and can be opened again.
    expect(await plans.roundRow('1.2').getByRole('button').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reopen round' }).isVisible()).toBe(true);
  });
});
