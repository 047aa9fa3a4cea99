import type { Download, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { COMMAND_LINE } from '../../../src/core/actor.js';
import type { Status } from '../../../src/domain/statuses.js';
import type { Services } from '../../../src/services.js';
import { follow, visit } from './pages.js';

export type ThemeKind = 'Priority' | 'Cross-cutting theme';

export interface ActionDetails {
  number: string;
  title: string;
  /** Milestone and timescale, in order. */
  milestones: [string, string][];
  /** Agencies or groups, by name. */
  leads: string[];
}

/**
 * A partnership's plans: the list, a plan's page and the forms reached from it, an action's
 * page, the overview and update rounds. Methods that start on a page say which.
 */
export class PlansPage {
  constructor(
    readonly page: Page,
    readonly slug: string,
  ) {}

  get base(): string {
    return `/partnerships/${this.slug}/plans`;
  }

  /** The notice a change leaves at the top of the next page ("Plan created."). */
  notice(text: string): Locator {
    return this.page.getByRole('alert').getByText(text, { exact: true });
  }

  async openList(): Promise<void> {
    expect(await visit(this.page, this.base)).toBe(200);
  }

  async openPlan(planId: number, hash = ''): Promise<void> {
    expect(await visit(this.page, `${this.base}/${planId}${hash}`)).toBe(200);
  }

  async openAction(planId: number, actionId: number): Promise<void> {
    expect(await visit(this.page, `${this.base}/${planId}/actions/${actionId}`)).toBe(200);
  }

  /** From the list of plans. Ends on the new plan's page. */
  async create(title: string, period: string): Promise<void> {
    const { page } = this;
    await follow(page, () => page.getByRole('button', { name: 'Create a plan' }).click());
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByLabel('Period', { exact: true }).fill(period);
    await follow(page, () => page.getByRole('button', { name: 'Create plan' }).click());
  }

  /** From a plan's page, and back to it. */
  async addTheme(kind: ThemeKind, title: string): Promise<void> {
    const { page } = this;
    await follow(page, () => page.getByRole('button', { name: 'Add a priority or theme' }).click());
    await page.getByRole('radio', { name: kind, exact: true }).check();
    await page.getByLabel('Title', { exact: true }).fill(title);
    await follow(page, () => page.getByRole('button', { name: 'Save', exact: true }).click());
  }

  /** From a plan's page, under the theme's own "Add an action" link, and back to it. */
  async addAction(theme: string, action: ActionDetails): Promise<void> {
    const { page } = this;
    await follow(page, () =>
      page.getByRole('link', { name: `Add an action to ${theme}`, exact: true }).click(),
    );
    await page.getByLabel('No.', { exact: true }).fill(action.number);
    await page.getByLabel('Action', { exact: true }).fill(action.title);
    for (const [i, [milestone, timescale]] of action.milestones.entries()) {
      const row = page.getByRole('group', { name: `Milestone ${i + 1}`, exact: true });
      await row.getByLabel('Milestone', { exact: true }).fill(milestone);
      await row.getByLabel('Timescale', { exact: true }).fill(timescale);
    }
    for (const lead of action.leads)
      await page.getByRole('checkbox', { name: lead, exact: true }).check();
    await follow(page, () => page.getByRole('button', { name: 'Save action' }).click());
  }

  /** On a plan's page: the action plan table of a theme, by its caption ("Priority 1: …"). */
  actionTable(caption: string): Locator {
    return this.page.getByRole('table', { name: caption, exact: true });
  }

  /** A row of an action plan table, by the action's number. */
  actionRow(table: Locator, number: string): Locator {
    return table.getByRole('row').filter({
      has: this.page.getByRole('rowheader').filter({ hasText: new RegExp(`^${number}\\b`) }),
    });
  }

  /** On an action's page. */
  async postUpdate(month: string, status: string, narrative: string): Promise<void> {
    const { page } = this;
    await page.getByLabel('Reporting month').fill(month);
    await page.getByRole('radio', { name: status, exact: true }).check();
    await page.getByLabel('Update', { exact: true }).fill(narrative);
    await follow(page, () => page.getByRole('button', { name: 'Post update' }).click());
  }

  /** From a plan's page: its update rounds. */
  async openRounds(): Promise<void> {
    await follow(this.page, () => this.page.getByRole('link', { name: 'Update rounds' }).click());
  }

  /** On the update rounds page. Ends on the new round's page. */
  async openRound(month: string, deadline: string): Promise<void> {
    const { page } = this;
    await page.getByLabel('Reporting month').fill(month);
    await page.getByLabel('Deadline').fill(deadline);
    await follow(page, () => page.getByRole('button', { name: 'Open round' }).click());
  }

  /** On a round's page: the row of an action in "Who has and has not updated". */
  roundRow(number: string): Locator {
    return this.page
      .getByRole('table', { name: 'Who has and has not updated' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('link', { name: number, exact: true }) });
  }

  /** On the overview: the counts of a theme, by column heading. */
  async themeCounts(theme: string): Promise<Record<string, string>> {
    const table = this.page.getByRole('table', { name: `Actions by status in ${theme}` });
    const heads = await table.getByRole('columnheader').allInnerTexts();
    const cells = await table.getByRole('cell').allInnerTexts();
    return Object.fromEntries(heads.map((h, i) => [h.trim(), (cells[i] ?? '').trim()]));
  }

  /** On the overview: the numbers of the actions listed under a theme. */
  async overviewActions(theme: string): Promise<string[]> {
    const table = this.page.getByRole('table', { name: `Actions in ${theme}`, exact: true });
    if ((await table.count()) === 0) return [];
    return table.locator('tbody tr td:first-child').allInnerTexts();
  }

  /** On the overview: chooses filters by their visible words and applies them. */
  async filter(choices: { Lead?: string; Status?: string }): Promise<void> {
    const { page } = this;
    for (const [label, option] of Object.entries(choices))
      await page.getByLabel(label, { exact: true }).selectOption({ label: option });
    await follow(page, () => page.getByRole('button', { name: 'Filter' }).click());
  }

  /** Clicks a link that downloads a file; answers the file's name and contents. */
  async download(name: string): Promise<{ filename: string; content: Buffer }> {
    const { page } = this;
    const [download]: [Download, unknown] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name, exact: true }).click(),
    ]);
    const stream = await download.createReadStream();
    const parts: Buffer[] = [];
    for await (const chunk of stream) parts.push(chunk as Buffer);
    return { filename: download.suggestedFilename(), content: Buffer.concat(parts) };
  }
}

