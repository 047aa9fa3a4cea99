import type { Actor, Role } from '../../core/actor.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { fieldError, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db } from '../../db/database.js';
import { historyOf, recordAudit, type AuditEvent } from '../audit/audit.service.js';
import type { AuthService } from '../auth/auth.service.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { createAccount, findUserByEmail } from './accounts.repository.js';
import {
  changePasswordSchema,
  createUserSchema,
  messages,
  newPasswordSchema,
} from './accounts.schemas.js';

export interface Account {
  id: number;
  email: string;
  name: string;
  agency: string;
  agencyId: number;
  isAdmin: boolean;
  disabled: boolean;
  hasPassword: boolean;
  createdAt: string;
  memberships: { slug: string; name: string; role: Role }[];
}

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw new ForbiddenError('Only system administrators manage accounts');
}

export class AccountsService {
  constructor(
    private readonly db: Db,
    private readonly auth: AuthService,
  ) {}

  private baseQuery() {
    return this.db
      .selectFrom('users')
      .innerJoin('agencies', 'agencies.id', 'users.agency_id')
      .select([
        'users.id',
        'users.email',
        'users.name',
        'agencies.name as agency',
        'users.agency_id',
        'users.is_admin',
        'users.disabled_at',
        'users.password_hash',
        'users.created_at',
      ]);
  }

  private async toAccounts(
    rows: Awaited<ReturnType<ReturnType<AccountsService['baseQuery']>['execute']>>,
  ): Promise<Account[]> {
    const ids = rows.map((r) => r.id);
    const memberships = ids.length
      ? await this.db
          .selectFrom('memberships')
          .innerJoin('partnerships', 'partnerships.id', 'memberships.partnership_id')
          .select([
            'memberships.user_id',
            'partnerships.slug',
            'partnerships.name',
            'memberships.role',
          ])
          .where('memberships.user_id', 'in', ids)
          .orderBy('partnerships.name')
          .execute()
      : [];
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      agency: r.agency,
      agencyId: r.agency_id,
      isAdmin: r.is_admin === 1,
      disabled: r.disabled_at !== null,
      hasPassword: r.password_hash !== null,
      createdAt: r.created_at,
      memberships: memberships
        .filter((m) => m.user_id === r.id)
        .map((m) => ({ slug: m.slug, name: m.name, role: m.role as Role })),
    }));
  }

  /** For pages only administrators reach, checked before anything is read. */
  assertCanManage(actor: Actor): void {
    requireAdmin(actor);
  }

  async list(actor: Actor): Promise<Account[]> {
    requireAdmin(actor);
    return this.toAccounts(await this.baseQuery().orderBy('users.name').execute());
  }

  /** Administrators see any account; everyone sees their own. */
  async get(actor: Actor, id: number): Promise<Account> {
    if (!actor.isAdmin && actor.userId !== id) throw new NotFoundError('Account');
    const [account] = await this.toAccounts(
      await this.baseQuery().where('users.id', '=', id).execute(),
    );
    if (!account) throw new NotFoundError('Account');
    return account;
  }

  /** The account's audit trail, oldest first, for whoever may see the account. */
  async history(actor: Actor, id: number): Promise<AuditEvent[]> {
    await this.get(actor, id);
    return historyOf(this.db, 'user', id);
  }

  async findByEmail(email: string): Promise<{ id: number } | undefined> {
    return findUserByEmail(this.db, email.trim().toLowerCase());
  }

  /** Creates an account; with no password, returns a one-time link for its owner to set one. */
  async create(
    actor: Actor,
    input: unknown,
    password?: string,
  ): Promise<{ id: number; signInLink?: string }> {
    requireAdmin(actor);
    const values = parseInput(createUserSchema, input);
    const passwordHash =
      password === undefined
        ? null
        : await hashPassword(parseInput(newPasswordSchema, { password }).password);
    const id = await this.db
      .transaction()
      .execute((trx) => createAccount(trx, actor, { ...values, passwordHash }));
    return passwordHash ? { id } : { id, signInLink: await this.auth.createOneTimeLink(id) };
  }

  /** Disabling ends every session at once; tokens stop working with it. */
  async setDisabled(actor: Actor, id: number, disabled: boolean): Promise<void> {
    requireAdmin(actor);
    if (disabled && actor.userId === id) throw fieldError('disable', messages.selfDisable);
    await this.db.transaction().execute(async (trx) => {
      const user = await trx
        .selectFrom('users')
        .select(['id', 'name', 'disabled_at'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!user) throw new NotFoundError('Account');
      if ((user.disabled_at !== null) === disabled) return;
      const now = nowIso();
      await trx
        .updateTable('users')
        .set({ disabled_at: disabled ? now : null, updated_at: now })
        .where('id', '=', id)
        .execute();
      if (disabled) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await recordAudit(trx, actor, {
        partnershipId: null,
        entityType: 'user',
        entityId: id,
        action: disabled ? 'disabled' : 'enabled',
        summary: `${disabled ? 'Disabled' : 'Enabled'} the account of ${user.name}`,
      });
    });
  }

  /** A fresh one-time link; the account's password stays as it is until the link is used. */
  async resetLink(actor: Actor, id: number): Promise<string> {
    requireAdmin(actor);
    const user = await this.db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!user) throw new NotFoundError('Account');
    const link = await this.auth.createOneTimeLink(id);
    await recordAudit(this.db, actor, {
      partnershipId: null,
      entityType: 'user',
      entityId: id,
      action: 'updated',
      summary: `Issued a password reset link for ${user.name}`,
    });
    return link;
  }

  async setPasswordWithLink(token: string, input: unknown): Promise<number | undefined> {
    const { password } = parseInput(newPasswordSchema, input);
    return this.auth.useOneTimeLink(token, await hashPassword(password));
  }

  /**
   * A new password ends the user's other sessions, in case someone else holds one; the session
   * they changed it from (its id hash) carries on.
   */
  async changeOwnPassword(actor: Actor, input: unknown, keepSessionIdHash?: string): Promise<void> {
    const values = parseInput(changePasswordSchema, input);
    const userId = actor.userId;
    if (userId === null) throw new ForbiddenError();
    const user = await this.db
      .selectFrom('users')
      .select(['password_hash'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    if (!user.password_hash || !(await verifyPassword(user.password_hash, values.current))) {
      throw fieldError('current', messages.currentWrong);
    }
    const hash = await hashPassword(values.password);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: hash, updated_at: nowIso() })
        .where('id', '=', userId)
        .execute();
      let others = trx.deleteFrom('sessions').where('user_id', '=', userId);
      if (keepSessionIdHash) others = others.where('id_hash', '!=', keepSessionIdHash);
      const ended = await others.executeTakeFirst();
      await recordAudit(trx, actor, {
        partnershipId: null,
        entityType: 'user',
        entityId: userId,
        action: 'updated',
        summary:
          Number(ended.numDeletedRows) > 0
            ? 'Changed their password and signed out their other sessions'
            : 'Changed their password',
      });
    });
  }
}
