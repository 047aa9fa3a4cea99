import { z } from 'zod';
import { canManagePartnership, type Actor } from '../../core/actor.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { conflictError, parseInput } from '../../core/form-errors.js';
import { optionalText } from '../../core/schema-helpers.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import { monthLabel, parseMonth } from '../../domain/periods.js';
import { STATUSES, STATUS_LABELS, type Status } from '../../domain/statuses.js';
import { recordAudit } from '../audit/audit.service.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import { findPlanRow, loadAction, toSummary } from './plans.repository.js';
import { periodText } from './plans.schemas.js';

export const updateMessages = {
  monthEmpty: 'Enter the month the update is for, like 2024-09',
  statusMissing: 'Select the action’s status',
  narrativeTooLong: 'Update must be 5,000 characters or fewer',
  conflict:
    'Someone else posted an update to this action while you were writing. Read their update below, then post yours again if it is still needed.',
  /** The same, for callers that have no form to show the latest update in. */
  conflictSince: (latestId: number | undefined) =>
    latestId === undefined
      ? 'The action has no updates yet, so yours cannot be based on one. Send it again based on none.'
      : `Someone else posted an update to this action after the one yours is based on; the latest is now update ${latestId}. Read it, then post yours again if it is still needed.`,
};

export const updateSchema = z.object({
  month: periodText(parseMonth, updateMessages.monthEmpty).meta({
    description: 'The month the update is for, like 2024-09',
  }),
  status: z.enum(STATUSES, { error: updateMessages.statusMissing }),
  narrative: optionalText(5000, updateMessages.narrativeTooLong),
  /** The latest update the writer saw when they opened the form ('' for none). */
  basedOn: z
    .union([z.string(), z.int().positive(), z.null()])
    .optional()
    .transform((v) => (v === undefined ? undefined : String(v ?? '')))
    .meta({
      description:
        'The id of the latest update the writer had read (null for none). If another has been ' +
        'posted since, nothing is saved and the writer is told',
    }),
});

export interface ActionUpdate {
  id: number;
  month: string;
  status: Status;
  narrative: string;
  author: string;
  createdAt: string;
}

/** Progress updates: history is kept and the latest is the action's current state. */
export class UpdatesService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
  ) {}

  /** The action if it is in the plan and the plan in a partnership the actor reads; else 404. */
  private async find(db: DbOrTrx, actor: Actor, slug: string, planId: number, actionId: number) {
    const p = await this.partnerships.readable(actor, slug, db);
    const plan = await findPlanRow(db, p.id, planId);
    const action = await db
      .selectFrom('actions')
      .select(['id', 'number', 'title'])
      .where('id', '=', actionId)
      .where('plan_id', '=', plan.id)
      .executeTakeFirst();
    if (!action) throw new NotFoundError('Action');
    return { p, plan, action };
  }

  /** Coordinators, and leads whose agency leads the action or sits on a lead group. */
  private async canUpdate(
    db: DbOrTrx,
    actor: Actor,
    p: PartnershipRow,
    actionId: number,
  ): Promise<boolean> {
    if (canManagePartnership(actor, p)) return true;
    if (actor.roles.get(p.id) !== 'lead' || actor.userId === null) return false;
    const userId = actor.userId;
    const seat = await db
      .selectFrom('action_leads')
      .select('action_leads.id')
      .where('action_leads.action_id', '=', actionId)
      .where((eb) =>
        eb.or([
          eb('action_leads.agency_id', '=', actor.agencyId),
          eb(
            'action_leads.group_id',
            'in',
            eb
              .selectFrom('group_members')
              .select('group_members.group_id')
              .where((m) => m.or([m('user_id', '=', userId), m('agency_id', '=', actor.agencyId)])),
          ),
        ]),
      )
      .executeTakeFirst();
    return seat !== undefined;
  }

  private async history(db: DbOrTrx, actionId: number): Promise<ActionUpdate[]> {
    const rows = await db
      .selectFrom('action_updates')
      .selectAll()
      .where('action_id', '=', actionId)
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      month: r.month,
      status: r.status as Status,
      narrative: r.narrative,
      author: r.author_label,
      createdAt: r.created_at,
    }));
  }

  /**
   * The action page: the action, its updates newest first and whether the actor may add one,
   * in a fixed number of statements (the rest of the plan is not loaded).
   */
  async list(actor: Actor, slug: string, planId: number, actionId: number) {
    const p = await this.partnerships.readable(actor, slug);
    const plan = await findPlanRow(this.db, p.id, planId);
    const action = await loadAction(this.db, plan.id, actionId);
    if (!action) throw new NotFoundError('Action');
    const [updates, canUpdate] = await Promise.all([
      this.history(this.db, action.id),
      this.canUpdate(this.db, actor, p, action.id),
    ]);
    return {
      partnership: { slug: p.slug, name: p.name },
      plan: { ...toSummary(plan), canManage: canManagePartnership(actor, p) },
      action,
      updates,
      canUpdate,
    };
  }

  async post(
    actor: Actor,
    slug: string,
    planId: number,
    actionId: number,
    input: unknown,
  ): Promise<{ id: number }> {
    const values = parseInput(updateSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const { p, plan, action } = await this.find(trx, actor, slug, planId, actionId);
      if (!(await this.canUpdate(trx, actor, p, action.id)))
        throw new ForbiddenError('Only coordinators and the action’s own leads can update it');
      const [latest] = await this.history(trx, action.id);
      // Nothing is silently overwritten: a writer who has not seen the latest update is told.
      if (values.basedOn !== undefined && values.basedOn !== String(latest?.id ?? ''))
        throw conflictError(
          'narrative',
          updateMessages.conflict,
          updateMessages.conflictSince(latest?.id),
        );
      const row = await trx
        .insertInto('action_updates')
        .values({
          action_id: action.id,
          month: values.month,
          status: values.status,
          narrative: values.narrative,
          author_user_id: actor.userId,
          author_label: actor.label,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'action',
        entityId: action.id,
        action: 'added',
        summary: `Updated action ${action.number} of ${plan.title} for ${monthLabel(values.month)}: ${STATUS_LABELS[values.status]}`,
        after: { month: values.month, status: values.status, narrative: values.narrative },
      });
      return { id: row.id };
    });
  }
}
