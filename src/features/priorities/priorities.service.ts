import { canManagePartnership, type Actor } from '../../core/actor.js';
import { ForbiddenError, ValidationFailed } from '../../core/errors.js';
import { fieldError, formErrors, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import { financialYearLabel } from '../../domain/periods.js';
import { decimal, rank, weightedScore, type Fraction } from '../../domain/priority-scores.js';
import { historyOf, recordAudit, type AuditEvent } from '../audit/audit.service.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import type { PartnershipRow } from '../partnerships/partnerships.table.js';
import {
  insertDraftPlan,
  loadPlan,
  toSummary,
  type PlanSummary,
} from '../plans/plans.repository.js';
import { readPlanPeriod } from '../plans/plans.schemas.js';
import { insertTheme } from '../plans/themes.service.js';
import {
  eligibleScorers,
  findExercise,
  findExerciseByYear,
  loadParts,
  type ExerciseParts,
} from './priorities.repository.js';
import {
  DEFAULT_CRITERIA,
  MAX_WEIGHT,
  SCALE,
  candidatesSchema,
  criteriaSchema,
  messages,
  newExerciseSchema,
  scoreField,
  startPlanSchema,
} from './priorities.schemas.js';
import type { PriorityExerciseRow } from './priorities.table.js';

const ENTITY = 'priority-exercise';

/** How the result is worked out, as the pages and the command line state it. */
export const FORMULA =
  'Weighted score = the sum, over the criteria, of the criterion’s weight × the mean of the partners’ scores on it';

export interface ExerciseSummary {
  id: number;
  title: string;
  yearLabel: string;
  status: 'open' | 'closed';
  candidates: number;
  scorers: number;
  planId: number | null;
}

export interface Criterion {
  id: number;
  name: string;
  weight: number;
}

export interface Candidate {
  id: number;
  title: string;
  evidence: string;
}

export interface ScorerProgress {
  userId: number;
  name: string;
  agencyName: string;
  /** Scores given, of the candidates × criteria there are. */
  scored: number;
  of: number;
  state: 'complete' | 'part' | 'none';
  updatedAt: string | null;
}

export interface ExerciseView {
  id: number;
  title: string;
  yearStart: number;
  yearLabel: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  closedBy: string | null;
  planId: number | null;
  criteria: Criterion[];
  candidates: Candidate[];
  progress: ScorerProgress[];
  canManage: boolean;
  canScore: boolean;
}

export interface ResultRow {
  rank: number | null;
  tied: boolean;
  candidate: Candidate;
  /** Exact: numerator and denominator as decimal text; null when it cannot be scored yet. */
  score: { num: string; den: string; text: string } | null;
  /** How many partners scored the candidate. */
  scorers: number;
  /** Each criterion's mean, to 2 places; null where nobody scored it. */
  means: (string | null)[];
}

export interface ExerciseResult {
  formula: string;
  scale: string;
  final: boolean;
  criteria: Criterion[];
  rows: ResultRow[];
  /** Partners who have given every score. */
  completeScorers: number;
  scorers: number;
}

export interface PartnerScores {
  name: string;
  agencyName: string;
  updatedAt: string;
  /** By candidate, each criterion's score in criteria order, null where not given. */
  rows: { candidate: string; scores: (number | null)[] }[];
}

function criterionOf(r: { id: number; name: string; weight: number }): Criterion {
  return { id: r.id, name: r.name, weight: r.weight };
}

function candidateOf(r: { id: number; title: string; evidence: string }): Candidate {
  return { id: r.id, title: r.title, evidence: r.evidence };
}

const status = (row: PriorityExerciseRow) => row.status as 'open' | 'closed';

const idOf = (v: number | string | undefined): number | undefined => {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : -1;
};
const ticked = (v: boolean | string | undefined) => v === true || v === 'yes' || v === 'on';

/**
 * Priority setting: each year a partnership scores candidate issues on weighted criteria and
 * ranks them; the chosen ones start next year's draft plan. Coordinators run the exercise,
 * coordinators and leads score, everyone in the partnership reads the result. Another
 * partnership's exercises answer 404. Every change is audited against the exercise.
 */
export class PrioritiesService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
  ) {}

  async list(actor: Actor, slug: string): Promise<ExerciseSummary[]> {
    const p = await this.partnerships.readable(actor, slug);
    const rows = await this.db
      .selectFrom('priority_exercises')
      .selectAll()
      .select((eb) => [
        eb
          .selectFrom('priority_candidates')
          .select((e) => e.fn.countAll<number | string>().as('n'))
          .whereRef('priority_candidates.exercise_id', '=', 'priority_exercises.id')
          .as('candidates'),
        eb
          .selectFrom('priority_scorers')
          .select((e) => e.fn.countAll<number | string>().as('n'))
          .whereRef('priority_scorers.exercise_id', '=', 'priority_exercises.id')
          .as('scorers'),
      ])
      .where('partnership_id', '=', p.id)
      .orderBy('year_start', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      yearLabel: financialYearLabel({ start: r.year_start }),
      status: status(r),
      candidates: Number(r.candidates ?? 0),
      scorers: Number(r.scorers ?? 0),
      planId: r.plan_id,
    }));
  }

  /** The exercise preparing a plan year ('2025/26'), for the command line and API. */
  async idForYear(actor: Actor, slug: string, yearStart: number): Promise<number | undefined> {
    const p = await this.partnerships.readable(actor, slug);
    return (await findExerciseByYear(this.db, p.id, yearStart))?.id;
  }

  async create(actor: Actor, slug: string, input: unknown): Promise<{ id: number }> {
    const values = parseInput(newExerciseSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.manageable(actor, slug, trx);
      if (await findExerciseByYear(trx, p.id, values.year.start))
        throw fieldError('year', messages.yearTaken);
      const label = financialYearLabel(values.year);
      const title = values.title || `Priority setting for ${label}`;
      const now = nowIso();
      const row = await trx
        .insertInto('priority_exercises')
        .values({
          partnership_id: p.id,
          title,
          year_start: values.year.start,
          status: 'open',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('priority_criteria')
        .values(
          DEFAULT_CRITERIA.map((name, i) => ({
            exercise_id: row.id,
            position: i + 1,
            name,
            weight: 1,
          })),
        )
        .execute();
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: ENTITY,
        entityId: row.id,
        action: 'created',
        summary: `Started the priority-setting exercise ${title} for the ${label} plan`,
        after: {
          title,
          year: label,
          criteria: DEFAULT_CRITERIA.map((name) => ({ name, weight: 1 })),
        },
      });
      return { id: row.id };
    });
  }

  async get(actor: Actor, slug: string, exerciseId: number): Promise<ExerciseView> {
    const p = await this.partnerships.readable(actor, slug);
    const row = await findExercise(this.db, p.id, exerciseId);
    const [parts, eligible] = await Promise.all([
      loadParts(this.db, row.id),
      eligibleScorers(this.db, p.id),
    ]);
    return this.view(actor, p, row, parts, eligible);
  }

  private view(
    actor: Actor,
    p: PartnershipRow,
    row: PriorityExerciseRow,
    parts: ExerciseParts,
    eligible: Awaited<ReturnType<typeof eligibleScorers>>,
  ): ExerciseView {
    const cells = new Set(
      parts.candidates.flatMap((c) => parts.criteria.map((k) => `${c.id}-${k.id}`)),
    );
    const of = cells.size;
    const given = new Map<number, number>();
    for (const s of parts.scores) {
      if (cells.has(`${s.candidate_id}-${s.criterion_id}`))
        given.set(s.user_id, (given.get(s.user_id) ?? 0) + 1);
    }
    // Everyone who may score, and anyone who scored and has since left or changed role.
    const people = new Map<number, ScorerProgress>();
    const progress = (userId: number, name: string, agencyName: string, at: string | null) => {
      const scored = given.get(userId) ?? 0;
      return {
        userId,
        name,
        agencyName,
        scored,
        of,
        state:
          scored === 0
            ? ('none' as const)
            : scored >= of
              ? ('complete' as const)
              : ('part' as const),
        updatedAt: at,
      };
    };
    for (const s of parts.scorers)
      people.set(s.user_id, progress(s.user_id, s.name, s.agency_name, s.updated_at));
    for (const e of eligible)
      if (!people.has(e.userId))
        people.set(e.userId, progress(e.userId, e.name, e.agencyName, null));
    return {
      id: row.id,
      title: row.title,
      yearStart: row.year_start,
      yearLabel: financialYearLabel({ start: row.year_start }),
      status: status(row),
      closedAt: row.closed_at,
      closedBy: row.closed_by_label,
      planId: row.plan_id,
      criteria: parts.criteria.map(criterionOf),
      candidates: parts.candidates.map(candidateOf),
      progress: [...people.values()].sort((a, b) => a.name.localeCompare(b.name)),
      canManage: canManagePartnership(actor, p),
      canScore: this.mayScore(actor, p) && status(row) === 'open',
    };
  }

  private mayScore(actor: Actor, p: PartnershipRow): boolean {
    const role = actor.roles.get(p.id);
    return actor.userId !== null && (role === 'coordinator' || role === 'lead');
  }

  async history(actor: Actor, slug: string, exerciseId: number): Promise<AuditEvent[]> {
    const p = await this.partnerships.readable(actor, slug);
    const row = await findExercise(this.db, p.id, exerciseId);
    return historyOf(this.db, ENTITY, row.id);
  }

  /** The exercise for a change by its coordinators while scoring is open. */
  private async openForChange(trx: DbOrTrx, actor: Actor, slug: string, exerciseId: number) {
    const p = await this.partnerships.readable(actor, slug, trx);
    const row = await findExercise(trx, p.id, exerciseId);
    await this.partnerships.manageable(actor, slug, trx);
    if (row.status !== 'open') throw fieldError('exercise', messages.closed);
    return { p, row };
  }

  /**
   * Replaces the criteria with the rows given: rows with an id change that criterion, rows
   * without add one, and criteria left out (or marked `remove`) go with their scores. Errors
   * name their row as `criteria-N-name` and `criteria-N-weight`, counting from 1.
   */
  async saveCriteria(actor: Actor, slug: string, exerciseId: number, input: unknown) {
    const { criteria } = parseInput(criteriaSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.openForChange(trx, actor, slug, exerciseId);
      const before = (await loadParts(trx, row.id)).criteria.map(criterionOf);
      const known = new Set(before.map((c) => c.id));
      const problems: [string, string][] = [];
      const kept: { id?: number; name: string; weight: number }[] = [];
      const names = new Set<string>();
      criteria.forEach((r, i) => {
        const n = i + 1;
        const id = idOf(r.id);
        const name = (r.name ?? '').trim().replace(/\s+/g, ' ');
        const weightText = String(r.weight ?? '').trim();
        if (ticked(r.remove)) return;
        if (id === undefined && name === '' && weightText === '') return;
        if (id !== undefined && !known.has(id)) {
          problems.push([`criteria-${n}-name`, messages.criterionUnknown]);
          return;
        }
        if (name === '') problems.push([`criteria-${n}-name`, messages.criterionNameEmpty(n)]);
        else if (name.length > 100)
          problems.push([`criteria-${n}-name`, messages.criterionNameTooLong(n)]);
        else if (names.has(name.toLowerCase()))
          problems.push([`criteria-${n}-name`, messages.criterionNameTaken(name)]);
        names.add(name.toLowerCase());
        const weight = /^\d{1,3}$/.test(weightText) ? Number(weightText) : NaN;
        if (!(weight >= 0 && weight <= MAX_WEIGHT))
          problems.push([`criteria-${n}-weight`, messages.weightBad(name || `criterion ${n}`)]);
        kept.push({ ...(id === undefined ? {} : { id }), name, weight });
      });
      if (!problems.length && !kept.some((k) => k.weight > 0))
        problems.push(['criteria-1-weight', messages.noCriteria]);
      if (problems.length) throw new ValidationFailed(formErrors(problems));

      await this.saveList(trx, actor, p, row, {
        table: 'priority_criteria',
        before,
        kept,
        write: (k, position) =>
          k.id === undefined
            ? trx
                .insertInto('priority_criteria')
                .values({ exercise_id: row.id, position, name: k.name, weight: k.weight })
                .execute()
            : trx
                .updateTable('priority_criteria')
                .set({ position, name: k.name, weight: k.weight })
                .where('id', '=', k.id)
                .execute(),
        after: async () => (await loadParts(trx, row.id)).criteria.map(criterionOf),
        summary: (after) =>
          `Changed the criteria or weights of ${row.title}: ${after.map((c) => `${c.name} ×${c.weight}`).join(', ')}`,
      });
    });
  }

  /** As saveCriteria, for the candidate issues; errors name `candidates-N-title`. */
  async saveCandidates(actor: Actor, slug: string, exerciseId: number, input: unknown) {
    const { candidates } = parseInput(candidatesSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, row } = await this.openForChange(trx, actor, slug, exerciseId);
      const before = (await loadParts(trx, row.id)).candidates.map(candidateOf);
      const known = new Set(before.map((c) => c.id));
      const problems: [string, string][] = [];
      const kept: { id?: number; title: string; evidence: string }[] = [];
      const titles = new Set<string>();
      candidates.forEach((r, i) => {
        const n = i + 1;
        const id = idOf(r.id);
        const title = (r.title ?? '').trim().replace(/\s+/g, ' ');
        const evidence = (r.evidence ?? '').trim();
        if (ticked(r.remove)) return;
        if (id === undefined && title === '' && evidence === '') return;
        if (id !== undefined && !known.has(id)) {
          problems.push([`candidates-${n}-title`, messages.candidateUnknown]);
          return;
        }
        if (title === '') problems.push([`candidates-${n}-title`, messages.candidateTitleEmpty(n)]);
        else if (title.length > 200)
          problems.push([`candidates-${n}-title`, messages.candidateTitleTooLong(n)]);
        else if (titles.has(title.toLowerCase()))
          problems.push([`candidates-${n}-title`, messages.candidateTitleTaken(title)]);
        titles.add(title.toLowerCase());
        if (evidence.length > 2000)
          problems.push([`candidates-${n}-evidence`, messages.evidenceTooLong(n)]);
        kept.push({ ...(id === undefined ? {} : { id }), title, evidence });
      });
      if (problems.length) throw new ValidationFailed(formErrors(problems));

      await this.saveList(trx, actor, p, row, {
        table: 'priority_candidates',
        before,
        kept,
        write: (k, position) =>
          k.id === undefined
            ? trx
                .insertInto('priority_candidates')
                .values({ exercise_id: row.id, position, title: k.title, evidence: k.evidence })
                .execute()
            : trx
                .updateTable('priority_candidates')
                .set({ position, title: k.title, evidence: k.evidence })
                .where('id', '=', k.id)
                .execute(),
        after: async () => (await loadParts(trx, row.id)).candidates.map(candidateOf),
        summary: (after) =>
          `Changed the candidates of ${row.title}: ${after.map((c) => c.title).join('; ') || 'none'}`,
      });
    });
  }

  /**
   * Writes an exercise's criteria or candidates as kept, in the order given: those left out go,
   * and the change is audited only when something changed.
   */
  private async saveList<K extends { id?: number }, B extends { id: number }>(
    trx: DbOrTrx,
    actor: Actor,
    p: PartnershipRow,
    row: PriorityExerciseRow,
    list: {
      table: 'priority_criteria' | 'priority_candidates';
      before: B[];
      kept: K[];
      write: (item: K, position: number) => Promise<unknown>;
      after: () => Promise<B[]>;
      summary: (after: B[]) => string;
    },
  ): Promise<void> {
    const keptIds = new Set(list.kept.flatMap((k) => (k.id === undefined ? [] : [k.id])));
    const removed = list.before.filter((c) => !keptIds.has(c.id)).map((c) => c.id);
    if (removed.length) await trx.deleteFrom(list.table).where('id', 'in', removed).execute();
    for (const [i, item] of list.kept.entries()) await list.write(item, i + 1);
    const after = await list.after();
    if (JSON.stringify(after) === JSON.stringify(list.before)) return;
    await this.touch(trx, row.id);
    await recordAudit(trx, actor, {
      partnershipId: p.id,
      entityType: ENTITY,
      entityId: row.id,
      action: 'updated',
      summary: list.summary(after),
      before: list.before,
      after,
    });
  }

  /** The actor's own scores, by scoreField. */
  async myScores(actor: Actor, slug: string, exerciseId: number): Promise<Record<string, string>> {
    const p = await this.partnerships.readable(actor, slug);
    const row = await findExercise(this.db, p.id, exerciseId);
    if (actor.userId === null) return {};
    const rows = await this.db
      .selectFrom('priority_scores')
      .select(['candidate_id', 'criterion_id', 'score'])
      .where('exercise_id', '=', row.id)
      .where('user_id', '=', actor.userId)
      .execute();
    return Object.fromEntries(
      rows.map((r) => [scoreField(r.candidate_id, r.criterion_id), String(r.score)]),
    );
  }

  /** May the actor score this exercise now? Refuses with the reason. */
  async checkScorer(actor: Actor, slug: string, exerciseId: number): Promise<void> {
    const p = await this.partnerships.readable(actor, slug);
    const row = await findExercise(this.db, p.id, exerciseId);
    if (!this.mayScore(actor, p)) throw new ForbiddenError(messages.notScorer);
    if (row.status !== 'open') throw new ForbiddenError(messages.closed);
  }

  /**
   * Saves the actor's scores, all or nothing: every candidate on every criterion, each from 1 to
   * 5, keyed by scoreField. Changed scores are audited with their old and new values.
   */
  async saveScores(
    actor: Actor,
    slug: string,
    exerciseId: number,
    input: Record<string, unknown>,
  ): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.readable(actor, slug, trx);
      const row = await findExercise(trx, p.id, exerciseId);
      if (!this.mayScore(actor, p) || actor.userId === null)
        throw new ForbiddenError(messages.notScorer);
      if (row.status !== 'open') throw fieldError('exercise', messages.closed);
      const userId = actor.userId;
      const parts = await loadParts(trx, row.id);
      if (!parts.candidates.length || !parts.criteria.length)
        throw fieldError('exercise', messages.nothingToScore);
      const problems: [string, string][] = [];
      const wanted: { candidate: number; criterion: number; score: number; label: string }[] = [];
      for (const c of parts.candidates) {
        for (const k of parts.criteria) {
          const field = scoreField(c.id, k.id);
          const raw = input[field];
          const score =
            typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
          if (!(SCALE as readonly number[]).includes(score)) {
            problems.push([field, messages.scoreMissing(k.name, c.title)]);
            continue;
          }
          wanted.push({ candidate: c.id, criterion: k.id, score, label: `${c.title}: ${k.name}` });
        }
      }
      if (problems.length) throw new ValidationFailed(formErrors(problems));
      const had = new Map(
        parts.scores
          .filter((s) => s.user_id === userId)
          .map((s) => [`${s.candidate_id}-${s.criterion_id}`, s.score]),
      );
      const changes = wanted.filter((w) => had.get(`${w.candidate}-${w.criterion}`) !== w.score);
      if (changes.length === 0) return 0;
      const now = nowIso();
      await trx
        .deleteFrom('priority_scores')
        .where('exercise_id', '=', row.id)
        .where('user_id', '=', userId)
        .execute();
      await trx
        .insertInto('priority_scores')
        .values(
          wanted.map((w) => ({
            exercise_id: row.id,
            candidate_id: w.candidate,
            criterion_id: w.criterion,
            user_id: userId,
            score: w.score,
            updated_at: now,
          })),
        )
        .execute();
      const person = await trx
        .selectFrom('users')
        .innerJoin('agencies', 'agencies.id', 'users.agency_id')
        .select(['users.name', 'agencies.name as agencyName'])
        .where('users.id', '=', userId)
        .executeTakeFirstOrThrow();
      await trx
        .deleteFrom('priority_scorers')
        .where('exercise_id', '=', row.id)
        .where('user_id', '=', userId)
        .execute();
      await trx
        .insertInto('priority_scorers')
        .values({
          exercise_id: row.id,
          user_id: userId,
          name: person.name,
          agency_name: person.agencyName,
          updated_at: now,
        })
        .execute();
      const first = had.size === 0;
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: ENTITY,
        entityId: row.id,
        action: 'updated',
        summary: first
          ? `${person.name} (${person.agencyName}) scored ${parts.candidates.length} candidates of ${row.title}`
          : `${person.name} (${person.agencyName}) changed ${changes.length === 1 ? 'a score' : `${changes.length} scores`} of ${row.title}`,
        before: Object.fromEntries(
          changes.map((c) => [c.label, had.get(`${c.candidate}-${c.criterion}`) ?? null]),
        ),
        after: Object.fromEntries(changes.map((c) => [c.label, c.score])),
      });
      return changes.length;
    });
  }

  async close(actor: Actor, slug: string, exerciseId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.readable(actor, slug, trx);
      const row = await findExercise(trx, p.id, exerciseId);
      await this.partnerships.manageable(actor, slug, trx);
      if (row.status !== 'open') throw fieldError('exercise', messages.alreadyClosed);
      const now = nowIso();
      await trx
        .updateTable('priority_exercises')
        .set({ status: 'closed', closed_at: now, closed_by_label: actor.label, updated_at: now })
        .where('id', '=', row.id)
        .execute();
      const result = computeResult(await loadParts(trx, row.id), true);
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: ENTITY,
        entityId: row.id,
        action: 'updated',
        summary: `Closed scoring of ${row.title}, with ${result.scorers} partners’ scores`,
        after: {
          status: 'closed',
          result: result.rows.map((r) => ({
            rank: r.rank,
            candidate: r.candidate.title,
            score: r.score?.text ?? null,
          })),
        },
      });
    });
  }

  async result(actor: Actor, slug: string, exerciseId: number): Promise<ExerciseResult> {
    const p = await this.partnerships.readable(actor, slug);
    const row = await findExercise(this.db, p.id, exerciseId);
    return computeResult(await loadParts(this.db, row.id), row.status === 'closed');
  }

  /** Each partner's own scores: for coordinators, who answer for the result. */
  async partnerScores(actor: Actor, slug: string, exerciseId: number): Promise<PartnerScores[]> {
    const p = await this.partnerships.readable(actor, slug);
    const row = await findExercise(this.db, p.id, exerciseId);
    await this.partnerships.manageable(actor, slug);
    const parts = await loadParts(this.db, row.id);
    const score = new Map(
      parts.scores.map((s) => [`${s.user_id}-${s.candidate_id}-${s.criterion_id}`, s.score]),
    );
    return parts.scorers.map((s) => ({
      name: s.name,
      agencyName: s.agency_name,
      updatedAt: s.updated_at,
      rows: parts.candidates.map((c) => ({
        candidate: c.title,
        scores: parts.criteria.map((k) => score.get(`${s.user_id}-${c.id}-${k.id}`) ?? null),
      })),
    }));
  }

  /** What starting the plan would make: for the choose page and its confirmation. */
  async planStart(actor: Actor, slug: string, exerciseId: number) {
    const p = await this.partnerships.readable(actor, slug);
    const row = await findExercise(this.db, p.id, exerciseId);
    await this.partnerships.manageable(actor, slug);
    const label = financialYearLabel({ start: row.year_start });
    const [clash, current] = await Promise.all([
      this.db
        .selectFrom('plans')
        .select('id')
        .where('partnership_id', '=', p.id)
        .where('period_label', '=', label)
        .executeTakeFirst(),
      this.currentPlan(this.db, p.id, row.year_start),
    ]);
    const crossCutting = current
      ? (await loadPlan(this.db, current)).themes
          .filter((t) => t.type === 'cross-cutting')
          .map((t) => t.title)
      : [];
    let refusal: string | null = null;
    if (row.plan_id !== null) refusal = messages.planStarted;
    else if (clash) refusal = messages.planExists(label);
    else if (row.status !== 'closed') refusal = messages.notClosed;
    return {
      periodLabel: label,
      defaultTitle: current?.title ?? 'Community Safety Plan',
      currentPlan: current ? { title: current.title, periodLabel: current.period_label } : null,
      crossCutting,
      existingPlanId: clash?.id ?? null,
      refusal,
    };
  }

  /** The plan before the exercise's year: the latest one starting before it. */
  private async currentPlan(db: DbOrTrx, partnershipId: number, yearStart: number) {
    return db
      .selectFrom('plans')
      .selectAll()
      .where('partnership_id', '=', partnershipId)
      .where('period_start', '<', `${yearStart}-04-01`)
      .orderBy('period_start', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
  }

  /**
   * Starts the draft plan for the exercise's year, in one transaction: the chosen candidates
   * become its priorities in the order given (their evidence as each summary) and, when asked,
   * the current plan's cross-cutting themes follow. Refused when the year already has a plan.
   */
  async startPlan(
    actor: Actor,
    slug: string,
    exerciseId: number,
    input: unknown,
  ): Promise<PlanSummary> {
    const values = parseInput(startPlanSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const p = await this.partnerships.readable(actor, slug, trx);
      const row = await findExercise(trx, p.id, exerciseId);
      await this.partnerships.manageable(actor, slug, trx);
      if (row.plan_id !== null) throw fieldError('priorities', messages.planStarted);
      if (row.status !== 'closed') throw fieldError('priorities', messages.notClosed);
      const parts = await loadParts(trx, row.id);
      const byId = new Map(parts.candidates.map((c) => [c.id, c]));
      if (new Set(values.priorities).size !== values.priorities.length)
        throw fieldError('priorities', messages.orderGap);
      const chosen = values.priorities.map((id) => byId.get(id));
      if (chosen.some((c) => c === undefined))
        throw fieldError('priorities', messages.chosenUnknown);
      const period = readPlanPeriod(financialYearLabel({ start: row.year_start }));
      if ('error' in period) throw new Error(period.error);
      const label = period.label;
      let plan;
      try {
        plan = await insertDraftPlan(trx, p.id, { title: values.title, period });
      } catch (err) {
        if (err instanceof ValidationFailed)
          throw fieldError('priorities', messages.planExists(label));
        throw err;
      }
      let position = 0;
      for (const c of chosen) {
        if (!c) continue;
        await insertTheme(trx, plan.id, ++position, {
          type: 'priority',
          title: c.title,
          summary: c.evidence,
          priorityActions: [],
        });
      }
      const carried: string[] = [];
      if (values.carryThemes) {
        const current = await this.currentPlan(trx, p.id, row.year_start);
        if (current) {
          for (const t of (await loadPlan(trx, current)).themes) {
            if (t.type !== 'cross-cutting') continue;
            await insertTheme(trx, plan.id, ++position, {
              type: 'cross-cutting',
              title: t.title,
              summary: t.summary,
              priorityActions: t.priorityActions,
            });
            carried.push(t.title);
          }
        }
      }
      await trx
        .updateTable('priority_exercises')
        .set({ plan_id: plan.id, updated_at: nowIso() })
        .where('id', '=', row.id)
        .execute();
      const priorities = chosen.map((c) => c?.title ?? '');
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: 'plan',
        entityId: plan.id,
        action: 'created',
        summary: `Started the draft plan ${plan.title} (${label}) from ${row.title}`,
        after: { title: plan.title, period: label, priorities, crossCutting: carried },
      });
      await recordAudit(trx, actor, {
        partnershipId: p.id,
        entityType: ENTITY,
        entityId: row.id,
        action: 'updated',
        summary: `Started the ${label} draft plan with the priorities ${priorities.join('; ')}${carried.length ? `, and carried over ${carried.join('; ')}` : ''}`,
        after: { planId: plan.id, priorities, crossCutting: carried },
      });
      return toSummary(plan);
    });
  }

  private async touch(trx: DbOrTrx, exerciseId: number): Promise<void> {
    await trx
      .updateTable('priority_exercises')
      .set({ updated_at: nowIso() })
      .where('id', '=', exerciseId)
      .execute();
  }
}

