import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { signedIn, testApp, type TestApp } from '../helpers/app.js';
import { testMigrator } from '../helpers/database.js';
import { PASSWORD, agency, member, partnership, user } from '../helpers/factories.js';

// The plan overview and the action page are kept rendered until their partnership's data
// changes. These tests hold them to showing every change at once, to whoever is looking.

let t: TestApp;
const emails: Record<string, string> = {};
let planId: number;
let actionId: number;
let otherActionId: number;
let groupId: number;
let policeId: number;
const page = () => `/partnerships/swale/plans/${planId}/actions/${actionId}`;
const overview = () => `/partnerships/swale/plans/${planId}/overview`;

async function version(): Promise<string> {
  return t.services.partnerships.pageVersion(COMMAND_LINE, 'swale');
}

beforeAll(async () => {
  // Before the first day of July 2025, so that the milestone due in June is not yet late.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-30T22:58:00Z') });
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'swale', name: 'Swale CSP' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  policeId = (await agency(s, 'Kent Police', 'police')).id;
  const council = await agency(s, 'Swale Borough Council', 'council');
  for (const a of [policeId, council.id])
    await s.partnerships.addPartnerAgency(COMMAND_LINE, 'swale', { agencyId: a });
  for (const [role, agencyId] of [
    ['coordinator', council.id],
    ['lead', policeId],
    ['viewer', council.id],
  ] as const) {
    const u = await user(s, { agencyId });
    emails[role] = u.email;
    await member(s, 'swale', u.email, role);
  }
  groupId = (await s.groups.create(COMMAND_LINE, 'swale', { name: 'Tasking Group', kind: 'panel' }))
    .id;
  await s.groups.addMember(COMMAND_LINE, 'swale', groupId, { agencyId: String(council.id) });
  planId = (
    await s.plans.create(COMMAND_LINE, 'swale', { title: 'Safer Swale', period: '2025/26' })
  ).id;
  await s.plans.updateDrivers(COMMAND_LINE, 'swale', planId, { drivers: 'Serious Violence Duty' });
  await s.plans.updateRisks(COMMAND_LINE, 'swale', planId, {
    risk1: 'Funding',
    description1: 'The grant may end',
  });
  const theme = await s.themes.add(COMMAND_LINE, 'swale', planId, {
    type: 'priority',
    title: 'Domestic abuse',
    priorityActions: 'Train staff',
  });
  const action = (n: string, lead: string) =>
    s.actions.add(COMMAND_LINE, 'swale', planId, {
      themeId: String(theme.id),
      number: n,
      title: `Action ${n}`,
      milestone1: 'Leaflets printed',
      timescale1: 'End of June',
      leads: [lead],
    });
  actionId = (await action('1.1', `agency:${policeId}`)).id;
  otherActionId = (await action('1.2', `group:${groupId}`)).id;
  await s.rounds.open(COMMAND_LINE, 'swale', planId, { month: '2025-06', deadline: '15/07/2025' });
  await s.updates.post(COMMAND_LINE, 'swale', planId, actionId, {
    month: '2025-06',
    status: 'in-progress',
    narrative: 'First leaflets out',
  });
});
afterAll(async () => {
  vi.useRealTimers();
  await t.close();
});

