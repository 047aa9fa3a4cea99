import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { messages as groupMessages } from '../../src/features/groups/groups.schemas.js';
import { messages as partnershipMessages } from '../../src/features/partnerships/partnerships.schemas.js';
import { signedIn, testApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, agency, member, partnership, user } from '../helpers/factories.js';

let t: TestApp;
let swaleCoordinator: string;
let swaleViewer: string;
let medwayCoordinator: string;
let kentCoordinator: string;
let swaleCoordinatorEmail: string;
let swaleViewerUser: { id: number; email: string };
let swaleGroupId: number;
let medwayGroupId: number;
let police: { id: number };

async function tokenFor(email: string, name = 'Script'): Promise<string> {
  const s = t.services;
  const found = await s.accounts.findByEmail(email);
  const actor = found && (await s.auth.actorFor(found.id));
  if (!actor) throw new Error(`no account for ${email}`);
  return (await s.tokens.create(actor, { name })).token;
}

async function api(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  token: string | undefined,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

function json(res: LightMyRequestResponse): Record<string, unknown> {
  return res.json<Record<string, unknown>>();
}

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'kent', name: 'Kent County CSP', type: 'county' });
  await partnership(s, { slug: 'swale', name: 'Swale CSP', parent: 'kent', areas: 'E07000113' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  police = await agency(s, 'Kent Police', 'police');
  await s.partnerships.addPartnerAgency(COMMAND_LINE, 'swale', { agencyId: police.id });
  const c = await user(s);
  swaleCoordinatorEmail = c.email;
  swaleViewerUser = await user(s);
  const m = await user(s);
  const k = await user(s);
  await member(s, 'swale', c.email, 'coordinator');
  await member(s, 'swale', swaleViewerUser.email, 'viewer');
  await member(s, 'medway', m.email, 'coordinator');
  await member(s, 'kent', k.email, 'coordinator');
  swaleGroupId = (
    await s.groups.create(COMMAND_LINE, 'swale', {
      name: 'Swale Tasking Group',
      kind: 'panel',
      keyFunctions: 'Weekly tasking of hotspots',
      meetingFrequency: 'Weekly',
    })
  ).id;
  medwayGroupId = (
    await s.groups.create(COMMAND_LINE, 'medway', { name: 'Medway Executive', kind: 'executive' })
  ).id;
  swaleCoordinator = await tokenFor(c.email);
  swaleViewer = await tokenFor(swaleViewerUser.email);
  medwayCoordinator = await tokenFor(m.email);
  kentCoordinator = await tokenFor(k.email);
});
afterAll(() => t.close());

describe('API authentication', () => {
  function expectUnauthorised(res: LightMyRequestResponse): void {
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(json(res)).toMatchObject({ status: 401, title: 'Unauthorised' });
    expect(res.body).not.toContain('Swale');
  }

  it('answers 401 with a problem document when there is no token', async () => {
    expectUnauthorised(await api('GET', '/api/v1/partnerships', undefined));
    expectUnauthorised(await api('GET', '/api/v1/partnerships/swale/members', undefined));
    const write = await api('POST', '/api/v1/partnerships/swale/groups', undefined, {
      name: 'Sneaked in',
      kind: 'panel',
    });
    expectUnauthorised(write);
    expect((await t.services.groups.list(COMMAND_LINE, 'swale')).map((g) => g.name)).not.toContain(
      'Sneaked in',
    );
  });

  it('answers 401 for a token that does not exist or a header that is not a bearer token', async () => {
    const res = await api('GET', '/api/v1/me', 'sp_not-a-real-token');
    expectUnauthorised(res);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
    expectUnauthorised(
      await api('GET', '/api/v1/me', undefined, undefined, {
        authorization: `Basic ${swaleCoordinator}`,
      }),
    );
  });

  it('never accepts a signed-in session cookie in place of a token', async () => {
    const browser = await signedIn(t.app, swaleCoordinatorEmail, PASSWORD);
    expect((await browser.get('/partnerships/swale')).statusCode).toBe(200);
    expectUnauthorised(
      await api('GET', '/api/v1/partnerships', undefined, undefined, { cookie: browser.cookie }),
    );
  });

  it('refuses a revoked token', async () => {
    const token = await tokenFor(swaleCoordinatorEmail, 'Short-lived');
    expect((await api('GET', '/api/v1/me', token)).statusCode).toBe(200);
    const s = t.services;
    const owner = await s.accounts.findByEmail(swaleCoordinatorEmail);
    const actor = await s.auth.actorFor(owner?.id ?? 0);
    if (!actor) throw new Error('no actor');
    const listed = (await s.tokens.list(actor)).find((x) => x.name === 'Short-lived');
    await s.tokens.revoke(actor, listed?.id ?? 0);
    expectUnauthorised(await api('GET', '/api/v1/me', token));
  });

  it('refuses the token of a disabled account, and accepts it again once enabled', async () => {
    const s = t.services;
    const u = await user(s);
    await member(s, 'swale', u.email, 'viewer');
    const token = await tokenFor(u.email);
    expect((await api('GET', '/api/v1/partnerships/swale', token)).statusCode).toBe(200);
    await s.accounts.setDisabled(COMMAND_LINE, u.id, true);
    expectUnauthorised(await api('GET', '/api/v1/partnerships/swale', token));
    await s.accounts.setDisabled(COMMAND_LINE, u.id, false);
    expect((await api('GET', '/api/v1/partnerships/swale', token)).statusCode).toBe(200);
  });

  it('serves the OpenAPI document without a token', async () => {
    const res = await api('GET', '/api/v1/openapi.json', undefined);
    expect(res.statusCode).toBe(200);
    expect(json(res).openapi).toBe('3.1.0');
  });
});

