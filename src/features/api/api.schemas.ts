import { z } from 'zod';
import { ROLES } from '../../core/actor.js';
import { STATUSES } from '../../domain/statuses.js';
import { AGENCY_KINDS } from '../agencies/agencies.schemas.js';
import { GROUP_KINDS } from '../groups/groups.schemas.js';
import { COMPARISON_BASES } from '../indicators/indicators.schemas.js';
import { DIRECTION_LABELS, POLARITIES, type Direction } from '../../domain/change.js';
import { UNITS } from '../../domain/figures.js';
import { PARTNERSHIP_TYPES } from '../partnerships/partnerships.schemas.js';
import { PLAN_STATUSES, THEME_TYPES } from '../plans/plans.schemas.js';

/**
 * What the API answers with. Every answer is parsed through its schema before it is sent, so
 * the OpenAPI document describes exactly what goes out, and a field a service adds later does
 * not reach API callers until it is added here.
 */
export const apiSchemas = z.registry<{ id: string }>();

const id = z.int().positive();
const when = z.iso.datetime();
const day = z.iso.date();
const month = z
  .string()
  .regex(/^\d{4}-\d{2}$/)
  .meta({ description: 'A month, like 2024-09' });
const role = z.enum(ROLES);
const status = z.enum(STATUSES);
const ref = z.object({ slug: z.string(), name: z.string() });

export const PartnershipSummary = z.object({
  id,
  slug: z.string(),
  name: z.string(),
  type: z.enum(PARTNERSHIP_TYPES),
  parentId: id.nullable(),
  role: role.nullable().meta({ description: 'Your role in the partnership, if you are a member' }),
});
apiSchemas.add(PartnershipSummary, { id: 'PartnershipSummary' });

export const Partnership = PartnershipSummary.extend({
  parent: ref.nullable(),
  districts: z.array(ref),
  areas: z.array(z.string()).meta({ description: 'ONS codes of the districts covered' }),
  canManage: z.boolean(),
  createdAt: when,
  updatedAt: when,
});
apiSchemas.add(Partnership, { id: 'Partnership' });

export const Member = z.object({
  userId: id,
  name: z.string(),
  email: z.email(),
  agency: z.string(),
  role,
  since: when,
  status: z.enum(['active', 'invited', 'disabled']),
});
apiSchemas.add(Member, { id: 'Member' });

export const AddedMember = Member.extend({
  signInLink: z.string().optional().meta({
    description: 'Only when the person had no account: a one-time link to set their password',
  }),
});
apiSchemas.add(AddedMember, { id: 'AddedMember' });

export const Agency = z.object({ id, name: z.string(), kind: z.enum(AGENCY_KINDS) });
apiSchemas.add(Agency, { id: 'Agency' });

export const Group = z.object({
  id,
  name: z.string(),
  kind: z.enum(GROUP_KINDS),
  keyFunctions: z.string(),
  meetingFrequency: z.string(),
  memberCount: z.int().nonnegative(),
});
apiSchemas.add(Group, { id: 'Group' });

export const GroupDetail = Group.extend({
  members: z.array(
    z.object({
      id,
      type: z.enum(['agency', 'person']),
      refId: id.meta({ description: 'The agency’s or the person’s id' }),
      name: z.string(),
      detail: z.string().meta({ description: 'The agency’s kind, or the person’s agency' }),
    }),
  ),
  canEdit: z.boolean(),
  canManage: z.boolean(),
});
apiSchemas.add(GroupDetail, { id: 'GroupDetail' });

export const Me = z.object({
  id,
  name: z.string(),
  email: z.email(),
  agency: z.object({ id, name: z.string() }),
  isAdmin: z.boolean(),
  memberships: z.array(ref.extend({ role })),
});
apiSchemas.add(Me, { id: 'Me' });

export const PlanSummary = z.object({
  id,
  title: z.string(),
  periodLabel: z.string().meta({ description: 'Like 2024/25, or 2016 to 2020' }),
  periodStart: day,
  periodEnd: day,
  status: z.enum(PLAN_STATUSES),
  updatedAt: when,
});
apiSchemas.add(PlanSummary, { id: 'PlanSummary' });

export const LEAD_TYPES = ['agency', 'group'] as const;

export const Lead = z.object({ type: z.enum(LEAD_TYPES), id, name: z.string() });
apiSchemas.add(Lead, { id: 'Lead' });

