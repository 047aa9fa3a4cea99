import type { Config } from '../../config.js';
import { ROLES, type Actor, type Role } from '../../core/actor.js';
import { hashToken, randomToken } from '../../core/tokens.js';
import { nowIso, type Db } from '../../db/database.js';
import { addMinutes } from '../../domain/dates.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';

export interface Session {
  idHash: string;
  userId: number;
  csrfToken: string;
  createdAt: string;
}

export type SignInResult =
  { ok: true; userId: number } | { ok: false; reason: 'invalid' | 'locked'; lockedUntil?: string };

// Sessions are touched at most this often, so reading a page is not always a write.
const TOUCH_INTERVAL_MS = 60_000;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
  ) {}

  /** Unknown email, wrong password and disabled account all give the same answer. */
  async signIn(emailInput: string, password: string): Promise<SignInResult> {
    const email = normaliseEmail(emailInput);
    const now = nowIso();
    if (this.config.signInThrottle) {
      const throttle = await this.db
        .selectFrom('sign_in_throttle')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst();
      if (throttle?.locked_until && throttle.locked_until > now) {
        return { ok: false, reason: 'locked', lockedUntil: throttle.locked_until };
      }
    }
    const user = await this.db
      .selectFrom('users')
      .select(['id', 'password_hash', 'disabled_at'])
      .where('email', '=', email)
      .executeTakeFirst();
    const ok =
      user?.password_hash && !user.disabled_at
        ? await verifyPassword(user.password_hash, password)
        : await verifyAgainstDummy(password);
    if (ok && user) {
      await this.db.deleteFrom('sign_in_throttle').where('email', '=', email).execute();
      return { ok: true, userId: user.id };
    }
    if (this.config.signInThrottle) return this.recordFailure(email, now);
    return { ok: false, reason: 'invalid' };
  }

  private async recordFailure(email: string, now: string): Promise<SignInResult> {
    const { signInMaxFailures: max, signInLockMinutes: lock } = this.config;
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('sign_in_throttle')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst();
      // Failures count within one lock window; an older run of failures starts again.
      const fresh = !row || addMinutes(row.first_failure_at, lock) < now;
      const failures = fresh ? 1 : row.failures + 1;
      const lockedUntil = failures >= max ? addMinutes(now, lock) : null;
      const values = {
        failures: lockedUntil ? 0 : failures,
        first_failure_at: fresh ? now : row.first_failure_at,
        locked_until: lockedUntil,
      };
      if (row)
        await trx.updateTable('sign_in_throttle').set(values).where('email', '=', email).execute();
      else
        await trx
          .insertInto('sign_in_throttle')
          .values({ email, ...values })
          .execute();
      return lockedUntil
        ? { ok: false, reason: 'locked', lockedUntil }
        : { ok: false, reason: 'invalid' };
    });
  }

  /** A new session id at every sign-in; the old one, if any, is ended. */
  async startSession(
    userId: number,
    previousIdHash?: string,
  ): Promise<{ id: string; session: Session }> {
    const id = randomToken();
    const now = nowIso();
    const session: Session = {
      idHash: hashToken(id),
      userId,
      csrfToken: randomToken(),
      createdAt: now,
    };
    await this.db.transaction().execute(async (trx) => {
      if (previousIdHash)
        await trx.deleteFrom('sessions').where('id_hash', '=', previousIdHash).execute();
      // Sweep sessions that timed out and were never presented again, so none pile up.
      await trx
        .deleteFrom('sessions')
        .where((eb) =>
          eb.or([
            eb('created_at', '<=', addMinutes(now, -this.config.sessionAbsoluteMinutes)),
            eb('last_seen_at', '<=', addMinutes(now, -this.config.sessionIdleMinutes)),
          ]),
        )
        .execute();
      await trx
        .insertInto('sessions')
        .values({
          id_hash: session.idHash,
          user_id: userId,
          csrf_token: session.csrfToken,
          created_at: now,
          last_seen_at: now,
        })
        .execute();
    });
    return { id, session };
  }

  /** The live session for a cookie value, or undefined once it has timed out or the user is disabled. */
  async findSession(id: string): Promise<Session | undefined> {
    const idHash = hashToken(id);
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.user_id',
        'sessions.csrf_token',
        'sessions.created_at',
        'sessions.last_seen_at',
        'users.disabled_at',
      ])
      .where('sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = nowIso();
    const expired =
      addMinutes(row.created_at, this.config.sessionAbsoluteMinutes) <= now ||
      addMinutes(row.last_seen_at, this.config.sessionIdleMinutes) <= now;
    if (expired || row.disabled_at) {
      await this.endSession(idHash);
      return undefined;
    }
    if (Date.parse(now) - Date.parse(row.last_seen_at) > TOUCH_INTERVAL_MS) {
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: now })
        .where('id_hash', '=', idHash)
        .execute();
    }
    return { idHash, userId: row.user_id, csrfToken: row.csrf_token, createdAt: row.created_at };
  }

  async endSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  /** The actor for a user: their roles in every partnership, loaded once per request. */
  async actorFor(userId: number, requestId?: string): Promise<Actor | undefined> {
    const user = await this.db
      .selectFrom('users')
      .select(['id', 'name', 'agency_id', 'is_admin', 'disabled_at'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user || user.disabled_at) return undefined;
    const memberships = await this.db
      .selectFrom('memberships')
      .select(['partnership_id', 'role'])
      .where('user_id', '=', userId)
      .execute();
    const roles = new Map<number, Role>();
    for (const m of memberships) {
      if ((ROLES as readonly string[]).includes(m.role))
        roles.set(m.partnership_id, m.role as Role);
    }
    return {
      userId: user.id,
      label: user.name,
      agencyId: user.agency_id,
      isAdmin: user.is_admin === 1,
      roles,
      ...(requestId ? { requestId } : {}),
    };
  }

  /** A one-time link lets its holder set a password once, within its lifetime. */
  async createOneTimeLink(userId: number): Promise<string> {
    const token = randomToken();
    const now = nowIso();
    await this.db
      .insertInto('one_time_links')
      .values({
        token_hash: hashToken(token),
        user_id: userId,
        created_at: now,
        expires_at: addMinutes(now, this.config.oneTimeLinkMinutes),
        used_at: null,
      })
      .execute();
    return `${this.config.publicUrl}/set-password/${token}`;
  }

  async findOneTimeLink(token: string): Promise<{ userId: number; email: string } | undefined> {
    return this.db
      .selectFrom('one_time_links')
      .innerJoin('users', 'users.id', 'one_time_links.user_id')
      .select(['users.id as userId', 'users.email as email'])
      .where('one_time_links.token_hash', '=', hashToken(token))
      .where('one_time_links.used_at', 'is', null)
      .where('one_time_links.expires_at', '>', nowIso())
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
  }

  /** Use a link: set the password, end every other session and every other link of the user. */
  async useOneTimeLink(token: string, passwordHash: string): Promise<number | undefined> {
    const link = await this.findOneTimeLink(token);
    if (!link) return undefined;
    const now = nowIso();
    return this.db.transaction().execute(async (trx) => {
      const used = await trx
        .updateTable('one_time_links')
        .set({ used_at: now })
        .where('user_id', '=', link.userId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) === 0) return undefined;
      await trx
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: now })
        .where('id', '=', link.userId)
        .execute();
      await trx.deleteFrom('sessions').where('user_id', '=', link.userId).execute();
      await trx.deleteFrom('sign_in_throttle').where('email', '=', link.email).execute();
      return link.userId;
    });
  }
}
