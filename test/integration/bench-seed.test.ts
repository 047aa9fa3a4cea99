import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { buildServices, type Services } from '../../src/services.js';
import { seedPlans, SMALL_PLAN_ACTIONS, type PlanPages } from '../../bench/plans.js';
import { freshDatabase } from '../helpers/database.js';

// The benchmark's bulk load writes rows the services then read and add to, on either database.
let s: Services;
let drop: () => Promise<void>;
let pages: PlanPages;
const shape = { partnerships: 3, actionsPerPlan: 8, months: 5 };

beforeAll(async () => {
  const fresh = await freshDatabase();
  drop = fresh.drop;
  s = buildServices(fresh.db, testConfig({ databaseUrl: fresh.url }));
  pages = await seedPlans(s, shape);
});
afterAll(() => drop());

describe('the benchmark’s plans, loaded in bulk', () => {
  it('loads every plan, action and monthly update, readable through the services', async () => {
    const count = async (table: 'plans' | 'actions' | 'action_updates') =>
      Number(
        (
          await s.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const actions = shape.partnerships * shape.actionsPerPlan + SMALL_PLAN_ACTIONS;
    expect(await count('plans')).toBe(shape.partnerships + 1);
    expect(await count('actions')).toBe(actions);
    expect(await count('action_updates')).toBe(actions * shape.months);

    const plan = await s.plans.get(COMMAND_LINE, pages.large.slug, pages.large.planId);
    expect(plan.themes.flatMap((t) => t.actions)).toHaveLength(shape.actionsPerPlan);
    const view = await s.updates.list(
      COMMAND_LINE,
      pages.large.slug,
      pages.large.planId,
      pages.large.actionId,
    );
    expect(view.updates).toHaveLength(shape.months);
    expect(view.action.leads.length).toBeGreaterThan(0);
    const overview = await s.overview.get(COMMAND_LINE, pages.small.slug, pages.small.planId, {});
    expect(overview.round).not.toBeNull();
  });

  it('leaves the ids where the services can carry on from them', async () => {
    const { id } = await s.updates.post(
      COMMAND_LINE,
      pages.large.slug,
      pages.large.planId,
      pages.large.actionId,
      { month: '2025-04', status: 'complete' },
    );
    expect(id).toBeGreaterThan(0);
    await s.partnerships.create(COMMAND_LINE, {
      slug: 'after-the-load',
      name: 'After the load',
      type: 'district',
      areas: '',
    });
    expect((await s.agencies.create(COMMAND_LINE, { name: 'Later', kind: 'council' })).id).toBe(
      8, // the bench's own agency and the six loaded in bulk came first
    );
  });
});
