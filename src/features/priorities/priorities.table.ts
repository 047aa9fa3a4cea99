import type { Generated, Selectable } from 'kysely';

export interface PriorityExercisesTable {
  id: Generated<number>;
  partnership_id: number;
  title: string;
  /** The financial year of the plan the exercise prepares: 2025 for 2025/26. */
  year_start: number;
  /** open | closed */
  status: string;
  closed_at: string | null;
  closed_by_label: string | null;
  plan_id: number | null;
  created_at: string;
  updated_at: string;
}
export type PriorityExerciseRow = Selectable<PriorityExercisesTable>;

export interface PriorityCriteriaTable {
  id: Generated<number>;
  exercise_id: number;
  position: number;
  name: string;
  weight: number;
}
export type PriorityCriterionRow = Selectable<PriorityCriteriaTable>;

export interface PriorityCandidatesTable {
  id: Generated<number>;
  exercise_id: number;
  position: number;
  title: string;
  evidence: Generated<string>;
}
export type PriorityCandidateRow = Selectable<PriorityCandidatesTable>;

export interface PriorityScorersTable {
  exercise_id: number;
  user_id: number;
  name: string;
  agency_name: string;
  updated_at: string;
}

export interface PriorityScoresTable {
  exercise_id: number;
  candidate_id: number;
  criterion_id: number;
  user_id: number;
  /** 1 to 5 */
  score: number;
  updated_at: string;
}
