import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { ROOT } from '../../src/paths.js';
import { useBrowser } from './support/browser.js';
import { COORDINATOR_AGENCY, DISTRICT, LEAD_AGENCY, PEOPLE } from './support/people.js';
import { follow, heading, signIn } from './support/pages.js';
import { PlansPage, seedPlan } from './support/plans.js';

const b = useBrowser();

/** The columns an import reads, in the order an export writes them. */
const HEADER =
  'Theme type,Theme,No.,Action,Desired outcome,Key milestones,Timescales,Lead agency,Status,Update,Update month';

/** A file a coordinator might send: an unknown status on row 2, a number used twice. */
const BAD_CSV = [
  HEADER,
  'Priority,Burglary,1.1,Mark property,,Buy kits,By June 34,Kent Police,Nearly done,,',
  'Priority,Burglary,1.1,Visit victims,,,,Kent Police,,,',
  'Priority,Burglary,1.2,Fit locks,,,,Kent Police,,,',
].join('\r\n');

const plansOf = async () =>
  (await b.services.plans.list(COMMAND_LINE, DISTRICT.slug)).map((p) => p.periodLabel);
const groupsOf = async () =>
  (await b.services.groups.list(COMMAND_LINE, DISTRICT.slug)).map((g) => g.name);

describe('importing an action plan', () => {
  it('refuses a file with errors, naming each by row and column, then previews and imports a good one', async () => {
    const page = await b.newPage();
    await signIn(page, PEOPLE.coordinator);
    const plans = new PlansPage(page, DISTRICT.slug);
    await plans.openList();
    await follow(page, () => page.getByRole('button', { name: 'Import an action plan' }).click());
    expect(await heading(page, 'Import an action plan').isVisible()).toBe(true);
    const groupsBefore = await groupsOf();
    // Works without JavaScript: a plain multipart form that posts the file with its CSRF field.
    const form = page.locator('form[enctype="multipart/form-data"]');
    expect(await form.getAttribute('method')).toBe('post');
    expect(await form.getAttribute('action')).toBe(`/partnerships/${DISTRICT.slug}/plans/import`);
    expect(await form.locator('input[type="file"][name="file"]').count()).toBe(1);
    expect(await form.locator('input[type="hidden"][name="_csrf"]').count()).toBe(1);
    const submit = form.getByRole('button', { name: 'Check the file' });
    expect(await submit.getAttribute('type')).toBe('submit');

    await page.getByLabel('Title', { exact: true }).fill('Safer Swale');
    await page.getByLabel('Period', { exact: true }).fill('2034/35');
    const file = page.getByLabel('Action plan file');
    await file.setInputFiles({
      name: 'action-plan.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(BAD_CSV),
    });
    await follow(page, () => page.getByRole('button', { name: 'Check the file' }).click());
    expect(await page.title()).toMatch(/^Error: Import an action plan/);
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    const problems = summary.getByRole('link');
    expect(await problems.allInnerTexts()).toEqual([
      'Row 2, Status: Status must be Not yet started, In progress, Complete, On hold or Off track',
      'Row 3, No.: Action 1.1 is on row 2 and row 3: each number must be used once',
    ]);
    const hrefs = await Promise.all((await problems.all()).map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(['#file', '#file']);
    await problems.first().click();
    expect(await page.locator(':focus').getAttribute('id')).toBe('file');
    expect(await page.locator('#file-error').innerText()).toContain(
      'The file has 2 problems, listed at the top of the page',
    );
    expect(await file.getAttribute('aria-describedby')).toContain('file-error');
    // Nothing is saved from a refused file; what was typed stays in the form.
    expect(await plansOf()).not.toContain('2034/35');
    expect(await groupsOf()).toEqual(groupsBefore);
    expect(await page.getByLabel('Period', { exact: true }).inputValue()).toBe('2034/35');

    await file.setInputFiles(resolve(ROOT, 'samples/action-plan.xlsx'));
    await follow(page, () => page.getByRole('button', { name: 'Check the file' }).click());
    expect(await heading(page, 'Check the action plan before importing it').isVisible()).toBe(true);
    const facts = await page.locator('.govuk-summary-list').innerText();
    expect(facts).toMatch(/Plan\s+Safer Swale 2034\/35 \(draft\)/);
    expect(facts).toMatch(/Themes\s+4/);
    expect(facts).toMatch(/Actions\s+10/);
    const themes = await page.getByRole('heading', { level: 2 }).allInnerTexts();
    expect(themes.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(
      expect.arrayContaining([
        'Priority Safer town centres at night',
        'Priority Domestic abuse',
        'Priority Young people and exploitation',
        'Cross-cutting theme Listening to communities',
      ]),
    );
    expect(
      await page.getByRole('table', { name: 'Actions under Domestic abuse' }).innerText(),
    ).toContain('Give every victim assessed as high risk an advocate');
    const newGroups = await page
      .getByRole('heading', { name: 'Lead bodies to be added as groups' })
      .locator('~ ul')
      .first()
      .getByRole('listitem')
      .allInnerTexts();
    expect(newGroups.sort()).toEqual(
      ['Council', 'Council licensing', 'Fire', 'Health', 'Police', 'Probation', 'VCS'].sort(),
    );
    // Still nothing saved until the coordinator says so.
    expect(await plansOf()).not.toContain('2034/35');

    await follow(page, () => page.getByRole('button', { name: 'Import plan' }).click());
    expect(await heading(page, 'Action plan imported').isVisible()).toBe(true);
    expect(await page.getByText('Safer Swale 2034/35 is saved as a draft').isVisible()).toBe(true);
    expect(await plansOf()).toContain('2034/35');
    expect(await groupsOf()).toEqual(expect.arrayContaining(newGroups));

    await follow(page, () => page.getByRole('link', { name: 'Go to the plan' }).click());
    expect(await heading(page, 'Safer Swale 2034/35').isVisible()).toBe(true);
    const numbers = await page.locator('table.app-action-plan tbody th').allInnerTexts();
    expect(numbers.map((n) => n.split('\n')[0]?.trim())).toEqual([
      '1.1',
      '1.2',
      '1.3',
      '2.1',
      '2.2',
      '2.3',
      '3.1',
      '3.2',
      '4.1',
      '4.2',
    ]);
  });
});

describe('exporting an action plan', () => {
  it('downloads the plan as Excel and as CSV in the columns an import reads', async () => {
    await seedPlan(b.services, DISTRICT.slug, {
      title: 'Safer Swale',
      period: '2035/36',
      themes: [
        {
          type: 'priority',
          title: 'Burglary',
          actions: [
            {
              number: '1.1',
              title: 'Mark property in the worst-hit streets',
              leads: [LEAD_AGENCY],
              milestones: [['Buy marking kits', 'By June 35']],
              updates: [{ month: '2035-05', status: 'in-progress', narrative: '200 homes done' }],
            },
            { number: '1.2', title: 'Fit door locks', leads: [COORDINATOR_AGENCY] },
          ],
        },
        {
          type: 'cross-cutting',
          title: 'Victims first',
          actions: [{ number: '2.1', title: 'Call every victim back', leads: [LEAD_AGENCY] }],
        },
      ],
    });
    const page = await b.newPage();
    await signIn(page, PEOPLE.viewer);
    const plans = new PlansPage(page, DISTRICT.slug);
    const plan = (await b.services.plans.list(COMMAND_LINE, DISTRICT.slug)).find(
      (p) => p.periodLabel === '2035/36',
    );
    await plans.openPlan(plan?.id ?? 0);

    const csv = await plans.download('CSV');
    expect(csv.filename).toBe('safer-swale-2035-36.csv');
    const lines = csv.content
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['1.1', '1.2', '2.1', undefined]);
    expect(lines[1]).toContain('In progress,200 homes done,2035-05');

    const xlsx = await plans.download('Excel');
    expect(xlsx.filename).toBe('safer-swale-2035-36.xlsx');
    const workbook = new ExcelJS.Workbook();
    // exceljs's types predate Node's generic Buffer.
    await workbook.xlsx.load(xlsx.content as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const rows = (sheet?.getSheetValues() ?? []).slice(1) as unknown[][];
    expect(rows[0]?.slice(1).join(',')).toBe(HEADER);
    expect(rows.slice(1).map((r) => r[3])).toEqual(['1.1', '1.2', '2.1']);
  });
});
