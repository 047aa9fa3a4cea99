import { z } from 'zod';
import { idParam } from '../partnerships/partnerships.routes.js';
import {
  candidatesSchema,
  criteriaSchema,
  newExerciseSchema,
} from '../priorities/priorities.schemas.js';
import { apiSchemas } from './api.schemas.js';
import { endpoint, type Endpoint } from './endpoint.js';

const EXERCISES = '/partnerships/{slug}/priorities';
const EXERCISE = `${EXERCISES}/{exerciseId}`;

const id = z.int().positive();
const Criterion = z.object({ id, name: z.string(), weight: z.int().nonnegative() });
const Candidate = z.object({ id, title: z.string(), evidence: z.string() });

export const PriorityExercise = z.object({
  id,
  title: z.string(),
  yearLabel: z.string().meta({ description: 'The plan year the exercise prepares, like 2025/26' }),
  status: z.enum(['open', 'closed']),
  candidates: z.int().nonnegative(),
  scorers: z.int().nonnegative().meta({ description: 'Partners who have scored' }),
  planId: id.nullable().meta({ description: 'The draft plan started from the exercise' }),
});
apiSchemas.add(PriorityExercise, { id: 'PriorityExercise' });

export const PriorityExerciseDetail = z.object({
  id,
  title: z.string(),
  yearLabel: z.string(),
  status: z.enum(['open', 'closed']),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  planId: id.nullable(),
  criteria: z.array(Criterion),
  candidates: z.array(Candidate),
  progress: z.array(
    z.object({
      name: z.string(),
      agencyName: z.string(),
      scored: z.int().nonnegative(),
      of: z.int().nonnegative(),
      state: z.enum(['complete', 'part', 'none']),
      updatedAt: z.string().nullable(),
    }),
  ),
  canManage: z.boolean(),
  canScore: z.boolean(),
});
apiSchemas.add(PriorityExerciseDetail, { id: 'PriorityExerciseDetail' });

export const PriorityResult = z.object({
  formula: z.string(),
  scale: z.string(),
  final: z.boolean().meta({ description: 'True once scoring has closed' }),
  criteria: z.array(Criterion),
  scorers: z.int().nonnegative(),
  completeScorers: z.int().nonnegative(),
  rows: z.array(
    z.object({
      rank: z.int().positive().nullable().meta({
        description:
          'Equal scores share a rank (1, 2, 2, 4); null when not scored on every weighted criterion',
      }),
      tied: z.boolean(),
      candidate: Candidate,
      score: z
        .object({
          num: z.string(),
          den: z.string(),
          text: z.string().meta({ description: 'To 2 decimal places' }),
        })
        .nullable()
        .meta({ description: 'The weighted score exactly, as the fraction num/den' }),
      scorers: z.int().nonnegative(),
      means: z
        .array(z.string().nullable())
        .meta({ description: 'Each criterion’s mean, in order' }),
    }),
  ),
});
apiSchemas.add(PriorityResult, { id: 'PriorityResult' });

const ScoresBody = z.object({
  scores: z.record(z.string(), z.union([z.int(), z.string()])).meta({
    description:
      'Every candidate on every criterion: keys like "score-12-3" (candidate id, criterion id), values 1 to 5',
  }),
});
apiSchemas.add(ScoresBody, { id: 'PriorityScores' });

/** Priority setting: exercises, criteria, candidates, the token owner's scores, the result. */
export const PRIORITY_ENDPOINTS: Endpoint[] = [
  endpoint({
    method: 'GET',
    path: EXERCISES,
    summary: 'The partnership’s priority-setting exercises, latest plan year first',
    tag: 'Priorities',
    status: 200,
    response: { schema: PriorityExercise, list: true },
    run: ({ services, actor, params }) => services.priorities.list(actor, params.slug),
  }),
  endpoint({
    method: 'POST',
    path: EXERCISES,
    summary: 'Start an exercise for a plan year (coordinators), with the default criteria',
    tag: 'Priorities',
    body: newExerciseSchema,
    status: 201,
    response: { schema: PriorityExerciseDetail },
    run: async ({ services, actor, params, body }) => {
      const made = await services.priorities.create(actor, params.slug, body);
      return services.priorities.get(actor, params.slug, made.id);
    },
  }),
  endpoint({
    method: 'GET',
    path: EXERCISE,
    summary: 'An exercise: its criteria and weights, candidates and who has scored',
    tag: 'Priorities',
    status: 200,
    response: { schema: PriorityExerciseDetail },
    run: ({ services, actor, params }) =>
      services.priorities.get(actor, params.slug, idParam(params.exerciseId)),
  }),
  endpoint({
    method: 'PATCH',
    path: `${EXERCISE}/criteria`,
    summary:
      'Replace the criteria (coordinators, while scoring is open): rows with an id change it, rows without add one, criteria left out are removed with their scores',
    tag: 'Priorities',
    body: criteriaSchema,
    status: 200,
    response: { schema: PriorityExerciseDetail },
    refusal: 'Scoring has closed',
    run: async ({ services, actor, params, body }) => {
      const exerciseId = idParam(params.exerciseId);
      await services.priorities.saveCriteria(actor, params.slug, exerciseId, body);
      return services.priorities.get(actor, params.slug, exerciseId);
    },
  }),
  endpoint({
    method: 'PATCH',
    path: `${EXERCISE}/candidates`,
    summary:
      'Replace the candidate issues (coordinators, while scoring is open), as for the criteria',
    tag: 'Priorities',
    body: candidatesSchema,
    status: 200,
    response: { schema: PriorityExerciseDetail },
    refusal: 'Scoring has closed',
    run: async ({ services, actor, params, body }) => {
      const exerciseId = idParam(params.exerciseId);
      await services.priorities.saveCandidates(actor, params.slug, exerciseId, body);
      return services.priorities.get(actor, params.slug, exerciseId);
    },
  }),
  endpoint({
    method: 'GET',
    path: `${EXERCISE}/scores`,
    summary: 'The token owner’s own scores, keyed like "score-12-3"',
    tag: 'Priorities',
    status: 200,
    response: { schema: ScoresBody },
    run: async ({ services, actor, params }) => ({
      scores: await services.priorities.myScores(actor, params.slug, idParam(params.exerciseId)),
    }),
  }),
  endpoint({
    method: 'POST',
    path: `${EXERCISE}/scores`,
    summary:
      'Save the token owner’s scores (coordinators and leads, while scoring is open): every candidate on every criterion, 1 to 5',
    tag: 'Priorities',
    body: ScoresBody,
    status: 200,
    response: { schema: ScoresBody },
    refusal: 'Scoring has closed',
    run: async ({ services, actor, params, body }) => {
      const exerciseId = idParam(params.exerciseId);
      const scores = (body.scores ?? {}) as Record<string, unknown>;
      await services.priorities.saveScores(actor, params.slug, exerciseId, scores);
      return { scores: await services.priorities.myScores(actor, params.slug, exerciseId) };
    },
  }),
  endpoint({
    method: 'GET',
    path: `${EXERCISE}/result`,
    summary:
      'The ranked result: weighted score = the sum over criteria of weight × mean score, exact, ties sharing a rank',
    tag: 'Priorities',
    status: 200,
    response: { schema: PriorityResult },
    run: ({ services, actor, params }) =>
      services.priorities.result(actor, params.slug, idParam(params.exerciseId)),
  }),
];
