import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMAND_LINE, ROLES, type Role } from '../../src/core/actor.js';
import { signedIn, testApp, type Client, type TestApp } from '../helpers/app.js';
import { PASSWORD, agency, member, partnership, user } from '../helpers/factories.js';

// The matrix sends every protected route for every role of both partnerships: thousands of
// requests, which on PostgreSQL and two busy cores take longer than the default 20 seconds.
vi.setConfig({ testTimeout: 120_000 });

/**
 * Walks every route the router knows, as each role of two partnerships, aimed at the other
 * partnership's records: not one of those requests may succeed, and each answers 404, the
 * same as a record that does not exist.
 */

interface Side {
  slug: string;
  name: string;
  groupName: string;
  ids: Record<string, number>;
  actors: Record<Role, { client: Client; token: string; userId: number }>;
}

let t: TestApp;
const sides: Side[] = [];
const nowhere = {
  ids: {
    groupId: 999_999,
    userId: 999_999,
    agencyId: 999_999,
    memberId: 999_999,
    tokenId: 999_999,
    planId: 999_999,
    themeId: 999_999,
    actionId: 999_999,
    roundId: 999_999,
    indicatorId: 999_999,
    assessmentId: 999_999,
    exerciseId: 999_999,
    fundId: 999_999,
    proposalId: 999_999,
  },
} as unknown as Side;

async function makeSide(slug: string, name: string): Promise<Side> {
  const s = t.services;
  await partnership(s, { slug, name, type: 'unitary' });
  // Agencies are a shared directory (one police force serves many partnerships), so their
  // names say nothing of the partnership.
  const partner = await agency(s);
  await s.partnerships.addPartnerAgency(COMMAND_LINE, slug, { agencyId: partner.id });
  const groupName = `${name} Tasking Group`;
  const group = await s.groups.create(COMMAND_LINE, slug, { name: groupName, kind: 'panel' });
  await s.groups.addMember(COMMAND_LINE, slug, group.id, { agencyId: partner.id });
  const [groupMember] = (await s.groups.get(COMMAND_LINE, slug, group.id)).members;
  const plan = await s.plans.create(COMMAND_LINE, slug, {
    title: `${name} plan`,
    period: '2024/25',
  });
  const theme = await s.themes.add(COMMAND_LINE, slug, plan.id, { type: 'priority', title: 'ASB' });
  const action = await s.actions.add(COMMAND_LINE, slug, plan.id, {
    themeId: String(theme.id),
    number: '1.1',
    title: 'Patrols',
    leads: `group:${group.id}`,
  });
  const round = await s.rounds.open(COMMAND_LINE, slug, plan.id, {
    month: '2024-09',
    deadline: '2024-10-15',
  });
  const indicator = await s.indicators.create(COMMAND_LINE, slug, {
    name: 'ASB incidents',
    unit: 'count',
    polarity: 'increase-bad',
    themeId: String(theme.id),
  });
  await s.indicators.saveMonths(COMMAND_LINE, slug, indicator.id, { '2024-09': '41' });
  await s.indicators.setTotal(COMMAND_LINE, slug, indicator.id, {
    endMonth: '2024-03',
    value: '400',
  });
  const assessment = await s.assessments.start(COMMAND_LINE, slug, { year: '2021/22' });
  const fund = await s.funding.createFund(COMMAND_LINE, slug, {
    source: 'Police and Crime Commissioner',
    name: `${name} grant`,
    year: '2024/25',
    amount: '10,000',
    status: 'indicative',
    workingGroupId: String(group.id),
    voteThreshold: 'consensus',
  });
  await s.funding.splitPots(COMMAND_LINE, slug, fund.id, {
    mode: 'amounts',
    pots: [{ name: 'Projects', amount: '10,000' }],
  });
  const [pot] = (await s.funding.fund(COMMAND_LINE, slug, fund.id)).pots;
  const proposal = await s.funding.proposals.submitProposal(COMMAND_LINE, slug, fund.id, {
    title: `${name} project`,
    leadAgencyId: String(partner.id),
    potId: String(pot?.id),
    requested: '1,000',
  });
  const exercise = await s.priorities.create(COMMAND_LINE, slug, { year: '2025/26' });
  await s.priorities.saveCandidates(COMMAND_LINE, slug, exercise.id, {
    candidates: [{ title: 'ASB' }],
  });
  const actors = {} as Side['actors'];
  for (const role of ROLES) {
    const u = await user(s, { email: `${role}@${slug}.example.org`, agencyId: partner.id });
    await member(s, slug, u.email, role);
    const actor = await s.auth.actorFor(u.id);
    if (!actor) throw new Error('no actor');
    const { token, id: tokenId } = await s.tokens.create(actor, { name: 'Matrix' });
    actors[role] = { client: await signedIn(t.app, u.email, PASSWORD), token, userId: u.id };
    if (role === 'viewer') {
      return {
        slug,
        name,
        groupName,
        actors,
        ids: {
          groupId: group.id,
          userId: u.id,
          agencyId: partner.id,
          memberId: groupMember?.id ?? 0,
          tokenId,
          planId: plan.id,
          themeId: theme.id,
          actionId: action.id,
          roundId: round.id,
          indicatorId: indicator.id,
          assessmentId: assessment.id,
          exerciseId: exercise.id,
          fundId: fund.id,
          proposalId: proposal.id,
        },
      };
    }
  }
  throw new Error('unreachable');
}

