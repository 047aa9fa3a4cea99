import type { Actor } from '../../core/actor.js';
import { canManagePartnership } from '../../core/actor.js';
import type { Db } from '../../db/database.js';
import { todayIso } from '../../db/database.js';
import { monthLabel } from '../../domain/periods.js';
import {
  STATUSES,
  countByReportGroup,
  type ReportGroup,
  type Status,
} from '../../domain/statuses.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import {
  byNumber,
  findPlanRow,
  loadLeads,
  loadPlan,
  toSummary,
  type Lead,
  type Milestone,
  type PlanSummary,
} from './plans.repository.js';
import type { ThemeType } from './plans.schemas.js';

export interface OverviewFilters {
  lead?: string;
  status?: string;
  theme?: string;
}

export interface OverviewAction {
  id: number;
  themeId: number;
  number: string;
  title: string;
  leads: Lead[];
  /** The latest update's status; an action never updated has not started. */
  status: Status;
  overdue: number;
  updatedInRound: boolean;
}

export interface OverviewTheme {
  theme: { id: number; type: ThemeType; title: string };
  counts: Record<ReportGroup, number>;
  overdue: number;
  notUpdated: number;
  actions: OverviewAction[];
}

/** A milestone is late once its due date has passed, unless its action is complete. */
export function isOverdue(milestone: Milestone, status: Status, today: string): boolean {
  return status !== 'complete' && milestone.dueDate !== null && milestone.dueDate < today;
}

/** A milestone with what a reminder needs: its action, who leads it and whether it is late. */
export interface PlanMilestone extends Milestone {
  actionId: number;
  actionNumber: string;
  actionTitle: string;
  actionStatus: Status;
  leads: Lead[];
  overdue: boolean;
}

/**
 * Where the plan stands: per theme, the three exception-report groups and what is late.
 * It reads only what it shows, in a fixed number of statements however large the plan: the
 * latest status, overdue milestones and this round's update are worked out by the database per
 * action, rather than loading every milestone and update of the plan.
 */
export class OverviewService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
  ) {}

  async get(
    actor: Actor,
    slug: string,
    planId: number,
    filters: OverviewFilters,
    today = todayIso(),
  ) {
    const db = this.db;
    const p = await this.partnerships.readable(actor, slug);
    const row = await findPlanRow(db, p.id, planId);
    const round = await db
      .selectFrom('update_rounds')
      .selectAll()
      .where('plan_id', '=', row.id)
      .where('closed_at', 'is', null)
      .orderBy('month', 'desc')
      .executeTakeFirst();
    const [themeRows, actionRows, leads] = await Promise.all([
      db
        .selectFrom('themes')
        .select(['id', 'type', 'title'])
        .where('plan_id', '=', row.id)
        .orderBy('position')
        .execute(),
      db
        .selectFrom('actions as a')
        .select(['a.id', 'a.theme_id', 'a.number', 'a.title'])
        .select((eb) => [
          eb
            .selectFrom('action_updates as u')
            .select('u.status')
            .whereRef('u.action_id', '=', 'a.id')
            .orderBy('u.id', 'desc')
            .limit(1)
            .as('status'),
          eb
            .selectFrom('milestones as m')
            .select((m) => m.fn.countAll<number>().as('n'))
            .whereRef('m.action_id', '=', 'a.id')
            .where('m.due_date', '<', today)
            .as('overdue'),
          // Not `exists (…)`: PostgreSQL may answer that by scanning every update of every
          // plan for the month (it did, 40 ms, before its statistics were gathered); a
          // subquery with a limit is always looked up through the action's index. Newest
          // first, as the round's update is usually among the latest: found at once, rather
          // than after reading the action's whole history.
          eb
            .selectFrom('action_updates as r')
            .select('r.id')
            .whereRef('r.action_id', '=', 'a.id')
            .where('r.month', '=', round?.month ?? '')
            .orderBy('r.id', 'desc')
            .limit(1)
            .as('updateInRound'),
        ])
        .where('a.plan_id', '=', row.id)
        .orderBy('a.position')
        .orderBy('a.id')
        .execute(),
      loadLeads(db, row.id),
    ]);

    const all: OverviewAction[] = actionRows.map((a) => {
      const s = (a.status ?? 'not-started') as Status;
      return {
        id: a.id,
        themeId: a.theme_id,
        number: a.number,
        title: a.title,
        leads: leads.get(a.id) ?? [],
        status: s,
        overdue: s === 'complete' ? 0 : (a.overdue ?? 0),
        updatedInRound: round !== undefined && a.updateInRound !== null,
      };
    });
    const status = STATUSES.find((s) => s === filters.status);
    const themes: OverviewTheme[] = themeRows
      .filter((t) => !filters.theme || String(t.id) === filters.theme)
      .map((t) => {
        const actions = all
          .filter(
            (a) =>
              a.themeId === t.id &&
              (!status || a.status === status) &&
              (!filters.lead || a.leads.some((l) => `${l.type}:${l.id}` === filters.lead)),
          )
          .sort(byNumber);
        return {
          theme: { id: t.id, type: t.type as ThemeType, title: t.title },
          counts: countByReportGroup(actions.map((a) => a.status)),
          overdue: actions.reduce((n, a) => n + a.overdue, 0),
          notUpdated: round ? actions.filter((a) => !a.updatedInRound).length : 0,
          actions,
        };
      });
    const leadNames = new Map<string, string>();
    for (const a of all) for (const l of a.leads) leadNames.set(`${l.type}:${l.id}`, l.name);
    const plan: PlanSummary & { themes: OverviewTheme['theme'][] } = {
      ...toSummary(row),
      themes: themeRows.map((t) => ({ id: t.id, type: t.type as ThemeType, title: t.title })),
    };
    return {
      partnership: { slug: p.slug, name: p.name },
      plan,
      canManage: canManagePartnership(actor, p),
      round: round ? { ...round, monthLabel: monthLabel(round.month) } : null,
      themes,
      leadOptions: [...leadNames]
        .map(([value, text]) => ({ value, text }))
        .sort((a, b) => a.text.localeCompare(b.text)),
    };
  }

  /** Every milestone of the plan, in the plan's order of actions. */
  async milestones(
    actor: Actor,
    slug: string,
    planId: number,
    today = todayIso(),
  ): Promise<PlanMilestone[]> {
    const p = await this.partnerships.readable(actor, slug);
    const plan = await loadPlan(this.db, await findPlanRow(this.db, p.id, planId));
    return plan.themes.flatMap((t) =>
      t.actions.flatMap((a) => {
        const status = a.latest?.status ?? 'not-started';
        return a.milestones.map((m) => ({
          ...m,
          actionId: a.id,
          actionNumber: a.number,
          actionTitle: a.title,
          actionStatus: status,
          leads: a.leads,
          overdue: isOverdue(m, status, today),
        }));
      }),
    );
  }
}
