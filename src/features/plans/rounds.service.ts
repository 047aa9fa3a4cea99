import { z } from 'zod';
import { canManagePartnership, type Actor } from '../../core/actor.js';
import { NotFoundError, ValidationFailed } from '../../core/errors.js';
import { fieldError, formErrors, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import { monthLabel, parseDateAsWritten, parseMonth } from '../../domain/periods.js';
import type { Status } from '../../domain/statuses.js';
import { recordAudit } from '../audit/audit.service.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import { findPlanRow, loadPlan, type PlanAction } from './plans.repository.js';
import { editablePlan } from './plans.service.js';
import { periodText } from './plans.schemas.js';
import type { UpdateRoundRow } from './rounds.table.js';

export const roundMessages = {
  monthTaken: 'This plan already has an update round for that month',
  notNeeded: 'This action has already been updated for the round',
  closed: 'This update round is closed. Reopen it to send reminders',
  monthEmpty: 'Enter the month the round is for, like 2024-09',
  deadlineEmpty: 'Enter the deadline, like 15/10/2024',
  deadlineEarly: 'Deadline must be in or after the reporting month',
};

export const roundSchema = z.object({
  month: periodText(parseMonth, roundMessages.monthEmpty).meta({
    description: 'The month the updates are for, like 2024-09',
  }),
  deadline: periodText(parseDateAsWritten, roundMessages.deadlineEmpty).meta({
    description: 'When the updates are due, like 15/10/2024: in or after the month',
  }),
});

export interface Round {
  id: number;
  month: string;
  monthLabel: string;
  deadline: string;
  /** When a coordinator closed the round; null while it is open. */
  closedAt: string | null;
}

export interface RoundDeletion {
  round: Round;
  reminders: number;
  /** Progress updates for the round's month: deleting the round keeps them. */
  updates: number;
}

export interface RoundRow {
  action: PlanAction;
  update: { status: Status; narrative: string } | null;
  reminders: number;
}

function toRound(r: UpdateRoundRow): Round {
  return {
    id: r.id,
    month: r.month,
    monthLabel: monthLabel(r.month),
    deadline: r.deadline,
    closedAt: r.closed_at,
  };
}

/** The round if it belongs to the plan; otherwise 404. */
async function findRound(db: DbOrTrx, planId: number, roundId: number): Promise<UpdateRoundRow> {
  const round = await db
    .selectFrom('update_rounds')
    .selectAll()
    .where('id', '=', roundId)
    .where('plan_id', '=', planId)
    .executeTakeFirst();
  if (!round) throw new NotFoundError('Update round');
  return round;
}

/** Actions the actor leads, in open rounds, with no update yet for the round's month. */
export async function actionsToUpdate(db: DbOrTrx, actor: Actor) {
  if (actor.userId === null) return [];
  const userId = actor.userId;
  return db
    .selectFrom('update_rounds')
    .innerJoin('plans', 'plans.id', 'update_rounds.plan_id')
    .innerJoin('partnerships', 'partnerships.id', 'plans.partnership_id')
    .innerJoin('memberships', (j) =>
      j
        .onRef('memberships.partnership_id', '=', 'partnerships.id')
        .on('memberships.user_id', '=', userId)
        .on('memberships.role', '!=', 'viewer'),
    )
    .innerJoin('actions', 'actions.plan_id', 'plans.id')
    .select([
      'actions.id',
      'actions.number',
      'plans.id as planId',
      'plans.title as planTitle',
      'partnerships.slug',
      'partnerships.name as partnership',
      'update_rounds.month',
      'update_rounds.deadline',
    ])
    .where('update_rounds.closed_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('action_updates')
            .select('action_updates.id')
            .whereRef('action_updates.action_id', '=', 'actions.id')
            .whereRef('action_updates.month', '=', 'update_rounds.month'),
        ),
      ),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('action_leads')
          .select('action_leads.id')
          .whereRef('action_leads.action_id', '=', 'actions.id')
          .where((l) =>
            l.or([
              l('action_leads.agency_id', '=', actor.agencyId),
              l(
                'action_leads.group_id',
                'in',
                l
                  .selectFrom('group_members')
                  .select('group_members.group_id')
                  .where((m) =>
                    m.or([m('user_id', '=', userId), m('agency_id', '=', actor.agencyId)]),
                  ),
              ),
            ]),
          ),
      ),
    )
    .orderBy('update_rounds.deadline')
    .orderBy('actions.number')
    .execute();
}

