import type { z } from 'zod';
import { canManagePartnership, type Actor } from '../../core/actor.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { fieldError, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import { historyOf, recordAudit, type AuditEvent } from '../audit/audit.service.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import { groupMemberSchema, groupSchema, messages, type GroupKind } from './groups.schemas.js';
import type { GroupRow } from './groups.table.js';

export interface Group {
  id: number;
  name: string;
  kind: GroupKind;
  keyFunctions: string;
  meetingFrequency: string;
  memberCount: number;
}

export interface GroupMember {
  id: number;
  type: 'agency' | 'person';
  /** The agency's or the person's own id. */
  refId: number;
  name: string;
  detail: string;
}

export interface GroupDetail extends Group {
  members: GroupMember[];
  canEdit: boolean;
  canManage: boolean;
}

function toGroup(row: GroupRow, memberCount: number): Group {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as GroupKind,
    keyFunctions: row.key_functions,
    meetingFrequency: row.meeting_frequency,
    memberCount,
  };
}

/** A new group, audited; the caller has checked the name is free in the partnership. */
export async function insertGroup(
  trx: DbOrTrx,
  actor: Actor,
  partnershipId: number,
  values: z.output<typeof groupSchema>,
  summary = `Created the group ${values.name}`,
): Promise<GroupRow> {
  const now = nowIso();
  const row = await trx
    .insertInto('groups')
    .values({
      partnership_id: partnershipId,
      name: values.name,
      kind: values.kind,
      key_functions: values.keyFunctions,
      meeting_frequency: values.meetingFrequency,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    partnershipId,
    entityType: 'group',
    entityId: row.id,
    action: 'created',
    summary,
    after: values,
  });
  return row;
}

