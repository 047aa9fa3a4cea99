import type { DbOrTrx } from '../../db/database.js';
import { NotFoundError } from '../../core/errors.js';
import type {
  PriorityCandidateRow,
  PriorityCriterionRow,
  PriorityExerciseRow,
} from './priorities.table.js';

export interface ScoreRow {
  candidate_id: number;
  criterion_id: number;
  user_id: number;
  score: number;
  updated_at: string;
}

export interface ScorerRow {
  user_id: number;
  name: string;
  agency_name: string;
  updated_at: string;
}

export interface ExerciseParts {
  criteria: PriorityCriterionRow[];
  candidates: PriorityCandidateRow[];
  scorers: ScorerRow[];
  scores: ScoreRow[];
}

export async function findExercise(
  db: DbOrTrx,
  partnershipId: number,
  exerciseId: number,
): Promise<PriorityExerciseRow> {
  const row = await db
    .selectFrom('priority_exercises')
    .selectAll()
    .where('id', '=', exerciseId)
    .where('partnership_id', '=', partnershipId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Priority-setting exercise');
  return row;
}

export async function findExerciseByYear(
  db: DbOrTrx,
  partnershipId: number,
  yearStart: number,
): Promise<PriorityExerciseRow | undefined> {
  return db
    .selectFrom('priority_exercises')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('year_start', '=', yearStart)
    .executeTakeFirst();
}

/** Criteria, candidates, who scored and every score, in four queries. */
export async function loadParts(db: DbOrTrx, exerciseId: number): Promise<ExerciseParts> {
  const [criteria, candidates, scorers, scores] = await Promise.all([
    db
      .selectFrom('priority_criteria')
      .selectAll()
      .where('exercise_id', '=', exerciseId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('priority_candidates')
      .selectAll()
      .where('exercise_id', '=', exerciseId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('priority_scorers')
      .select(['user_id', 'name', 'agency_name', 'updated_at'])
      .where('exercise_id', '=', exerciseId)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('priority_scores')
      .select(['candidate_id', 'criterion_id', 'user_id', 'score', 'updated_at'])
      .where('exercise_id', '=', exerciseId)
      .execute(),
  ]);
  return { criteria, candidates, scorers, scores };
}

/** The people who may score: the partnership's coordinators and leads, with their agency. */
export async function eligibleScorers(db: DbOrTrx, partnershipId: number) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('agencies', 'agencies.id', 'users.agency_id')
    .select(['users.id as userId', 'users.name', 'agencies.name as agencyName', 'memberships.role'])
    .where('memberships.partnership_id', '=', partnershipId)
    .where('memberships.role', 'in', ['coordinator', 'lead'])
    .where('users.disabled_at', 'is', null)
    .orderBy('users.name')
    .execute();
}