export const Milestone = z.object({
  text: z.string(),
  timescale: z.string().meta({ description: 'As written in the plan' }),
  dueDate: day.nullable().meta({ description: 'Read from the timescale where its words allow' }),
  timescaleNote: z
    .string()
    .nullable()
    .meta({ description: 'Set when the timescale could not be read: the words that were not' }),
});
apiSchemas.add(Milestone, { id: 'Milestone' });

export const Action = z.object({
  id,
  themeId: id,
  number: z.string().meta({ description: 'Like 1.2' }),
  title: z.string(),
  desiredOutcome: z.string(),
  version: z.int().positive().meta({
    description: 'Send it back with a change, so a change made meanwhile is not overwritten',
  }),
  milestones: z.array(Milestone),
  leads: z.array(Lead),
  latest: z
    .object({ month, status, narrative: z.string() })
    .nullable()
    .meta({ description: 'The latest progress update: where the action stands' }),
});
apiSchemas.add(Action, { id: 'Action' });

export const Theme = z.object({
  id,
  type: z.enum(THEME_TYPES),
  title: z.string(),
  summary: z.string(),
  priorityActions: z.array(z.string()),
  version: z.int().positive().meta({
    description: 'Send it back with a change, so a change made meanwhile is not overwritten',
  }),
});
apiSchemas.add(Theme, { id: 'Theme' });

export const Plan = PlanSummary.extend({
  introduction: z.string(),
  background: z.string(),
  delivery: z.string(),
  performanceMonitoring: z.string(),
  version: z.int().positive(),
  drivers: z.array(z.string()),
  risks: z.array(z.object({ risk: z.string(), description: z.string() })),
  themes: z.array(Theme.extend({ actions: z.array(Action) })).meta({
    description: 'Priorities and cross-cutting themes in the plan’s order, each with its actions',
  }),
  canManage: z.boolean(),
});
apiSchemas.add(Plan, { id: 'Plan' });

export const PlanMilestone = Milestone.extend({
  actionId: id,
  actionNumber: z.string(),
  actionTitle: z.string(),
  actionStatus: status.meta({
    description: 'From the action’s latest update; not-started when it has none',
  }),
  leads: z.array(Lead),
  overdue: z.boolean().meta({
    description: 'Due before today and the action not complete',
  }),
});
apiSchemas.add(PlanMilestone, { id: 'PlanMilestone' });

export const ActionUpdate = z.object({
  id,
  month,
  status,
  narrative: z.string(),
  author: z.string(),
  createdAt: when,
});
apiSchemas.add(ActionUpdate, { id: 'ActionUpdate' });

export const Round = z.object({
  id,
  month: month.meta({ description: 'The month the updates are for, like 2024-09' }),
  deadline: day.meta({ description: 'When the updates are due' }),
  closedAt: when.nullable().meta({
    description: 'When a coordinator closed the round; null while it is open and asking leads',
  }),
});
apiSchemas.add(Round, { id: 'Round' });

export const RoundAction = z.object({
  actionId: id,
  number: z.string(),
  title: z.string(),
  leads: z.array(Lead),
  updated: z.boolean().meta({ description: 'Whether the action has an update for the month' }),
  update: z
    .object({ status, narrative: z.string() })
    .nullable()
    .meta({ description: 'The update for the month, if there is one' }),
  reminders: z.int().nonnegative().meta({ description: 'Reminders recorded for the round' }),
});
apiSchemas.add(RoundAction, { id: 'RoundAction' });

export const RoundDetail = Round.extend({
  counts: z.object({
    actions: z.int().nonnegative(),
    updated: z.int().nonnegative(),
    notUpdated: z.int().nonnegative(),
  }),
  actions: z.array(RoundAction).meta({
    description: 'Every action of the plan in its order, and whether it has been updated',
  }),
});
apiSchemas.add(RoundDetail, { id: 'RoundDetail' });

const count = z.int().nonnegative();

export const ReportCounts = z
  .object({ complete: count, inProgress: count, notStartedOrOffTrack: count })
  .meta({
    description:
      'Actions in the three groups exception reports count; on hold counts as not started',
  });
apiSchemas.add(ReportCounts, { id: 'ReportCounts' });

export const PlanOverview = z.object({
  planId: id,
  round: Round.nullable().meta({
    description: 'The current update round: the latest still open; null when none is',
  }),
  leads: z.array(Lead).meta({ description: 'Every lead of the plan’s actions, to filter by' }),
  themes: z.array(
    z.object({
      id,
      type: z.enum(THEME_TYPES),
      title: z.string(),
      counts: ReportCounts,
      overdueMilestones: count,
      notUpdated: count.nullable().meta({
        description: 'Actions with no update for the current round; null when no round is open',
      }),
      actions: z.array(
        z.object({
          id,
          number: z.string(),
          title: z.string(),
          status: status.meta({
            description: 'From the latest update; not-started when there is none',
          }),
          leads: z.array(Lead),
          overdueMilestones: count,
          updatedInRound: z.boolean().nullable().meta({
            description: 'Whether it has an update for the current round; null when none is open',
          }),
        }),
      ),
    }),
  ),
});
apiSchemas.add(PlanOverview, { id: 'PlanOverview' });

