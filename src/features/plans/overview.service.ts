import type { Actor } from '../../core/actor.js';
import { canManagePartnership } from '../../core/actor.js';
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/database.js';
import { monthLabel } from '../../domain/periods.js';
import {
  STATUSES,
  countByReportGroup,
  type ReportGroup,
  type Status,
} from '../../domain/statuses.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import {
  findPlanRow,
  loadPlan,
  type Lead,
  type Milestone,
  type PlanAction,
  type Theme,
} from './plans.repository.js';

export interface OverviewFilters {
  lead?: string;
  status?: string;
  theme?: string;
}

export interface OverviewAction extends PlanAction {
  /** The latest update's status; an action never updated has not started. */
  status: Status;
  overdue: number;
  updatedInRound: boolean;
}

export interface OverviewTheme {
  theme: Theme;
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

/** Where the plan stands: per theme, the three exception-report groups and what is late. */
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
    today = nowIso().slice(0, 10),
  ) {
    const p = await this.partnerships.readable(actor, slug);
    const row = await findPlanRow(this.db, p.id, planId);
    const [plan, round] = await Promise.all([
      loadPlan(this.db, row),
      this.db
        .selectFrom('update_rounds')
        .selectAll()
        .where('plan_id', '=', row.id)
        .where('closed_at', 'is', null)
        .orderBy('month', 'desc')
        .executeTakeFirst(),
    ]);
    const updated = new Set(
      round
        ? (
            await this.db
              .selectFrom('action_updates')
              .innerJoin('actions', 'actions.id', 'action_updates.action_id')
              .select('action_updates.action_id')
              .where('actions.plan_id', '=', row.id)
              .where('action_updates.month', '=', round.month)
              .execute()
          ).map((u) => u.action_id)
        : [],
    );
    const status = STATUSES.find((s) => s === filters.status);
    const themes: OverviewTheme[] = plan.themes
      .filter((t) => !filters.theme || String(t.id) === filters.theme)
      .map((theme) => {
        const all: OverviewAction[] = theme.actions.map((a) => {
          const s = a.latest?.status ?? 'not-started';
          return {
            ...a,
            status: s,
            overdue: a.milestones.filter((m) => isOverdue(m, s, today)).length,
            updatedInRound: updated.has(a.id),
          };
        });
        const actions = all.filter(
          (a) =>
            (!status || a.status === status) &&
            (!filters.lead || a.leads.some((l) => `${l.type}:${l.id}` === filters.lead)),
        );
        return {
          theme,
          counts: countByReportGroup(actions.map((a) => a.status)),
          overdue: actions.reduce((n, a) => n + a.overdue, 0),
          notUpdated: round ? actions.filter((a) => !a.updatedInRound).length : 0,
          actions,
        };
      });
    const leads = new Map<string, string>();
    for (const a of plan.themes.flatMap((t) => t.actions))
      for (const l of a.leads) leads.set(`${l.type}:${l.id}`, l.name);
    return {
      plan,
      canManage: canManagePartnership(actor, p),
      round: round ? { ...round, monthLabel: monthLabel(round.month) } : null,
      themes,
      leadOptions: [...leads]
        .map(([value, text]) => ({ value, text }))
        .sort((a, b) => a.text.localeCompare(b.text)),
    };
  }

  /** Every milestone of the plan, in the plan's order of actions. */
  async milestones(
    actor: Actor,
    slug: string,
    planId: number,
    today = nowIso().slice(0, 10),
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
