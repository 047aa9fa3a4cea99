import type { Scenario } from '../scenario.js';
import { barePage } from './bare-page.js';
import { home } from './home.js';
import {
  planAction,
  planActionRendered,
  planOverview,
  planOverviewRendered,
} from './plan-pages.js';
import { signInScenario } from './sign-in.js';

/** The baseline every page is compared with; it runs first in every run. */
export const BASELINE = barePage;

/** In the order they run; sign-in last, as it leaves a session behind for every request. */
export const SCENARIOS: readonly Scenario[] = [
  barePage,
  home,
  planOverview,
  planOverviewRendered,
  planAction,
  planActionRendered,
  signInScenario,
];
