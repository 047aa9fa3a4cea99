import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/features/accounts/accounts.schemas.js';
import { Client, signedIn, testApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, agency, member, partnership, user } from '../helpers/factories.js';

const NEW_PASSWORD = 'a brand new passphrase here';

let t: TestApp;
let admin: Client;
let adminId: number;
let agencyId: number;

beforeAll(async () => {
  t = await testApp();
  agencyId = (await agency(t.services, 'Swale Borough Council')).id;
  const a = await user(t.services, { isAdmin: true, agencyId });
  adminId = a.id;
  admin = await signedIn(t.app, a.email, PASSWORD);
});
afterAll(() => t.close());

function linkOn(res: LightMyRequestResponse): string {
  const link = /id="sign-in-link">([^<]+)</.exec(res.body)?.[1];
  if (!link) throw new Error('no link on the page');
  return new URL(link).pathname;
}

function errorSummary(body: string): string[] {
  const list = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(body)?.[1] ?? '';
  return [...list.matchAll(/<a[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]?.trim() ?? '');
}

async function counts() {
  const n = async (table: 'users' | 'audit_events') =>
    Number(
      (
        await t.services.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { users: await n('users'), audit: await n('audit_events') };
}

async function canSignIn(email: string, password: string): Promise<boolean> {
  return (await new Client(t.app).signIn(email, password)).statusCode === 303;
}

async function isSignedOut(c: Client): Promise<boolean> {
  const res = await c.get('/account');
  return res.statusCode === 302 && res.headers.location === '/sign-in?next=%2Faccount';
}

async function createAccount(form: Record<string, string>): Promise<LightMyRequestResponse> {
  await admin.get('/admin/users/new');
  return admin.post('/admin/users/new', form);
}

describe('system administrators only', () => {
  it('refuses someone who is not an administrator on every /admin/users route, changing nothing', async () => {
    await partnership(t.services, { slug: 'swale', name: 'Swale CSP' });
    const coordinatorUser = await user(t.services, { agencyId });
    await member(t.services, 'swale', coordinatorUser.email, 'coordinator');
    const coordinator = await signedIn(t.app, coordinatorUser.email, PASSWORD);
    const target = await user(t.services, { agencyId });
    const before = await counts();

    const routes = t.app.routeTable.filter((r) => r.url.startsWith('/admin/users'));
    expect(routes.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /admin/users',
      'GET /admin/users/:id',
      'GET /admin/users/new',
      'POST /admin/users/:id/disable',
      'POST /admin/users/:id/enable',
      'POST /admin/users/:id/reset-link',
      'POST /admin/users/new',
    ]);
    const answers: string[] = [];
    for (const route of routes) {
      for (const id of [target.id, coordinatorUser.id]) {
        const url = route.url.replace(':id', String(id));
        await coordinator.get('/account');
        const res =
          route.method === 'GET'
            ? await coordinator.get(url)
            : await coordinator.post(url, {
                name: 'Not Allowed',
                email: 'not-allowed@example.org',
                agencyId: String(agencyId),
                isAdmin: 'yes',
              });
        answers.push(`${route.method} ${url} → ${res.statusCode}`);
        expect(res.body).not.toContain('sign-in-link');
      }
    }
    expect(answers.filter((a) => !a.endsWith('→ 403'))).toEqual([]);
    expect(await counts()).toEqual(before);
    expect(await canSignIn(target.email, PASSWORD)).toBe(true);
  });

  it('lists every account with its agency, partnerships and status in words', async () => {
    const u = await user(t.services, { name: 'Listed Person', agencyId });
    await partnership(t.services, { slug: 'medway', name: 'Medway CSP' });
    await member(t.services, 'medway', u.email, 'lead');
    const res = await admin.get('/admin/users');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`href="/admin/users/${u.id}">Listed Person</a>`);
    expect(res.body).toContain(u.email);
    expect(res.body).toContain('Medway CSP: Lead');
    expect(res.body).toContain('Swale Borough Council');
    expect(res.body).toMatch(/govuk-tag--green">\s*Active/);
    expect(res.body).toContain('href="/admin/users/new"');
  });
});

describe('creating an account', () => {
  it('gives a one-time link that sets the password once, then shows the expired page', async () => {
    const res = await createAccount({
      name: 'Priya Shah',
      email: ' Priya.Shah@Example.org ',
      agencyId: String(agencyId),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('expires in 24 hours');
    expect(res.body).toContain('works once');
    const path = linkOn(res);
    expect(path).toMatch(/^\/set-password\/[\w-]+$/);

    const list = await admin.get('/admin/users');
    expect(list.body).toMatch(/Priya Shah[\s\S]*?No password yet/);
    expect(await canSignIn('priya.shah@example.org', NEW_PASSWORD)).toBe(false);

    const visitor = new Client(t.app);
    expect((await visitor.get(path)).statusCode).toBe(200);
    const set = await visitor.post(path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(set.statusCode).toBe(303);
    expect(await canSignIn('priya.shah@example.org', NEW_PASSWORD)).toBe(true);

    const again = new Client(t.app);
    const second = await again.get(path);
    expect(second.statusCode).toBe(404);
    expect(second.body).toContain('This link has expired or has been used');
    await again.get('/sign-in');
    const reuse = await again.post(path, { password: 'someone else entirely', confirm: 'x' });
    expect(reuse.statusCode).toBe(404);
    expect(await canSignIn('priya.shah@example.org', NEW_PASSWORD)).toBe(true);
  });

  it('makes a system administrator only when the box is ticked', async () => {
    const res = await createAccount({
      name: 'Sam Admin',
      email: 'sam.admin@example.org',
      agencyId: String(agencyId),
      isAdmin: 'yes',
    });
    expect(res.statusCode).toBe(200);
    const found = await t.services.accounts.findByEmail('sam.admin@example.org');
    const page = await admin.get(`/admin/users/${found?.id}`);
    expect(page.body).toMatch(/System administrator\s*<\/dt>\s*<dd[^>]*>\s*Yes/);
  });

  beforeAll(async () => {
    await user(t.services, { email: 'taken@example.org', agencyId });
  });

  it.each([
    ['a bad email', { email: 'not-an-email' }, 'email', messages.emailInvalid],
    ['an email already in use', { email: 'TAKEN@example.org' }, 'email', messages.emailTaken],
    ['no agency', { agencyId: '' }, 'agencyId', messages.agencyMissing],
    ['no name', { name: '  ' }, 'name', messages.nameEmpty],
  ])(
    're-renders with the error summary for %s and saves nothing',
    async (_, change, field, text) => {
      const before = await counts();
      const form = {
        name: 'Kept Name',
        email: 'kept@example.org',
        agencyId: String(agencyId),
        ...change,
      };
      const res = await createAccount(form);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('<title>Error: Create an account');
      expect(errorSummary(res.body)).toEqual([text]);
      expect(res.body).toContain(`href="#${field}"`);
      expect(res.body).toContain(`value="${form.name}"`);
      expect(res.body).toContain(`value="${form.email}"`);
      if (form.agencyId) expect(res.body).toContain(`value="${agencyId}" selected`);
      expect(res.body).not.toContain('sign-in-link');
      expect(await counts()).toEqual(before);
    },
  );
});

describe('disabling and enabling', () => {
  it('signs a disabled person out at once and keeps them out until enabled', async () => {
    const u = await user(t.services, { agencyId, name: 'Dana Disabled' });
    const victim = await signedIn(t.app, u.email, PASSWORD);
    expect((await victim.get('/account')).statusCode).toBe(200);

    await admin.get(`/admin/users/${u.id}`);
    const res = await admin.post(`/admin/users/${u.id}/disable`);
    expect(res.statusCode).toBe(303);
    const page = await admin.get(res.headers.location as string);
    expect(page.body).toContain('govuk-notification-banner--success');
    expect(page.body).toContain('Account disabled. Dana Disabled has been signed out');
    expect(page.body).toMatch(/govuk-tag--grey">\s*Disabled/);
    expect(page.body).toContain('Disabled the account of Dana Disabled');
    expect(page.body).toContain('Enable account');

    expect(await isSignedOut(victim)).toBe(true);
    expect(await canSignIn(u.email, PASSWORD)).toBe(false);

    await admin.post(`/admin/users/${u.id}/enable`);
    expect(await canSignIn(u.email, PASSWORD)).toBe(true);
    const enabled = await admin.get(`/admin/users/${u.id}`);
    expect(enabled.body).toMatch(/govuk-tag--green">\s*Active/);
  });

  it('does not let an administrator disable their own account', async () => {
    await admin.get(`/admin/users/${adminId}`);
    const res = await admin.post(`/admin/users/${adminId}/disable`);
    expect(res.statusCode).toBe(400);
    expect(errorSummary(res.body)).toEqual([messages.selfDisable]);
    expect((await admin.get('/admin/users')).statusCode).toBe(200);
    const row = await t.services.db
      .selectFrom('users')
      .select('disabled_at')
      .where('id', '=', adminId)
      .executeTakeFirstOrThrow();
    expect(row.disabled_at).toBeNull();
  });

  it('answers 404 for an account that does not exist', async () => {
    expect((await admin.get('/admin/users/999999')).statusCode).toBe(404);
    expect((await admin.post('/admin/users/999999/disable')).statusCode).toBe(404);
  });
});

describe('password reset link', () => {
  it('shows a link once that replaces the password, which works until then', async () => {
    const u = await user(t.services, { agencyId });
    await admin.get(`/admin/users/${u.id}`);
    const res = await admin.post(`/admin/users/${u.id}/reset-link`);
    expect(res.statusCode).toBe(200);
    const path = linkOn(res);
    expect(await canSignIn(u.email, PASSWORD)).toBe(true);

    const visitor = new Client(t.app);
    await visitor.get(path);
    expect(
      (await visitor.post(path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD })).statusCode,
    ).toBe(303);
    expect(await canSignIn(u.email, PASSWORD)).toBe(false);
    expect(await canSignIn(u.email, NEW_PASSWORD)).toBe(true);

    const history = await admin.get(`/admin/users/${u.id}`);
    expect(history.body).toContain('Issued a password reset link for');
    expect(history.body).toMatch(/\d{1,2} \w+ \d{4} at \d{1,2}:\d{2}[ap]m/);
  });
});

describe('your account', () => {
  it('shows your details and your partnerships with links', async () => {
    await partnership(t.services, { slug: 'dover', name: 'Dover CSP' });
    const u = await user(t.services, { agencyId, name: 'Mina Member' });
    await member(t.services, 'dover', u.email, 'viewer');
    const c = await signedIn(t.app, u.email, PASSWORD);
    const res = await c.get('/account');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Mina Member');
    expect(res.body).toContain('Swale Borough Council');
    expect(res.body).toContain('href="/partnerships/dover">Dover CSP</a>');
    expect(res.body).toContain('Viewer');
    expect(res.body).toContain('href="/account/password"');
    expect(res.body).toContain('href="/account/tokens"');
  });

  it('refuses a wrong current password with the error summary, changing nothing', async () => {
    const u = await user(t.services, { agencyId });
    const c = await signedIn(t.app, u.email, PASSWORD);
    await c.get('/account/password');
    const res = await c.post('/account/password', {
      current: 'not my password at all',
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>Error: Change your password');
    expect(errorSummary(res.body)).toEqual([messages.currentWrong]);
    expect(res.body).not.toContain('not my password at all');
    expect(await canSignIn(u.email, PASSWORD)).toBe(true);
  });

  it('changes the password, ends the other sessions and keeps this one', async () => {
    const u = await user(t.services, { agencyId });
    const here = await signedIn(t.app, u.email, PASSWORD);
    const elsewhere = await signedIn(t.app, u.email, PASSWORD);
    await here.get('/account/password');
    const res = await here.post('/account/password', {
      current: PASSWORD,
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    });
    expect(res.statusCode).toBe(303);
    const page = await here.get(res.headers.location as string);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Password changed.');
    expect(await isSignedOut(elsewhere)).toBe(true);
    expect(await canSignIn(u.email, PASSWORD)).toBe(false);
    expect(await canSignIn(u.email, NEW_PASSWORD)).toBe(true);
    const history = await admin.get(`/admin/users/${u.id}`);
    expect(history.body).toContain('Changed their password and signed out their other sessions');
  });

  it('asks for the new password twice', async () => {
    const u = await user(t.services, { agencyId });
    const c = await signedIn(t.app, u.email, PASSWORD);
    await c.get('/account/password');
    const res = await c.post('/account/password', {
      current: PASSWORD,
      password: NEW_PASSWORD,
      confirm: 'something different',
    });
    expect(res.statusCode).toBe(400);
    expect(errorSummary(res.body)).toEqual([messages.passwordsDiffer]);
    expect(await canSignIn(u.email, PASSWORD)).toBe(true);
  });
});
