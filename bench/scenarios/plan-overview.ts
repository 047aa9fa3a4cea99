import { PASSWORD } from '../fixtures.js';
import { check, signIn } from '../http.js';
import { BENCH_PLANS, PLANNER, ensurePlans, plansSeeded } from '../plans.js';
import { PLANS, type Scenario } from '../scenario.js';

export const planOverview: Scenario = {
  id: 'plan-overview',
  suite: PLANS,
  title: `Where the plan stands, ${BENCH_PLANS.actionsPerPlan} actions`,
  async seed(s) {
    await ensurePlans(s);
  },
  async prepare(baseUrl) {
    const { large, small } = await plansSeeded();
    const cookie = await signIn(baseUrl, PLANNER, PASSWORD);
    const path = (p: typeof large) => `/partnerships/${p.slug}/plans/${p.planId}/overview`;
    await check(baseUrl, path(large), { cookie }, 200, ['Where the plan stands', 'Young people']);
    return {
      request: 'GET …/plans/:id/overview',
      requests: [{ method: 'GET', path: path(large), headers: { cookie } }],
      expectedStatus: 200,
      sameQueriesAs: {
        path: path(small),
        headers: { cookie },
        of: `a plan of ${large.actions} actions`,
        otherOf: `one of ${small.actions}`,
      },
    };
  },
};