/** Update rounds: a month asked for by a deadline, and who has and has not answered. */
export class RoundsService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
  ) {}

  async list(actor: Actor, slug: string, planId: number): Promise<Round[]> {
    const p = await this.partnerships.readable(actor, slug);
    const plan = await findPlanRow(this.db, p.id, planId);
    const rows = await this.db
      .selectFrom('update_rounds')
      .selectAll()
      .where('plan_id', '=', plan.id)
      .orderBy('month', 'desc')
      .execute();
    return rows.map(toRound);
  }

  async open(actor: Actor, slug: string, planId: number, input: unknown): Promise<Round> {
    const values = parseInput(roundSchema, input);
    if (values.deadline < `${values.month}-01`)
      throw new ValidationFailed(formErrors([['deadline', roundMessages.deadlineEarly]]));
    return this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const clash = await trx
        .selectFrom('update_rounds')
        .select('id')
        .where('plan_id', '=', plan.id)
        .where('month', '=', values.month)
        .executeTakeFirst();
      if (clash) throw fieldError('month', roundMessages.monthTaken);
      const row = await trx
        .insertInto('update_rounds')
        .values({ plan_id: plan.id, ...values, created_at: nowIso() })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'plan',
        entityId: plan.id,
        action: 'created',
        summary: `Opened the ${monthLabel(values.month)} update round of ${plan.title}, due ${values.deadline}`,
        after: values,
      });
      return toRound(row);
    });
  }

  async get(actor: Actor, slug: string, planId: number, roundId: number) {
    const p = await this.partnerships.readable(actor, slug);
    const plan = await findPlanRow(this.db, p.id, planId);
    const round = await findRound(this.db, plan.id, roundId);
    const [full, updates, reminders] = await Promise.all([
      loadPlan(this.db, plan),
      this.db
        .selectFrom('action_updates')
        .innerJoin('actions', 'actions.id', 'action_updates.action_id')
        .select(['action_updates.action_id', 'action_updates.status', 'action_updates.narrative'])
        .where('actions.plan_id', '=', plan.id)
        .where('action_updates.month', '=', round.month)
        .orderBy('action_updates.id')
        .execute(),
      this.db
        .selectFrom('round_reminders')
        .select(['action_id', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('round_id', '=', round.id)
        .groupBy('action_id')
        .execute(),
    ]);
    const latest = new Map(updates.map((u) => [u.action_id, u]));
    const reminded = new Map(reminders.map((r) => [r.action_id, Number(r.n)]));
    const rows: RoundRow[] = full.themes
      .flatMap((t) => t.actions)
      .map((action) => {
        const u = latest.get(action.id);
        return {
          action,
          update: u ? { status: u.status as Status, narrative: u.narrative } : null,
          reminders: reminded.get(action.id) ?? 0,
        };
      });
    return {
      plan: full,
      round: toRound(round),
      rows,
      updated: rows.filter((r) => r.update).length,
      canManage: canManagePartnership(actor, p),
    };
  }

  /** Records a reminder to the action's leads; sending it comes later. */
  async remind(
    actor: Actor,
    slug: string,
    planId: number,
    roundId: number,
    actionId: number,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const round = await trx
        .selectFrom('update_rounds')
        .selectAll()
        .where('id', '=', roundId)
        .where('plan_id', '=', plan.id)
        .executeTakeFirst();
      const action = await trx
        .selectFrom('actions')
        .select(['id', 'number'])
        .where('id', '=', actionId)
        .where('plan_id', '=', plan.id)
        .executeTakeFirst();
      if (!round || !action) throw new NotFoundError('Update round');
      if (round.closed_at !== null) throw fieldError('updates', roundMessages.closed);
      const done = await trx
        .selectFrom('action_updates')
        .select('id')
        .where('action_id', '=', action.id)
        .where('month', '=', round.month)
        .executeTakeFirst();
      if (done) throw fieldError('updates', roundMessages.notNeeded);
      await trx
        .insertInto('round_reminders')
        .values({
          round_id: round.id,
          action_id: action.id,
          sent_by_label: actor.label,
          created_at: nowIso(),
        })
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'action',
        entityId: action.id,
        action: 'added',
        summary: `Reminded the leads of action ${action.number} to update it for ${monthLabel(round.month)}`,
      });
    });
  }

  /** A closed round stops asking: leads' home pages drop it and reminders stop. */
  async close(actor: Actor, slug: string, planId: number, roundId: number): Promise<void> {
    await this.setClosed(actor, slug, planId, roundId, true);
  }

  async reopen(actor: Actor, slug: string, planId: number, roundId: number): Promise<void> {
    await this.setClosed(actor, slug, planId, roundId, false);
  }

  private async setClosed(
    actor: Actor,
    slug: string,
    planId: number,
    roundId: number,
    closed: boolean,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const round = await findRound(trx, plan.id, roundId);
      // A second press, or a page left open while someone else did it: nothing to do.
      if ((round.closed_at !== null) === closed) return;
      const closedAt = closed ? nowIso() : null;
      await trx
        .updateTable('update_rounds')
        .set({ closed_at: closedAt })
        .where('id', '=', round.id)
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'plan',
        entityId: plan.id,
        action: 'updated',
        summary: `${closed ? 'Closed' : 'Reopened'} the ${monthLabel(round.month)} update round of ${plan.title}`,
        before: { closedAt: round.closed_at },
        after: { closedAt },
      });
    });
  }

  /** What deleting the round takes with it (its reminders) and what it keeps (the updates). */
  async deletion(
    actor: Actor,
    slug: string,
    planId: number,
    roundId: number,
  ): Promise<RoundDeletion> {
    const { plan } = await editablePlan(this.partnerships, this.db, actor, slug, planId);
    const round = await findRound(this.db, plan.id, roundId);
    const [reminders, updates] = await Promise.all([
      this.db
        .selectFrom('round_reminders')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('round_id', '=', round.id)
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('action_updates')
        .innerJoin('actions', 'actions.id', 'action_updates.action_id')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('actions.plan_id', '=', plan.id)
        .where('action_updates.month', '=', round.month)
        .executeTakeFirstOrThrow(),
    ]);
    return { round: toRound(round), reminders: Number(reminders.n), updates: Number(updates.n) };
  }

  /**
   * Deletes the round and its reminders. Progress updates belong to the actions, not the round,
   * so every update posted for the month stays.
   */
  async delete(actor: Actor, slug: string, planId: number, roundId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const round = await findRound(trx, plan.id, roundId);
      const reminders = await trx
        .selectFrom('round_reminders')
        .innerJoin('actions', 'actions.id', 'round_reminders.action_id')
        .select(['actions.number', 'round_reminders.sent_by_label', 'round_reminders.created_at'])
        .where('round_reminders.round_id', '=', round.id)
        .orderBy('round_reminders.id')
        .execute();
      await trx.deleteFrom('update_rounds').where('id', '=', round.id).execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'plan',
        entityId: plan.id,
        action: 'deleted',
        summary: `Deleted the ${monthLabel(round.month)} update round of ${plan.title}`,
        before: {
          month: round.month,
          deadline: round.deadline,
          closedAt: round.closed_at,
          reminders: reminders.map((r) => ({
            action: r.number,
            sentBy: r.sent_by_label,
            sentAt: r.created_at,
          })),
        },
      });
    });
  }
}
