import { COORDINATOR, COORDINATOR_SEES, PASSWORD, ensureCoordinator } from '../fixtures.js';
import { check, signIn } from '../http.js';
import { PLATFORM, type Scenario } from '../scenario.js';

export const home: Scenario = {
  id: 'home',
  suite: PLATFORM,
  title: 'Home page, coordinator of 5 partnerships',
  seed: ensureCoordinator,
  async prepare(baseUrl) {
    const cookie = await signIn(baseUrl, COORDINATOR, PASSWORD);
    await check(baseUrl, '/', { cookie }, 200, COORDINATOR_SEES);
    return {
      request: 'GET /',
      requests: [{ method: 'GET', path: '/', headers: { cookie } }],
      expectedStatus: 200,
    };
  },
};
