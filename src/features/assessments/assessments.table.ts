import type { Generated, Selectable } from 'kysely';

export interface AssessmentsTable {
  id: Generated<number>;
  partnership_id: number;
  /** 'YYYY-MM': the first month of the 12-month period. */
  period_from: string;
  period_to: string;
  /** draft */
  status: Generated<string>;
  introduction: Generated<string>;
  progress: Generated<string>;
  plan_review: Generated<string>;
  data_sources: Generated<string>;
  glossary: Generated<string>;
  /** JSON array of district codes. */
  peers: Generated<string>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  updated_by_label: string;
}
export type AssessmentRow = Selectable<AssessmentsTable>;

export interface AssessmentOverviewsTable {
  assessment_id: number;
  theme_id: number;
  text: string;
  updated_at: string;
  updated_by_label: string;
}
