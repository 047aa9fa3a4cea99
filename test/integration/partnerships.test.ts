import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { signedIn, testApp, type Client, type TestApp } from '../helpers/app.js';
import { PASSWORD, agency, member, partnership, user } from '../helpers/factories.js';

let t: TestApp;
let coordinator: Client;
let lead: Client;
let viewer: Client;
let countyCoordinator: Client;
let outsider: Client;
let leadUser: { id: number; agencyId: number };
let viewerUser: { id: number };
let police: { id: number };

beforeAll(async () => {
  t = await testApp();
  const s = t.services;
  await partnership(s, { slug: 'kent', name: 'Kent County CSP', type: 'county' });
  await partnership(s, { slug: 'swale', name: 'Swale CSP', parent: 'kent', areas: 'E07000113' });
  await partnership(s, { slug: 'medway', name: 'Medway CSP', type: 'unitary' });
  police = await agency(s, 'Kent Police', 'police');
  const c = await user(s);
  leadUser = await user(s, { agencyId: police.id });
  viewerUser = await user(s);
  const cc = await user(s);
  const o = await user(s);
  await member(s, 'swale', c.email, 'coordinator');
  await member(s, 'swale', (await s.accounts.get(COMMAND_LINE, leadUser.id)).email, 'lead');
  await member(s, 'swale', (await s.accounts.get(COMMAND_LINE, viewerUser.id)).email, 'viewer');
  await member(s, 'kent', cc.email, 'coordinator');
  await member(s, 'medway', o.email, 'coordinator');
  coordinator = await signedIn(t.app, c.email, PASSWORD);
  lead = await signedIn(t.app, (await s.accounts.get(COMMAND_LINE, leadUser.id)).email, PASSWORD);
  viewer = await signedIn(
    t.app,
    (await s.accounts.get(COMMAND_LINE, viewerUser.id)).email,
    PASSWORD,
  );
  countyCoordinator = await signedIn(t.app, cc.email, PASSWORD);
  outsider = await signedIn(t.app, o.email, PASSWORD);
});
afterAll(() => t.close());

