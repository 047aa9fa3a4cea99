import { COMMAND_LINE, type Role } from '../../src/core/actor.js';
import type { AgencyKind } from '../../src/features/agencies/agencies.schemas.js';
import type { PartnershipType } from '../../src/features/partnerships/partnerships.schemas.js';
import type { Services } from '../../src/services.js';

export const PASSWORD = 'correct horse battery staple';
let counter = 0;
const next = (): number => ++counter;

export async function agency(s: Services, name = `Agency ${next()}`, kind: AgencyKind = 'council') {
  return s.agencies.create(COMMAND_LINE, { name, kind });
}

export async function user(
  s: Services,
  opts: { email?: string; name?: string; agencyId?: number; isAdmin?: boolean } = {},
) {
  const n = next();
  const agencyId = opts.agencyId ?? (await agency(s)).id;
  const email = opts.email ?? `person${n}@example.org`;
  const { id } = await s.accounts.create(
    COMMAND_LINE,
    { email, name: opts.name ?? `Person ${n}`, agencyId, isAdmin: opts.isAdmin ?? false },
    PASSWORD,
  );
  return { id, email, agencyId };
}

export async function partnership(
  s: Services,
  opts: {
    slug?: string;
    name?: string;
    type?: PartnershipType;
    parent?: string;
    areas?: string;
  } = {},
) {
  const n = next();
  return s.partnerships.create(COMMAND_LINE, {
    slug: opts.slug ?? `partnership-${n}`,
    name: opts.name ?? `Partnership ${n}`,
    type: opts.type ?? 'district',
    parent: opts.parent,
    areas: opts.areas ?? '',
  });
}

export async function member(s: Services, slug: string, email: string, role: Role) {
  return s.members.addMember(COMMAND_LINE, slug, { email, role });
}
