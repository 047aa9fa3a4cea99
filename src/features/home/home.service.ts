import type { Actor } from '../../core/actor.js';
import type { Db } from '../../db/database.js';
import { ukDate } from '../../domain/dates.js';
import { monthLabel } from '../../domain/periods.js';
import type {
  PartnershipSummary,
  PartnershipsService,
} from '../partnerships/partnerships.service.js';
import { actionsToUpdate } from '../plans/rounds.service.js';

export interface Todo {
  text: string;
  href: string;
}

export interface Home {
  member: PartnershipSummary[];
  /** Partnerships read without membership: a county coordinator's districts, or all for an administrator. */
  readable: PartnershipSummary[];
  todos: Todo[];
  myGroups: { name: string; href: string; partnership: string }[];
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What is mine to do: later features add their own items (actions to update, votes). */
export class HomeService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
  ) {}

  async forActor(actor: Actor): Promise<Home> {
    const all = await this.partnerships.listFor(actor);
    const member = all.filter((p) => p.role !== null);
    const coordinated = member.filter((p) => p.role === 'coordinator');
    const byId = new Map(all.map((p) => [p.id, p]));
    const todos: Todo[] = [];

    if (coordinated.length) {
      const ids = coordinated.map((p) => p.id);
      const invited = await this.db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select(['memberships.partnership_id as id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('memberships.partnership_id', 'in', ids)
        .where('users.password_hash', 'is', null)
        .where('users.disabled_at', 'is', null)
        .groupBy('memberships.partnership_id')
        .execute();
      for (const row of invited) {
        const p = byId.get(row.id);
        if (!p) continue;
        todos.push({
          text: `${p.name}: ${plural(row.n, 'member has', 'members have')} not set a password yet`,
          href: `/partnerships/${p.slug}/members`,
        });
      }
      const empty = await this.db
        .selectFrom('groups')
        .leftJoin('group_members', 'group_members.group_id', 'groups.id')
        .select(['groups.id', 'groups.name', 'groups.partnership_id'])
        .where('groups.partnership_id', 'in', ids)
        .where('group_members.id', 'is', null)
        .orderBy('groups.name')
        .execute();
      for (const g of empty) {
        const p = byId.get(g.partnership_id);
        if (!p) continue;
        todos.push({
          text: `${p.name}: ${g.name} has no members`,
          href: `/partnerships/${p.slug}/groups/${g.id}`,
        });
      }
    }

    for (const a of await actionsToUpdate(this.db, actor)) {
      todos.push({
        text: `${a.partnership}: update action ${a.number} of ${a.planTitle} for ${monthLabel(a.month)} by ${ukDate(a.deadline)}`,
        href: `/partnerships/${a.slug}/plans/${a.planId}/actions/${a.id}`,
      });
    }

    const seats = member.length
      ? await this.db
          .selectFrom('groups')
          .innerJoin('group_members', 'group_members.group_id', 'groups.id')
          .select(['groups.id', 'groups.name', 'groups.partnership_id'])
          .distinct()
          .where(
            'groups.partnership_id',
            'in',
            member.map((p) => p.id),
          )
          .where((eb) =>
            eb.or([
              eb('group_members.user_id', '=', actor.userId),
              eb('group_members.agency_id', '=', actor.agencyId),
            ]),
          )
          .orderBy('groups.name')
          .execute()
      : [];

    return {
      member,
      readable: all.filter((p) => p.role === null),
      todos,
      myGroups: seats.flatMap((g) => {
        const p = byId.get(g.partnership_id);
        return p
          ? [{ name: g.name, href: `/partnerships/${p.slug}/groups/${g.id}`, partnership: p.name }]
          : [];
      }),
    };
  }
}