beforeAll(async () => {
  t = await testApp();
  sides.push(await makeSide('northshire', 'Northshire Partnership'));
  sides.push(await makeSide('southvale', 'Southvale Partnership'));
});
afterAll(() => t.close());

function fill(url: string, target: Side, slug: string): string | undefined {
  if (url.includes(':token')) return undefined;
  return url.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'slug') return slug;
    if (name === 'id')
      return String(
        url.startsWith('/account/tokens') || url.includes('/tokens/')
          ? target.ids.tokenId
          : target.ids.userId,
      );
    return String(target.ids[name] ?? 999999);
  });
}

function body(target: Side): Record<string, string> {
  return {
    name: 'Matrix',
    slug: 'matrix-made',
    type: 'district',
    kind: 'panel',
    email: 'matrix@example.org',
    role: 'coordinator',
    areas: '',
    agencyId: String(target.ids.agencyId),
    userId: String(target.ids.userId),
  };
}

async function send(
  route: { method: string; url: string },
  url: string,
  actor: Side['actors'][Role],
  target: Side,
): Promise<LightMyRequestResponse> {
  if (url.startsWith('/api/')) {
    return t.app.inject({
      method: route.method as 'GET',
      url,
      headers: { authorization: `Bearer ${actor.token}` },
      ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: body(target) }),
    });
  }
  return route.method === 'GET' ? actor.client.get(url) : actor.client.post(url, body(target));
}

function protectedRoutes() {
  return t.app.routeTable.filter((r) => !r.public && !r.url.startsWith('/assets'));
}

