import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE, type Actor } from '../../src/core/actor.js';
import { ForbiddenError, NotFoundError } from '../../src/core/errors.js';
import { FileError } from '../../src/core/grid-file.js';
import { ROOT } from '../../src/paths.js';
import type { Plan } from '../../src/features/plans/plans.repository.js';
import { Client, signedIn, testApp, type TestApp } from '../helpers/app.js';
import {
  PASSWORD,
  agency,
  member,
  partnership,
  user,
  actorFor,
  fieldErrorsOf,
} from '../helpers/factories.js';

const sample = (ext: 'csv' | 'xlsx') => ({
  filename: `action-plan.${ext}`,
  content: readFileSync(resolve(ROOT, `samples/action-plan.${ext}`)),
});
const csvFile = (text: string) => ({ filename: 'plan.csv', content: Buffer.from(text) });
const HEADER =
  'Theme type,Theme,No.,Action,Desired outcome,Key milestones,Timescales,Lead agency,Status,Update,Update month';

let t: TestApp;
let coordinator: Actor;
let otherCoordinator: Actor;
let lead: Actor;
let viewer: Actor;
const emails: Record<string, string> = {};

const actorOf = (id: number): Promise<Actor> => actorFor(t.services, id);

const fieldsOf = fieldErrorsOf;

/** What a plan file carries, without ids: the same for a plan and its round trip. */
function shape(plan: Plan) {
  return plan.themes.map((th) => ({
    type: th.type,
    title: th.title,
    actions: th.actions.map((a) => ({
      number: a.number,
      title: a.title,
      desiredOutcome: a.desiredOutcome,
      milestones: a.milestones.map((m) => [m.text, m.timescale, m.dueDate, m.timescaleNote]),
      milestoneNote: a.milestoneNote,
      leads: a.leads.map((l) => `${l.type}:${l.name}`).sort(),
      latest: a.latest,
    })),
  }));
}

async function countRows() {
  const db = t.services.db;
  const n = async (table: 'plans' | 'groups' | 'actions' | 'action_updates') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    plans: await n('plans'),
    groups: await n('groups'),
    actions: await n('actions'),
    updates: await n('action_updates'),
  };
}

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'swale', name: 'Swale CSP' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  const police = await agency(s, 'Police', 'police');
  await s.partnerships.addPartnerAgency(COMMAND_LINE, 'swale', { agencyId: police.id });
  await s.groups.create(COMMAND_LINE, 'swale', { name: 'council', kind: 'panel' });
  const c = await user(s, { agencyId: police.id });
  await member(s, 'swale', c.email, 'coordinator');
  coordinator = await actorOf(c.id);
  emails.coordinator = c.email;
  const l = await user(s, { agencyId: police.id });
  await member(s, 'swale', l.email, 'lead');
  lead = await actorOf(l.id);
  emails.lead = l.email;
  const v = await user(s);
  await member(s, 'swale', v.email, 'viewer');
  viewer = await actorOf(v.id);
  const o = await user(s);
  await member(s, 'medway', o.email, 'coordinator');
  otherCoordinator = await actorOf(o.id);
});
afterAll(() => t.close());

