import type { Actor } from '../../core/actor.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { parseInput } from '../../core/form-errors.js';
import { requiredText } from '../../core/schema-helpers.js';
import { hashToken, randomToken } from '../../core/tokens.js';
import { nowIso, type Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { z } from 'zod';

export const messages = {
  nameEmpty: 'Enter a name for the token, like “Monthly figures script”',
  nameTooLong: 'Token name must be 100 characters or fewer',
};

export const tokenSchema = z.object({
  name: requiredText(messages.nameEmpty, 100, messages.nameTooLong),
});

export const TOKEN_PREFIX = 'sp_';

export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Personal access tokens: shown once, stored hashed, acting with their owner's roles. */
export class TokensService {
  constructor(private readonly db: Db) {}

  private ownerOnly(actor: Actor): number {
    if (actor.userId === null) throw new ForbiddenError('Tokens belong to a person');
    return actor.userId;
  }

  async list(actor: Actor): Promise<ApiToken[]> {
    const userId = this.ownerOnly(actor);
    const rows = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.token_prefix,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    }));
  }

  async create(actor: Actor, input: unknown): Promise<{ token: string; id: number }> {
    const userId = this.ownerOnly(actor);
    const { name } = parseInput(tokenSchema, input);
    const token = `${TOKEN_PREFIX}${randomToken()}`;
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('api_tokens')
        .values({
          user_id: userId,
          name,
          token_hash: hashToken(token),
          token_prefix: token.slice(0, 7),
          created_at: nowIso(),
          last_used_at: null,
          revoked_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        partnershipId: null,
        entityType: 'api-token',
        entityId: row.id,
        action: 'created',
        summary: `Created the API token “${name}”`,
      });
      return { token, id: row.id };
    });
  }

  async revoke(actor: Actor, id: number): Promise<void> {
    const userId = this.ownerOnly(actor);
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('api_tokens')
        .select(['id', 'name', 'revoked_at'])
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!row) throw new NotFoundError('Token');
      if (row.revoked_at) return;
      await trx
        .updateTable('api_tokens')
        .set({ revoked_at: nowIso() })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: null,
        entityType: 'api-token',
        entityId: id,
        action: 'disabled',
        summary: `Revoked the API token “${row.name}”`,
      });
    });
  }

  /** The owner of a live token, or undefined. */
  async authenticate(token: string): Promise<number | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select(['api_tokens.id', 'api_tokens.user_id', 'api_tokens.last_used_at'])
      .where('token_hash', '=', hashToken(token))
      .where('revoked_at', 'is', null)
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = nowIso();
    // Record use to the minute: enough to spot an unused token without a write per request.
    if (!row.last_used_at || row.last_used_at.slice(0, 16) !== now.slice(0, 16)) {
      await this.db
        .updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('id', '=', row.id)
        .execute();
    }
    return row.user_id;
  }
}
