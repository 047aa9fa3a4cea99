import { PASSWORD } from '../fixtures.js';
import { check, signIn } from '../http.js';
import { BENCH_PLANS, PLANNER, ensurePlans, plansSeeded, type PlanPages } from '../plans.js';
import { PLANS, type Scenario } from '../scenario.js';

type Plan = PlanPages['large'];

interface Page {
  id: string;
  title: string;
  request: string;
  path: (p: Plan) => string;
  mustShow: string[];
  of: (p: Plan) => string;
  otherOf: (p: Plan) => string;
}

const plan = (p: Plan) => `/partnerships/${p.slug}/plans/${p.planId}`;

const OVERVIEW: Page = {
  id: 'plan-overview',
  title: `Where the plan stands, ${BENCH_PLANS.actionsPerPlan} actions`,
  request: 'GET …/plans/:id/overview',
  path: (p) => `${plan(p)}/overview`,
  mustShow: ['Where the plan stands', 'Young people'],
  of: (p) => `a plan of ${p.actions} actions`,
  otherOf: (p) => `one of ${p.actions}`,
};

const ACTION: Page = {
  id: 'plan-action',
  title: `Action page, ${BENCH_PLANS.months} monthly updates`,
  request: 'GET …/plans/:id/actions/:id',
  path: (p) => `${plan(p)}/actions/${p.actionId}`,
  mustShow: ['Post an update', 'Update 24:'],
  of: (p) => `an action in a plan of ${p.actions}`,
  otherOf: (p) => `one in a plan of ${p.actions}`,
};

/**
 * A plan page under load. Kept: the page as most views find it, rendered once and kept until
 * the partnership's data changes. Rendered: every request misses the kept pages (each asks for
 * an address not asked for before), as the first view after every change would.
 */
function planPage(page: Page, rendered: boolean): Scenario {
  return {
    id: rendered ? `${page.id}-rendered` : page.id,
    suite: PLANS,
    title: `${page.title}, ${rendered ? 'rendered for every request' : 'kept'}`,
    async seed(s) {
      await ensurePlans(s);
    },
    async prepare(baseUrl) {
      const { large, small } = await plansSeeded();
      const cookie = await signIn(baseUrl, PLANNER, PASSWORD);
      let next = 0;
      const fresh = (path: string) => (rendered ? `${path}?view=${++next}` : path);
      for (const p of [large, small])
        await check(baseUrl, page.path(p), { cookie }, 200, page.mustShow);
      const path = page.path(large);
      return {
        request: rendered ? `${page.request}?view=N` : page.request,
        requests: [
          {
            method: 'GET',
            path,
            headers: { cookie },
            ...(rendered ? { setupRequest: (r) => ({ ...r, path: fresh(path) }) } : {}),
          },
        ],
        expectedStatus: 200,
        sameQueriesAs: {
          path: fresh(page.path(small)),
          headers: { cookie },
          of: page.of(large),
          otherOf: page.otherOf(small),
        },
      };
    },
  };
}

export const planOverview = planPage(OVERVIEW, false);
export const planOverviewRendered = planPage(OVERVIEW, true);
export const planAction = planPage(ACTION, false);
export const planActionRendered = planPage(ACTION, true);
