import { nowIso, type DbOrTrx } from '../../db/database.js';

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