describe('kept plan pages', () => {
  it('give each request its own CSRF token and script nonce', async () => {
    const first = await signedIn(t.app, emails.coordinator ?? '', PASSWORD);
    const second = await signedIn(t.app, emails.coordinator ?? '', PASSWORD);
    await first.get(page());
    const res = await second.get(page());
    expect(res.statusCode).toBe(200);
    expect(second.csrf).not.toBe(first.csrf);
    const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(
      String(res.headers['content-security-policy']),
    );
    expect(res.body).toContain(`nonce="${nonce?.[1] ?? 'missing'}"`);
    expect(res.body).not.toMatch(/csrf-[0-9a-f]{24}|nonce-[0-9a-f]{24}/);
    // The kept page's form works for the session it was sent to.
    const posted = await second.post(`${page()}/updates`, {
      month: '2025-06',
      status: 'in-progress',
      narrative: 'Second batch of leaflets',
      basedOn: /name="basedOn" value="(\d*)"/.exec(res.body)?.[1] ?? '',
    });
    expect(posted.statusCode).toBe(303);
    expect((await first.get(page())).body).toContain('Second batch of leaflets');
  });

  it('show a change made by another server at once', async () => {
    const viewer = await signedIn(t.app, emails.viewer ?? '', PASSWORD);
    expect((await viewer.get(overview())).body).toContain('Kent Police');
    // Another server writes straight to the shared database; only the database can tell.
    await t.services.db
      .updateTable('agencies')
      .set({ name: 'Kent Police (Swale)' })
      .where('id', '=', policeId)
      .execute();
    await t.services.db
      .updateTable('actions')
      .set({ title: 'Leaflets in every surgery' })
      .where('id', '=', actionId)
      .execute();
    const after = (await viewer.get(overview())).body;
    expect(after).toContain('Kent Police (Swale)');
    expect(after).toContain('Leaflets in every surgery');
    expect((await viewer.get(page())).body).toContain('Leaflets in every surgery');
  });

  it('show each person what they may do, whoever looked first', async () => {
    const coordinator = await signedIn(t.app, emails.coordinator ?? '', PASSWORD);
    const viewer = await signedIn(t.app, emails.viewer ?? '', PASSWORD);
    const lead = await signedIn(t.app, emails.lead ?? '', PASSWORD);
    const other = `/partnerships/swale/plans/${planId}/actions/${otherActionId}`;
    expect((await coordinator.get(other)).body).toContain('Post an update');
    expect((await viewer.get(other)).body).not.toContain('Post an update');
    // The lead's agency does not lead 1.2 until it joins the group that does.
    expect((await lead.get(other)).body).not.toContain('Post an update');
    await t.services.groups.addMember(COMMAND_LINE, 'swale', groupId, {
      agencyId: String(policeId),
    });
    expect((await lead.get(other)).body).toContain('Post an update');
  });

  it('answer 404 once someone leaves the partnership', async () => {
    const viewer = await signedIn(t.app, emails.viewer ?? '', PASSWORD);
    const otherSession = await signedIn(t.app, emails.viewer ?? '', PASSWORD);
    expect((await viewer.get(page())).statusCode).toBe(200);
    expect((await viewer.get(overview())).statusCode).toBe(200);
    const left = await t.services.accounts.findByEmail(emails.viewer ?? '');
    await t.services.members.removeMember(COMMAND_LINE, 'swale', left?.id ?? 0);
    expect((await otherSession.get(page())).statusCode).toBe(404);
    expect((await viewer.get(overview())).statusCode).toBe(404);
  });

  it('count a milestone late from the first day after it is due', async () => {
    const coordinator = await signedIn(t.app, emails.coordinator ?? '', PASSWORD);
    // Action 1.1's overdue milestones, the cell after its status.
    const late = (html: string) => /<\/strong><\/td>\s*<td[^>]*numeric">(\d+)</.exec(html)?.[1];
    expect(late((await coordinator.get(overview())).body)).toBe('0');
    vi.setSystemTime(new Date('2025-06-30T23:01:00Z')); // 1 July in the UK
    expect(late((await coordinator.get(overview())).body)).toBe('1');
  });
});

describe('the version of what plan pages show', () => {
  // Each table the pages read, and a column to write back unchanged.
  const sources: [table: string, column: string][] = [
    ['agencies', 'name'],
    ['partnerships', 'name'],
    ['partnership_agencies', 'agency_id'],
    ['groups', 'name'],
    ['group_members', 'group_id'],
    ['plans', 'title'],
    ['plan_drivers', 'text'],
    ['plan_risks', 'risk'],
    ['themes', 'title'],
    ['theme_priority_actions', 'text'],
    ['actions', 'title'],
    ['action_leads', 'action_id'],
    ['milestones', 'text'],
    ['action_updates', 'narrative'],
    ['update_rounds', 'month'],
  ];

  it.each(sources)('moves on when %s changes', async (table, column) => {
    const before = await version();
    const { numAffectedRows } = await sql`update ${sql.table(table)}
      set ${sql.ref(column)} = ${sql.ref(column)}`.execute(t.services.db);
    expect(Number(numAffectedRows)).toBeGreaterThan(0);
    expect(await version()).not.toBe(before);
  });

  it('moves on when a plan and everything in it is deleted', async () => {
    const before = await version();
    await t.services.plans.delete(COMMAND_LINE, 'swale', planId);
    expect(await version()).not.toBe(before);
  });

  it('lets writers in one partnership commit side by side', async () => {
    const id = (
      await t.services.plans.create(COMMAND_LINE, 'swale', { title: 'Next', period: '2026/27' })
    ).id;
    const theme = await t.services.themes.add(COMMAND_LINE, 'swale', id, {
      type: 'priority',
      title: 'Violence',
    });
    const writes = Array.from({ length: 8 }, (_, i) =>
      t.services.actions.add(COMMAND_LINE, 'swale', id, {
        themeId: String(theme.id),
        number: `1.${i + 1}`,
        title: `Action ${i + 1}`,
        leads: [`agency:${policeId}`],
      }),
    );
    expect(await Promise.all(writes)).toHaveLength(8);
  });

  it('goes away with its triggers when the migration is undone, and comes back', async () => {
    const { error } = await testMigrator(t.services.db).migrateTo('0016-import-progress');
    expect(error).toBeUndefined();
    await sql`update plans set title = title`.execute(t.services.db);
    await migrateToLatest(t.services.db);
    const before = await version();
    await sql`update plans set title = title`.execute(t.services.db);
    expect(await version()).not.toBe(before);
  });
});
