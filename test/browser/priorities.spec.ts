import { describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { DISTRICT, PEOPLE } from './support/people.js';
import { follow, heading, signIn, visit } from './support/pages.js';

const b = useBrowser();

describe('priority setting', () => {
  it('lets a lead score the candidates, a viewer read the ranked result, and a coordinator start the plan', async () => {
    const lead = await b.newPage();
    await signIn(lead, PEOPLE.lead);
    await visit(lead, `/partnerships/${DISTRICT.slug}/priorities`);
    await follow(lead, () =>
      lead.getByRole('link', { name: 'Priority setting for 2025/26' }).click(),
    );
    await follow(lead, () => lead.getByRole('button', { name: 'Score the candidates' }).click());
    expect(await heading(lead, 'Score the candidates').isVisible()).toBe(true);

    // The lead scored in the demo; their scores are shown, one select a candidate and criterion.
    const harm = lead.getByLabel('Harm score for Domestic abuse', { exact: true });
    expect(await harm.inputValue()).toBe('5');
    await harm.selectOption('');
    await follow(lead, () => lead.getByRole('button', { name: 'Save your scores' }).click());
    expect(await lead.title()).toMatch(/^Error: Score the candidates/);
    const summary = lead.getByRole('alert').filter({ hasText: 'There is a problem' });
    expect(await summary.getByRole('link').allInnerTexts()).toEqual([
      'Select a score for Harm for Domestic abuse',
    ]);
    await summary.getByRole('link').first().click();
    expect(await lead.locator(':focus').getAttribute('id')).toMatch(/^score-\d+-\d+$/);

    await harm.selectOption('4');
    await follow(lead, () => lead.getByRole('button', { name: 'Save your scores' }).click());
    expect(await lead.getByText('Your scores are saved.').isVisible()).toBe(true);
    expect(
      await lead
        .getByText('Dan Hughes (Kent Police) changed a score of Priority setting for 2025/26')
        .isVisible(),
    ).toBe(true);

    const viewer = await b.newPage();
    await signIn(viewer, PEOPLE.viewer);
    const exercise = new URL(lead.url()).pathname;
    await visit(viewer, exercise);
    expect(await viewer.getByRole('button', { name: 'Score the candidates' }).count()).toBe(0);
    await follow(viewer, () => viewer.getByRole('link', { name: 'See the ranked result' }).click());
    const table = viewer.getByRole('table', { name: 'Priority setting for 2025/26' });
    const first = table.getByRole('row').nth(1);
    expect(await first.getByRole('cell').allInnerTexts()).toEqual([
      '1',
      'Domestic abuse',
      '38.00',
      '3',
    ]);
    expect(await viewer.getByText('Provisional').isVisible()).toBe(true);

    const coordinator = await b.newPage();
    await signIn(coordinator, PEOPLE.coordinator);
    await visit(coordinator, exercise);
    await follow(coordinator, () =>
      coordinator.getByRole('button', { name: 'Close scoring' }).click(),
    );
    expect(
      await coordinator.getByText('Scoring closed. The ranked result is final.').isVisible(),
    ).toBe(true);
    await follow(coordinator, () =>
      coordinator
        .getByRole('button', { name: 'Choose priorities and start the 2025/26 plan' })
        .click(),
    );
    await coordinator
      .getByLabel('Order of Domestic abuse in the plan')
      .selectOption({ label: '1st' });
    await coordinator
      .getByLabel('Order of Exploitation of young people in the plan')
      .selectOption({ label: '2nd' });
    await follow(coordinator, () => coordinator.getByRole('button', { name: 'Continue' }).click());
    expect(await heading(coordinator, 'Start the 2025/26 plan').isVisible()).toBe(true);
    await follow(coordinator, () =>
      coordinator.getByRole('button', { name: 'Start the draft plan' }).click(),
    );
    expect(new URL(coordinator.url()).pathname).toMatch(/^\/partnerships\/swale\/plans\/\d+$/);
    expect(await coordinator.getByText('Exploitation of young people').first().isVisible()).toBe(
      true,
    );
  });
});