export const PlanImport = z.object({
  plan: PlanSummary,
  counts: z.object({
    themes: count,
    actions: count,
    milestones: count,
    unreadTimescales: count.meta({
      description: 'Milestones whose timescale gave no due date: worth a look',
    }),
    mismatchedMilestones: count.meta({
      description: 'Actions whose milestones and timescales did not pair up: kept, and flagged',
    }),
    updates: count,
  }),
  createdGroups: z.array(z.string()).meta({
    description: 'Lead bodies the partnership did not know, created as groups',
  }),
});
apiSchemas.add(PlanImport, { id: 'PlanImport' });

const figure = z
  .string()
  .regex(/^\d+(\.\d+)?$/)
  .meta({
    description:
      'A figure as exact decimal text, like "1234" or "27.3": no thousands separators, never rounded',
  });

export const IndicatorTheme = z.object({
  id,
  title: z.string(),
  type: z.enum(THEME_TYPES),
  planId: id,
  planTitle: z.string(),
  periodLabel: z.string(),
});
apiSchemas.add(IndicatorTheme, { id: 'IndicatorTheme' });

export const Indicator = z.object({
  id,
  name: z.string(),
  source: z.string(),
  unit: z.enum(UNITS),
  noun: z
    .string()
    .meta({ description: 'The word used in change sentences, like incidents; may be empty' }),
  polarity: z.enum(POLARITIES).meta({ description: 'What an increase means' }),
  notes: z.string(),
  theme: IndicatorTheme.nullable(),
  crimeType: z.string().nullable().default(null).meta({
    description:
      'The police.uk crime type (or All crime) the monthly figures are filled from; null when entered by hand or imported',
  }),
});
apiSchemas.add(Indicator, { id: 'Indicator' });

export const IndicatorFigures = z.object({
  months: z.array(z.object({ month, value: figure })),
  totals: z.array(z.object({ endMonth: month, value: figure })).meta({
    description:
      '12-month totals as sources publish them: each covers the 12 months ending at endMonth and is used for them in place of their monthly figures',
  }),
});
apiSchemas.add(IndicatorFigures, { id: 'IndicatorFigures' });

export const IndicatorDetail = Indicator.extend({
  canManage: z.boolean(),
  figures: IndicatorFigures,
});
apiSchemas.add(IndicatorDetail, { id: 'IndicatorDetail' });

export const IndicatorImport = z.object({
  filename: z.string(),
  counts: z.object({
    indicators: count,
    newIndicators: count,
    values: count.meta({ description: 'Figures in the file: monthly values and 12-month totals' }),
    totals: count.meta({ description: 'How many of the figures are 12-month totals' }),
    added: count,
    changed: count,
    unchanged: count.meta({ description: 'Figures in the file already saved as they are' }),
  }),
  createdIndicators: z.array(z.string()),
});
apiSchemas.add(IndicatorImport, { id: 'IndicatorImport' });

const monthWindow = z.object({ from: month, to: month }).meta({
  description: 'A run of whole months, both ends included',
});

export const IndicatorComparison = z.object({
  basis: z.enum(COMPARISON_BASES),
  end: month.meta({ description: 'The last month compared to' }),
  previousWindow: monthWindow,
  currentWindow: monthWindow,
  previous: figure.nullable().meta({
    description: 'The previous window’s figure; null when the window is incomplete',
  }),
  current: figure.nullable().meta({
    description: 'The current window’s figure; null when the window is incomplete',
  }),
  complete: z.boolean().meta({ description: 'False when either window is incomplete' }),
  change: z.string().nullable().meta({
    description: 'Current less previous as exact decimal text, like -1231; null when incomplete',
  }),
  changePercent: z.string().nullable().meta({
    description:
      'The change as a percentage of the previous figure, one decimal place, like -32.3; null when incomplete or when the previous figure is 0',
  }),
  text: z.string().meta({
    description:
      'The change as the pages write it: "3.2% or 171 incident increase", "no change", "incomplete (10 of 12 months)"',
  }),
  direction: z
    .enum(Object.keys(DIRECTION_LABELS) as [Direction, ...Direction[]])
    .nullable()
    .meta({ description: 'Better or worse by the indicator’s polarity; null when incomplete' }),
});
apiSchemas.add(IndicatorComparison, { id: 'IndicatorComparison' });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    errors: z
      .array(
        z.object({
          field: z.string(),
          message: z.string(),
          row: z.int().positive().optional().meta({
            description:
              'In a refused file: the row, as the spreadsheet numbers it (the header is 1)',
          }),
          column: z.string().optional().meta({ description: 'In a refused file: the column' }),
        }),
      )
      .optional()
      .meta({ description: 'With 422: each rule the request broke, by field' }),
  })
  .meta({ description: 'An RFC 9457 problem document, the one shape of every error' });
