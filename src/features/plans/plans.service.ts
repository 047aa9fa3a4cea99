import { createHash } from 'node:crypto';
import { canManagePartnership, type Actor } from '../../core/actor.js';
import { ForbiddenError, ValidationFailed } from '../../core/errors.js';
import { conflictError, fieldError, formErrors, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import {
  historyOf,
  recordAudit,
  type AuditEntry,
  type AuditEvent,
} from '../audit/audit.service.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import {
  findPlanRow,
  insertDraftPlan,
  loadDrivers,
  loadPlan,
  loadRisks,
  partCounts,
  toSummary,
  updateHistory,
  type Plan,
  type PlanSummary,
} from './plans.repository.js';
import {
  driversSchema,
  messages,
  newPlanSchema,
  planDetailsSchema,
  readRows,
  sectionsSchema,
} from './plans.schemas.js';
import type { PlanRow } from './plans.table.js';
import { nextPeriod, rollForward } from './roll-forward.js';

export interface PlanView extends Plan {
  canManage: boolean;
}

export interface PlanDeletion {
  plan: PlanSummary;
  themes: number;
  actions: number;
  updates: number;
  rounds: number;
  /** Why the plan cannot be deleted, or null when it can. */
  refusal: string | null;
}

/** Only a draft can go: an adopted plan is the partnership's record of what it agreed. */
function refusal(plan: PlanRow): string | null {
  if (plan.status === 'adopted') return messages.adoptedNotDeleted;
  if (plan.status === 'archived') return messages.archivedNotDeleted;
  return null;
}

/** The parts of a plan edited each with a form of its own. */
export type PlanPart = 'details' | 'sections' | 'drivers' | 'risks';

/** What the parts' forms show of a plan. */
type PartSource = Pick<
  Plan,
  | 'title'
  | 'status'
  | 'introduction'
  | 'background'
  | 'delivery'
  | 'performanceMonitoring'
  | 'drivers'
  | 'risks'
>;

const PART_CONTENT: Record<PlanPart, (plan: PartSource) => unknown> = {
  details: (plan) => [plan.title, plan.status],
  sections: (plan) => [
    plan.introduction,
    plan.background,
    plan.delivery,
    plan.performanceMonitoring,
  ],
  drivers: (plan) => plan.drivers,
  risks: (plan) => plan.risks.map((r) => [r.risk, r.description]),
};

/**
 * A fingerprint of what a part of the plan holds. Its form carries the one it was opened with,
 * and a save over a part someone else has changed since is refused. The plan's own version
 * would not do: it moves with every change to the plan's actions and themes too.
 */
export function planPartVersion(plan: PartSource, part: PlanPart): string {
  return createHash('sha256')
    .update(JSON.stringify(PART_CONTENT[part](plan)))
    .digest('base64url')
    .slice(0, 22);
}

/**
 * The part as saved, refusing a change based on a fingerprint (`basedOn` in the input) it no
 * longer has. A change without one is taken as it is.
 */
async function savedPart(
  db: DbOrTrx,
  plan: PlanRow,
  part: PlanPart,
  input: unknown,
  field: string,
): Promise<PartSource> {
  // Only the part's own rows are read: the whole plan would be every action and update too.
  const saved: PartSource = {
    ...toSummary(plan),
    introduction: plan.introduction,
    background: plan.background,
    delivery: plan.delivery,
    performanceMonitoring: plan.performance_monitoring,
    drivers: part === 'drivers' ? await loadDrivers(db, plan.id) : [],
    risks: part === 'risks' ? await loadRisks(db, plan.id) : [],
  };
  const basedOn =
    typeof input === 'object' && input !== null
      ? (input as Record<string, unknown>).basedOn
      : undefined;
  if (typeof basedOn === 'string' && basedOn !== '' && basedOn !== planPartVersion(saved, part))
    throw conflictError(
      field,
      messages.planPartChanged(messages.planParts[part]),
      messages.planPartChangedSince(messages.planParts[part]),
    );
  return saved;
}

