import type { Generated, Selectable } from 'kysely';

export interface ActionsTable {
  id: Generated<number>;
  plan_id: number;
  theme_id: number;
  number: string;
  position: number;
  title: string;
  desired_outcome: string;
  /** Set by an import whose milestones and timescales did not pair up; cleared on saving. */
  milestone_note: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}
export type ActionRow = Selectable<ActionsTable>;

export interface ActionLeadsTable {
  id: Generated<number>;
  action_id: number;
  agency_id: number | null;
  group_id: number | null;
}

export interface MilestonesTable {
  id: Generated<number>;
  action_id: number;
  position: number;
  text: string;
  /** The timescale exactly as written. */
  timescale: string;
  due_date: string | null;
  /** What could not be read in the timescale, when it could not. */
  timescale_note: string | null;
}

export interface ActionUpdatesTable {
  id: Generated<number>;
  action_id: number;
  /** The reporting month, 'YYYY-MM'. */
  month: string;
  status: string;
  narrative: string;
  author_user_id: number | null;
  author_label: string;
  created_at: string;
}
