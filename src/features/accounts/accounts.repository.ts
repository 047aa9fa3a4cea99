import type { Actor } from '../../core/actor.js';
import { fieldError } from '../../core/form-errors.js';
import { nowIso, type DbOrTrx } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { messages } from './accounts.schemas.js';

export interface NewUser {
  email: string;
  name: string;
  agencyId: number;
  passwordHash: string | null;
  isAdmin: boolean;
}

export async function insertUser(db: DbOrTrx, user: NewUser): Promise<number> {
  const now = nowIso();
  const row = await db
    .insertInto('users')
    .values({
      email: user.email,
      name: user.name,
      agency_id: user.agencyId,
      password_hash: user.passwordHash,
      is_admin: user.isAdmin ? 1 : 0,
      disabled_at: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findUserByEmail(db: DbOrTrx, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'agency_id', 'disabled_at'])
    .where('email', '=', email)
    .executeTakeFirst();
}

/** Every new account goes through here: one email per person, a real agency, audited. */
export async function createAccount(db: DbOrTrx, actor: Actor, user: NewUser): Promise<number> {
  if (await findUserByEmail(db, user.email)) throw fieldError('email', messages.emailTaken);
  const agency = await db
    .selectFrom('agencies')
    .select('id')
    .where('id', '=', user.agencyId)
    .executeTakeFirst();
  if (!agency) throw fieldError('agencyId', messages.agencyMissing);
  const id = await insertUser(db, user);
  await recordAudit(db, actor, {
    partnershipId: null,
    entityType: 'user',
    entityId: id,
    action: 'created',
    summary: `Created an account for ${user.name}`,
    after: { email: user.email, name: user.name, agencyId: user.agencyId, isAdmin: user.isAdmin },
  });
  return id;
}