/** The plan for a change: 404 outside the actor's partnerships, 403 for anyone but coordinators. */
export async function editablePlan(
  partnerships: PartnershipsService,
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  planId: number,
): Promise<{ p: PartnershipRow; plan: PlanRow }> {
  const p = await partnerships.readable(actor, slug, db);
  const plan = await findPlanRow(db, p.id, planId);
  if (!canManagePartnership(actor, p))
    throw new ForbiddenError('Only the partnership’s coordinators can change its plans');
  return { p, plan };
}

/**
 * Every change to a plan's parts moves its version on, so a stale form can be told, and is
 * audited against the plan (or, where given, the part itself).
 */
export async function recordPlanChange(
  db: DbOrTrx,
  actor: Actor,
  partnershipId: number,
  planId: number,
  entry: Omit<AuditEntry, 'partnershipId' | 'entityType' | 'entityId'> &
    Partial<Pick<AuditEntry, 'entityType' | 'entityId'>>,
): Promise<void> {
  await db
    .updateTable('plans')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: nowIso() }))
    .where('id', '=', planId)
    .execute();
  await recordAudit(db, actor, { entityType: 'plan', entityId: planId, ...entry, partnershipId });
}

export class PlansService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
  ) {}

  async list(actor: Actor, slug: string): Promise<PlanSummary[]> {
    const p = await this.partnerships.readable(actor, slug);
    const rows = await this.db
      .selectFrom('plans')
      .selectAll()
      .where('partnership_id', '=', p.id)
      .orderBy('period_start', 'desc')
      .execute();
    return rows.map(toSummary);
  }

  async get(actor: Actor, slug: string, planId: number): Promise<PlanView> {
    const p = await this.partnerships.readable(actor, slug);
    const row = await findPlanRow(this.db, p.id, planId);
    return { ...(await loadPlan(this.db, row)), canManage: canManagePartnership(actor, p) };
  }

  async history(actor: Actor, slug: string, planId: number): Promise<AuditEvent[]> {
    const p = await this.partnerships.readable(actor, slug);
    const row = await findPlanRow(this.db, p.id, planId);
    return historyOf(this.db, 'plan', row.id);
  }

  async create(actor: Actor, slug: string, input: unknown): Promise<PlanSummary> {
    const values = parseInput(newPlanSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      const row = await insertDraftPlan(trx, p.id, values);
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'plan',
        entityId: row.id,
        action: 'created',
        summary: `Created the plan ${row.title} (${row.period_label})`,
        after: { title: row.title, period: row.period_label },
      });
      return toSummary(row);
    });
  }

  async updateDetails(actor: Actor, slug: string, planId: number, input: unknown): Promise<void> {
    const values = parseInput(planDetailsSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      await savedPart(trx, plan, 'details', input, 'title');
      await trx
        .updateTable('plans')
        .set({ title: values.title, status: values.status })
        .where('id', '=', plan.id)
        .execute();
      await recordPlanChange(trx, actor, p.id, plan.id, {
        action: 'updated',
        summary: `Changed the title or status of ${values.title}`,
        before: { title: plan.title, status: plan.status },
        after: values,
      });
    });
  }

  async updateSections(actor: Actor, slug: string, planId: number, input: unknown): Promise<void> {
    const values = parseInput(sectionsSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      await savedPart(trx, plan, 'sections', input, 'introduction');
      await trx
        .updateTable('plans')
        .set({
          introduction: values.introduction,
          background: values.background,
          delivery: values.delivery,
          performance_monitoring: values.performanceMonitoring,
        })
        .where('id', '=', plan.id)
        .execute();
      await recordPlanChange(trx, actor, p.id, plan.id, {
        action: 'updated',
        summary: `Changed the written sections of ${plan.title}`,
        before: {
          introduction: plan.introduction,
          background: plan.background,
          delivery: plan.delivery,
          performanceMonitoring: plan.performance_monitoring,
        },
        after: values,
      });
    });
  }

  async updateDrivers(actor: Actor, slug: string, planId: number, input: unknown): Promise<void> {
    const { drivers } = parseInput(driversSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const before = (await savedPart(trx, plan, 'drivers', input, 'drivers')).drivers;
      await trx.deleteFrom('plan_drivers').where('plan_id', '=', plan.id).execute();
      if (drivers.length)
        await trx
          .insertInto('plan_drivers')
          .values(drivers.map((text, i) => ({ plan_id: plan.id, position: i + 1, text })))
          .execute();
      await recordPlanChange(trx, actor, p.id, plan.id, {
        action: 'updated',
        summary: `Changed the strategic drivers of ${plan.title}`,
        before,
        after: drivers,
      });
    });
  }

  async updateRisks(
    actor: Actor,
    slug: string,
    planId: number,
    input: Record<string, unknown>,
  ): Promise<void> {
    const { rows, errors } = readRows(input, 'risk', 'description', {
      first: 500,
      second: 2000,
      firstEmpty: messages.riskEmpty,
      firstTooLong: messages.riskTooLong,
      secondTooLong: messages.sectionTooLong,
    });
    if (errors.length) throw new ValidationFailed(formErrors(errors.map((e) => [e.field, e.text])));
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const before = (await savedPart(trx, plan, 'risks', input, 'risk1')).risks;
      await trx.deleteFrom('plan_risks').where('plan_id', '=', plan.id).execute();
      if (rows.length)
        await trx
          .insertInto('plan_risks')
          .values(
            rows.map(([risk, description], i) => ({
              plan_id: plan.id,
              position: i + 1,
              risk,
              description,
            })),
          )
          .execute();
      await recordPlanChange(trx, actor, p.id, plan.id, {
        action: 'updated',
        summary: `Changed the risk register of ${plan.title}`,
        before,
        after: rows.map(([risk, description]) => ({ risk, description })),
      });
    });
  }

  /** What the roll-forward form starts with: the same title and the following period. */
  async rollForwardDefaults(actor: Actor, slug: string, planId: number) {
    const { plan } = await editablePlan(this.partnerships, this.db, actor, slug, planId);
    return { title: plan.title, period: nextPeriod(plan) };
  }

  async rollForward(actor: Actor, slug: string, planId: number, input: unknown) {
    return this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      return rollForward(trx, actor, p.id, plan, input);
    });
  }

  /** What deleting the plan takes with it, or why it cannot be deleted. */
  async deletion(actor: Actor, slug: string, planId: number): Promise<PlanDeletion> {
    const { plan } = await editablePlan(this.partnerships, this.db, actor, slug, planId);
    const [counts, themes, rounds] = await Promise.all([
      partCounts(this.db, 'plan', plan.id),
      this.db
        .selectFrom('themes')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('plan_id', '=', plan.id)
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('update_rounds')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('plan_id', '=', plan.id)
        .executeTakeFirstOrThrow(),
    ]);
    return {
      plan: toSummary(plan),
      themes: Number(themes.n),
      actions: counts.actions,
      updates: counts.updates,
      rounds: Number(rounds.n),
      refusal: refusal(plan),
    };
  }

  /**
   * Deletes a draft plan and everything in it, for example after importing the wrong file.
   * The plan goes, so the deletion is recorded against the partnership, with the plan as it was.
   */
  async delete(actor: Actor, slug: string, planId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const refused = refusal(plan);
      if (refused) throw fieldError('plan', refused);
      const full = await loadPlan(trx, plan);
      const [history, rounds] = await Promise.all([
        updateHistory(
          trx,
          full.themes.flatMap((t) => t.actions.map((a) => a.id)),
        ),
        trx
          .selectFrom('update_rounds')
          .select(['month', 'deadline', 'closed_at as closedAt'])
          .where('plan_id', '=', plan.id)
          .orderBy('month')
          .execute(),
      ]);
      const before = {
        ...full,
        themes: full.themes.map((t) => ({
          ...t,
          actions: t.actions.map((a) => ({ ...a, updates: history.get(a.id) ?? [] })),
        })),
        rounds,
      };
      await trx.deleteFrom('plans').where('id', '=', plan.id).execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'partnership',
        entityId: p.id,
        action: 'deleted',
        summary: `Deleted the draft plan ${plan.title} (${plan.period_label})`,
        before,
      });
    });
  }
}
