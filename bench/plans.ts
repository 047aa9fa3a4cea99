import { sql } from 'kysely';
import { COMMAND_LINE } from '../src/core/actor.js';
import type { Status } from '../src/domain/statuses.js';
import { readTimescale } from '../src/domain/timescales.js';
import { readPlanPeriod } from '../src/features/plans/plans.schemas.js';
import type { Services } from '../src/services.js';
import { bulkInsert, type BulkRows, type Cell } from './bulk.js';
import { account } from './fixtures.js';

/**
 * Many partnerships' plans, a couple of years into their life: every action updated every
 * month. Loaded in bulk, in one transaction: through the services one by one, 288,000 updates
 * would take longer than the benchmark itself.
 */

export interface PlanShape {
  partnerships: number;
  actionsPerPlan: number;
  /** Monthly updates per action, from the plan's first month. */
  months: number;
}

export const BENCH_PLANS: PlanShape = { partnerships: 300, actionsPerPlan: 40, months: 24 };
/** The same plan, small: the pages must run as many statements for it as for a large one. */
export const SMALL_PLAN_ACTIONS = 5;

export const PLANNER = 'pat.planner@bench.example.org';
const SLUG_PREFIX = 'bench-plans-';
const SMALL_SLUG = `${SLUG_PREFIX}small`;

export interface PlanPages {
  /** A plan of `actionsPerPlan` actions in the middle of the others, and one of its actions. */
  large: { slug: string; planId: number; actionId: number; actions: number };
  small: { slug: string; planId: number; actionId: number; actions: number };
}

const THEMES: [type: 'priority' | 'cross-cutting', title: string][] = [
  ['priority', 'Domestic abuse'],
  ['priority', 'Crime and serious violence'],
  ['priority', 'Anti-social behaviour'],
  ['priority', 'Supporting vulnerable people'],
  ['cross-cutting', 'Reducing reoffending'],
  ['cross-cutting', 'Communication and training'],
  ['cross-cutting', 'Young people'],
];
const AGENCIES: [name: string, kind: string][] = [
  ['Plan Bench Council', 'council'],
  ['Plan Bench Police', 'police'],
  ['Plan Bench Fire and Rescue', 'fire'],
  ['Plan Bench Probation', 'probation'],
  ['Plan Bench Health Board', 'health'],
  ['Plan Bench Housing', 'housing'],
];
const GROUPS: [name: string, kind: string][] = [
  ['Executive Group', 'executive'],
  ['Domestic Abuse Group', 'sub-group'],
  ['Weekly Tasking Group', 'other'],
];
const TIMESCALES = [
  'By March 24',
  'Quarterly (April, July, October and January)',
  'Sept 23',
  'Ongoing',
  'Summer 24',
  'By June 24',
  'As required',
  'When funding is confirmed',
];
const STATUSES: Status[] = ['in-progress', 'in-progress', 'complete', 'on-hold', 'off-track'];
const NOW = '2025-04-01T09:00:00.000Z';
const PARAGRAPH =
  'Partners agreed this section at the executive meeting after reading the strategic assessment, which draws together police, council and health figures with what residents said in the autumn survey.';

const pad = (n: number) => String(n).padStart(3, '0');
const text = (paragraphs: number) => Array<string>(paragraphs).fill(PARAGRAPH).join('\n\n');

