import type { Generated, Selectable } from 'kysely';

export interface UpdateRoundsTable {
  id: Generated<number>;
  plan_id: number;
  /** The reporting month asked for, 'YYYY-MM'. */
  month: string;
  /** Last day for updates, 'YYYY-MM-DD'. */
  deadline: string;
  created_at: string;
  closed_at: string | null;
}

export type UpdateRoundRow = Selectable<UpdateRoundsTable>;

export interface RoundRemindersTable {
  id: Generated<number>;
  round_id: number;
  action_id: number;
  sent_by_label: string;
  created_at: string;
}
