import {
  canManagePartnership,
  canReadPartnership,
  type Actor,
  type Role,
} from '../../core/actor.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { fieldError, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import { fillCrimeIndicator } from '../indicators/crime-indicators.js';
import { historyOf, recordAudit, type AuditEvent } from '../audit/audit.service.js';
import { areaNames } from '../geography/geography.repository.js';
import type { AgencyKind } from '../agencies/agencies.schemas.js';
import {
  addAgencySchema,
  messages,
  partnershipSchema,
  placementSchema,
  settingsSchema,
  type PartnershipType,
} from './partnerships.schemas.js';
import type { PartnershipRow } from './partnerships.table.js';

export interface PartnershipSummary {
  id: number;
  slug: string;
  name: string;
  type: PartnershipType;
  parentId: number | null;
  role: Role | null;
}

export interface Partnership extends PartnershipSummary {
  parent: { slug: string; name: string } | null;
  districts: { slug: string; name: string }[];
  areas: string[];
  /** Each district code with its ONS name, where the geography imported names it. */
  areaNames: { code: string; name: string | null }[];
  canManage: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface PartnerAgency {
  id: number;
  name: string;
  kind: AgencyKind;
}

function summary(row: PartnershipRow, actor: Actor): PartnershipSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    type: row.type as PartnershipType,
    parentId: row.parent_id,
    role: actor.roles.get(row.id) ?? null,
  };
}

export class PartnershipsService {
  constructor(private readonly db: Db) {}

  /** Every partnership the actor may read, and nothing else. */
  async listFor(actor: Actor): Promise<PartnershipSummary[]> {
    let query = this.db.selectFrom('partnerships').selectAll().orderBy('name');
    if (!actor.isAdmin) {
      const memberOf = [...actor.roles.keys()];
      const coordinates = [...actor.roles].filter(([, r]) => r === 'coordinator').map(([id]) => id);
      if (memberOf.length === 0) return [];
      query = query.where((eb) =>
        eb.or([
          eb('id', 'in', memberOf),
          ...(coordinates.length ? [eb('parent_id', 'in', coordinates)] : []),
        ]),
      );
    }
    return (await query.execute()).map((r) => summary(r, actor));
  }

  /** The partnership if the actor may read it; otherwise 404, as if it did not exist. */
  async readable(actor: Actor, slug: string, db: DbOrTrx = this.db): Promise<PartnershipRow> {
    const row = await db
      .selectFrom('partnerships')
      .selectAll()
      .where('slug', '=', slug)
      .executeTakeFirst();
    if (!row || !canReadPartnership(actor, row)) throw new NotFoundError('Partnership');
    return row;
  }

  /**
   * What the partnership's kept pages depend on besides who is looking: its own data's version
   * and the agencies' (see migration 0017). 404 as `readable` does.
   */
  async pageVersion(actor: Actor, slug: string): Promise<string> {
    const row = await this.db
      .selectFrom('partnerships as p')
      .leftJoin('page_versions as v', 'v.partnership_id', 'p.id')
      .leftJoin('page_versions as a', (j) => j.on('a.partnership_id', '=', 0))
      .select(['p.id', 'p.parent_id', 'v.version', 'a.version as agencies'])
      .where('p.slug', '=', slug)
      .executeTakeFirst();
    if (!row || !canReadPartnership(actor, row)) throw new NotFoundError('Partnership');
    return `${row.id}.${row.version ?? 0}.${row.agencies ?? 0}`;
  }

  async manageable(actor: Actor, slug: string, db: DbOrTrx = this.db): Promise<PartnershipRow> {
    const row = await this.readable(actor, slug, db);
    if (!canManagePartnership(actor, row)) {
      throw new ForbiddenError('Only the partnership’s coordinators can do that');
    }
    return row;
  }

