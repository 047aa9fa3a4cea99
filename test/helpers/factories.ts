import { COMMAND_LINE, type Actor, type Role } from '../../src/core/actor.js';
import { ValidationFailed } from '../../src/core/errors.js';
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

export async function actorFor(s: Services, userId: number): Promise<Actor> {
  const actor = await s.auth.actorFor(userId);
  if (!actor) throw new Error(`no actor for user ${userId}`);
  return actor;
}

/** The field errors a call is refused with; fails the test if it is not refused that way. */
export async function fieldErrorsOf(call: Promise<unknown>): Promise<Record<string, string>> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof ValidationFailed))
    throw new Error(`expected a validation failure: ${String(err)}`);
  return Object.fromEntries(Object.entries(err.errors.fields).map(([k, v]) => [k, v.text]));
}
