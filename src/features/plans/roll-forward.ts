import type { Actor } from '../../core/actor.js';
import { parseInput } from '../../core/form-errors.js';
import { nowIso, type DbOrTrx } from '../../db/database.js';
import { readTimescale } from '../../domain/timescales.js';
import { recordAudit } from '../audit/audit.service.js';
import { insertDraftPlan, loadPlan, toSummary, type PlanSummary } from './plans.repository.js';
import { newPlanSchema } from './plans.schemas.js';
import type { PlanRow } from './plans.table.js';

/** The period after a plan's own, of the same length: 2024/25 gives 2025/26. */
export function nextPeriod(plan: PlanRow): string {
  const first = Number(plan.period_start.slice(0, 4));
  const last = Number(plan.period_end.slice(0, 4));
  const years = last - first;
  return years === 1
    ? `${last}/${String((last + 1) % 100).padStart(2, '0')}`
    : `${last} to ${last + years}`;
}

/**
 * Next year's draft: the same text, themes, actions, milestones and leads, without updates.
 * Milestone timescales are read again against the new plan's first day.
 */
export async function rollForward(
  trx: DbOrTrx,
  actor: Actor,
  partnershipId: number,
  from: PlanRow,
  input: unknown,
): Promise<PlanSummary> {
  const values = parseInput(newPlanSchema, input);
  const old = await loadPlan(trx, from);
  const now = nowIso();
  const plan = await insertDraftPlan(trx, partnershipId, values, {
    introduction: old.introduction,
    background: old.background,
    delivery: old.delivery,
    performance_monitoring: old.performanceMonitoring,
  });
  if (old.drivers.length)
    await trx
      .insertInto('plan_drivers')
      .values(old.drivers.map((text, i) => ({ plan_id: plan.id, position: i + 1, text })))
      .execute();
  if (old.risks.length)
    await trx
      .insertInto('plan_risks')
      .values(old.risks.map((r, i) => ({ plan_id: plan.id, position: i + 1, ...r })))
      .execute();
  let position = 0;
  for (const theme of old.themes) {
    const t = await trx
      .insertInto('themes')
      .values({
        plan_id: plan.id,
        type: theme.type,
        position: theme.position,
        title: theme.title,
        summary: theme.summary,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (theme.priorityActions.length)
      await trx
        .insertInto('theme_priority_actions')
        .values(theme.priorityActions.map((text, i) => ({ theme_id: t.id, position: i + 1, text })))
        .execute();
    for (const action of theme.actions) {
      const a = await trx
        .insertInto('actions')
        .values({
          plan_id: plan.id,
          theme_id: t.id,
          number: action.number,
          position: ++position,
          title: action.title,
          desired_outcome: action.desiredOutcome,
          milestone_note: action.milestoneNote,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (action.milestones.length)
        await trx
          .insertInto('milestones')
          .values(
            action.milestones.map((m, i) => {
              const read = m.timescale
                ? readTimescale(m.timescale, { start: plan.period_start })
                : null;
              return {
                action_id: a.id,
                position: i + 1,
                text: m.text,
                timescale: m.timescale,
                due_date: read?.due ?? null,
                timescale_note: read?.unread ?? null,
              };
            }),
          )
          .execute();
      if (action.leads.length)
        await trx
          .insertInto('action_leads')
          .values(
            action.leads.map((l) => ({
              action_id: a.id,
              agency_id: l.type === 'agency' ? l.id : null,
              group_id: l.type === 'group' ? l.id : null,
            })),
          )
          .execute();
    }
  }
  await recordAudit(trx, actor, {
    partnershipId,
    entityType: 'plan',
    entityId: plan.id,
    action: 'created',
    summary: `Rolled ${from.title} (${from.period_label}) forward into a draft for ${plan.period_label}`,
    after: { from: from.id, title: plan.title, period: plan.period_label },
  });
  return toSummary(plan);
}