describe('access matrix', () => {
  it('walks a real route list that includes the partnership routes', () => {
    const urls = protectedRoutes().map((r) => r.url);
    expect(urls).toContain('/partnerships/:slug/groups/:groupId');
    expect(urls).toContain('/partnerships/:slug/members/:userId/role');
    expect(urls).toContain('/partnerships/:slug/plans/:planId/actions/:actionId/edit');
    for (const part of ['actions/:actionId/', 'themes/:themeId/', '', 'rounds/:roundId/'])
      expect(urls).toContain(`/partnerships/:slug/plans/:planId/${part}delete`);
    expect(urls).toContain('/partnerships/:slug/plans/:planId/rounds/:roundId/close');
    expect(urls).toContain('/partnerships/:slug/plans/:planId/rounds/:roundId/reopen');
    expect(urls).toContain('/partnerships/:slug/indicators/:indicatorId/values');
    expect(urls).toContain('/partnerships/:slug/indicators/:indicatorId/totals/:endMonth/remove');
    expect(urls).toContain('/partnerships/:slug/county-indicators/compare');
    expect(urls).toContain('/partnerships/:slug/priorities/:exerciseId/score');
    expect(urls).toContain('/partnerships/:slug/funding/:fundId/proposals/:proposalId/decision');
    expect(urls).toContain('/api/v1/partnerships/:slug/proposals/:proposalId/spend');
    const api = '/api/v1/partnerships/:slug/plans/:planId';
    expect(urls).toContain(`${api}/rounds/:roundId/actions/:actionId/reminders`);
    expect(urls).toContain(`${api}/themes/:themeId`);
    expect(urls).toContain(`${api}/export`);
    expect(urls).toContain('/api/v1/partnerships/:slug/plans/import');
    expect(urls.length).toBeGreaterThan(25);
  });

  it('gives 0 cross-partnership successes: every attempt on the other partnership answers 404', async () => {
    const failures: string[] = [];
    let attempts = 0;
    for (const [i, own] of sides.entries()) {
      const other = sides[1 - i] as Side;
      for (const role of ROLES) {
        const actor = own.actors[role];
        for (const route of protectedRoutes()) {
          const hasSlug = route.url.includes(':slug');
          const hasIds = /:(?!slug)\w+/.test(route.url);
          if (!hasSlug && !hasIds) continue;
          // The other partnership's address, and (where ids appear) the other's ids under one's own.
          const slugs = hasSlug ? [other.slug, ...(hasIds ? [own.slug] : [])] : [own.slug];
          for (const slug of slugs) {
            const url = fill(route.url, other, slug);
            if (!url) continue;
            attempts++;
            const res = await send(route, url, actor, other);
            if (res.statusCode < 400) {
              failures.push(`${role} of ${own.slug}: ${route.method} ${url} → ${res.statusCode}`);
              continue;
            }
            // Under the other's address: 404. Under one's own address with the other's ids: the
            // same answer as for ids that exist nowhere, so nothing about the other side shows.
            const expected =
              slug === other.slug
                ? 404
                : (await send(route, fill(route.url, nowhere, slug) ?? url, actor, nowhere))
                    .statusCode;
            if (res.statusCode !== expected) {
              failures.push(
                `${role} of ${own.slug}: ${route.method} ${url} → ${res.statusCode}, not ${expected}`,
              );
            }
          }
        }
      }
    }
    expect(attempts).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });

  it('never shows the other partnership’s records on any page or API answer', async () => {
    const leaks: string[] = [];
    for (const [i, own] of sides.entries()) {
      const other = sides[1 - i] as Side;
      for (const role of ROLES) {
        const actor = own.actors[role];
        for (const route of protectedRoutes().filter((r) => r.method === 'GET')) {
          const url = fill(route.url, own, own.slug);
          if (!url) continue;
          const res = await send(route, url, actor, own);
          for (const secret of [other.name, other.groupName, other.slug]) {
            if (res.body.includes(secret))
              leaks.push(`${role} of ${own.slug}: ${url} shows “${secret}”`);
          }
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});

describe('CSRF on every state-changing route', () => {
  it('refuses each one without a token and with another session’s token, changing nothing', async () => {
    const s = t.services;
    const adminUser = await user(s, { isAdmin: true });
    const admin = await signedIn(t.app, adminUser.email, PASSWORD);
    const otherSession = await signedIn(t.app, adminUser.email, PASSWORD);
    const own = sides[0] as Side;
    const before = await s.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const unsafe = t.app.routeTable.filter((r) => r.method !== 'GET' && !r.url.startsWith('/api/'));
    expect(unsafe.length).toBeGreaterThan(15);
    const accepted: string[] = [];
    for (const route of unsafe) {
      const url = fill(route.url, own, own.slug) ?? route.url.replace(':token', 'not-a-token');
      for (const csrf of ['', otherSession.csrf]) {
        const res = await admin.post(url, { ...body(own), _csrf: csrf });
        if (res.statusCode !== 403)
          accepted.push(
            `${route.method} ${url} with ${csrf ? 'another session’s' : 'no'} token → ${res.statusCode}`,
          );
      }
    }
    expect(accepted).toEqual([]);
    const after = await s.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
