import type { Actor } from '../../core/actor.js';
import { NotFoundError } from '../../core/errors.js';
import { conflictError, fieldError, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import { readTimescale } from '../../domain/timescales.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import {
  findPlanRow,
  loadAction,
  partCounts,
  updateHistory,
  type Lead,
  type PlanAction,
} from './plans.repository.js';
import { actionSchema, messages, MILESTONE_ROWS, readRows } from './plans.schemas.js';
import { editablePlan, recordPlanChange } from './plans.service.js';
import type { PlanRow } from './plans.table.js';

interface ActionValues {
  version?: string;
  themeId: number;
  number: string;
  title: string;
  desiredOutcome: string;
  leads: string[];
  milestones: [text: string, timescale: string][];
}

/** Action fields and the numbered milestone rows, with every error reported at once. */
function readAction(input: Record<string, unknown>): ActionValues {
  const rows = readRows(input, 'milestone', 'timescale', MILESTONE_ROWS);
  const values = parseInput(
    actionSchema,
    input,
    rows.errors.map((e) => [e.field, e.text]),
  );
  return { ...values, milestones: rows.rows };
}

/** An action as the audit trail keeps it, before a change or a deletion. */
export function actionState(action: PlanAction) {
  return {
    themeId: action.themeId,
    number: action.number,
    title: action.title,
    desiredOutcome: action.desiredOutcome,
    milestones: action.milestones.map((m) => [m.text, m.timescale]),
    leads: action.leads.map((l) => l.name),
  };
}

export interface ActionDeletion {
  action: PlanAction;
  milestones: number;
  updates: number;
}

export interface LeadChoices {
  agencies: { id: number; name: string }[];
  groups: { id: number; name: string }[];
}

