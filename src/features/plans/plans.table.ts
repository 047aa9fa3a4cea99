import type { Generated, Selectable } from 'kysely';

export interface PlansTable {
  id: Generated<number>;
  partnership_id: number;
  title: string;
  period_label: string;
  /** First and last day of the plan, 'YYYY-MM-DD'. */
  period_start: string;
  period_end: string;
  status: string;
  introduction: Generated<string>;
  background: Generated<string>;
  delivery: Generated<string>;
  performance_monitoring: Generated<string>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}
export type PlanRow = Selectable<PlansTable>;

export interface PlanDriversTable {
  id: Generated<number>;
  plan_id: number;
  position: number;
  text: string;
}

export interface PlanRisksTable {
  id: Generated<number>;
  plan_id: number;
  position: number;
  risk: string;
  description: string;
}