describe('a token acts with its owner’s roles', () => {
  it('says whose token it is, with their roles', async () => {
    const res = await api('GET', '/api/v1/me', swaleViewer);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({
      id: swaleViewerUser.id,
      email: swaleViewerUser.email,
      memberships: [{ slug: 'swale', name: 'Swale CSP', role: 'viewer' }],
    });
    expect(res.body).not.toContain('password');
  });

  it('lets a viewer read and refuses them changes with 403', async () => {
    expect((await api('GET', '/api/v1/partnerships/swale/members', swaleViewer)).statusCode).toBe(
      200,
    );
    const res = await api('POST', '/api/v1/partnerships/swale/groups', swaleViewer, {
      name: 'Viewer group',
      kind: 'panel',
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const del = await api(
      'DELETE',
      `/api/v1/partnerships/swale/groups/${swaleGroupId}`,
      swaleViewer,
    );
    expect(del.statusCode).toBe(403);
    expect(
      (await api('GET', `/api/v1/partnerships/swale/groups/${swaleGroupId}`, swaleViewer))
        .statusCode,
    ).toBe(200);
  });

  it('lets a county coordinator read its district but not change it', async () => {
    const list = (await api('GET', '/api/v1/partnerships', kentCoordinator)).json<
      { slug: string }[]
    >();
    expect(list.map((p) => p.slug).sort()).toEqual(['kent', 'swale']);
    expect(
      (await api('GET', '/api/v1/partnerships/swale/groups', kentCoordinator)).statusCode,
    ).toBe(200);
    const res = await api('POST', '/api/v1/partnerships/swale/groups', kentCoordinator, {
      name: 'County takeover',
      kind: 'panel',
    });
    expect(res.statusCode).toBe(403);
  });

  it('records the change in the audit trail as the token’s owner', async () => {
    const res = await api('POST', '/api/v1/partnerships/swale/groups', swaleCoordinator, {
      name: 'Audited group',
      kind: 'sub-group',
    });
    expect(res.statusCode).toBe(201);
    const owner = await t.services.accounts.findByEmail(swaleCoordinatorEmail);
    const event = await t.services.db
      .selectFrom('audit_events')
      .selectAll()
      .where('summary', '=', 'Created the group Audited group')
      .executeTakeFirstOrThrow();
    expect(event.actor_user_id).toBe(owner?.id);
    expect(event.request_id).toBe(res.headers['x-request-id']);
  });
});

describe('another partnership’s records', () => {
  it('lists only the partnerships the token’s owner may read', async () => {
    const res = await api('GET', '/api/v1/partnerships', medwayCoordinator);
    expect(res.json<{ slug: string }[]>().map((p) => p.slug)).toEqual(['medway']);
    expect(res.body).not.toContain('Swale');
  });

  it('answers 404 for another partnership, exactly as for one that does not exist', async () => {
    for (const path of ['', '/members', '/agencies', '/groups', `/groups/${swaleGroupId}`]) {
      const other = await api('GET', `/api/v1/partnerships/swale${path}`, medwayCoordinator);
      const missing = await api('GET', `/api/v1/partnerships/nowhere${path}`, medwayCoordinator);
      expect(other.statusCode, path).toBe(404);
      expect(other.body, path).toBe(missing.body);
    }
  });

  it('answers 404 for another partnership’s group under one’s own partnership', async () => {
    const other = await api(
      'GET',
      `/api/v1/partnerships/medway/groups/${swaleGroupId}`,
      medwayCoordinator,
    );
    const missing = await api(
      'GET',
      '/api/v1/partnerships/medway/groups/999999',
      medwayCoordinator,
    );
    expect(other.statusCode).toBe(404);
    expect(other.body).toBe(missing.body);
    const patch = await api(
      'PATCH',
      `/api/v1/partnerships/medway/groups/${swaleGroupId}`,
      medwayCoordinator,
      { name: 'Taken over' },
    );
    expect(patch.statusCode).toBe(404);
    const del = await api(
      'DELETE',
      `/api/v1/partnerships/medway/groups/${swaleGroupId}`,
      medwayCoordinator,
    );
    expect(del.statusCode).toBe(404);
    expect((await t.services.groups.get(COMMAND_LINE, 'swale', swaleGroupId)).name).toBe(
      'Swale Tasking Group',
    );
  });

  it('never lists another partnership’s groups or members', async () => {
    const groups = await api('GET', '/api/v1/partnerships/medway/groups', medwayCoordinator);
    expect(groups.json<{ id: number }[]>().map((g) => g.id)).toEqual([medwayGroupId]);
    const members = await api('GET', '/api/v1/partnerships/medway/members', medwayCoordinator);
    expect(members.body).not.toContain(swaleViewerUser.email);
  });

  it('will not change a member of another partnership through one’s own', async () => {
    const res = await api(
      'PATCH',
      `/api/v1/partnerships/medway/members/${swaleViewerUser.id}`,
      medwayCoordinator,
      { role: 'coordinator' },
    );
    expect(res.statusCode).toBe(404);
    const m = await t.services.members.member(COMMAND_LINE, 'swale', swaleViewerUser.id);
    expect(m.role).toBe('viewer');
  });
});

describe('bad input', () => {
  it('answers 422 with each broken rule by field, in the pages’ own words', async () => {
    const res = await api('POST', '/api/v1/partnerships/swale/groups', swaleCoordinator, {
      name: '   ',
      kind: 'committee',
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(res)).toMatchObject({
      status: 422,
      errors: [
        { field: 'name', message: groupMessages.nameEmpty },
        { field: 'kind', message: groupMessages.kindMissing },
      ],
    });
  });

  it('answers 422 when a rule of the service is broken, such as keeping a coordinator', async () => {
    const owner = await t.services.accounts.findByEmail(swaleCoordinatorEmail);
    const res = await api(
      'DELETE',
      `/api/v1/partnerships/swale/members/${owner?.id ?? 0}`,
      swaleCoordinator,
    );
    expect(res.statusCode).toBe(422);
    expect(json(res).errors).toEqual([
      { field: 'remove', message: partnershipMessages.lastCoordinator },
    ]);
  });

  it('answers 400 for a body that is not JSON or not an object, and 415 for a form', async () => {
    const broken = await api(
      'POST',
      '/api/v1/partnerships/swale/groups',
      swaleCoordinator,
      '{"name":',
      {
        'content-type': 'application/json',
      },
    );
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toMatch(/^application\/problem\+json/);
    const list = await api('POST', '/api/v1/partnerships/swale/groups', swaleCoordinator, '[1]', {
      'content-type': 'application/json',
    });
    expect(list.statusCode).toBe(400);
    const form = await api(
      'POST',
      '/api/v1/partnerships/swale/groups',
      swaleCoordinator,
      'name=Form&kind=panel',
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    expect(form.statusCode).toBe(415);
    expect((await t.services.groups.list(COMMAND_LINE, 'swale')).map((g) => g.name)).not.toContain(
      'Form',
    );
  });

  it('answers 404 for an id that is not a number', async () => {
    const res = await api('GET', '/api/v1/partnerships/swale/groups/abc', swaleCoordinator);
    expect(res.statusCode).toBe(404);
  });
});

describe('changing records', () => {
  it('creates, reads, changes part of and deletes a group', async () => {
    const created = await api('POST', '/api/v1/partnerships/swale/groups', swaleCoordinator, {
      name: 'Domestic Abuse Group',
      kind: 'sub-group',
      keyFunctions: 'Oversee the domestic abuse actions',
      meetingFrequency: 'Quarterly',
    });
    expect(created.statusCode).toBe(201);
    const group = created.json<{ id: number; name: string; memberCount: number }>();
    expect(group).toMatchObject({ name: 'Domestic Abuse Group', memberCount: 0 });
    const url = `/api/v1/partnerships/swale/groups/${group.id}`;

    const patched = await api('PATCH', url, swaleCoordinator, { meetingFrequency: 'Monthly' });
    expect(patched.statusCode).toBe(200);
    expect(json(patched)).toMatchObject({
      name: 'Domestic Abuse Group',
      kind: 'sub-group',
      keyFunctions: 'Oversee the domestic abuse actions',
      meetingFrequency: 'Monthly',
    });

    const badPatch = await api('PATCH', url, swaleCoordinator, { name: '' });
    expect(badPatch.statusCode).toBe(422);

    const deleted = await api('DELETE', url, swaleCoordinator);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await api('GET', url, swaleCoordinator)).statusCode).toBe(404);
  });

  it('adds a new person as a member with a sign-in link, changes their role and removes them', async () => {
    const added = await api('POST', '/api/v1/partnerships/swale/members', swaleCoordinator, {
      email: 'New.Analyst@example.org',
      role: 'viewer',
      name: 'New Analyst',
      agencyId: police.id,
    });
    expect(added.statusCode).toBe(201);
    const m = added.json<{ userId: number; email: string; status: string; signInLink: string }>();
    expect(m).toMatchObject({
      email: 'new.analyst@example.org',
      status: 'invited',
      role: 'viewer',
    });
    expect(m.signInLink).toMatch(/\/set-password\//);

    const url = `/api/v1/partnerships/swale/members/${m.userId}`;
    const changed = await api('PATCH', url, swaleCoordinator, { role: 'lead' });
    expect(changed.statusCode).toBe(200);
    expect(json(changed).role).toBe('lead');
    const wrongRole = await api('PATCH', url, swaleCoordinator, { role: 'owner' });
    expect(wrongRole.statusCode).toBe(422);
    expect(json(wrongRole).errors).toEqual([
      { field: 'role', message: partnershipMessages.roleMissing },
    ]);

    expect((await api('DELETE', url, swaleCoordinator)).statusCode).toBe(204);
    expect((await api('GET', url, swaleCoordinator)).statusCode).toBe(404);
  });

  it('adds a partner agency and lists it, with every agency listed at /agencies', async () => {
    const fire = await agency(t.services, 'Kent Fire and Rescue Service', 'fire');
    const res = await api('POST', '/api/v1/partnerships/swale/agencies', swaleCoordinator, {
      agencyId: fire.id,
    });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toEqual({ id: fire.id, name: 'Kent Fire and Rescue Service', kind: 'fire' });
    const again = await api('POST', '/api/v1/partnerships/swale/agencies', swaleCoordinator, {
      agencyId: fire.id,
    });
    expect(again.statusCode).toBe(422);
    const partners = await api('GET', '/api/v1/partnerships/swale/agencies', swaleViewer);
    expect(partners.json<{ name: string }[]>().map((a) => a.name)).toContain(
      'Kent Fire and Rescue Service',
    );
    const all = await api('GET', '/api/v1/agencies', medwayCoordinator);
    expect(all.json<{ id: number }[]>().map((a) => a.id)).toContain(fire.id);
  });

  it('answers in camelCase with ISO dates', async () => {
    const res = await api('GET', '/api/v1/partnerships/swale', swaleCoordinator);
    const p = json(res);
    expect(Object.keys(p)).toContain('createdAt');
    expect(Object.keys(p).some((k) => k.includes('_'))).toBe(false);
    expect(new Date(p.createdAt as string).toISOString()).toBe(p.createdAt);
    expect(p).toMatchObject({ slug: 'swale', parent: { slug: 'kent' }, areas: ['E07000113'] });
  });
});

describe('the OpenAPI document', () => {
  interface Doc {
    servers: { url: string }[];
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { securitySchemes: Record<string, { type: string; scheme: string }> };
  }
  let doc: Doc;
  beforeAll(async () => {
    doc = (await api('GET', '/api/v1/openapi.json', undefined)).json<Doc>();
  });

  it('describes every /api/v1 route the router has, and nothing it does not have', () => {
    const prefix = doc.servers[0]?.url ?? '';
    expect(prefix).toBe('/api/v1');
    const registered = t.app.routeTable
      .filter((r) => r.url.startsWith(`${prefix}/`))
      .map((r) => `${r.method} ${r.url.slice(prefix.length).replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(registered.length).toBeGreaterThan(15);
    expect(documented).toEqual(registered);
  });

  it('names every path parameter and asks for the bearer token', () => {
    expect(doc.components.securitySchemes.bearerToken).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops)) {
        const params = (op.parameters ?? []) as { name: string; in: string }[];
        expect(params.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(names);
      }
    }
  });

  it('describes request bodies from the same schemas the services use', () => {
    const post = doc.paths['/partnerships/{slug}/groups']?.post as {
      requestBody: { content: Record<string, { schema: Record<string, unknown> }> };
    };
    const schema = post.requestBody.content['application/json']?.schema;
    expect(schema).toMatchObject({
      type: 'object',
      required: ['name', 'kind'],
      properties: { kind: { enum: ['executive', 'sub-group', 'panel', 'other'] } },
    });
    const patch = doc.paths['/partnerships/{slug}/groups/{groupId}']?.patch as typeof post;
    expect(patch.requestBody.content['application/json']?.schema.required).toBeUndefined();
  });
});
