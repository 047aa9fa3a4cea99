import { COORDINATOR, PASSWORD, ensureCoordinator } from '../fixtures.js';
import { anonymousCsrf, check, signIn, statusOf } from '../http.js';
import { PLATFORM, type Scenario } from '../scenario.js';

const STATEMENT = '/accessibility';

/**
 * The layout with no data behind it: the baseline every page is judged against as a ratio.
 * Signed in, so the layout carries the navigation as on every other page.
 */
export const barePage: Scenario = {
  id: 'bare-page',
  suite: PLATFORM,
  title: 'Bare page (layout, no data)',
  seed: ensureCoordinator,
  async prepare(baseUrl) {
    const cookie = await signIn(baseUrl, COORDINATOR, PASSWORD);
    if ((await statusOf(baseUrl, STATEMENT, { cookie })) === 200) {
      await check(baseUrl, STATEMENT, { cookie }, 200, ['Sign out']);
      return {
        request: `GET ${STATEMENT}`,
        requests: [{ method: 'GET', path: STATEMENT, headers: { cookie } }],
        expectedStatus: 200,
      };
    }
    // Signed in, /sign-in only redirects home, so the stand-in is requested signed out.
    const csrf = await anonymousCsrf(baseUrl);
    await check(baseUrl, '/sign-in', { cookie: csrf.cookie }, 200, ['Sign in']);
    return {
      request: 'GET /sign-in',
      requests: [{ method: 'GET', path: '/sign-in', headers: { cookie: csrf.cookie } }],
      expectedStatus: 200,
      note: `${STATEMENT} did not exist yet, so this is the sign-in page, signed out (no navigation).`,
    };
  },
};
