import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE, type Actor } from '../../src/core/actor.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../src/core/errors.js';
import { readPlanPeriod } from '../../src/features/plans/plans.schemas.js';
import { signedIn, testApp, type Client, type TestApp } from '../helpers/app.js';
import {
  PASSWORD,
  agency,
  member,
  partnership,
  user,
  actorFor,
  fieldErrorsOf,
} from '../helpers/factories.js';

let t: TestApp;
let coordinator: Actor;
let lead: Actor;
let viewer: Actor;
let police: { id: number };
let taskingGroupId: number;
let otherAgencyId: number;
const ids: Record<string, number> = {};
const emails: Record<string, string> = {};

const actorOf = (id: number): Promise<Actor> => actorFor(t.services, id);

const errorsOf = fieldErrorsOf;

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'swale', name: 'Swale CSP' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  police = await agency(s, 'Kent Police', 'police');
  otherAgencyId = (await agency(s, 'Medway Council', 'council')).id;
  await s.partnerships.addPartnerAgency(COMMAND_LINE, 'swale', { agencyId: police.id });
  await s.partnerships.addPartnerAgency(COMMAND_LINE, 'medway', { agencyId: otherAgencyId });
  taskingGroupId = (
    await s.groups.create(COMMAND_LINE, 'swale', { name: 'Tasking Group', kind: 'panel' })
  ).id;
  for (const role of ['coordinator', 'lead', 'viewer'] as const) {
    const u = await user(s, { agencyId: police.id });
    emails[role] = u.email;
    ids[role] = u.id;
    await member(s, 'swale', u.email, role);
  }
  coordinator = await actorOf(ids.coordinator ?? 0);
  lead = await actorOf(ids.lead ?? 0);
  viewer = await actorOf(ids.viewer ?? 0);
});
afterAll(() => t.close());

describe('plan periods', () => {
  it('keeps the label and the first and last days of the plan', () => {
    expect(readPlanPeriod('2024-25')).toEqual({
      label: '2024/25',
      start: '2024-04-01',
      end: '2025-03-31',
    });
    expect(readPlanPeriod('2016–2020')).toEqual({
      label: '2016 to 2020',
      start: '2016-04-01',
      end: '2020-03-31',
    });
    expect(readPlanPeriod('next year')).toHaveProperty('error');
  });
});