/** The action plan's rows: number, action, outcome, milestones with timescales, lead bodies. */
export class ActionsService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
  ) {}

  /** Lead bodies are the partnership's own partner agencies and groups. */
  async leadChoices(actor: Actor, slug: string): Promise<LeadChoices> {
    const p = await this.partnerships.readable(actor, slug);
    return this.choices(this.db, p.id);
  }

  private async choices(db: DbOrTrx, partnershipId: number): Promise<LeadChoices> {
    const [agencies, groups] = await Promise.all([
      db
        .selectFrom('partnership_agencies')
        .innerJoin('agencies', 'agencies.id', 'partnership_agencies.agency_id')
        .select(['agencies.id', 'agencies.name'])
        .where('partnership_id', '=', partnershipId)
        .orderBy('agencies.name')
        .execute(),
      db
        .selectFrom('groups')
        .select(['id', 'name'])
        .where('partnership_id', '=', partnershipId)
        .orderBy('name')
        .execute(),
    ]);
    return { agencies, groups };
  }

  async get(actor: Actor, slug: string, planId: number, actionId: number): Promise<PlanAction> {
    const p = await this.partnerships.readable(actor, slug);
    return this.find(this.db, await findPlanRow(this.db, p.id, planId), actionId);
  }

  async add(
    actor: Actor,
    slug: string,
    planId: number,
    input: Record<string, unknown>,
  ): Promise<{ id: number }> {
    const values = readAction(input);
    return this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const leads = await this.check(trx, p.id, plan, values);
      const now = nowIso();
      const last = await trx
        .selectFrom('actions')
        .select((eb) => eb.fn.max<number | null>('position').as('max'))
        .where('plan_id', '=', plan.id)
        .executeTakeFirst();
      const row = await trx
        .insertInto('actions')
        .values({
          plan_id: plan.id,
          theme_id: values.themeId,
          number: values.number,
          position: (last?.max ?? 0) + 1,
          title: values.title,
          desired_outcome: values.desiredOutcome,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.replaceParts(trx, row.id, plan, values);
      await recordPlanChange(trx, actor, p.id, plan.id, {
        entityType: 'action',
        entityId: row.id,
        action: 'created',
        summary: `Added action ${values.number} to ${plan.title}`,
        after: { ...values, leads: leads.map((l) => l.name) },
      });
      return { id: row.id };
    });
  }

  async update(
    actor: Actor,
    slug: string,
    planId: number,
    actionId: number,
    input: Record<string, unknown>,
  ): Promise<void> {
    const values = readAction(input);
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const before = await this.find(trx, plan, actionId);
      if (values.version !== undefined && values.version !== String(before.version))
        throw conflictError(
          'title',
          messages.actionChanged,
          messages.actionChangedSince(before.version),
        );
      const leads = await this.check(trx, p.id, plan, values, actionId);
      await trx
        .updateTable('actions')
        .set((eb) => ({
          theme_id: values.themeId,
          number: values.number,
          title: values.title,
          desired_outcome: values.desiredOutcome,
          milestone_note: null,
          version: eb('version', '+', 1),
          updated_at: nowIso(),
        }))
        .where('id', '=', actionId)
        .execute();
      await this.replaceParts(trx, actionId, plan, values);
      await recordPlanChange(trx, actor, p.id, plan.id, {
        entityType: 'action',
        entityId: actionId,
        action: 'updated',
        summary: `Changed action ${values.number} in ${plan.title}`,
        before: actionState(before),
        after: { ...values, version: undefined, leads: leads.map((l) => l.name) },
      });
    });
  }

  /** What deleting the action takes with it, for the coordinator to confirm. */
  async deletion(
    actor: Actor,
    slug: string,
    planId: number,
    actionId: number,
  ): Promise<ActionDeletion> {
    const { plan } = await editablePlan(this.partnerships, this.db, actor, slug, planId);
    const action = await this.find(this.db, plan, actionId);
    const counts = await partCounts(this.db, 'action', action.id);
    return { action, milestones: counts.milestones, updates: counts.updates };
  }

  /**
   * Deletes the action with its milestones, leads, progress updates and reminders. The audit
   * trail keeps what was deleted, updates included, since nothing else does.
   */
  async delete(actor: Actor, slug: string, planId: number, actionId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const action = await this.find(trx, plan, actionId);
      const history = await updateHistory(trx, [action.id]);
      await trx.deleteFrom('actions').where('id', '=', action.id).execute();
      await recordPlanChange(trx, actor, p.id, plan.id, {
        entityType: 'action',
        entityId: action.id,
        action: 'deleted',
        summary: `Deleted action ${action.number} from ${plan.title}`,
        before: { ...actionState(action), updates: history.get(action.id) ?? [] },
      });
    });
  }

  private async find(db: DbOrTrx, plan: PlanRow, actionId: number): Promise<PlanAction> {
    const action = await loadAction(db, plan.id, actionId);
    if (!action) throw new NotFoundError('Action');
    return action;
  }

  /** Rules that need the database: the theme, a free number and the partnership's own leads. */
  private async check(
    trx: DbOrTrx,
    partnershipId: number,
    plan: PlanRow,
    values: ActionValues,
    actionId?: number,
  ): Promise<Lead[]> {
    const theme = await trx
      .selectFrom('themes')
      .select('id')
      .where('id', '=', values.themeId)
      .where('plan_id', '=', plan.id)
      .executeTakeFirst();
    if (!theme) throw fieldError('themeId', messages.themeMissing);
    const clash = await trx
      .selectFrom('actions')
      .select('id')
      .where('plan_id', '=', plan.id)
      .where('number', '=', values.number)
      .where('id', '!=', actionId ?? 0)
      .executeTakeFirst();
    if (clash) throw fieldError('number', messages.numberTaken);
    const choices = await this.choices(trx, partnershipId);
    const leads: Lead[] = [];
    for (const value of new Set(values.leads)) {
      const [type, id] = value.split(':') as ['agency' | 'group', string];
      const found = (type === 'agency' ? choices.agencies : choices.groups).find(
        (c) => c.id === Number(id),
      );
      if (!found) throw fieldError('leads', messages.leadUnknown);
      leads.push({ type, id: found.id, name: found.name });
    }
    return leads;
  }

  private async replaceParts(
    trx: DbOrTrx,
    actionId: number,
    plan: PlanRow,
    values: ActionValues,
  ): Promise<void> {
    await trx.deleteFrom('milestones').where('action_id', '=', actionId).execute();
    await trx.deleteFrom('action_leads').where('action_id', '=', actionId).execute();
    if (values.milestones.length)
      await trx
        .insertInto('milestones')
        .values(
          values.milestones.map(([text, timescale], i) => {
            const read = timescale ? readTimescale(timescale, { start: plan.period_start }) : null;
            return {
              action_id: actionId,
              position: i + 1,
              text,
              timescale,
              due_date: read?.due ?? null,
              timescale_note: read?.unread ?? null,
            };
          }),
        )
        .execute();
    await trx
      .insertInto('action_leads')
      .values(
        [...new Set(values.leads)].map((v) => {
          const [type, id] = v.split(':');
          return {
            action_id: actionId,
            agency_id: type === 'agency' ? Number(id) : null,
            group_id: type === 'group' ? Number(id) : null,
          };
        }),
      )
      .execute();
  }
}