/** 'YYYY-MM' for the nth month after April of `year`. */
function month(year: number, n: number): string {
  const m = 3 + n; // April is month index 3
  return `${year + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
}

async function maxIds(s: Services, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{
      max: number | string | null;
    }>`select max(id) as max from ${sql.table(table)}`.execute(s.db);
    out[table] = Number(rows[0]?.max ?? 0);
  }
  return out;
}

class Rows {
  readonly batches = new Map<string, BulkRows>();
  private readonly next: Record<string, number>;

  constructor(start: Record<string, number>) {
    this.next = { ...start };
  }

  table(table: string, columns: BulkRows['columns'], hasId = true): void {
    this.batches.set(table, { table, columns, rows: [], hasId });
  }

  /** Adds a row and returns its id (the row's first cell, when the table has one). */
  add(table: string, cells: Cell[]): number {
    const batch = this.batches.get(table);
    if (!batch) throw new Error(`no table ${table}`);
    if (!batch.hasId) {
      batch.rows.push(cells);
      return 0;
    }
    const id = (this.next[table] ?? 0) + 1;
    this.next[table] = id;
    batch.rows.push([id, ...cells]);
    return id;
  }
}

const int = 'integer' as const;
const txt = 'text' as const;

/** Builds every row for the plans, then loads them in one transaction. */
export async function seedPlans(s: Services, shape: PlanShape): Promise<PlanPages> {
  const tables = [
    'agencies',
    'partnerships',
    'groups',
    'group_members',
    'plans',
    'plan_drivers',
    'plan_risks',
    'themes',
    'theme_priority_actions',
    'actions',
    'milestones',
    'action_leads',
    'action_updates',
    'update_rounds',
  ];
  const r = new Rows(await maxIds(s, tables));
  r.table('agencies', [
    ['id', int],
    ['name', txt],
    ['kind', txt],
    ['created_at', txt],
    ['updated_at', txt],
  ]);
  r.table('partnerships', [
    ['id', int],
    ['slug', txt],
    ['name', txt],
    ['type', txt],
    ['parent_id', int],
    ['created_at', txt],
    ['updated_at', txt],
  ]);
  r.table(
    'partnership_agencies',
    [
      ['partnership_id', int],
      ['agency_id', int],
      ['created_at', txt],
    ],
    false,
  );
  r.table('groups', [
    ['id', int],
    ['partnership_id', int],
    ['name', txt],
    ['kind', txt],
    ['key_functions', txt],
    ['meeting_frequency', txt],
    ['created_at', txt],
    ['updated_at', txt],
  ]);
  r.table('group_members', [
    ['id', int],
    ['group_id', int],
    ['agency_id', int],
    ['user_id', int],
    ['created_at', txt],
  ]);
  r.table('plans', [
    ['id', int],
    ['partnership_id', int],
    ['title', txt],
    ['period_label', txt],
    ['period_start', txt],
    ['period_end', txt],
    ['status', txt],
    ['introduction', txt],
    ['background', txt],
    ['delivery', txt],
    ['performance_monitoring', txt],
    ['created_at', txt],
    ['updated_at', txt],
  ]);
  r.table('plan_drivers', [
    ['id', int],
    ['plan_id', int],
    ['position', int],
    ['text', txt],
  ]);
  r.table('plan_risks', [
    ['id', int],
    ['plan_id', int],
    ['position', int],
    ['risk', txt],
    ['description', txt],
  ]);
  r.table('themes', [
    ['id', int],
    ['plan_id', int],
    ['type', txt],
    ['position', int],
    ['title', txt],
    ['summary', txt],
    ['created_at', txt],
    ['updated_at', txt],
  ]);
  r.table('theme_priority_actions', [
    ['id', int],
    ['theme_id', int],
    ['position', int],
    ['text', txt],
  ]);
  r.table('actions', [
    ['id', int],
    ['plan_id', int],
    ['theme_id', int],
    ['number', txt],
    ['position', int],
    ['title', txt],
    ['desired_outcome', txt],
    ['created_at', txt],
    ['updated_at', txt],
  ]);
  r.table('milestones', [
    ['id', int],
    ['action_id', int],
    ['position', int],
    ['text', txt],
    ['timescale', txt],
    ['due_date', txt],
    ['timescale_note', txt],
  ]);
  r.table('action_leads', [
    ['id', int],
    ['action_id', int],
    ['agency_id', int],
    ['group_id', int],
  ]);
  r.table('action_updates', [
    ['id', int],
    ['action_id', int],
    ['month', txt],
    ['status', txt],
    ['narrative', txt],
    ['author_user_id', int],
    ['author_label', txt],
    ['created_at', txt],
  ]);
  r.table('update_rounds', [
    ['id', int],
    ['plan_id', int],
    ['month', txt],
    ['deadline', txt],
    ['created_at', txt],
    ['closed_at', txt],
  ]);

  const agencyIds = AGENCIES.map(([name, kind]) => r.add('agencies', [name, kind, NOW, NOW]));
  const firstYear = 2023;
  const years = Math.max(1, Math.ceil(shape.months / 12));
  const period = readPlanPeriod(
    years === 1 ? `${firstYear}/${(firstYear + 1) % 100}` : `${firstYear} to ${firstYear + years}`,
  );
  if ('error' in period) throw new Error(period.error);

  const addPartnership = (slug: string, name: string, actionCount: number) => {
    const partnershipId = r.add('partnerships', [slug, name, 'district', null, NOW, NOW]);
    for (const agencyId of agencyIds) r.add('partnership_agencies', [partnershipId, agencyId, NOW]);
    const groupIds = GROUPS.map(([groupName, kind], g) => {
      const groupId = r.add('groups', [
        partnershipId,
        groupName,
        kind,
        'Meets',
        'Monthly',
        NOW,
        NOW,
      ]);
      for (const agencyId of [agencyIds[g], agencyIds[g + 1]])
        r.add('group_members', [groupId, agencyId ?? null, null, NOW]);
      return groupId;
    });
    const planId = r.add('plans', [
      partnershipId,
      'Community Safety Plan',
      period.label,
      period.start,
      period.end,
      'adopted',
      text(2),
      text(2),
      text(4),
      text(1),
      NOW,
      NOW,
    ]);
    for (let i = 1; i <= 6; i++) r.add('plan_drivers', [planId, i, `Driver ${i}: ${PARAGRAPH}`]);
    for (let i = 1; i <= 3; i++) r.add('plan_risks', [planId, i, `Risk ${i}`, PARAGRAPH]);
    const themeIds = THEMES.map(([type, title], t) => {
      const themeId = r.add('themes', [planId, type, t + 1, title, text(3), NOW, NOW]);
      for (let b = 1; b <= 3; b++)
        r.add('theme_priority_actions', [themeId, b, `Priority action ${b} for ${title}`]);
      return themeId;
    });
    const perTheme = new Array<number>(THEMES.length).fill(0);
    const actionIds: number[] = [];
    for (let i = 0; i < actionCount; i++) {
      const t = Math.floor((i * THEMES.length) / actionCount);
      perTheme[t] = (perTheme[t] ?? 0) + 1;
      const actionId = r.add('actions', [
        planId,
        themeIds[t] ?? 0,
        `${t + 1}.${perTheme[t]}`,
        i + 1,
        `Action ${i + 1}: work with partners on the part of the priority this action covers`,
        'Fewer victims, and residents who feel safer where they live',
        NOW,
        NOW,
      ]);
      actionIds.push(actionId);
      for (let m = 0; m < 3; m++) {
        const timescale = TIMESCALES[(i + m * 3) % TIMESCALES.length] ?? 'Ongoing';
        const read = readTimescale(timescale, { start: period.start });
        r.add('milestones', [
          actionId,
          m + 1,
          `Milestone ${m + 1} of action ${i + 1}`,
          timescale,
          read.due,
          read.unread,
        ]);
      }
      r.add('action_leads', [actionId, agencyIds[i % agencyIds.length] ?? null, null]);
      if (i % 3 === 0)
        r.add('action_leads', [actionId, null, groupIds[i % groupIds.length] ?? null]);
      for (let m = 0; m < shape.months; m++) {
        const status = m < 2 ? 'not-started' : (STATUSES[(i + m) % STATUSES.length] ?? 'complete');
        r.add('action_updates', [
          actionId,
          month(firstYear, m),
          status,
          `Update ${m + 1}: ${PARAGRAPH.slice(0, 60 + ((i * 7 + m * 13) % 120))}`,
          null,
          'Plan Bench Lead',
          `${month(firstYear, m)}-10T09:00:00.000Z`,
        ]);
      }
    }
    // Quarterly rounds; all but the latest are closed.
    for (let m = 2; m < shape.months; m += 3) {
      const reporting = month(firstYear, m);
      const last = m + 3 >= shape.months;
      r.add('update_rounds', [planId, reporting, `${reporting}-28`, NOW, last ? null : NOW]);
    }
    return { slug, planId, actionIds, actions: actionCount };
  };

  const plans = [];
  for (let n = 1; n <= shape.partnerships; n++) {
    plans.push(
      addPartnership(
        `${SLUG_PREFIX}${pad(n)}`,
        `Plan Bench ${pad(n)} Community Safety Partnership`,
        shape.actionsPerPlan,
      ),
    );
  }
  const small = addPartnership(
    SMALL_SLUG,
    'Plan Bench Small Community Safety Partnership',
    SMALL_PLAN_ACTIONS,
  );
  await bulkInsert(s.config.databaseUrl, [...r.batches.values()]);

  const large = plans[Math.floor(plans.length / 2)] ?? small;
  // The planner coordinates a large plan's partnership and the small one's, and no other.
  await account(s, PLANNER, 'Pat Planner');
  for (const slug of [large.slug, small.slug])
    await s.members.addMember(COMMAND_LINE, slug, { email: PLANNER, role: 'coordinator' });
  const page = (p: typeof small) => ({
    slug: p.slug,
    planId: p.planId,
    // An action in the middle of the plan, not the first row the database comes to.
    actionId: p.actionIds[Math.floor(p.actionIds.length / 2)] ?? 0,
    actions: p.actions,
  });
  return { large: page(large), small: page(small) };
}

let seeded: Promise<PlanPages> | undefined;

/** Seeds the plans once for every scenario that needs them. */
export function ensurePlans(s: Services): Promise<PlanPages> {
  seeded ??= seedPlans(s, BENCH_PLANS);
  return seeded;
}

export function plansSeeded(): Promise<PlanPages> {
  if (!seeded) throw new Error('the plan scenarios are prepared after they are seeded');
  return seeded;
}
