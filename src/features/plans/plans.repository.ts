import type { Insertable, Selectable } from 'kysely';
import type { z } from 'zod';
import { NotFoundError } from '../../core/errors.js';
import { fieldError } from '../../core/form-errors.js';
import { nowIso, type DbOrTrx } from '../../db/database.js';
import type { Status } from '../../domain/statuses.js';
import { messages, type newPlanSchema, type PlanStatus, type ThemeType } from './plans.schemas.js';
import type { PlanRow, PlansTable } from './plans.table.js';
import type { ActionRow, MilestonesTable } from './actions.table.js';

export interface Lead {
  type: 'agency' | 'group';
  id: number;
  name: string;
}

export interface Milestone {
  text: string;
  timescale: string;
  dueDate: string | null;
  /** Set when the timescale could not be read. */
  timescaleNote: string | null;
}

export interface PlanAction {
  id: number;
  themeId: number;
  number: string;
  title: string;
  desiredOutcome: string;
  /** Set when an imported file's milestones and timescales did not pair up. */
  milestoneNote: string | null;
  version: number;
  milestones: Milestone[];
  leads: Lead[];
  /** The latest progress update: the action's current state. */
  latest: { month: string; status: Status; narrative: string } | null;
}

export interface Theme {
  id: number;
  type: ThemeType;
  position: number;
  title: string;
  summary: string;
  version: number;
  priorityActions: string[];
  actions: PlanAction[];
}

export interface PlanSummary {
  id: number;
  title: string;
  periodLabel: string;
  periodStart: string;
  periodEnd: string;
  status: PlanStatus;
  updatedAt: string;
}

export interface Plan extends PlanSummary {
  introduction: string;
  background: string;
  delivery: string;
  performanceMonitoring: string;
  version: number;
  drivers: string[];
  risks: { risk: string; description: string }[];
  themes: Theme[];
}

export function toSummary(row: PlanRow): PlanSummary {
  return {
    id: row.id,
    title: row.title,
    periodLabel: row.period_label,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    status: row.status as PlanStatus,
    updatedAt: row.updated_at,
  };
}

/** The plan if it belongs to the partnership; otherwise 404, as if it did not exist. */
export async function findPlanRow(
  db: DbOrTrx,
  partnershipId: number,
  planId: number,
): Promise<PlanRow> {
  const row = await db
    .selectFrom('plans')
    .selectAll()
    .where('id', '=', planId)
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Plan');
  return row;
}

type Sections = Pick<
  Insertable<PlansTable>,
  'introduction' | 'background' | 'delivery' | 'performance_monitoring'
>;

