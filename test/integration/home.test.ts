import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_LINE } from '../../src/core/actor.js';
import { signedIn, testApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, agency, member, partnership, user } from '../helpers/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('home: what is mine to do', () => {
  it('tells a coordinator who has not set a password and which groups have no members', async () => {
    const s = t.services;
    await partnership(s, { slug: 'swale', name: 'Swale CSP' });
    const police = await agency(s, 'Kent Police', 'police');
    const c = await user(s);
    await member(s, 'swale', c.email, 'coordinator');
    await s.members.addMember(COMMAND_LINE, 'swale', {
      email: 'new@example.org',
      role: 'viewer',
      name: 'New Person',
      agencyId: police.id,
    });
    await s.groups.create(COMMAND_LINE, 'swale', { name: 'Vulnerability Panel', kind: 'panel' });
    const page = await (await signedIn(t.app, c.email, PASSWORD)).get('/');
    expect(page.body).toContain('Swale CSP: 1 member has not set a password yet');
    expect(page.body).toContain('Swale CSP: Vulnerability Panel has no members');
    const members = await (
      await signedIn(t.app, c.email, PASSWORD)
    ).get('/partnerships/swale/members');
    expect(members.body).toMatch(/new@example\.org[\s\S]*?Not set a password yet/);
  });

  it('lists the groups a lead sits on through their agency, and gives a lead no coordinator to-dos', async () => {
    const s = t.services;
    const police = await s.agencies.findByName('Kent Police');
    const lead = await user(s, { agencyId: police?.id });
    await member(s, 'swale', lead.email, 'lead');
    await s.partnerships.addPartnerAgency(COMMAND_LINE, 'swale', { agencyId: police?.id });
    const g = await s.groups.create(COMMAND_LINE, 'swale', {
      name: 'Tasking Group',
      kind: 'other',
    });
    await s.groups.addMember(COMMAND_LINE, 'swale', g.id, { agencyId: police?.id });
    const page = await (await signedIn(t.app, lead.email, PASSWORD)).get('/');
    expect(page.body).toContain(`href="/partnerships/swale/groups/${g.id}">Tasking Group</a>`);
    expect(page.body).toContain('Nothing needs your attention');
  });
});