const exact = (f: Fraction) => ({ num: f.num.toString(), den: f.den.toString(), text: decimal(f) });

/** The ranked result from the scores as they stand. */
export function computeResult(parts: ExerciseParts, final: boolean): ExerciseResult {
  const criteria = parts.criteria.map(criterionOf);
  const cells = new Map<string, number[]>();
  const scorersOf = new Map<number, Set<number>>();
  const given = new Map<number, number>();
  for (const s of parts.scores) {
    const key = `${s.candidate_id}-${s.criterion_id}`;
    const list = cells.get(key) ?? [];
    list.push(s.score);
    cells.set(key, list);
    const who = scorersOf.get(s.candidate_id) ?? new Set<number>();
    who.add(s.user_id);
    scorersOf.set(s.candidate_id, who);
    given.set(s.user_id, (given.get(s.user_id) ?? 0) + 1);
  }
  const scored = parts.candidates.map((c) => {
    const { score, means } = weightedScore(
      criteria,
      new Map(criteria.map((k) => [k.id, cells.get(`${c.id}-${k.id}`) ?? []])),
    );
    return { c, score, means };
  });
  const ranked = rank(scored, (x) => x.score);
  const all = parts.candidates.length * parts.criteria.length;
  return {
    formula: FORMULA,
    scale:
      'Each partner scores every candidate on every criterion from 1 (very low) to 5 (very high)',
    final,
    criteria,
    rows: ranked.map((r) => ({
      rank: r.rank,
      tied: r.tied,
      candidate: candidateOf(r.item.c),
      score: r.item.score ? exact(r.item.score) : null,
      scorers: scorersOf.get(r.item.c.id)?.size ?? 0,
      means: criteria.map((k) => {
        const m = r.item.means.get(k.id);
        return m ? decimal(m) : null;
      }),
    })),
    completeScorers: [...given.values()].filter((n) => all > 0 && n >= all).length,
    scorers: parts.scorers.length,
  };
}
