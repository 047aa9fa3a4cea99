import type { Actor, Role } from '../../core/actor.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { fieldError, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import { createAccount, findUserByEmail } from '../accounts/accounts.repository.js';
import { createUserSchema, newPasswordSchema } from '../accounts/accounts.schemas.js';
import { historyOf, recordAudit, type AuditEvent } from '../audit/audit.service.js';
import type { AuthService } from '../auth/auth.service.js';
import { hashPassword } from '../auth/passwords.js';
import type { PartnershipsService } from './partnerships.service.js';
import { addMemberSchema, changeRoleSchema, messages, roleField } from './partnerships.schemas.js';

export interface Member {
  userId: number;
  name: string;
  email: string;
  agency: string;
  role: Role;
  since: string;
  /** Invited: has not set a password yet. */
  status: 'active' | 'invited' | 'disabled';
}

export interface AddMemberResult {
  member: Member;
  /** Set when the person had no account: a link for them to set their password. */
  signInLink?: string;
}

/** Who belongs to a partnership and in what role; a partnership always keeps a coordinator. */
export class MembersService {
  constructor(
    private readonly db: Db,
    private readonly auth: AuthService,
    private readonly partnerships: PartnershipsService,
  ) {}

  /** One person's membership: added, role changes, removal. */
  async memberHistory(actor: Actor, slug: string, userId: number): Promise<AuditEvent[]> {
    const p = await this.partnerships.readable(actor, slug);
    return historyOf(this.db, 'membership', `${p.id}:${userId}`);
  }

  private membersQuery(db: DbOrTrx, partnershipId: number) {
    return db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .innerJoin('agencies', 'agencies.id', 'users.agency_id')
      .select([
        'users.id as userId',
        'users.name as name',
        'users.email as email',
        'agencies.name as agency',
        'memberships.role as role',
        'memberships.created_at as since',
        (eb) =>
          eb
            .case()
            .when('users.disabled_at', 'is not', null)
            .then('disabled')
            .when('users.password_hash', 'is', null)
            .then('invited')
            .else('active')
            .end()
            .as('status'),
      ])
      .where('memberships.partnership_id', '=', partnershipId);
  }

  async members(actor: Actor, slug: string): Promise<Member[]> {
    const p = await this.partnerships.readable(actor, slug);
    return (await this.membersQuery(this.db, p.id).orderBy('users.name').execute()) as Member[];
  }

  async member(actor: Actor, slug: string, userId: number): Promise<Member> {
    const p = await this.partnerships.readable(actor, slug);
    const m = await this.membersQuery(this.db, p.id)
      .where('users.id', '=', userId)
      .executeTakeFirst();
    if (!m) throw new NotFoundError('Member');
    return m as Member;
  }

  /** Add a person by email; a person with no account gets one and a link to set a password. */
  async addMember(actor: Actor, slug: string, input: unknown): Promise<AddMemberResult> {
    const values = parseInput(addMemberSchema, input);
    const created = await this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      let user: { id: number; name: string } | undefined = await findUserByEmail(trx, values.email);
      let isNew = false;
      if (!user) {
        if (!values.name) throw fieldError('name', messages.nameNeeded);
        if (!values.agencyId) throw fieldError('agencyId', messages.agencyNeeded);
        const { email, name, agencyId } = values;
        const id = await createAccount(trx, actor, {
          email,
          name,
          agencyId,
          passwordHash: null,
          isAdmin: false,
        });
        user = { id, name };
        isNew = true;
      }
      const existing = await trx
        .selectFrom('memberships')
        .select('id')
        .where('partnership_id', '=', p.id)
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      if (existing) throw fieldError('email', messages.alreadyMember);
      await this.insertMembership(trx, actor, p.id, user, values.role);
      const member = (await this.membersQuery(trx, p.id)
        .where('users.id', '=', user.id)
        .executeTakeFirstOrThrow()) as Member;
      return { member, isNew };
    });
    if (!created.isNew) return { member: created.member };
    return {
      member: created.member,
      signInLink: await this.auth.createOneTimeLink(created.member.userId),
    };
  }

  /**
   * A new account and its membership in one transaction: if the membership cannot be made, no
   * half-made account is left behind. Accounts are administrators' business, as in `accounts`.
   */
  async createMemberAccount(
    actor: Actor,
    slug: string,
    input: unknown,
    password?: string,
  ): Promise<{ userId: number; signInLink?: string }> {
    if (!actor.isAdmin) throw new ForbiddenError('Only system administrators manage accounts');
    const values = parseInput(createUserSchema.extend({ role: roleField }), input);
    const passwordHash =
      password === undefined
        ? null
        : await hashPassword(parseInput(newPasswordSchema, { password }).password);
    const userId = await this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      const id = await createAccount(trx, actor, { ...values, passwordHash });
      await this.insertMembership(trx, actor, p.id, { id, name: values.name }, values.role);
      return id;
    });
    return passwordHash
      ? { userId }
      : { userId, signInLink: await this.auth.createOneTimeLink(userId) };
  }

  private async insertMembership(
    trx: DbOrTrx,
    actor: Actor,
    partnershipId: number,
    user: { id: number; name: string },
    role: Role,
  ): Promise<void> {
    const now = nowIso();
    await trx
      .insertInto('memberships')
      .values({
        partnership_id: partnershipId,
        user_id: user.id,
        role,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await recordAudit(trx, actor, {
      partnershipId,
      entityType: 'membership',
      entityId: `${partnershipId}:${user.id}`,
      action: 'added',
      summary: `Added ${user.name} as ${role}`,
      after: { userId: user.id, role },
    });
  }

  async changeRole(actor: Actor, slug: string, userId: number, input: unknown): Promise<void> {
    const { role } = parseInput(changeRoleSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      const m = await this.membersQuery(trx, p.id)
        .where('users.id', '=', userId)
        .executeTakeFirst();
      if (!m) throw new NotFoundError('Member');
      if (m.role === role) return;
      if (m.role === 'coordinator') await this.keepACoordinator(trx, p.id, 'role');
      await trx
        .updateTable('memberships')
        .set({ role, updated_at: nowIso() })
        .where('partnership_id', '=', p.id)
        .where('user_id', '=', userId)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'membership',
        entityId: `${p.id}:${userId}`,
        action: 'updated',
        summary: `Changed ${m.name}’s role from ${m.role} to ${role}`,
        before: { role: m.role },
        after: { role },
      });
    });
  }

  async removeMember(actor: Actor, slug: string, userId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      const m = await this.membersQuery(trx, p.id)
        .where('users.id', '=', userId)
        .executeTakeFirst();
      if (!m) throw new NotFoundError('Member');
      if (m.role === 'coordinator') await this.keepACoordinator(trx, p.id, 'remove');
      await trx
        .deleteFrom('memberships')
        .where('partnership_id', '=', p.id)
        .where('user_id', '=', userId)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'membership',
        entityId: `${p.id}:${userId}`,
        action: 'removed',
        summary: `Removed ${m.name} (${m.role})`,
        before: { userId, role: m.role },
      });
    });
  }

  private async keepACoordinator(
    trx: DbOrTrx,
    partnershipId: number,
    field: string,
  ): Promise<void> {
    const { n } = await trx
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('partnership_id', '=', partnershipId)
      .where('role', '=', 'coordinator')
      .executeTakeFirstOrThrow();
    if (n <= 1) throw fieldError(field, messages.lastCoordinator);
  }
}
