import { PASSWORD } from '../fixtures.js';
import { check, signIn } from '../http.js';
import { BENCH_PLANS, PLANNER, ensurePlans, plansSeeded } from '../plans.js';
import { PLANS, type Scenario } from '../scenario.js';

export const planAction: Scenario = {
  id: 'plan-action',
  suite: PLANS,
  title: `Action page, ${BENCH_PLANS.months} monthly updates`,
  async seed(s) {
    await ensurePlans(s);
  },
  async prepare(baseUrl) {
    const { large, small } = await plansSeeded();
    const cookie = await signIn(baseUrl, PLANNER, PASSWORD);
    const path = (p: typeof large) =>
      `/partnerships/${p.slug}/plans/${p.planId}/actions/${p.actionId}`;
    await check(baseUrl, path(large), { cookie }, 200, ['Post an update', 'Update 24:']);
    return {
      request: 'GET …/plans/:id/actions/:id',
      requests: [{ method: 'GET', path: path(large), headers: { cookie } }],
      expectedStatus: 200,
      sameQueriesAs: {
        path: path(small),
        headers: { cookie },
        of: `an action in a plan of ${large.actions}`,
        otherOf: `one in a plan of ${small.actions}`,
      },
    };
  },
};
