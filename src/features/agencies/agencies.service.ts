import type { Actor } from '../../core/actor.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { fieldError, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { agencySchema, messages, type AgencyKind } from './agencies.schemas.js';

export interface Agency {
  id: number;
  name: string;
  kind: AgencyKind;
}

/** Agencies are shared by every partnership: Kent Police serves many districts. */
export class AgenciesService {
  constructor(private readonly db: Db) {}

  async list(): Promise<Agency[]> {
    const rows = await this.db
      .selectFrom('agencies')
      .select(['id', 'name', 'kind'])
      .orderBy('name')
      .execute();
    return rows as Agency[];
  }

  async get(id: number): Promise<Agency> {
    const row = await this.db
      .selectFrom('agencies')
      .select(['id', 'name', 'kind'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('Agency');
    return row as Agency;
  }

  async findByName(name: string): Promise<Agency | undefined> {
    const rows = await this.list();
    return rows.find((a) => a.name.toLowerCase() === name.trim().toLowerCase());
  }

  /** Administrators and coordinators add agencies (a coordinator may need a local charity). */
  canCreate(actor: Actor): boolean {
    return actor.isAdmin || [...actor.roles.values()].includes('coordinator');
  }

  assertCanCreate(actor: Actor): void {
    if (!this.canCreate(actor))
      throw new ForbiddenError('Only administrators and coordinators can add agencies');
  }

  async create(actor: Actor, input: unknown): Promise<Agency> {
    this.assertCanCreate(actor);
    const values = parseInput(agencySchema, input);
    if (await this.findByName(values.name)) throw fieldError('name', messages.nameTaken);
    const now = nowIso();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('agencies')
        .values({ ...values, created_at: now, updated_at: now })
        .returning(['id', 'name', 'kind'])
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        partnershipId: null,
        entityType: 'agency',
        entityId: row.id,
        action: 'created',
        summary: `Added agency ${row.name}`,
        after: values,
      });
      return row as Agency;
    });
  }
}
