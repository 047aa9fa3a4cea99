import type { Request } from 'autocannon';
import { PASSWORD, account } from '../fixtures.js';
import { FORM, anonymousCsrf, signIn, signInForm } from '../http.js';
import { PLATFORM, type Scenario } from '../scenario.js';

// One account per connection, taken in turn, as many people signing in at once would be.
const PEOPLE = 20;
const email = (i: number) => `person${i}@signin.bench.example.org`;

export const signInScenario: Scenario = {
  id: 'sign-in',
  suite: PLATFORM,
  title: 'Sign in (argon2id, throttling off)',
  async seed(s) {
    for (let i = 1; i <= PEOPLE; i++) await account(s, email(i), `Person ${i}`);
  },
  async prepare(baseUrl) {
    await signIn(baseUrl, email(1), PASSWORD);
    // One anonymous CSRF pair serves every request: a form posted with its cookie.
    const { cookie, token } = await anonymousCsrf(baseUrl);
    const bodies = Array.from({ length: PEOPLE }, (_, i) =>
      signInForm(token, email(i + 1), PASSWORD),
    );
    let next = 0;
    const request: Request = {
      method: 'POST',
      path: '/sign-in',
      headers: { cookie, 'content-type': FORM },
      setupRequest: (r) => ({ ...r, body: bodies[next++ % bodies.length] }),
    };
    return { request: 'POST /sign-in', requests: [request], expectedStatus: 303 };
  },
};
