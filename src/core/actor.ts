export const ROLES = ['coordinator', 'lead', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: a signed-in person (page or API token) or the command line. */
export interface Actor {
  userId: number | null;
  label: string;
  agencyId: number | null;
  isAdmin: boolean;
  /** Role by partnership id. */
  roles: ReadonlyMap<number, Role>;
  /** Carried into the audit trail so a change can be traced to its request log. */
  requestId?: string;
}

/** The command line acts with full rights, recorded in the audit trail as itself. */
export const COMMAND_LINE: Actor = Object.freeze({
  userId: null,
  label: 'Command line',
  agencyId: null,
  isAdmin: true,
  roles: new Map(),
});

export interface PartnershipRef {
  id: number;
  parent_id: number | null;
}

/** Members read their partnership; a county's coordinators also read its districts. */
export function canReadPartnership(actor: Actor, p: PartnershipRef): boolean {
  if (actor.isAdmin || actor.roles.has(p.id)) return true;
  return p.parent_id !== null && actor.roles.get(p.parent_id) === 'coordinator';
}

/** Coordinators run their partnership: settings, members, agencies, groups. */
export function canManagePartnership(actor: Actor, p: PartnershipRef): boolean {
  return actor.isAdmin || actor.roles.get(p.id) === 'coordinator';
}
