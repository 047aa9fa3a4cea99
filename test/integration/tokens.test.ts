import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/features/tokens/tokens.service.js';
import { Client, signedIn, testApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, member, partnership, user } from '../helpers/factories.js';

let t: TestApp;
let owner: { id: number; email: string };

const TOKEN = /sp_[A-Za-z0-9_-]{43}/;

beforeAll(async () => {
  t = await testApp();
  await partnership(t.services, { slug: 'swale', name: 'Swale CSP' });
  owner = await user(t.services);
  await member(t.services, 'swale', owner.email, 'viewer');
});
afterAll(() => t.close());

async function createToken(client: Client, name: string): Promise<string> {
  await client.get('/account/tokens');
  const res = await client.post('/account/tokens', { name });
  expect(res.statusCode).toBe(200);
  const token = TOKEN.exec(res.body)?.[0];
  if (!token) throw new Error('no token on the page');
  return token;
}

function callApi(token: string) {
  return t.app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${token}` },
  });
}

async function rowsOf(userId: number) {
  return t.services.db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
}

describe('API token pages', () => {
  it('need sign-in', async () => {
    const res = await new Client(t.app).get('/account/tokens');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toMatch(/^\/sign-in/);
  });

  it('show the token once, with a warning, and store only its hash', async () => {
    const client = await signedIn(t.app, owner.email, PASSWORD);
    const empty = await client.get('/account/tokens');
    expect(empty.body).toContain('You have no API tokens');

    const created = await client.post('/account/tokens', { name: 'Monthly figures script' });
    expect(created.statusCode).toBe(200);
    const token = TOKEN.exec(created.body)?.[0] ?? '';
    expect(token).not.toBe('');
    expect(created.body).toContain('It will not be shown again');
    expect(created.headers['cache-control']).toBe('no-store');

    const list = await client.get('/account/tokens');
    expect(list.body).toContain('Monthly figures script');
    expect(list.body).toContain(token.slice(0, 7));
    expect(list.body).not.toContain(token);
    expect(list.body).toMatch(/govuk-tag[^"]*">\s*Active/);

    const rows = await rowsOf(owner.id);
    expect(rows).toHaveLength(1);
    for (const value of Object.values(rows[0] ?? {})) {
      expect(String(value)).not.toContain(token.slice(7));
    }
    expect(rows[0]?.token_hash).toBe(createHash('sha256').update(token).digest('hex'));

    const res = await callApi(token);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ email: string }>().email).toBe(owner.email);
    const used = await client.get('/account/tokens');
    expect(used.body).not.toContain('Never');
  });

  it('re-shows the form with the error summary when the name is missing', async () => {
    const client = await signedIn(t.app, owner.email, PASSWORD);
    const before = (await rowsOf(owner.id)).length;
    await client.get('/account/tokens');
    const res = await client.post('/account/tokens', { name: '  ' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain(messages.nameEmpty);
    expect(res.body).toContain('<title>Error: ');
    expect(await rowsOf(owner.id)).toHaveLength(before);
  });

  it('revoke a token: it stops working at once and shows as revoked', async () => {
    const client = await signedIn(t.app, owner.email, PASSWORD);
    const token = await createToken(client, 'To revoke');
    expect((await callApi(token)).statusCode).toBe(200);
    const row = (await rowsOf(owner.id)).find((r) => r.name === 'To revoke');
    const res = await client.post(`/account/tokens/${row?.id ?? 0}/revoke`);
    expect(res.statusCode).toBe(303);
    expect((await callApi(token)).statusCode).toBe(401);
    const list = await client.get(res.headers.location as string);
    expect(list.body).toContain('Token revoked');
    expect(list.body).toMatch(/govuk-tag[^"]*">\s*Revoked/);
  });

  it('will not revoke someone else’s token', async () => {
    const mine = await signedIn(t.app, owner.email, PASSWORD);
    const token = await createToken(mine, 'Not yours');
    const row = (await rowsOf(owner.id)).find((r) => r.name === 'Not yours');
    const other = await user(t.services);
    const intruder = await signedIn(t.app, other.email, PASSWORD);
    await intruder.get('/account/tokens');
    const res = await intruder.post(`/account/tokens/${row?.id ?? 0}/revoke`);
    expect(res.statusCode).toBe(404);
    expect((await callApi(token)).statusCode).toBe(200);
    expect((await intruder.get('/account/tokens')).body).not.toContain('Not yours');
  });

  it('refuse forms without the CSRF token, creating and revoking nothing', async () => {
    const client = await signedIn(t.app, owner.email, PASSWORD);
    const token = await createToken(client, 'Kept');
    const before = await rowsOf(owner.id);
    const create = await client.post('/account/tokens', { name: 'Forged', _csrf: '' });
    expect(create.statusCode).toBe(403);
    const kept = before.find((r) => r.name === 'Kept');
    const revoke = await client.post(`/account/tokens/${kept?.id ?? 0}/revoke`, { _csrf: '' });
    expect(revoke.statusCode).toBe(403);
    const other = await signedIn(t.app, owner.email, PASSWORD);
    const crossed = await client.post('/account/tokens', { name: 'Forged', _csrf: other.csrf });
    expect(crossed.statusCode).toBe(403);
    expect(await rowsOf(owner.id)).toEqual(before);
    expect((await callApi(token)).statusCode).toBe(200);
  });
});
