import type { Request } from 'autocannon';
import type { Services } from '../src/services.js';

/** A group of scenarios written together to docs/benchmarks.md as one section. */
export interface Suite {
  id: string;
  heading: string;
}

export interface Load {
  /** Method and path, for the results table. */
  request: string;
  requests: Request[];
  /** Every response must have this status, or the scenario fails. */
  expectedStatus: number;
  /** Anything a reader of the results must know, e.g. a fallback page. */
  note?: string;
  /**
   * The same page over a different amount of data, e.g. a plan of 5 actions against one of 40:
   * the runner counts the statements of both, which must be equal for a page that does not
   * query per row.
   */
  sameQueriesAs?: { path: string; headers: Record<string, string>; of: string; otherOf: string };
}

export interface Scenario {
  id: string;
  suite: Suite;
  title: string;
  /** Creates its records through the services, before the server starts. */
  seed(services: Services): Promise<void>;
  /** Against the running server: signs in, checks the page answers, describes the requests. */
  prepare(baseUrl: string): Promise<Load>;
}

export const PLATFORM: Suite = {
  id: 'platform',
  heading: 'Sign-in, home page and the bare page',
};

export const PLANS: Suite = {
  id: 'plans',
  heading: 'Plan pages, 300 partnerships with 40-action plans',
};