  async get(actor: Actor, slug: string): Promise<Partnership> {
    const row = await this.readable(actor, slug);
    const [parent, districts, areas] = await Promise.all([
      row.parent_id === null
        ? undefined
        : this.db
            .selectFrom('partnerships')
            .select(['slug', 'name'])
            .where('id', '=', row.parent_id)
            .executeTakeFirst(),
      this.db
        .selectFrom('partnerships')
        .select(['slug', 'name'])
        .where('parent_id', '=', row.id)
        .orderBy('name')
        .execute(),
      this.db
        .selectFrom('partnership_areas')
        .select('gss_code')
        .where('partnership_id', '=', row.id)
        .orderBy('gss_code')
        .execute(),
    ]);
    // A county coordinator sees its districts; a district member sees its county's name only.
    const visibleDistricts =
      canManagePartnership(actor, row) || actor.roles.has(row.id) ? districts : [];
    const codes = areas.map((a) => a.gss_code);
    const names = await areaNames(this.db, codes);
    return {
      ...summary(row, actor),
      parent: parent ?? null,
      districts: visibleDistricts,
      areas: codes,
      areaNames: codes.map((code) => ({ code, name: names.get(code) ?? null })),
      canManage: canManagePartnership(actor, row),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** The partnership's own changes (settings), oldest first. */
  async history(actor: Actor, slug: string): Promise<AuditEvent[]> {
    const p = await this.readable(actor, slug);
    return historyOf(this.db, 'partnership', p.id);
  }

  /** The county partnerships a new partnership can sit under; only administrators add partnerships. */
  async countiesForNew(actor: Actor): Promise<{ slug: string; name: string }[]> {
    if (!actor.isAdmin) throw new ForbiddenError('Only system administrators can add partnerships');
    return this.db
      .selectFrom('partnerships')
      .select(['slug', 'name'])
      .where('type', '=', 'county')
      .orderBy('name')
      .execute();
  }

  async create(actor: Actor, input: unknown): Promise<PartnershipSummary> {
    if (!actor.isAdmin) throw new ForbiddenError('Only system administrators can add partnerships');
    const values = parseInput(partnershipSchema, input);
    return this.db.transaction().execute(async (trx) => {
      if (
        await trx
          .selectFrom('partnerships')
          .select('id')
          .where('slug', '=', values.slug)
          .executeTakeFirst()
      ) {
        throw fieldError('slug', messages.slugTaken);
      }
      const parentId = await this.resolveParent(trx, values.type, values.parent);
      const now = nowIso();
      const row = await trx
        .insertInto('partnerships')
        .values({
          slug: values.slug,
          name: values.name,
          type: values.type,
          parent_id: parentId,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.replaceAreas(trx, row.id, values.areas);
      await recordAudit(trx, actor, {
        partnershipId: row.id,
        entityType: 'partnership',
        entityId: row.id,
        action: 'created',
        summary: `Created the partnership ${row.name}`,
        after: values,
      });
      return summary(row, actor);
    });
  }

  /** Coordinators change the name and areas; administrators also the type and the county. */
  async updateSettings(actor: Actor, slug: string, input: unknown): Promise<void> {
    const values = parseInput(settingsSchema, input);
    const placement = actor.isAdmin ? parseInput(placementSchema, input) : undefined;
    await this.db.transaction().execute(async (trx) => {
      const row = await this.manageable(actor, slug, trx);
      const areas = await trx
        .selectFrom('partnership_areas')
        .select('gss_code')
        .where('partnership_id', '=', row.id)
        .orderBy('gss_code')
        .execute();
      const before = {
        name: row.name,
        type: row.type,
        parentId: row.parent_id,
        areas: areas.map((a) => a.gss_code),
      };
      const after = { ...before, name: values.name, areas: [...values.areas].sort() };
      if (placement) {
        const parentId = await this.resolveParent(trx, placement.type, placement.parent);
        if (parentId === row.id) throw fieldError('parent', messages.parentNotCounty);
        if (placement.type !== 'county' && row.type === 'county') {
          const child = await trx
            .selectFrom('partnerships')
            .select('id')
            .where('parent_id', '=', row.id)
            .executeTakeFirst();
          if (child) throw fieldError('type', messages.countyHasDistricts);
        }
        Object.assign(after, { type: placement.type, parentId });
      }
      await trx
        .updateTable('partnerships')
        .set({
          name: after.name,
          type: after.type,
          parent_id: after.parentId,
          updated_at: nowIso(),
        })
        .where('id', '=', row.id)
        .execute();
      await this.replaceAreas(trx, row.id, values.areas);
      await recordAudit(trx, actor, {
        partnershipId: row.id,
        entityType: 'partnership',
        entityId: row.id,
        action: 'updated',
        summary: 'Changed the partnership’s settings',
        before,
        after,
      });
      // Indicators that follow police.uk data count the partnership's districts as they now are.
      if (before.areas.join() !== after.areas.join()) {
        const rows = await trx
          .selectFrom('indicators')
          .selectAll()
          .where('partnership_id', '=', row.id)
          .where('crime_type', 'is not', null)
          .execute();
        for (const indicator of rows) await fillCrimeIndicator(trx, actor, indicator);
      }
    });
  }

  /** A district or unitary partnership may sit under a county; a county under nothing. */
  private async resolveParent(
    trx: DbOrTrx,
    type: PartnershipType,
    parentSlug: string | undefined,
  ): Promise<number | null> {
    if (!parentSlug) return null;
    if (type === 'county') throw fieldError('parent', messages.countyWithParent);
    const parent = await trx
      .selectFrom('partnerships')
      .select(['id', 'type'])
      .where('slug', '=', parentSlug)
      .executeTakeFirst();
    if (!parent) throw fieldError('parent', messages.parentUnknown);
    if (parent.type !== 'county') throw fieldError('parent', messages.parentNotCounty);
    return parent.id;
  }

  /** Once ONS districts are imported, a code must be one of them: a typo would match no data. */
  private async checkAreas(trx: DbOrTrx, codes: string[]): Promise<void> {
    if (!codes.length) return;
    const districts = trx.selectFrom('geo_areas').select('code').where('type', '=', 'district');
    if (!(await districts.limit(1).executeTakeFirst())) return;
    const known = new Set(
      (await districts.where('code', 'in', codes).execute()).map((k) => k.code),
    );
    const unknown = codes.filter((c) => !known.has(c));
    if (unknown.length) throw fieldError('areas', messages.areasUnknown(unknown));
  }

  private async replaceAreas(trx: DbOrTrx, partnershipId: number, codes: string[]): Promise<void> {
    await this.checkAreas(trx, codes);
    await trx.deleteFrom('partnership_areas').where('partnership_id', '=', partnershipId).execute();
    if (codes.length) {
      await trx
        .insertInto('partnership_areas')
        .values(codes.map((gss_code) => ({ partnership_id: partnershipId, gss_code })))
        .execute();
    }
  }

  // Partner agencies

  async partnerAgencies(actor: Actor, slug: string): Promise<PartnerAgency[]> {
    const p = await this.readable(actor, slug);
    return (await this.db
      .selectFrom('partnership_agencies')
      .innerJoin('agencies', 'agencies.id', 'partnership_agencies.agency_id')
      .select(['agencies.id', 'agencies.name', 'agencies.kind'])
      .where('partnership_agencies.partnership_id', '=', p.id)
      .orderBy('agencies.name')
      .execute()) as PartnerAgency[];
  }

  async addPartnerAgency(actor: Actor, slug: string, input: unknown): Promise<void> {
    const { agencyId } = parseInput(addAgencySchema, input);
    await this.db.transaction().execute(async (trx) => {
      const p = await this.manageable(actor, slug, trx);
      const agency = await trx
        .selectFrom('agencies')
        .select(['id', 'name'])
        .where('id', '=', agencyId)
        .executeTakeFirst();
      if (!agency) throw fieldError('agencyId', messages.agencyMissing);
      const existing = await trx
        .selectFrom('partnership_agencies')
        .select('agency_id')
        .where('partnership_id', '=', p.id)
        .where('agency_id', '=', agencyId)
        .executeTakeFirst();
      if (existing) throw fieldError('agencyId', messages.agencyAlreadyPartner);
      await trx
        .insertInto('partnership_agencies')
        .values({ partnership_id: p.id, agency_id: agencyId, created_at: nowIso() })
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'partner-agency',
        entityId: `${p.id}:${agencyId}`,
        action: 'added',
        summary: `Added ${agency.name} as a partner agency`,
        after: { agencyId },
      });
    });
  }

  async removePartnerAgency(actor: Actor, slug: string, agencyId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const p = await this.manageable(actor, slug, trx);
      const agency = await trx
        .selectFrom('partnership_agencies')
        .innerJoin('agencies', 'agencies.id', 'partnership_agencies.agency_id')
        .select(['agencies.id', 'agencies.name'])
        .where('partnership_id', '=', p.id)
        .where('agency_id', '=', agencyId)
        .executeTakeFirst();
      if (!agency) throw new NotFoundError('Partner agency');
      await trx
        .deleteFrom('partnership_agencies')
        .where('partnership_id', '=', p.id)
        .where('agency_id', '=', agencyId)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'partner-agency',
        entityId: `${p.id}:${agencyId}`,
        action: 'removed',
        summary: `Removed ${agency.name} as a partner agency`,
        before: { agencyId },
      });
    });
  }
}
