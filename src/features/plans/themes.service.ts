import type { Actor } from '../../core/actor.js';
import { NotFoundError } from '../../core/errors.js';
import { conflictError, parseInput } from '../../core/form-errors.js';
import { nowIso, type Db, type DbOrTrx } from '../../db/database.js';
import { plural } from '../../domain/words.js';
import type { PartnershipsService } from '../partnerships/partnerships.service.js';
import { actionState } from './actions.service.js';
import { loadPlan, partCounts, updateHistory } from './plans.repository.js';
import { messages, themeSchema, type ThemeType } from './plans.schemas.js';
import { editablePlan, recordPlanChange } from './plans.service.js';
import type { ThemeRow } from './themes.table.js';

async function replaceBullets(trx: DbOrTrx, themeId: number, bullets: string[]): Promise<void> {
  await trx.deleteFrom('theme_priority_actions').where('theme_id', '=', themeId).execute();
  if (bullets.length)
    await trx
      .insertInto('theme_priority_actions')
      .values(bullets.map((text, i) => ({ theme_id: themeId, position: i + 1, text })))
      .execute();
}

/**
 * A theme written into a plan at a position, for callers that build a plan in their own
 * transaction and audit it themselves (starting a plan from priority setting).
 */
export async function insertTheme(
  trx: DbOrTrx,
  planId: number,
  position: number,
  values: { type: ThemeType; title: string; summary: string; priorityActions: string[] },
): Promise<{ id: number }> {
  const now = nowIso();
  const row = await trx
    .insertInto('themes')
    .values({
      plan_id: planId,
      type: values.type,
      position,
      title: values.title,
      summary: values.summary,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await replaceBullets(trx, row.id, values.priorityActions);
  return { id: row.id };
}

/** Priorities and cross-cutting themes of a plan, in the order the plan reads. */
export class ThemesService {
  constructor(
    private readonly db: Db,
    private readonly partnerships: PartnershipsService,
  ) {}

  private async theme(trx: DbOrTrx, planId: number, themeId: number): Promise<ThemeRow> {
    const row = await trx
      .selectFrom('themes')
      .selectAll()
      .where('id', '=', themeId)
      .where('plan_id', '=', planId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('Theme');
    return row;
  }

  async add(actor: Actor, slug: string, planId: number, input: unknown): Promise<{ id: number }> {
    const values = parseInput(themeSchema, input);
    return this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const last = await trx
        .selectFrom('themes')
        .select((eb) => eb.fn.max<number | null>('position').as('max'))
        .where('plan_id', '=', plan.id)
        .executeTakeFirst();
      const now = nowIso();
      const row = await trx
        .insertInto('themes')
        .values({
          plan_id: plan.id,
          type: values.type,
          position: (last?.max ?? 0) + 1,
          title: values.title,
          summary: values.summary,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await replaceBullets(trx, row.id, values.priorityActions);
      await recordPlanChange(trx, actor, p.id, plan.id, {
        action: 'added',
        summary: `Added the theme ${values.title} to ${plan.title}`,
        after: values,
      });
      return { id: row.id };
    });
  }

  async get(actor: Actor, slug: string, planId: number, themeId: number) {
    const p = await this.partnerships.readable(actor, slug);
    const plan = await this.db
      .selectFrom('plans')
      .select('id')
      .where('id', '=', planId)
      .where('partnership_id', '=', p.id)
      .executeTakeFirst();
    if (!plan) throw new NotFoundError('Plan');
    return this.read(this.db, await this.theme(this.db, plan.id, themeId));
  }

  private async read(db: DbOrTrx, row: ThemeRow) {
    const bullets = await db
      .selectFrom('theme_priority_actions')
      .select('text')
      .where('theme_id', '=', row.id)
      .orderBy('position')
      .execute();
    return {
      id: row.id,
      type: row.type as ThemeType,
      title: row.title,
      summary: row.summary,
      priorityActions: bullets.map((b) => b.text),
      version: row.version,
    };
  }

  async update(
    actor: Actor,
    slug: string,
    planId: number,
    themeId: number,
    input: unknown,
  ): Promise<void> {
    const values = parseInput(themeSchema, input);
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const row = await this.theme(trx, plan.id, themeId);
      if (values.version !== undefined && values.version !== String(row.version))
        throw conflictError(
          'title',
          messages.themeChanged,
          messages.themeChangedSince(row.version),
        );
      const before = await this.read(trx, row);
      await trx
        .updateTable('themes')
        .set((eb) => ({
          type: values.type,
          title: values.title,
          summary: values.summary,
          version: eb('version', '+', 1),
          updated_at: nowIso(),
        }))
        .where('id', '=', row.id)
        .execute();
      await replaceBullets(trx, row.id, values.priorityActions);
      await recordPlanChange(trx, actor, p.id, plan.id, {
        action: 'updated',
        summary: `Changed the theme ${values.title} in ${plan.title}`,
        before: { ...before, version: undefined },
        after: { ...values, version: undefined },
      });
    });
  }

  /** Swap a theme with its neighbour, earlier or later in the plan. */
  async move(
    actor: Actor,
    slug: string,
    planId: number,
    themeId: number,
    direction: 'up' | 'down',
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const row = await this.theme(trx, plan.id, themeId);
      const neighbour = await trx
        .selectFrom('themes')
        .select(['id', 'position'])
        .where('plan_id', '=', plan.id)
        .where('position', direction === 'up' ? '<' : '>', row.position)
        .orderBy('position', direction === 'up' ? 'desc' : 'asc')
        .executeTakeFirst();
      if (!neighbour) return;
      await trx
        .updateTable('themes')
        .set({ position: neighbour.position })
        .where('id', '=', row.id)
        .execute();
      await trx
        .updateTable('themes')
        .set({ position: row.position })
        .where('id', '=', neighbour.id)
        .execute();
      await recordPlanChange(trx, actor, p.id, plan.id, {
        action: 'updated',
        summary: `Moved the theme ${row.title} ${direction === 'up' ? 'earlier' : 'later'} in ${plan.title}`,
      });
    });
  }

  /** What deleting the theme takes with it, for the coordinator to confirm. */
  async deletion(actor: Actor, slug: string, planId: number, themeId: number) {
    const { plan } = await editablePlan(this.partnerships, this.db, actor, slug, planId);
    const row = await this.theme(this.db, plan.id, themeId);
    const counts = await partCounts(this.db, 'theme', row.id);
    return { theme: { id: row.id, type: row.type as ThemeType, title: row.title }, ...counts };
  }

  /**
   * Deletes the theme with its actions and everything hanging from them. The audit trail keeps
   * the theme and each action as they were, updates included.
   */
  async delete(actor: Actor, slug: string, planId: number, themeId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { p, plan } = await editablePlan(this.partnerships, trx, actor, slug, planId);
      const row = await this.theme(trx, plan.id, themeId);
      const actions = (await loadPlan(trx, plan)).themes.find((t) => t.id === row.id)?.actions;
      const history = await updateHistory(
        trx,
        (actions ?? []).map((a) => a.id),
      );
      const before = {
        ...(await this.read(trx, row)),
        actions: (actions ?? []).map((a) => ({
          ...actionState(a),
          updates: history.get(a.id) ?? [],
        })),
      };
      await trx.deleteFrom('themes').where('id', '=', row.id).execute();
      await recordPlanChange(trx, actor, p.id, plan.id, {
        action: 'deleted',
        summary: `Deleted the theme ${row.title} and its ${plural(before.actions.length, 'action', 'actions')} from ${plan.title}`,
        before,
      });
    });
  }
}