apiSchemas.add(Problem, { id: 'Problem' });

const window = z.object({ from: month, to: month });
const figureOrNull = figure.nullable();

export const ReportIndicator = z.object({
  id,
  name: z.string(),
  source: z.string(),
  unit: z.enum(UNITS),
  noun: z.string(),
  polarity: z.enum(POLARITIES),
  previous: figureOrNull.meta({ description: 'The previous window’s figure; null if incomplete' }),
  current: figureOrNull.meta({ description: 'The current window’s figure; null if incomplete' }),
  previousText: z
    .string()
    .meta({ description: 'As the table shows it: 3,216 or incomplete (10 of 12 months)' }),
  currentText: z.string(),
  change: z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .nullable()
    .meta({
      description:
        'Current less previous as exact decimal text, like -1231; null if either is incomplete',
    }),
  changePercent: z.string().nullable().meta({
    description: 'One decimal place, half away from zero, like -32.3; null when there is none',
  }),
  text: z.string().meta({ description: 'The change as written: 3.2% or 171 increase' }),
  complete: z.boolean().meta({ description: 'Both windows have every figure they need' }),
  direction: z.enum(['better', 'worse', 'neutral', 'no-change']).nullable(),
  directionLabel: z.string().nullable(),
  flaggedMonths: z
    .array(z.object({ month, label: z.string(), why: z.string() }))
    .optional()
    .meta({
      description:
        'For an indicator filled from police.uk data, the months of either window the crime import flagged as looking incomplete, and why; absent in reports issued before flags were kept',
    }),
});
apiSchemas.add(ReportIndicator, { id: 'ReportIndicator' });

export const ReportAction = z.object({
  id,
  number: z.string(),
  title: z.string(),
  desiredOutcome: z.string(),
  milestones: z.array(z.object({ text: z.string(), timescale: z.string() })),
  leads: z.array(z.string()),
  status: status.meta({ description: 'The latest update’s status; not-started when none' }),
  statusLabel: z.string(),
  update: z
    .string()
    .nullable()
    .meta({ description: 'The latest update’s narrative; null when none' }),
  updateText: z.string().meta({ description: 'Status first, as the full update shows it' }),
  updateMonth: month.nullable(),
});
apiSchemas.add(ReportAction, { id: 'ReportAction' });

export const ExceptionReport = z.object({
  partnership: ref,
  plan: z.object({ id, title: z.string(), periodLabel: z.string() }),
  periodEnd: month,
  currentWindow: window,
  previousWindow: window,
  labels: z.object({ previous: z.string(), current: z.string(), change: z.string() }),
  updatesUpTo: month.meta({ description: 'Updates are the latest for this month or before' }),
  header: z.object({ to: z.string(), date: day, subject: z.string(), by: z.string() }),
  introduction: z.string(),
  edition: z.object({
    status: z.enum(['draft', 'issued', 'unsaved']),
    version: z.int().positive().nullable(),
    issuedAt: when.nullable(),
    issuedBy: z.string().nullable(),
  }),
  themes: z.array(
    z.object({
      id,
      type: z.enum(THEME_TYPES),
      title: z.string(),
      indicators: z.array(ReportIndicator),
      actionCounts: ReportCounts,
      commentary: z.string(),
      actions: z.array(ReportAction),
    }),
  ),
  gaps: z.array(z.string()).meta({ description: 'Figures that are incomplete, one sentence each' }),
});
apiSchemas.add(ExceptionReport, { id: 'ExceptionReport' });

export const IssuedReport = z.object({
  id,
  plan: PlanSummary,
  periodEnd: month,
  issueNumber: z.int().positive().meta({ description: '1 for the first issue for the period' }),
  reportDate: day,
  subject: z.string(),
  issuedAt: when,
  issuedBy: z.string(),
});
apiSchemas.add(IssuedReport, { id: 'IssuedReport' });