describe('importing an action plan', () => {
  let planId: number;

  it('creates a draft plan from the sample file, with new lead bodies made groups', async () => {
    const before = await countRows();
    const result = await t.services.planFiles.importFile(
      coordinator,
      'swale',
      { title: 'Community safety plan', period: '2024/25' },
      sample('csv'),
    );
    planId = result.plan.id;
    expect(result.plan).toMatchObject({ periodLabel: '2024/25', status: 'draft' });
    // "Police" is a partner agency and "council" a group already (names match whatever the case).
    expect(result.createdGroups).toEqual([
      'Council licensing',
      'VCS',
      'Probation',
      'Health',
      'Fire',
    ]);
    expect(result.counts).toMatchObject({ themes: 4, actions: 10, updates: 8 });

    const plan = await t.services.plans.get(coordinator, 'swale', planId);
    expect(plan.themes.map((th) => [th.type, th.title, th.actions.length])).toEqual([
      ['priority', 'Safer town centres at night', 3],
      ['priority', 'Domestic abuse', 3],
      ['priority', 'Young people and exploitation', 2],
      ['cross-cutting', 'Listening to communities', 2],
    ]);
    const first = plan.themes[0]?.actions[0];
    expect(first?.leads.map((l) => `${l.type}:${l.name}`)).toEqual([
      'agency:Police',
      'group:Council licensing',
    ]);
    expect(first?.milestones.map((m) => [m.timescale, m.dueDate])).toEqual([
      ['April 2024', '2024-04-30'],
      ['May 2024', '2024-05-31'],
      ['Quarterly (July, October, January and April)', null],
    ]);
    expect(first?.latest).toEqual({
      month: '2024-09',
      status: 'in-progress',
      narrative:
        'Patrols have run on six weekends; door staff report quicker help when trouble starts.',
    });
    // The status was taken from the start of the update.
    expect(plan.themes[0]?.actions[1]?.latest).toMatchObject({
      status: 'not-started',
      narrative: 'the trainer is booked for October.',
    });
    const after = await countRows();
    expect(after.groups - before.groups).toBe(5);
    const history = await t.services.plans.history(coordinator, 'swale', planId);
    expect(history[0]?.summary).toBe(
      'Imported the plan Community safety plan (2024/25) from action-plan.csv: 4 themes, 10 actions',
    );
  });

  it('refuses a file with bad rows whole, naming each row and column, and saves nothing', async () => {
    const before = await countRows();
    const file = csvFile(
      [
        HEADER,
        'Priority,Streets,1.1,Patrol,,Plan,May 2025,Brand new body,In progress,Going well,2025-06',
        'Priority,Streets,1.2,Light,,Plan,May 2025,Police,Sort of,,2025-13',
      ].join('\n'),
    );
    const err = await t.services.planFiles
      .importFile(coordinator, 'swale', { title: 'Next', period: '2025/26' }, file)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).problems).toEqual([
      {
        row: 3,
        column: 'Status',
        message: 'Status must be Not yet started, In progress, Complete, On hold or Off track',
      },
      {
        row: 3,
        column: 'Update month',
        message: 'Update month must be a real month written like 2024-09',
      },
    ]);
    expect(await countRows()).toEqual(before);
  });

  it('refuses a period that already has a plan, and asks for the month of undated updates', async () => {
    expect(
      await fieldsOf(
        t.services.planFiles.importFile(
          coordinator,
          'swale',
          { title: 'Again', period: '2024-25' },
          sample('csv'),
        ),
      ),
    ).toEqual({ period: 'The partnership already has a plan for this period' });
    const undated = csvFile(
      [
        HEADER,
        'Priority,Streets,1.1,Patrol,,Plan,May 2025,Police,Complete,Done,',
        'Priority,Streets,1.2,Walk,,,,Police,,,',
      ].join('\n'),
    );
    expect(
      await fieldsOf(
        t.services.planFiles.importFile(
          coordinator,
          'swale',
          { title: 'Undated', period: '2030/31' },
          undated,
        ),
      ),
    ).toEqual({
      updateMonth: 'The file has an update with no update month: enter the month it is for',
    });
    const { plan } = await t.services.planFiles.importFile(
      coordinator,
      'swale',
      { title: 'Undated', period: '2030/31', updateMonth: '2030-06' },
      undated,
    );
    const loaded = await t.services.plans.get(coordinator, 'swale', plan.id);
    expect(loaded.themes[0]?.actions.map((a) => a.latest?.month ?? null)).toEqual([
      '2030-06',
      null,
    ]);
  });

  it('keeps milestones that do not pair with timescales, flags the action, and clears the flag when saved', async () => {
    const file = csvFile(
      [HEADER, 'Priority,Streets,1.1,Patrol,,"One\nTwo\nThree",May 2031,Police,,,'].join('\n'),
    );
    const { plan } = await t.services.planFiles.importFile(
      coordinator,
      'swale',
      { title: 'Pairs', period: '2031/32' },
      file,
    );
    const action = (await t.services.plans.get(coordinator, 'swale', plan.id)).themes[0]
      ?.actions[0];
    expect(action?.milestones.map((m) => [m.text, m.timescale])).toEqual([
      ['One', 'May 2031'],
      ['Two', ''],
      ['Three', ''],
    ]);
    expect(action?.milestoneNote).toBe(
      'The file had 3 milestones and 1 timescale: check they are paired correctly',
    );
    await t.services.actions.update(coordinator, 'swale', plan.id, action?.id ?? 0, {
      themeId: String(action?.themeId),
      number: '1.1',
      title: 'Patrol',
      leads: `agency:${action?.leads[0]?.id}`,
      milestone1: 'One',
      timescale1: 'May 2031',
      milestone2: 'Two',
      timescale2: 'June 2031',
    });
    const saved = (await t.services.plans.get(coordinator, 'swale', plan.id)).themes[0]?.actions[0];
    expect(saved?.milestoneNote).toBeNull();
  });

  it('keeps a group named with a "/" whole among leads split by "/"', async () => {
    await t.services.groups.create(COMMAND_LINE, 'swale', {
      name: 'ASB/Tasking Panel',
      kind: 'panel',
    });
    const file = csvFile(
      [
        HEADER,
        'Priority,Streets,1.1,Patrol,,Map hotspots,May 2032,"Police / ASB / Tasking Panel / Youth Hub",,,',
      ].join('\n'),
    );
    const { plan } = await t.services.planFiles.importFile(
      coordinator,
      'swale',
      { title: 'Slashes', period: '2040/41' },
      file,
    );
    const action = (await t.services.plans.get(coordinator, 'swale', plan.id)).themes[0]
      ?.actions[0];
    expect(action?.leads.map((l) => `${l.type}:${l.name}`).sort()).toEqual([
      'agency:Police',
      'group:ASB/Tasking Panel',
      'group:Youth Hub',
    ]);
  });

  it('lets only coordinators import, and hides other partnerships', async () => {
    await expect(
      t.services.planFiles.importFile(
        lead,
        'swale',
        { title: 'Mine', period: '2040/41' },
        sample('csv'),
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      t.services.planFiles.importFile(
        otherCoordinator,
        'swale',
        { title: 'Mine', period: '2040/41' },
        sample('csv'),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      t.services.planFiles.exportPlan(otherCoordinator, 'swale', planId, 'csv'),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      t.services.planFiles.exportPlan(otherCoordinator, 'medway', planId, 'csv'),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('previews a file, keeps it for its own author, and imports it once confirmed', async () => {
    const before = await countRows();
    const preview = await t.services.planFiles.preview(
      coordinator,
      'swale',
      { title: 'Previewed', period: '2026/27' },
      sample('xlsx'),
    );
    expect(preview.newGroups).toEqual([]); // made by the first import
    expect(preview.counts).toMatchObject({ themes: 4, actions: 10 });
    expect(await countRows()).toEqual(before);
    await expect(t.services.planFiles.get(lead, 'swale', preview.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      t.services.planFiles.get(otherCoordinator, 'medway', preview.id),
    ).rejects.toBeInstanceOf(NotFoundError);
    // Files of every importer wait in one place: an indicator import cannot reach this one.
    await expect(
      t.services.indicatorFiles.get(coordinator, 'swale', preview.id),
    ).rejects.toBeInstanceOf(NotFoundError);
    const again = await t.services.planFiles.get(coordinator, 'swale', preview.id);
    expect(again).toEqual({ preview });
    const result = await t.services.planFiles.confirm(coordinator, 'swale', preview.id);
    expect(result.plan.periodLabel).toBe('2026/27');
    // Confirming twice (a resubmitted form) does not import twice.
    expect(await t.services.planFiles.confirm(coordinator, 'swale', preview.id)).toEqual(result);
    expect(await t.services.planFiles.get(coordinator, 'swale', preview.id)).toEqual({ result });
  });
});

describe('exporting an action plan', () => {
  it.each(['csv', 'xlsx'] as const)(
    'exports as %s in columns that import back unchanged',
    async (format) => {
      const plans = await t.services.plans.list(coordinator, 'swale');
      const source = plans.find((p) => p.periodLabel === '2024/25');
      if (!source) throw new Error('no plan');
      // A milestone with no timescale between two with, and text that a spreadsheet would run.
      const plan = await t.services.plans.get(coordinator, 'swale', source.id);
      const action = plan.themes[1]?.actions[0];
      if (!action) throw new Error('no action');
      if (format === 'csv') {
        await t.services.actions.update(coordinator, 'swale', source.id, action.id, {
          themeId: String(action.themeId),
          number: action.number,
          title: '=HYPERLINK("http://evil.example","click")',
          desiredOutcome: '-1+1',
          leads: action.leads.map((l) => `${l.type}:${l.id}`),
          milestone1: 'First',
          timescale1: 'May 2024',
          milestone2: 'Second, no date yet',
          timescale2: '',
          milestone3: 'Third',
          timescale3: 'By March 25',
        });
      }
      const file = await t.services.planFiles.exportPlan(viewer, 'swale', source.id, format);
      expect(file.filename).toBe(`community-safety-plan-2024-25.${format}`);
      if (format === 'csv') {
        const text = file.content.toString('utf8');
        expect(text.startsWith('\uFEFFTheme type,Theme,No.,Action')).toBe(true);
        expect(text).toContain(`'=HYPERLINK(""http://evil.example"",""click"")`);
        expect(text).toContain(`,'-1+1,`);
      }
      const period = format === 'csv' ? '2027/28' : '2028/29';
      const { plan: copy } = await t.services.planFiles.importFile(
        coordinator,
        'swale',
        { title: 'Round trip', period },
        file,
      );
      const before = await t.services.plans.get(coordinator, 'swale', source.id);
      const after = await t.services.plans.get(coordinator, 'swale', copy.id);
      // Timescales are read against each plan's own year: compare within one year of plans.
      const strip = (p: Plan) =>
        shape(p).map((th) => ({
          ...th,
          actions: th.actions.map((a) => ({
            ...a,
            milestones: a.milestones.map((m) => m.slice(0, 2)),
          })),
        }));
      expect(strip(after)).toEqual(strip(before));
      expect(before.themes[1]?.actions[0]?.title).toBe('=HYPERLINK("http://evil.example","click")');
    },
  );
});

describe('the import and export pages', () => {
  let browser: Client;
  beforeAll(async () => {
    browser = await signedIn(t.app, emails.coordinator ?? '', PASSWORD);
  });

  it('shows every problem in a bad file, then previews a good one and imports it when confirmed', async () => {
    const form = await browser.get('/partnerships/swale/plans/import');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('enctype="multipart/form-data"');

    const missing = await browser.upload('/partnerships/swale/plans/import', {
      title: '',
      period: '2032/33',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Enter the plan’s title');
    // Every error at once, the missing file with the others.
    expect(missing.body).toContain('Select the action plan file');

    const bad = await browser.upload(
      '/partnerships/swale/plans/import',
      { title: 'Web import', period: '2032/33' },
      {
        field: 'file',
        filename: 'plan.csv',
        content: Buffer.from(
          `${HEADER}\nPriority,Streets,1.1,Patrol,,Plan,May 2032,Police,Sort of,,\nNeither,Streets,1.1,Walk,,,,Police,,,\n`,
        ),
      },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Row 2, Status: Status must be Not yet started');
    expect(bad.body).toContain(
      'Row 3, Theme type: Theme type must be Priority or Cross-cutting theme',
    );
    expect(bad.body).toContain('Row 3, No.: Action 1.1 is on row 2 and row 3');
    expect(bad.body).toContain('value="Web import"');

    const good = await browser.upload(
      '/partnerships/swale/plans/import',
      { title: 'Web import', period: '2032/33' },
      { field: 'file', filename: 'action-plan.xlsx', content: sample('xlsx').content },
    );
    expect(good.statusCode).toBe(303);
    const previewUrl = good.headers.location as string;
    const preview = await browser.get(previewUrl);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Check the action plan before importing it');
    expect(preview.body).toContain('Safer town centres at night');
    expect(await t.services.plans.list(coordinator, 'swale')).not.toContainEqual(
      expect.objectContaining({ periodLabel: '2032/33' }),
    );

    const confirmed = await browser.post(previewUrl);
    expect(confirmed.statusCode).toBe(303);
    const result = await browser.get(confirmed.headers.location as string);
    expect(result.body).toContain('Action plan imported');
    expect(await t.services.plans.list(coordinator, 'swale')).toContainEqual(
      expect.objectContaining({ periodLabel: '2032/33', title: 'Web import' }),
    );
  });

  it('refuses files over 10 MB with a 413, and other people’s previews with a 404', async () => {
    await browser.get('/partnerships/swale/plans/import');
    const huge = await browser.upload(
      '/partnerships/swale/plans/import',
      { title: 'Huge', period: '2033/34' },
      { field: 'file', filename: 'huge.csv', content: Buffer.alloc(10 * 1024 * 1024 + 10, 97) },
    );
    expect(huge.statusCode).toBe(413);
    const preview = await t.services.planFiles.preview(
      coordinator,
      'swale',
      { title: 'Mine', period: '2033/34' },
      sample('csv'),
    );
    const other = await signedIn(t.app, emails.lead ?? '', PASSWORD);
    expect((await other.get(`/partnerships/swale/plans/import/${preview.id}`)).statusCode).toBe(
      403,
    );
    const signedOut = new Client(t.app);
    const anonymous = await signedOut.upload(
      '/partnerships/swale/plans/import',
      { _csrf: 'x' },
      {
        field: 'file',
        filename: 'plan.csv',
        content: sample('csv').content,
      },
    );
    expect(anonymous.statusCode).toBe(401);
  });

  it('downloads the plan as CSV and Excel', async () => {
    const plan = (await t.services.plans.list(coordinator, 'swale')).find(
      (p) => p.periodLabel === '2024/25',
    );
    const csv = await browser.get(`/partnerships/swale/plans/${plan?.id}/export?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="community-safety-plan-2024-25.csv"',
    );
    const xlsx = await browser.get(`/partnerships/swale/plans/${plan?.id}/export?format=xlsx`);
    expect(xlsx.rawPayload.readUInt32LE(0)).toBe(0x04034b50);
  });
});