export class GroupsService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
  ) {}

  async list(actor: Actor, slug: string): Promise<Group[]> {
    const p = await this.partnerships.readable(actor, slug);
    const rows = await this.db
      .selectFrom('groups')
      .leftJoin('group_members', 'group_members.group_id', 'groups.id')
      .selectAll('groups')
      .select((eb) => eb.fn.count<number>('group_members.id').as('members'))
      .where('groups.partnership_id', '=', p.id)
      .groupBy('groups.id')
      .orderBy('groups.name')
      .execute();
    return rows.map((r) => toGroup(r, r.members));
  }

  /** The group if it belongs to a partnership the actor can read; otherwise 404. */
  private async find(actor: Actor, slug: string, groupId: number, db: DbOrTrx = this.db) {
    const p = await this.partnerships.readable(actor, slug, db);
    const row = await db
      .selectFrom('groups')
      .selectAll()
      .where('id', '=', groupId)
      .where('partnership_id', '=', p.id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('Group');
    return { p, row };
  }

  private async members(db: DbOrTrx, groupId: number): Promise<GroupMember[]> {
    const [agencies, people] = await Promise.all([
      db
        .selectFrom('group_members')
        .innerJoin('agencies', 'agencies.id', 'group_members.agency_id')
        .select([
          'group_members.id',
          'agencies.id as refId',
          'agencies.name',
          'agencies.kind as detail',
        ])
        .where('group_members.group_id', '=', groupId)
        .orderBy('agencies.name')
        .execute(),
      db
        .selectFrom('group_members')
        .innerJoin('users', 'users.id', 'group_members.user_id')
        .innerJoin('agencies', 'agencies.id', 'users.agency_id')
        .select(['group_members.id', 'users.id as refId', 'users.name', 'agencies.name as detail'])
        .where('group_members.group_id', '=', groupId)
        .orderBy('users.name')
        .execute(),
    ]);
    return [
      ...agencies.map((a) => ({ ...a, type: 'agency' as const })),
      ...people.map((u) => ({ ...u, type: 'person' as const })),
    ];
  }

  /** Leads edit the groups they sit on, in person or through their agency. */
  private async canEdit(
    db: DbOrTrx,
    actor: Actor,
    p: PartnershipRow,
    groupId: number,
  ): Promise<boolean> {
    if (canManagePartnership(actor, p)) return true;
    if (actor.roles.get(p.id) !== 'lead' || actor.userId === null) return false;
    const seat = await db
      .selectFrom('group_members')
      .select('id')
      .where('group_id', '=', groupId)
      .where((eb) =>
        eb.or([eb('user_id', '=', actor.userId), eb('agency_id', '=', actor.agencyId)]),
      )
      .executeTakeFirst();
    return seat !== undefined;
  }

  async get(actor: Actor, slug: string, groupId: number): Promise<GroupDetail> {
    const { p, row } = await this.find(actor, slug, groupId);
    const members = await this.members(this.db, row.id);
    return {
      ...toGroup(row, members.length),
      members,
      canEdit: await this.canEdit(this.db, actor, p, row.id),
      canManage: canManagePartnership(actor, p),
    };
  }

  async history(actor: Actor, slug: string, groupId: number): Promise<AuditEvent[]> {
    const { row } = await this.find(actor, slug, groupId);
    return historyOf(this.db, 'group', row.id);
  }

  async create(actor: Actor, slug: string, input: unknown): Promise<Group> {
    const values = parseInput(groupSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      await this.nameFree(trx, p.id, values.name);
      return toGroup(await insertGroup(trx, actor, p.id, values), 0);
    });
  }

  async update(actor: Actor, slug: string, groupId: number, input: unknown): Promise<void> {
    const values = parseInput(groupSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.find(actor, slug, groupId, trx);
      if (!(await this.canEdit(trx, actor, p, row.id)))
        throw new ForbiddenError('Only coordinators and the group’s own leads can change it');
      if (values.name !== row.name) await this.nameFree(trx, p.id, values.name);
      await trx
        .updateTable('groups')
        .set({
          name: values.name,
          kind: values.kind,
          key_functions: values.keyFunctions,
          meeting_frequency: values.meetingFrequency,
          updated_at: nowIso(),
        })
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'group',
        entityId: row.id,
        action: 'updated',
        summary: `Changed the group ${values.name}`,
        before: {
          name: row.name,
          kind: row.kind,
          keyFunctions: row.key_functions,
          meetingFrequency: row.meeting_frequency,
        },
        after: values,
      });
    });
  }

  async delete(actor: Actor, slug: string, groupId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { row } = await this.find(actor, slug, groupId, trx);
      const p = await this.partnerships.manageable(actor, slug, trx);
      await trx.deleteFrom('groups').where('id', '=', row.id).execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'group',
        entityId: row.id,
        action: 'deleted',
        summary: `Deleted the group ${row.name}`,
        before: {
          name: row.name,
          kind: row.kind,
          keyFunctions: row.key_functions,
          meetingFrequency: row.meeting_frequency,
        },
      });
    });
  }

  /** Members of a group are the partnership's own agencies or members, nobody else's. */
  async addMember(actor: Actor, slug: string, groupId: number, input: unknown): Promise<void> {
    const values = parseInput(groupMemberSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { row } = await this.find(actor, slug, groupId, trx);
      const p = await this.partnerships.manageable(actor, slug, trx);
      let name: string;
      if (values.agencyId !== undefined) {
        const a = await trx
          .selectFrom('partnership_agencies')
          .innerJoin('agencies', 'agencies.id', 'partnership_agencies.agency_id')
          .select('agencies.name')
          .where('partnership_id', '=', p.id)
          .where('agency_id', '=', values.agencyId)
          .executeTakeFirst();
        if (!a) throw fieldError('agencyId', messages.agencyNotPartner);
        name = a.name;
      } else {
        const u = await trx
          .selectFrom('memberships')
          .innerJoin('users', 'users.id', 'memberships.user_id')
          .select('users.name')
          .where('partnership_id', '=', p.id)
          .where('user_id', '=', values.userId ?? 0)
          .executeTakeFirst();
        if (!u) throw fieldError('userId', messages.personNotMember);
        name = u.name;
      }
      const existing = await trx
        .selectFrom('group_members')
        .select('id')
        .where('group_id', '=', row.id)
        .where(
          values.agencyId !== undefined ? 'agency_id' : 'user_id',
          '=',
          values.agencyId ?? values.userId ?? 0,
        )
        .executeTakeFirst();
      if (existing)
        throw fieldError(
          values.agencyId !== undefined ? 'agencyId' : 'userId',
          messages.alreadyInGroup,
        );
      await trx
        .insertInto('group_members')
        .values({
          group_id: row.id,
          agency_id: values.agencyId ?? null,
          user_id: values.userId ?? null,
          created_at: nowIso(),
        })
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'group',
        entityId: row.id,
        action: 'added',
        summary: `Added ${name} to ${row.name}`,
        after: values,
      });
    });
  }

  async removeMember(actor: Actor, slug: string, groupId: number, memberId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { row } = await this.find(actor, slug, groupId, trx);
      const p = await this.partnerships.manageable(actor, slug, trx);
      const member = (await this.members(trx, row.id)).find((m) => m.id === memberId);
      if (!member) throw new NotFoundError('Group member');
      await trx.deleteFrom('group_members').where('id', '=', memberId).execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'group',
        entityId: row.id,
        action: 'removed',
        summary: `Removed ${member.name} from ${row.name}`,
        before: { [member.type]: member.name },
      });
    });
  }

  private async nameFree(trx: DbOrTrx, partnershipId: number, name: string): Promise<void> {
    const clash = await trx
      .selectFrom('groups')
      .select('id')
      .where('partnership_id', '=', partnershipId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (clash) throw fieldError('name', messages.nameTaken);
  }
}
