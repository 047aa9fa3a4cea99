import { COMMAND_LINE, type Actor } from '../../src/core/actor.js';
import { FundingService } from '../../src/features/funding/funding.service.js';
import type { Services } from '../../src/services.js';
import { actorFor, agency, member, partnership, user } from './factories.js';

/** A clock the tests move by hand, so voting windows open and close when a test says. */
export class Clock {
  constructor(public iso: string) {}
  set(date: string): void {
    this.iso = `${date}T10:00:00.000Z`;
  }
  now = (): string => this.iso;
}

export interface FundingWorld {
  funding: FundingService;
  clock: Clock;
  slug: string;
  agencies: { council: number; police: number; vcs: number; other: number };
  groupId: number;
  coordinator: Actor;
  /** Partner leads who sit on the working group (through their agency or in person). */
  voters: Actor[];
  /** A lead who is not on the working group. */
  lead: Actor;
  viewer: Actor;
  /** A coordinator of another partnership. */
  outsider: Actor;
  outsiderSlug: string;
  /** Sign-in addresses, by who they are. */
  emails: Record<'coordinator' | 'voter' | 'lead' | 'viewer' | 'outsider', string>;
}

/**
 * A county partnership with four partner agencies, a working group of three members, a
 * coordinator, a lead outside the group, a viewer, and an unrelated partnership.
 */
export async function fundingWorld(
  s: Services,
  opts: { slug?: string; name?: string; start?: string } = {},
): Promise<FundingWorld> {
  const slug = opts.slug ?? 'county';
  await partnership(s, { slug, name: opts.name ?? 'County CSP', type: 'county' });
  const outsiderSlug = `${slug}-other`;
  await partnership(s, { slug: outsiderSlug, name: 'Another CSP' });
  const council = (await agency(s, `County Council ${slug}`, 'council')).id;
  const police = (await agency(s, `Police ${slug}`, 'police')).id;
  const vcs = (await agency(s, `Youth Charity ${slug}`, 'vcs')).id;
  const other = (await agency(s, `Prevent Team ${slug}`, 'other')).id;
  for (const agencyId of [council, police, vcs, other]) {
    await s.partnerships.addPartnerAgency(COMMAND_LINE, slug, { agencyId });
  }
  const person = async (agencyId: number, role: 'coordinator' | 'lead' | 'viewer', p = slug) => {
    const u = await user(s, { agencyId });
    await member(s, p, u.email, role);
    return { id: u.id, email: u.email, actor: await actorFor(s, u.id) };
  };
  const coordinator = await person(council, 'coordinator');
  const v1 = await person(police, 'lead');
  const v2 = await person(vcs, 'lead');
  const v3 = await person(other, 'lead');
  const lead = await person(council, 'lead');
  const viewer = await person(council, 'viewer');
  const outsider = await person(council, 'coordinator', outsiderSlug);
  const group = await s.groups.create(COMMAND_LINE, slug, {
    name: 'Funding working group',
    kind: 'sub-group',
  });
  // Police and the charity sit on the group as agencies; the Prevent lead in person.
  await s.groups.addMember(COMMAND_LINE, slug, group.id, { agencyId: police });
  await s.groups.addMember(COMMAND_LINE, slug, group.id, { agencyId: vcs });
  await s.groups.addMember(COMMAND_LINE, slug, group.id, { userId: v3.id });
  const clock = new Clock(opts.start ?? '2023-04-01T10:00:00.000Z');
  return {
    funding: new FundingService(s.db, s.partnerships, clock.now),
    clock,
    slug,
    agencies: { council, police, vcs, other },
    groupId: group.id,
    coordinator: coordinator.actor,
    voters: [v1.actor, v2.actor, v3.actor],
    lead: lead.actor,
    viewer: viewer.actor,
    outsider: outsider.actor,
    outsiderSlug,
    emails: {
      coordinator: coordinator.email,
      voter: v1.email,
      lead: lead.email,
      viewer: viewer.email,
      outsider: outsider.email,
    },
  };
}