describe('partnership pages', () => {
  it('lists only the partnerships a person may see', async () => {
    const res = await coordinator.get('/partnerships');
    expect(res.body).toContain('Swale CSP');
    expect(res.body).not.toContain('Medway CSP');
    expect(res.body).not.toContain('Kent County CSP');
  });

  it('lets a county coordinator read its districts but not change them', async () => {
    const list = await countyCoordinator.get('/partnerships');
    expect(list.body).toContain('Swale CSP');
    expect((await countyCoordinator.get('/partnerships/swale/members')).statusCode).toBe(200);
    expect((await countyCoordinator.get('/partnerships/swale/settings')).statusCode).toBe(403);
    expect(
      (
        await countyCoordinator.post('/partnerships/swale/settings', {
          name: 'Taken over',
          areas: '',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('answers 404 for another partnership, exactly as for one that does not exist', async () => {
    const other = await outsider.get('/partnerships/swale');
    const missing = await outsider.get('/partnerships/no-such-place');
    expect(other.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    const strip = (html: string) => html.replace(/(nonce|value)="[^"]*"/g, '');
    expect(strip(other.body)).toBe(strip(missing.body));
    expect(other.body).not.toContain('Swale');
  });

  it('saves settings and refuses codes that are not ONS district codes, naming the field', async () => {
    const bad = await coordinator.post('/partnerships/swale/settings', {
      name: 'Swale CSP',
      areas: 'E07000113, Swale',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#areas"');
    expect(bad.body).toContain('value="Swale CSP"');
    const ok = await coordinator.post('/partnerships/swale/settings', {
      name: 'Swale CSP',
      areas: 'e07000113\nE07000113',
    });
    expect(ok.statusCode).toBe(303);
    const page = await coordinator.get('/partnerships/swale');
    expect(page.body).toContain('E07000113');
  });
});

describe('members', () => {
  it('adds an existing account, changes the role and removes them, all audited', async () => {
    const newcomer = await user(t.services);
    const added = await coordinator.post('/partnerships/swale/members/add', {
      email: newcomer.email,
      role: 'viewer',
    });
    expect(added.statusCode).toBe(200);
    expect(added.body).not.toContain('sign-in-link');
    expect(
      (await coordinator.post(`/partnerships/swale/members/${newcomer.id}/role`, { role: 'lead' }))
        .statusCode,
    ).toBe(303);
    const members = await coordinator.get('/partnerships/swale/members');
    expect(members.body).toMatch(new RegExp(`${newcomer.email}[\\s\\S]*?Lead`));
    const history = await coordinator.get(`/partnerships/swale/members/${newcomer.id}`);
    expect(history.body).toMatch(/from viewer to lead[\s\S]*as viewer/);
    expect(
      (await coordinator.post(`/partnerships/swale/members/${newcomer.id}/remove`)).statusCode,
    ).toBe(303);
    expect((await coordinator.get('/partnerships/swale/members')).body).not.toContain(
      newcomer.email,
    );
    const audit = await coordinator.get('/partnerships/swale/audit');
    expect(audit.body).toContain('as viewer');
    expect(audit.body).toContain('from viewer to lead');
  });

  it('creates an account for someone new and gives a one-time link that works', async () => {
    const missingName = await coordinator.post('/partnerships/swale/members/add', {
      email: 'new.person@example.org',
      role: 'lead',
    });
    expect(missingName.statusCode).toBe(400);
    expect(missingName.body).toContain('Enter their full name');
    const res = await coordinator.post('/partnerships/swale/members/add', {
      email: 'New.Person@example.org',
      role: 'lead',
      name: 'New Person',
      agencyId: String(police.id),
    });
    expect(res.statusCode).toBe(200);
    const link = /id="sign-in-link">([^<]+)</.exec(res.body)?.[1] ?? '';
    expect(link).toMatch(/\/set-password\/[\w-]{40,}$/);
    const path = new URL(link).pathname;
    const { Client } = await import('../helpers/app.js');
    const them = new Client(t.app);
    await them.get(path);
    expect(
      (
        await them.post(path, {
          password: 'a long enough password',
          confirm: 'a long enough password',
        })
      ).statusCode,
    ).toBe(303);
    expect((await them.get('/partnerships/swale')).statusCode).toBe(200);
    expect((await new Client(t.app).get(path)).body).toContain('expired');
  });

  it('keeps at least one coordinator', async () => {
    const coordinators = (await t.services.members.members(COMMAND_LINE, 'swale')).filter(
      (m) => m.role === 'coordinator',
    );
    expect(coordinators).toHaveLength(1);
    const only = coordinators[0]?.userId;
    const res = await coordinator.post(`/partnerships/swale/members/${only}/role`, {
      role: 'viewer',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('A partnership must keep at least one coordinator');
  });

  it('refuses a viewer and a lead who try to manage members', async () => {
    const page = await viewer.get('/partnerships/swale/members');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Add a member');
    expect(
      (
        await viewer.post('/partnerships/swale/members/add', {
          email: 'x@example.org',
          role: 'coordinator',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await lead.post(`/partnerships/swale/members/${leadUser.id}/role`, { role: 'coordinator' }))
        .statusCode,
    ).toBe(403);
    expect((await viewer.get('/partnerships/swale/audit')).statusCode).toBe(403);
  });
});

describe('groups', () => {
  let groupId: number;

  it('lets a coordinator create a group, with clear errors first', async () => {
    const bad = await coordinator.post('/partnerships/swale/groups/new', { name: '', kind: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the group’s name');
    expect(bad.body).toContain('Select the kind of group');
    const res = await coordinator.post('/partnerships/swale/groups/new', {
      name: 'Domestic Abuse Group',
      kind: 'sub-group',
      keyFunctions: 'Oversee the domestic abuse actions\nShare learning from reviews',
      meetingFrequency: 'Quarterly',
    });
    expect(res.statusCode).toBe(303);
    groupId = Number(/groups\/(\d+)/.exec(String(res.headers.location))?.[1]);
    const page = await coordinator.get(`/partnerships/swale/groups/${groupId}`);
    expect(page.body).toContain('<li>Share learning from reviews</li>');
    const dup = await coordinator.post('/partnerships/swale/groups/new', {
      name: 'Domestic Abuse Group',
      kind: 'panel',
    });
    expect(dup.body).toContain('already has a group with this name');
  });

  it('adds only the partnership’s own agencies and people to a group', async () => {
    const res = await coordinator.post(`/partnerships/swale/groups/${groupId}/members`, {
      agencyId: String(police.id),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Select one of the partnership’s agencies');
    await t.services.partnerships.addPartnerAgency(COMMAND_LINE, 'swale', { agencyId: police.id });
    expect(
      (
        await coordinator.post(`/partnerships/swale/groups/${groupId}/members`, {
          agencyId: String(police.id),
        })
      ).statusCode,
    ).toBe(303);
    const outsiderUser = await user(t.services);
    const notMember = await coordinator.post(`/partnerships/swale/groups/${groupId}/members`, {
      userId: String(outsiderUser.id),
    });
    expect(notMember.body).toContain('Select one of the partnership’s members');
    expect(
      (
        await coordinator.post(`/partnerships/swale/groups/${groupId}/members`, {
          userId: String(viewerUser.id),
        })
      ).statusCode,
    ).toBe(303);
    const page = await coordinator.get(`/partnerships/swale/groups/${groupId}`);
    expect(page.body).toContain('Kent Police');
    expect(page.body).toContain('Added Kent Police to Domestic Abuse Group');
  });

  it('lets a lead whose agency sits on the group change its details, but not delete it', async () => {
    const res = await lead.post(`/partnerships/swale/groups/${groupId}/edit`, {
      name: 'Domestic Abuse Group',
      kind: 'sub-group',
      keyFunctions: 'Oversee the domestic abuse actions',
      meetingFrequency: 'Every two months',
    });
    expect(res.statusCode).toBe(303);
    expect((await lead.post(`/partnerships/swale/groups/${groupId}/delete`)).statusCode).toBe(403);
    const other = await coordinator.post('/partnerships/swale/groups/new', {
      name: 'Vulnerability Panel',
      kind: 'panel',
    });
    const otherId = /groups\/(\d+)/.exec(String(other.headers.location))?.[1];
    expect((await lead.get(`/partnerships/swale/groups/${otherId}/edit`)).statusCode).toBe(403);
    expect(
      (
        await viewer.post(`/partnerships/swale/groups/${groupId}/edit`, {
          name: 'X',
          kind: 'panel',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('keeps another partnership’s groups out of reach, even by id under one’s own partnership', async () => {
    expect((await outsider.get(`/partnerships/swale/groups/${groupId}`)).statusCode).toBe(404);
    expect((await outsider.get(`/partnerships/medway/groups/${groupId}`)).statusCode).toBe(404);
    expect((await outsider.post(`/partnerships/medway/groups/${groupId}/delete`)).statusCode).toBe(
      404,
    );
  });

  it('deletes a group and keeps its history in the audit trail', async () => {
    expect(
      (await coordinator.post(`/partnerships/swale/groups/${groupId}/delete`)).statusCode,
    ).toBe(303);
    expect((await coordinator.get(`/partnerships/swale/groups/${groupId}`)).statusCode).toBe(404);
    const audit = await coordinator.get('/partnerships/swale/audit');
    expect(audit.body).toContain('Deleted the group Domestic Abuse Group');
  });
});

describe('audit trail', () => {
  it('cannot be changed or deleted, even directly in the database', async () => {
    const { db } = t.services;
    await expect(sql`update audit_events set summary = 'rewritten'`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_events`.execute(db)).rejects.toThrow(/append-only/);
  });
});

describe('placing a partnership (system administrators)', () => {
  it('moves a partnership under a county and refuses to demote a county that has districts', async () => {
    const admin = await user(t.services, { isAdmin: true });
    const c = await signedIn(t.app, admin.email, PASSWORD);
    const moved = await c.post('/partnerships/medway/settings', {
      name: 'Medway CSP',
      areas: '',
      type: 'unitary',
      parent: 'kent',
    });
    expect(moved.statusCode).toBe(303);
    expect((await c.get('/partnerships/kent')).body).toContain('Medway CSP');
    const demote = await c.post('/partnerships/kent/settings', {
      name: 'Kent County CSP',
      areas: '',
      type: 'district',
      parent: '',
    });
    expect(demote.statusCode).toBe(400);
    expect(demote.body).toContain('District partnerships sit under this county');
    const self = await c.post('/partnerships/medway/settings', {
      name: 'Medway CSP',
      areas: '',
      type: 'unitary',
      parent: 'medway',
    });
    expect(self.body).toContain('The parent must be a county partnership');
  });

  it('ignores type and county sent by a coordinator', async () => {
    await coordinator.post('/partnerships/swale/settings', {
      name: 'Swale CSP',
      areas: 'E07000113',
      type: 'county',
      parent: '',
    });
    const p = await t.services.partnerships.get(COMMAND_LINE, 'swale');
    expect(p.type).toBe('district');
    expect(p.parent?.slug).toBe('kent');
  });
});
