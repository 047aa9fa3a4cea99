import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { createDatabase, type Db } from '../../src/db/database.js';
import { buildServices, type Services } from '../../src/services.js';
import { signedIn, type Client } from '../helpers/app.js';
import { freshDatabase } from '../helpers/database.js';
import { PASSWORD, agency, member, partnership, user } from '../helpers/factories.js';

/**
 * The plan pages read a fixed number of statements whatever the plan's size: a page that
 * queried per action or per update would pass every other test and fall over on a real
 * partnership's plan (the benchmark has 40 actions with 24 monthly updates each). Counted
 * through the database's own log, so no statement is missed.
 */

let statements = 0;
let db: Db;
let drop: () => Promise<void>;
let app: FastifyInstance;
let coordinator: Client;
let lead: Client;
const pages: Record<'small' | 'large', { plan: string; action: string }> = {
  small: { plan: '', action: '' },
  large: { plan: '', action: '' },
};

/** A plan of `size` actions over three themes, each updated `months` times, with a round open. */
async function plan(s: Services, slug: string, size: number, months: number, leadAgency: number) {
  await partnership(s, { slug });
  await s.partnerships.addPartnerAgency(COMMAND_LINE, slug, { agencyId: leadAgency });
  const group = await s.groups.create(COMMAND_LINE, slug, { name: 'Tasking', kind: 'other' });
  await s.groups.addMember(COMMAND_LINE, slug, group.id, { agencyId: leadAgency });
  const { id: planId } = await s.plans.create(COMMAND_LINE, slug, {
    title: 'Safer together',
    period: '2024/25',
  });
  const themeIds: number[] = [];
  for (const title of ['Domestic abuse', 'Anti-social behaviour', 'Young people'])
    themeIds.push((await s.themes.add(COMMAND_LINE, slug, planId, { type: 'priority', title })).id);
  const actionIds: number[] = [];
  for (let i = 0; i < size; i++) {
    const theme = i % themeIds.length;
    const { id } = await s.actions.add(COMMAND_LINE, slug, planId, {
      themeId: String(themeIds[theme]),
      number: `${theme + 1}.${Math.floor(i / themeIds.length) + 1}`,
      title: `Action ${i + 1}`,
      milestone1: 'Agree the approach',
      timescale1: 'By June 24',
      milestone2: 'Report back',
      timescale2: 'Quarterly',
      leads: i % 2 ? `agency:${leadAgency}` : [`agency:${leadAgency}`, `group:${group.id}`],
    });
    actionIds.push(id);
  }
  await s.rounds.open(COMMAND_LINE, slug, planId, { month: '2024-09', deadline: '2024-10-11' });
  for (const id of actionIds) {
    for (let m = 0; m < months; m++) {
      await s.updates.post(COMMAND_LINE, slug, planId, id, {
        month: `2024-0${4 + m}`,
        status: m % 2 ? 'in-progress' : 'on-hold',
        narrative: `Update ${m + 1}`,
      });
    }
  }
  const base = `/partnerships/${slug}/plans/${planId}`;
  return { plan: base, action: `${base}/actions/${actionIds[actionIds.length - 1] ?? 0}` };
}

beforeAll(async () => {
  const fresh = await freshDatabase();
  drop = fresh.drop;
  db = createDatabase(fresh.url, {
    onQuery: () => {
      statements++;
    },
  });
  const s = buildServices(db, testConfig());
  const police = await agency(s, 'Kent Police', 'police');
  pages.small = await plan(s, 'small', 5, 1, police.id);
  pages.large = await plan(s, 'large', 40, 5, police.id);
  const c = await user(s, { agencyId: police.id });
  const l = await user(s, { agencyId: police.id });
  for (const slug of ['small', 'large']) {
    await member(s, slug, c.email, 'coordinator');
    await member(s, slug, l.email, 'lead');
  }
  app = await buildApp(s, { logger: false });
  coordinator = await signedIn(app, c.email, PASSWORD);
  lead = await signedIn(app, l.email, PASSWORD);
}, 120_000);

afterAll(async () => {
  await app.close();
  await db.destroy();
  await drop();
});

/** Statements run to answer one page, which must answer 200. */
async function count(client: Client, url: string): Promise<number> {
  await client.get(url); // a first visit may refresh the session; count a settled one
  statements = 0;
  const res = await client.get(url);
  expect(res.statusCode, url).toBe(200);
  return statements;
}

describe('statements per plan page', () => {
  // The most each page may run: the session (3), then what the page itself needs (a lead's
  // action page asks once more, whether their agency leads it).
  it.each([
    ['where the plan stands', 9, 'overview'],
    ['the action page', 11, 'action'],
    ['the whole plan', 16, 'plan'],
  ] as const)('%s runs as many for 40 actions as for 5, and at most %i', async (_, most, page) => {
    const path = (size: 'small' | 'large') =>
      page === 'overview' ? `${pages[size].plan}/overview` : pages[size][page];
    for (const client of [coordinator, lead]) {
      const small = await count(client, path('small'));
      const large = await count(client, path('large'));
      expect(large).toBe(small);
      expect(large).toBeLessThanOrEqual(most);
    }
  });
});