describe('plans service', () => {
  let planId: number;
  let themeId: number;
  let crossId: number;

  it('lets a coordinator create a plan, once per period', async () => {
    const plan = await t.services.plans.create(coordinator, 'swale', {
      title: 'Community safety plan',
      period: '2024/25',
    });
    planId = plan.id;
    expect(plan).toMatchObject({
      periodLabel: '2024/25',
      status: 'draft',
      periodStart: '2024-04-01',
    });
    const again = await errorsOf(
      t.services.plans.create(coordinator, 'swale', { title: 'Again', period: '2024-25' }),
    );
    expect(again.period).toBe('The partnership already has a plan for this period');
    expect(
      await errorsOf(t.services.plans.create(coordinator, 'swale', { title: '', period: 'soon' })),
    ).toEqual({
      title: 'Enter the plan’s title',
      period: 'Plan period must be written like 2024/25 or 2016 to 2020',
    });
  });

  it('refuses leads and viewers, and hides the plan from other partnerships', async () => {
    await expect(
      t.services.plans.create(lead, 'swale', { title: 'Mine', period: '2025/26' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      t.services.plans.updateSections(viewer, 'swale', planId, { introduction: 'x' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      t.services.themes.add(lead, 'swale', planId, { type: 'priority', title: 'Mine' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(t.services.plans.get(COMMAND_LINE, 'medway', planId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      t.services.plans.updateSections(COMMAND_LINE, 'medway', planId, { introduction: 'x' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await t.services.plans.get(viewer, 'swale', planId)).canManage).toBe(false);
  });

  it('keeps sections, drivers and risks in order', async () => {
    await t.services.plans.updateSections(coordinator, 'swale', planId, {
      introduction: 'Why we have a plan.',
      background: 'What the assessment found.',
      delivery: 'Who delivers what.',
      performanceMonitoring: 'How progress is reported.',
    });
    await t.services.plans.updateDrivers(coordinator, 'swale', planId, {
      drivers: '- Funding falls\n\n• New duty on serious violence\n',
    });
    expect(
      await errorsOf(
        t.services.plans.updateRisks(coordinator, 'swale', planId, {
          description2: 'No risk named',
        }),
      ),
    ).toEqual({ risk2: 'Enter the risk for the description on this row' });
    await t.services.plans.updateRisks(coordinator, 'swale', planId, {
      risk1: 'Funding',
      description1: 'Grants end early',
      risk3: 'Staffing',
    });
    const plan = await t.services.plans.get(coordinator, 'swale', planId);
    expect(plan.drivers).toEqual(['Funding falls', 'New duty on serious violence']);
    expect(plan.risks).toEqual([
      { risk: 'Funding', description: 'Grants end early' },
      { risk: 'Staffing', description: '' },
    ]);
    expect(plan.performanceMonitoring).toBe('How progress is reported.');
  });

  it('adds, edits and reorders themes with their priority actions', async () => {
    crossId = (
      await t.services.themes.add(coordinator, 'swale', planId, {
        type: 'cross-cutting',
        title: 'Young people',
      })
    ).id;
    themeId = (
      await t.services.themes.add(coordinator, 'swale', planId, {
        type: 'priority',
        title: 'Domestic abuse',
        summary: 'Reports are rising.',
        priorityActions: 'Promote services\nTrain staff',
      })
    ).id;
    await t.services.themes.move(coordinator, 'swale', planId, themeId, 'up');
    await t.services.themes.update(coordinator, 'swale', planId, crossId, {
      type: 'cross-cutting',
      title: 'Young people',
      summary: 'Youth services have been cut.',
      priorityActions: 'Inputs in schools',
    });
    const plan = await t.services.plans.get(coordinator, 'swale', planId);
    expect(plan.themes.map((th) => [th.title, th.priorityActions])).toEqual([
      ['Domestic abuse', ['Promote services', 'Train staff']],
      ['Young people', ['Inputs in schools']],
    ]);
  });

  it('adds actions, reads their timescales against the plan year and flags what it cannot read', async () => {
    await t.services.actions.add(coordinator, 'swale', planId, {
      themeId: String(themeId),
      number: '1.1',
      title: 'Promote services to professionals',
      desiredOutcome: 'More people know where to go',
      milestone1: 'Leaflets printed',
      timescale1: 'End of June',
      milestone2: 'Campaign reviewed',
      timescale2: 'When the moon is blue',
      leads: ['agency:' + String(police.id), 'group:' + String(taskingGroupId)],
    });
    const action = (await t.services.plans.get(coordinator, 'swale', planId)).themes[0]?.actions[0];
    expect(action?.leads.map((l) => l.name)).toEqual(['Kent Police', 'Tasking Group']);
    expect(action?.milestones[0]).toMatchObject({
      timescale: 'End of June',
      dueDate: '2024-06-30',
      timescaleNote: null,
    });
    expect(action?.milestones[1]?.timescale).toBe('When the moon is blue');
    expect(action?.milestones[1]?.dueDate).toBeNull();
    expect(action?.milestones[1]?.timescaleNote).toBeTruthy();
  });

  it('refuses a duplicate or badly written number, and leads from elsewhere, naming the field', async () => {
    const base = { themeId: String(themeId), title: 'Another', leads: `agency:${police.id}` };
    expect(
      await errorsOf(
        t.services.actions.add(coordinator, 'swale', planId, { ...base, number: '1.1' }),
      ),
    ).toEqual({
      number: 'Another action in this plan already has this number',
    });
    expect(
      await errorsOf(
        t.services.actions.add(coordinator, 'swale', planId, { ...base, number: '1a' }),
      ),
    ).toEqual({
      number: 'Action number must be written like 1.1',
    });
    expect(
      await errorsOf(
        t.services.actions.add(coordinator, 'swale', planId, {
          ...base,
          number: '1.2',
          leads: `agency:${otherAgencyId}`,
        }),
      ),
    ).toEqual({ leads: 'Select the partnership’s own agencies or groups' });
    expect(
      await errorsOf(
        t.services.actions.add(coordinator, 'swale', planId, {
          ...base,
          number: '1.2',
          leads: '',
          timescale1: 'May 24',
        }),
      ),
    ).toEqual({
      leads: 'Select at least one lead agency or group',
      milestone1: 'Enter the milestone for the timescale on this row',
    });
  });

  it('records every change in the audit trail', async () => {
    const history = await t.services.plans.history(coordinator, 'swale', planId);
    const summaries = history.map((e) => e.summary);
    expect(summaries).toContain('Created the plan Community safety plan (2024/25)');
    expect(summaries).toContain('Changed the risk register of Community safety plan');
    expect(summaries).toContain('Added the theme Domestic abuse to Community safety plan');
    const events = await t.services.db
      .selectFrom('audit_events')
      .select(['summary', 'actor_label'])
      .where('entity_type', '=', 'action')
      .execute();
    expect(events.map((e) => e.summary)).toEqual(['Added action 1.1 to Community safety plan']);
  });
});

describe('plan pages', () => {
  let coord: Client;
  let viewerClient: Client;
  let outsider: Client;
  let url: string;

  beforeAll(async () => {
    coord = await signedIn(t.app, emails.coordinator ?? '', PASSWORD);
    viewerClient = await signedIn(t.app, emails.viewer ?? '', PASSWORD);
    const o = await user(t.services);
    await member(t.services, 'medway', o.email, 'coordinator');
    outsider = await signedIn(t.app, o.email, PASSWORD);
  });

  it('creates a plan from the form, keeping the values when the period is wrong', async () => {
    expect((await coord.get('/partnerships/swale/plans')).body).toContain('Create a plan');
    await coord.get('/partnerships/swale/plans/new');
    const bad = await coord.post('/partnerships/swale/plans/new', {
      title: 'Safer Swale',
      period: 'next year',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('href="#period"');
    expect(bad.body).toContain('value="Safer Swale"');
    const ok = await coord.post('/partnerships/swale/plans/new', {
      title: 'Safer Swale',
      period: '2025/26',
    });
    expect(ok.statusCode).toBe(303);
    url = ok.headers.location?.split('?')[0] ?? '';
    expect(url).toMatch(/^\/partnerships\/swale\/plans\/\d+$/);
  });

  it('adds a theme and an action, refuses a duplicate number and flags a timescale it cannot read', async () => {
    await coord.get(`${url}/themes/new`);
    const theme = await coord.post(`${url}/themes/new`, {
      type: 'priority',
      title: 'Anti-social behaviour',
      priorityActions: 'Joint patrols',
    });
    expect(theme.statusCode).toBe(303);
    const themeId = /theme-(\d+)/.exec(theme.headers.location ?? '')?.[1] ?? '';
    await coord.get(`${url}/actions/new?themeId=${themeId}`);
    const form = {
      themeId,
      number: '3.1',
      title: 'Joint response to hotspots',
      milestone1: 'Hotspots mapped',
      timescale1: 'Sept 25',
      milestone2: 'Patrols agreed',
      timescale2: 'Once the council decides',
      leads: `group:${taskingGroupId}`,
    };
    expect((await coord.post(`${url}/actions/new`, form)).statusCode).toBe(303);
    await coord.get(`${url}/actions/new?themeId=${themeId}`);
    const dup = await coord.post(`${url}/actions/new`, { ...form, title: 'Second' });
    expect(dup.statusCode).toBe(400);
    expect(dup.body).toContain('Another action in this plan already has this number');
    expect(dup.body).toContain('href="#number"');
    expect(dup.body).toContain('Once the council decides');

    const page = (await coord.get(url)).body;
    expect(page).toContain('Priority 1: Anti-social behaviour');
    expect(page).toContain('Joint response to hotspots');
    expect(page).toContain('Date not understood');
    expect(page).toContain('Tasking Group');
    expect(page.indexOf('Introduction')).toBeLessThan(page.indexOf('Strategic drivers'));
    expect(page.indexOf('Action plan')).toBeLessThan(page.indexOf('Risk register'));
  });

  it('offers a form for every part of the plan, filled with what is saved', async () => {
    const page = (await coord.get(url)).body;
    const themeEdit = /href="([^"]+\/themes\/\d+\/edit)"/.exec(page)?.[1] ?? '';
    const actionEdit = /href="([^"]+\/actions\/\d+\/edit)"/.exec(page)?.[1] ?? '';
    for (const path of [`${url}/details`, `${url}/sections`, `${url}/drivers`, `${url}/risks`]) {
      expect((await coord.get(path)).statusCode).toBe(200);
    }
    expect((await coord.get(themeEdit)).body).toContain('Joint patrols');
    const action = (await coord.get(actionEdit)).body;
    expect(action).toContain('value="Sept 25"');
    expect(action).toMatch(/value="group:\d+" checked/);
    await coord.get(`${url}/risks`);
    const risks = await coord.post(`${url}/risks`, { description1: 'Nobody named it' });
    expect(risks.statusCode).toBe(400);
    expect(risks.body).toContain('href="#risk1"');
    expect(risks.body).toContain('Nobody named it');
    await coord.get(`${url}/details`);
    const adopt = await coord.post(`${url}/details`, { title: 'Safer Swale', status: 'adopted' });
    expect(adopt.statusCode).toBe(303);
    expect((await coord.get(url)).body).toContain('Adopted');
  });

  it('lets a viewer read the plan but not change it', async () => {
    const page = await viewerClient.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Change the risk register');
    expect((await viewerClient.get(`${url}/sections`)).statusCode).toBe(403);
    const post = await viewerClient.post(`${url}/sections`, { introduction: 'Mine now' });
    expect(post.statusCode).toBe(403);
    expect(
      (await t.services.plans.get(COMMAND_LINE, 'swale', Number(url.split('/').pop())))
        .introduction,
    ).toBe('');
  });

  it('answers 404 for another partnership’s plan, under either address', async () => {
    const id = url.split('/').pop() ?? '';
    expect((await outsider.get(url)).statusCode).toBe(404);
    expect((await outsider.get(`/partnerships/medway/plans/${id}`)).statusCode).toBe(404);
    await outsider.get('/partnerships/medway/plans');
    const post = await outsider.post(`/partnerships/medway/plans/${id}/sections`, {
      introduction: 'Taken over',
    });
    expect(post.statusCode).toBe(404);
  });

  it('tells the second of two coordinators about the first one’s change to a part, keeping their text', async () => {
    const other = await user(t.services, { agencyId: police.id });
    await member(t.services, 'swale', other.email, 'coordinator');
    const second = await signedIn(t.app, other.email, PASSWORD);
    const basedOn = (body: string) => /name="basedOn" value="([^"]+)"/.exec(body)?.[1] ?? '';
    const mine = basedOn((await coord.get(`${url}/sections`)).body);
    const theirs = basedOn((await second.get(`${url}/sections`)).body);
    expect(mine).not.toBe('');
    expect(theirs).toBe(mine);
    // A change to another part, or to an action, is no clash.
    await coord.get(`${url}/drivers`);
    expect((await coord.post(`${url}/drivers`, { drivers: 'Funding falls' })).statusCode).toBe(303);
    const first = await coord.post(`${url}/sections`, {
      basedOn: mine,
      introduction: 'The first writer’s introduction',
    });
    expect(first.statusCode).toBe(303);

    const clash = await second.post(`${url}/sections`, {
      basedOn: theirs,
      introduction: 'The second writer’s introduction',
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.body).toContain('govuk-error-summary');
    expect(clash.body).toContain('href="#introduction"');
    expect(clash.body).toContain('Someone else saved a change to the plan’s written sections');
    expect(clash.body).toContain('What someone else saved');
    expect(clash.body).toContain('The first writer’s introduction');
    expect(clash.body).toContain('The second writer’s introduction</textarea>');
    const planId = Number(url.split('/').pop());
    expect((await t.services.plans.get(COMMAND_LINE, 'swale', planId)).introduction).toBe(
      'The first writer’s introduction',
    );

    // Having seen it, the second writer saves theirs over it.
    const again = await second.post(`${url}/sections`, {
      basedOn: basedOn(clash.body),
      introduction: 'The second writer’s introduction',
    });
    expect(again.statusCode).toBe(303);
    expect((await t.services.plans.get(COMMAND_LINE, 'swale', planId)).introduction).toBe(
      'The second writer’s introduction',
    );
  });

  it('refuses a stale change to each part of the plan in the service', async () => {
    const planId = Number(url.split('/').pop());
    const basedOn = 'opened-before-the-change';
    const plans = t.services.plans;
    const saves = {
      title: () =>
        plans.updateDetails(coordinator, 'swale', planId, {
          basedOn,
          title: 'Safer Swale',
          status: 'adopted',
        }),
      introduction: () => plans.updateSections(coordinator, 'swale', planId, { basedOn }),
      drivers: () => plans.updateDrivers(coordinator, 'swale', planId, { basedOn }),
      risk1: () => plans.updateRisks(coordinator, 'swale', planId, { basedOn }),
    };
    for (const [field, save] of Object.entries(saves)) {
      await expect(save()).rejects.toBeInstanceOf(ConflictError);
      expect(await errorsOf(save())).toHaveProperty(field);
    }
    const plan = await plans.get(COMMAND_LINE, 'swale', planId);
    expect(plan.drivers).toEqual(['Funding falls']);
  });
});

describe('progress updates', () => {
  let planId: number;
  let actionId: number;
  let otherLead: Actor;

  beforeAll(async () => {
    const s = t.services;
    const probation = await agency(s, 'Probation Service', 'probation');
    const u = await user(s, { agencyId: probation.id });
    await member(s, 'swale', u.email, 'lead');
    otherLead = await actorOf(u.id);
    planId = (await s.plans.create(COMMAND_LINE, 'swale', { title: 'Updates', period: '2023/24' }))
      .id;
    const theme = await s.themes.add(COMMAND_LINE, 'swale', planId, {
      type: 'priority',
      title: 'ASB',
    });
    actionId = (
      await s.actions.add(COMMAND_LINE, 'swale', planId, {
        themeId: String(theme.id),
        number: '1.1',
        title: 'Patrols',
        leads: `agency:${police.id}`,
      })
    ).id;
  });

  it('lets the action’s own lead post updates and keeps the history, latest first', async () => {
    await t.services.updates.post(lead, 'swale', planId, actionId, {
      month: '2023-06',
      status: 'in-progress',
      narrative: 'Patrols started',
      basedOn: '',
    });
    await t.services.updates.post(coordinator, 'swale', planId, actionId, {
      month: '2023-09',
      status: 'on-hold',
    });
    const { updates, canUpdate } = await t.services.updates.list(lead, 'swale', planId, actionId);
    expect(canUpdate).toBe(true);
    expect(updates.map((u) => [u.month, u.status])).toEqual([
      ['2023-09', 'on-hold'],
      ['2023-06', 'in-progress'],
    ]);
    const audit = await t.services.db
      .selectFrom('audit_events')
      .select('summary')
      .where('entity_type', '=', 'action')
      .where('entity_id', '=', String(actionId))
      .execute();
    expect(audit.map((a) => a.summary)).toContain(
      'Updated action 1.1 of Updates for June 2023: In progress',
    );
  });

  it('refuses a lead whose agency does not lead the action, viewers, bad months and other partnerships', async () => {
    const good = { month: '2023-10', status: 'complete' };
    await expect(
      t.services.updates.post(otherLead, 'swale', planId, actionId, good),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      t.services.updates.post(viewer, 'swale', planId, actionId, good),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      t.services.updates.post(COMMAND_LINE, 'medway', planId, actionId, good),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(
      await errorsOf(
        t.services.updates.post(lead, 'swale', planId, actionId, {
          month: '2022-13',
          status: 'done',
        }),
      ),
    ).toEqual({
      month: 'Month must be between 01 and 12',
      status: 'Select the action’s status',
    });
  });

  it('tells the second of two writers about the first one’s update instead of overwriting it', async () => {
    const { updates } = await t.services.updates.list(lead, 'swale', planId, actionId);
    const seen = String(updates[0]?.id ?? '');
    await t.services.updates.post(coordinator, 'swale', planId, actionId, {
      month: '2023-12',
      status: 'complete',
      basedOn: seen,
    });
    const second = await errorsOf(
      t.services.updates.post(lead, 'swale', planId, actionId, {
        month: '2023-12',
        status: 'off-track',
        basedOn: seen,
      }),
    );
    expect(second.narrative).toContain('Someone else posted an update');
    const after = await t.services.updates.list(lead, 'swale', planId, actionId);
    expect(after.updates[0]?.status).toBe('complete');
  });

  it('shows the update form to the lead and the other’s change after a conflict', async () => {
    const client = await signedIn(t.app, emails.lead ?? '', PASSWORD);
    const url = `/partnerships/swale/plans/${planId}/actions/${actionId}`;
    const page = await client.get(url);
    expect(page.body).toContain('Post an update');
    const basedOn = /name="basedOn" value="(\d*)"/.exec(page.body)?.[1] ?? '';
    await t.services.updates.post(coordinator, 'swale', planId, actionId, {
      month: '2024-01',
      status: 'in-progress',
      narrative: 'Reopened by the coordinator',
    });
    const res = await client.post(`${url}/updates`, {
      basedOn,
      month: '2024-01',
      status: 'complete',
      narrative: 'Mine',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Reopened by the coordinator');
    expect(res.body).toContain('Mine');
    const again = await client.post(`${url}/updates`, {
      basedOn: /name="basedOn" value="(\d*)"/.exec(res.body)?.[1] ?? '',
      month: '2024-01',
      status: 'complete',
      narrative: 'Mine',
    });
    expect(again.statusCode).toBe(303);
    const planPage = (await client.get(`/partnerships/swale/plans/${planId}`)).body;
    expect(planPage).toContain('January 2024');
    expect(planPage).toMatch(/govuk-tag[^"]*">\s*Complete\s*</);
    const viewerPage = await (await signedIn(t.app, emails.viewer ?? '', PASSWORD)).get(url);
    expect(viewerPage.statusCode).toBe(200);
    expect(viewerPage.body).not.toContain('Post an update');
  });
});