// ---------------------------------------------------------------------------------------------
// Plans made through the services, for journeys about something other than typing them in.

export interface SeedAction {
  number: string;
  title: string;
  leads: string[];
  milestones?: [string, string][];
  updates?: { month: string; status: Status; narrative?: string }[];
}

export interface SeedPlan {
  title: string;
  period: string;
  themes: { type: 'priority' | 'cross-cutting'; title: string; actions: SeedAction[] }[];
  rounds?: { month: string; deadline: string }[];
}

export interface SeededPlan {
  id: number;
  /** Action ids by number. */
  actions: Record<string, number>;
  /** Round ids by month. */
  rounds: Record<string, number>;
}

/** Creates a plan as the command line would, naming leads by the partnership's own names. */
export async function seedPlan(s: Services, slug: string, spec: SeedPlan): Promise<SeededPlan> {
  const choices = await s.actions.leadChoices(COMMAND_LINE, slug);
  const leadRef = (name: string): string => {
    const agency = choices.agencies.find((a) => a.name === name);
    if (agency) return `agency:${agency.id}`;
    const group = choices.groups.find((g) => g.name === name);
    if (group) return `group:${group.id}`;
    throw new Error(`${slug} has no agency or group called ${name}`);
  };
  const plan = await s.plans.create(COMMAND_LINE, slug, { title: spec.title, period: spec.period });
  const seeded: SeededPlan = { id: plan.id, actions: {}, rounds: {} };
  for (const t of spec.themes) {
    const theme = await s.themes.add(COMMAND_LINE, slug, plan.id, {
      type: t.type,
      title: t.title,
    });
    for (const a of t.actions) {
      const fields: Record<string, unknown> = {
        themeId: String(theme.id),
        number: a.number,
        title: a.title,
        leads: a.leads.map(leadRef),
      };
      (a.milestones ?? []).forEach(([text, timescale], i) => {
        fields[`milestone${i + 1}`] = text;
        fields[`timescale${i + 1}`] = timescale;
      });
      const { id } = await s.actions.add(COMMAND_LINE, slug, plan.id, fields);
      seeded.actions[a.number] = id;
      for (const u of a.updates ?? [])
        await s.updates.post(COMMAND_LINE, slug, plan.id, id, { narrative: '', ...u });
    }
  }
  for (const r of spec.rounds ?? []) {
    const round = await s.rounds.open(COMMAND_LINE, slug, plan.id, r);
    seeded.rounds[r.month] = round.id;
  }
  return seeded;
}