/** A new draft plan, for a period the partnership has no plan for yet. */
export async function insertDraftPlan(
  db: DbOrTrx,
  partnershipId: number,
  values: z.output<typeof newPlanSchema>,
  sections: Sections = {},
): Promise<PlanRow> {
  const clash = await db
    .selectFrom('plans')
    .select('id')
    .where('partnership_id', '=', partnershipId)
    .where('period_label', '=', values.period.label)
    .executeTakeFirst();
  if (clash) throw fieldError('period', messages.periodTaken);
  const now = nowIso();
  return db
    .insertInto('plans')
    .values({
      partnership_id: partnershipId,
      title: values.title,
      period_label: values.period.label,
      period_start: values.period.start,
      period_end: values.period.end,
      status: 'draft',
      ...sections,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A plan's strategic drivers, in order. */
export async function loadDrivers(db: DbOrTrx, planId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('plan_drivers')
    .select('text')
    .where('plan_id', '=', planId)
    .orderBy('position')
    .execute();
  return rows.map((d) => d.text);
}

/** A plan's risk register, in order. */
export function loadRisks(db: DbOrTrx, planId: number): Promise<Plan['risks']> {
  return db
    .selectFrom('plan_risks')
    .select(['risk', 'description'])
    .where('plan_id', '=', planId)
    .orderBy('position')
    .execute();
}

/**
 * The whole plan in a fixed number of queries, whatever its size. Each action's latest update
 * is the latest posted; with `updatesUpTo` ('YYYY-MM'), the latest for that month or before.
 */
export async function loadPlan(db: DbOrTrx, row: PlanRow, updatesUpTo?: string): Promise<Plan> {
  const [drivers, risks, themes, bullets, actions, milestones, leads, latest] = await Promise.all([
    loadDrivers(db, row.id),
    loadRisks(db, row.id),
    db.selectFrom('themes').selectAll().where('plan_id', '=', row.id).orderBy('position').execute(),
    db
      .selectFrom('theme_priority_actions')
      .innerJoin('themes', 'themes.id', 'theme_priority_actions.theme_id')
      .select(['theme_priority_actions.theme_id', 'theme_priority_actions.text'])
      .where('themes.plan_id', '=', row.id)
      .orderBy('theme_priority_actions.position')
      .execute(),
    db
      .selectFrom('actions')
      .selectAll()
      .where('plan_id', '=', row.id)
      .orderBy('position')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('milestones')
      .innerJoin('actions', 'actions.id', 'milestones.action_id')
      .selectAll('milestones')
      .where('actions.plan_id', '=', row.id)
      .orderBy('milestones.position')
      .execute(),
    loadLeads(db, row.id),
    db
      .selectFrom('action_updates')
      .select(['action_id', 'month', 'status', 'narrative'])
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('action_updates as u')
          .innerJoin('actions', 'actions.id', 'u.action_id')
          .select((x) => x.fn.max('u.id').as('id'))
          .where('actions.plan_id', '=', row.id)
          .$if(updatesUpTo !== undefined, (q) => q.where('u.month', '<=', updatesUpTo ?? ''))
          .groupBy('u.action_id'),
      )
      .execute(),
  ]);

  const byAction = new Map<number, PlanAction>();
  const planActions: PlanAction[] = actions.map((a) => {
    const action = toPlanAction(a, leads.get(a.id) ?? []);
    byAction.set(a.id, action);
    return action;
  });
  for (const u of latest) {
    const action = byAction.get(u.action_id);
    if (action) action.latest = toLatest(u);
  }
  for (const m of milestones) byAction.get(m.action_id)?.milestones.push(toMilestone(m));

  return {
    ...toSummary(row),
    introduction: row.introduction,
    background: row.background,
    delivery: row.delivery,
    performanceMonitoring: row.performance_monitoring,
    version: row.version,
    drivers,
    risks,
    themes: themes.map((t) => ({
      id: t.id,
      type: t.type as ThemeType,
      position: t.position,
      title: t.title,
      summary: t.summary,
      version: t.version,
      priorityActions: bullets.filter((b) => b.theme_id === t.id).map((b) => b.text),
      actions: planActions.filter((a) => a.themeId === t.id).sort(byNumber),
    })),
  };
}

function toPlanAction(a: ActionRow, leads: Lead[]): PlanAction {
  return {
    id: a.id,
    themeId: a.theme_id,
    number: a.number,
    title: a.title,
    desiredOutcome: a.desired_outcome,
    milestoneNote: a.milestone_note,
    version: a.version,
    milestones: [],
    leads,
    latest: null,
  };
}

function toMilestone(m: Selectable<MilestonesTable>): Milestone {
  return {
    text: m.text,
    timescale: m.timescale,
    dueDate: m.due_date,
    timescaleNote: m.timescale_note,
  };
}

function toLatest(u: { month: string; status: string; narrative: string }): PlanAction['latest'] {
  return { month: u.month, status: u.status as Status, narrative: u.narrative };
}

/**
 * Every action's lead bodies in one statement, for a plan or (with `actionId`) one action:
 * agencies first, then groups, each by name.
 */
export async function loadLeads(
  db: DbOrTrx,
  planId: number,
  actionId?: number,
): Promise<Map<number, Lead[]>> {
  let query = db
    .selectFrom('action_leads as l')
    .innerJoin('actions as a', 'a.id', 'l.action_id')
    .leftJoin('agencies as ag', 'ag.id', 'l.agency_id')
    .leftJoin('groups as g', 'g.id', 'l.group_id')
    .select([
      'l.action_id',
      'ag.id as agencyId',
      'ag.name as agency',
      'g.id as groupId',
      'g.name as group',
    ])
    .where('a.plan_id', '=', planId);
  if (actionId !== undefined) query = query.where('l.action_id', '=', actionId);
  const leads = (await query.execute()).flatMap((l): (Lead & { actionId: number })[] => {
    if (l.agencyId !== null && l.agency !== null)
      return [{ actionId: l.action_id, type: 'agency', id: l.agencyId, name: l.agency }];
    if (l.groupId !== null && l.group !== null)
      return [{ actionId: l.action_id, type: 'group', id: l.groupId, name: l.group }];
    return [];
  });
  leads.sort((a, b) =>
    a.type !== b.type
      ? a.type === 'agency'
        ? -1
        : 1
      : a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : 0,
  );
  const byAction = new Map<number, Lead[]>();
  for (const { actionId: id, ...lead } of leads) {
    const list = byAction.get(id);
    if (list) list.push(lead);
    else byAction.set(id, [lead]);
  }
  return byAction;
}

/** One action of a plan with its milestones, leads and latest update, in four statements. */
export async function loadAction(
  db: DbOrTrx,
  planId: number,
  actionId: number,
): Promise<PlanAction | undefined> {
  const row = await db
    .selectFrom('actions')
    .selectAll()
    .where('id', '=', actionId)
    .where('plan_id', '=', planId)
    .executeTakeFirst();
  if (!row) return undefined;
  const [milestones, leads, latest] = await Promise.all([
    db
      .selectFrom('milestones')
      .selectAll()
      .where('action_id', '=', row.id)
      .orderBy('position')
      .execute(),
    loadLeads(db, planId, row.id),
    db
      .selectFrom('action_updates')
      .select(['month', 'status', 'narrative'])
      .where('action_id', '=', row.id)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  const action = toPlanAction(row, leads.get(row.id) ?? []);
  action.milestones = milestones.map(toMilestone);
  action.latest = latest ? toLatest(latest) : null;
  return action;
}

/** 1.2 before 1.10: numbers compare part by part. */
export function byNumber(a: { number: string }, b: { number: string }): number {
  const [a1, a2] = a.number.split('.').map(Number);
  const [b1, b2] = b.number.split('.').map(Number);
  return (a1 ?? 0) - (b1 ?? 0) || (a2 ?? 0) - (b2 ?? 0);
}

/** How much hangs from one action, a theme's actions or a plan's: what deleting it takes. */
export async function partCounts(
  db: DbOrTrx,
  scope: 'action' | 'theme' | 'plan',
  id: number,
): Promise<{ actions: number; milestones: number; updates: number }> {
  const column = (
    { action: 'actions.id', theme: 'actions.theme_id', plan: 'actions.plan_id' } as const
  )[scope];
  const [actions, milestones, updates] = await Promise.all([
    db
      .selectFrom('actions')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where(column, '=', id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('milestones')
      .innerJoin('actions', 'actions.id', 'milestones.action_id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where(column, '=', id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('action_updates')
      .innerJoin('actions', 'actions.id', 'action_updates.action_id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where(column, '=', id)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    actions: Number(actions.n),
    milestones: Number(milestones.n),
    updates: Number(updates.n),
  };
}

/** Every progress update of the actions, oldest first, as the audit trail keeps them. */
export async function updateHistory(db: DbOrTrx, actionIds: number[]) {
  if (!actionIds.length) return new Map<number, unknown[]>();
  const rows = await db
    .selectFrom('action_updates')
    .select(['action_id', 'month', 'status', 'narrative', 'author_label', 'created_at'])
    .where('action_id', 'in', actionIds)
    .orderBy('id')
    .execute();
  const byAction = new Map<number, unknown[]>();
  for (const r of rows) {
    const list = byAction.get(r.action_id) ?? [];
    list.push({
      month: r.month,
      status: r.status,
      narrative: r.narrative,
      author: r.author_label,
      createdAt: r.created_at,
    });
    byAction.set(r.action_id, list);
  }
  return byAction;
}
