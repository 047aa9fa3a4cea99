import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/core/tokens.js';
import { Client, testApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, user } from '../helpers/factories.js';

let t: TestApp;
let email: string;

beforeAll(async () => {
  t = await testApp({ signInMaxFailures: 3 });
  ({ email } = await user(t.services));
});
afterAll(() => t.close());

describe('sign-in', () => {
  it('sends a signed-out visitor to the sign-in page, remembering where they were going', async () => {
    const res = await new Client(t.app).get('/partnerships');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sign-in?next=%2Fpartnerships');
  });

  it('signs in with a new session id and secure, http-only, same-site cookie', async () => {
    const c = new Client(t.app);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', {
      email: email.toUpperCase(),
      password: PASSWORD,
      next: '/partnerships',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/partnerships');
    const cookie = res.cookies.find((k) => k.name === 'saferplan_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    const home = await c.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Sign out');
  });

  it('never sends someone to another site after signing in', async () => {
    const c = new Client(t.app);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email, password: PASSWORD, next: '//evil.example/' });
    expect(res.headers.location).toBe('/');
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const c = new Client(t.app);
    await c.get('/sign-in');
    const unknown = await c.post('/sign-in', {
      email: 'nobody@example.org',
      password: 'whatever it is',
    });
    const wrong = await c.post('/sign-in', { email, password: 'not the password' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const message = (body: string) =>
      /govuk-error-summary__list[\s\S]*?<a[^>]*>([^<]+)</.exec(body)?.[1];
    expect(message(unknown.body)).toBe(message(wrong.body));
    expect(unknown.body).toContain('Error: Sign in');
  });

  it('refuses a sign-in form without its token', async () => {
    const c = new Client(t.app);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email, password: PASSWORD, _csrf: '' });
    expect(res.statusCode).toBe(403);
    expect(c.jar.has('saferplan_session')).toBe(false);
  });

  it('locks an email out after repeated failures, even with the right password', async () => {
    const { email: target } = await user(t.services);
    const c = new Client(t.app);
    await c.get('/sign-in');
    for (let i = 0; i < 3; i++)
      await c.post('/sign-in', { email: target, password: 'wrong password here' });
    const res = await c.post('/sign-in', { email: target, password: PASSWORD });
    expect(res.statusCode).toBe(429);
    expect(res.body).toContain('Too many failed attempts');
  });

  it('ends the session at sign-out: the old cookie no longer works', async () => {
    const c = new Client(t.app);
    await c.signIn(email, PASSWORD);
    const stolen = c.cookie;
    expect((await c.post('/sign-out')).statusCode).toBe(303);
    const res = await t.app.inject({ url: '/', headers: { cookie: stolen } });
    expect(res.statusCode).toBe(302);
  });
});

describe('basics', () => {
  it('answers unknown pages with a 404 page', async () => {
    const c = new Client(t.app);
    await c.signIn(email, PASSWORD);
    const res = await c.get('/no-such-page');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
  });

  it('refuses an oversized form with 413', async () => {
    const c = new Client(t.app);
    await c.signIn(email, PASSWORD);
    const res = await c.post('/sign-out', { filler: 'x'.repeat(300 * 1024) });
    expect(res.statusCode).toBe(413);
  });

  it('sets a strict content security policy with a nonce', async () => {
    const res = await new Client(t.app).get('/sign-in');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.body).toContain(`nonce="${nonce}"`);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('reports health', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe('session time-outs', () => {
  async function age(column: 'created_at' | 'last_seen_at', minutes: number): Promise<void> {
    const when = new Date(Date.now() - minutes * 60_000).toISOString();
    await t.services.db
      .updateTable('sessions')
      .set({ [column]: when })
      .execute();
  }

  it('ends a session left idle longer than the idle time-out', async () => {
    const c = new Client(t.app);
    await c.signIn(email, PASSWORD);
    await age('last_seen_at', t.services.config.sessionIdleMinutes - 1);
    expect((await c.get('/')).statusCode).toBe(200);
    await age('last_seen_at', t.services.config.sessionIdleMinutes + 1);
    expect((await c.get('/')).statusCode).toBe(302);
  });

  it('ends a busy session at the absolute time-out', async () => {
    const c = new Client(t.app);
    await c.signIn(email, PASSWORD);
    await age('created_at', t.services.config.sessionAbsoluteMinutes + 1);
    expect((await c.get('/')).statusCode).toBe(302);
    const idHash = hashToken(c.jar.get('saferplan_session') ?? '');
    const left = await t.services.db
      .selectFrom('sessions')
      .select('id_hash')
      .where('id_hash', '=', idHash)
      .execute();
    expect(left).toHaveLength(0);
  });

  it('sweeps timed-out sessions that were never presented again when anyone signs in', async () => {
    const abandoned = new Client(t.app);
    await abandoned.signIn(email, PASSWORD);
    await age('last_seen_at', t.services.config.sessionIdleMinutes + 1);
    await new Client(t.app).signIn(email, PASSWORD);
    const sessions = await t.services.db.selectFrom('sessions').select('id_hash').execute();
    expect(sessions).toHaveLength(1);
  });

  it('starts a new session at sign-in, ending the one the browser had', async () => {
    const c = new Client(t.app);
    await c.signIn(email, PASSWORD);
    const first = c.jar.get('saferplan_session');
    await c.get('/sign-in?next=/');
    await c.post('/sign-in', { email, password: PASSWORD });
    const second = c.jar.get('saferplan_session');
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    const stale = await t.app.inject({
      url: '/',
      headers: { cookie: `saferplan_session=${first}` },
    });
    expect(stale.statusCode).toBe(302);
  });
});

describe('sign-in attempts from one address', () => {
  it('are limited, whichever emails they try', async () => {
    const limited = await testApp({ signInAttemptsPerMinute: 30 });
    const c = new Client(limited.app);
    await c.get('/sign-in');
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push(
        (await c.post('/sign-in', { email: `someone${i}@example.org`, password: 'guess' }))
          .statusCode,
      );
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const page = await c.post('/sign-in', { email, password: PASSWORD });
    expect(page.body).toContain('Too many attempts');
    await limited.close();
  });
});
