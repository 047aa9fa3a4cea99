import { z } from 'zod';
import type { Actor } from '../../core/actor.js';
import { NotFoundError } from '../../core/errors.js';
import { idField } from '../../core/schema-helpers.js';
import { STATUSES } from '../../domain/statuses.js';
import type { Services } from '../../services.js';
import { idParam } from '../partnerships/partnerships.routes.js';
import type { Lead } from '../plans/plans.repository.js';
import { roundSchema, type RoundRow } from '../plans/rounds.service.js';
import { PlanOverview, Round, RoundAction, RoundDetail } from './api.schemas.js';
import { endpoint, type Endpoint } from './endpoint.js';

const PLAN = '/partnerships/{slug}/plans/{planId}';
const ROUND = `${PLAN}/rounds/{roundId}`;

export const overviewQueryMessages = {
  lead: 'Lead must be written like agency:12 or group:3',
  status: `Status must be ${STATUSES.slice(0, -1).join(', ')} or ${STATUSES.at(-1) ?? ''}`,
  theme: 'Theme must be the id of one of the plan’s priorities or themes, like 12',
};

/** The overview page's filters, as query parameters. */
const OverviewQuery = z.object({
  lead: z
    .string({ error: overviewQueryMessages.lead })
    .regex(/^(agency|group):[1-9]\d*$/, overviewQueryMessages.lead)
    .optional()
    .meta({ description: 'Only actions this agency or group leads, like agency:12 or group:3' }),
  status: z
    .enum(STATUSES, { error: overviewQueryMessages.status })
    .optional()
    .meta({ description: 'Only actions whose latest update has this status' }),
  theme: idField(overviewQueryMessages.theme)
    .optional()
    .meta({ description: 'Only this priority or theme, by its id' }),
});

function roundAction(row: RoundRow): z.input<typeof RoundAction> {
  return {
    actionId: row.action.id,
    number: row.action.number,
    title: row.action.title,
    leads: row.action.leads,
    updated: row.update !== null,
    update: row.update,
    reminders: row.reminders,
  };
}

async function roundDetail(
  services: Services,
  actor: Actor,
  slug: string,
  planId: number,
  roundId: number,
): Promise<z.input<typeof RoundDetail>> {
  const view = await services.rounds.get(actor, slug, planId, roundId);
  return {
    ...view.round,
    counts: {
      actions: view.rows.length,
      updated: view.updated,
      notUpdated: view.rows.length - view.updated,
    },
    actions: view.rows.map(roundAction),
  };
}

/** The round as it is now, after a change that answers with it. */
async function roundNow(
  services: Services,
  actor: Actor,
  slug: string,
  planId: number,
  roundId: number,
) {
  const round = (await services.rounds.list(actor, slug, planId)).find((r) => r.id === roundId);
  if (!round) throw new NotFoundError('Update round');
  return round;
}

/** Update rounds of a plan, and where the plan stands: what coordinators chase leads with. */
export const ROUND_ENDPOINTS: Endpoint[] = [
  endpoint({
    method: 'GET',
    path: `${PLAN}/rounds`,
    summary: 'The plan’s update rounds, latest month first',
    tag: 'Update rounds',
    status: 200,
    response: { schema: Round, list: true },
    run: ({ services, actor, params }) =>
      services.rounds.list(actor, params.slug, idParam(params.planId)),
  }),
  endpoint({
    method: 'POST',
    path: `${PLAN}/rounds`,
    summary:
      'Open an update round (coordinators): the leads of every action are asked for an update for the month by the deadline; one round a month',
    tag: 'Update rounds',
    body: roundSchema,
    status: 201,
    response: { schema: Round },
    run: ({ services, actor, params, body }) =>
      services.rounds.open(actor, params.slug, idParam(params.planId), body),
  }),
  endpoint({
    method: 'GET',
    path: ROUND,
    summary:
      'One update round: every action with its leads, whether it has been updated for the month, and the reminders recorded',
    tag: 'Update rounds',
    status: 200,
    response: { schema: RoundDetail },
    run: ({ services, actor, params }) =>
      roundDetail(services, actor, params.slug, idParam(params.planId), idParam(params.roundId)),
  }),
  endpoint({
    method: 'POST',
    path: `${ROUND}/actions/{actionId}/reminders`,
    summary:
      'Record a reminder to the leads of an action not yet updated for the round (coordinators)',
    tag: 'Update rounds',
    status: 201,
    response: { schema: RoundAction },
    refusal: 'The round is closed, or the action has already been updated for it',
    run: async ({ services, actor, params }) => {
      const planId = idParam(params.planId);
      const roundId = idParam(params.roundId);
      const actionId = idParam(params.actionId);
      await services.rounds.remind(actor, params.slug, planId, roundId, actionId);
      const { rows } = await services.rounds.get(actor, params.slug, planId, roundId);
      const row = rows.find((r) => r.action.id === actionId);
      return row && roundAction(row);
    },
  }),
  endpoint({
    method: 'POST',
    path: `${ROUND}/close`,
    summary:
      'Close the round (coordinators): leads are no longer asked for updates for it, and reminders stop. A closed round stays closed',
    tag: 'Update rounds',
    status: 200,
    response: { schema: Round },
    run: async ({ services, actor, params }) => {
      const planId = idParam(params.planId);
      const roundId = idParam(params.roundId);
      await services.rounds.close(actor, params.slug, planId, roundId);
      return roundNow(services, actor, params.slug, planId, roundId);
    },
  }),
  endpoint({
    method: 'POST',
    path: `${ROUND}/reopen`,
    summary:
      'Reopen a closed round (coordinators): leads are asked for their updates again. An open round stays open',
    tag: 'Update rounds',
    status: 200,
    response: { schema: Round },
    run: async ({ services, actor, params }) => {
      const planId = idParam(params.planId);
      const roundId = idParam(params.roundId);
      await services.rounds.reopen(actor, params.slug, planId, roundId);
      return roundNow(services, actor, params.slug, planId, roundId);
    },
  }),
  endpoint({
    method: 'DELETE',
    path: ROUND,
    summary:
      'Delete the round and its recorded reminders (coordinators). Progress updates posted for its month stay on their actions',
    tag: 'Update rounds',
    status: 204,
    run: ({ services, actor, params }) =>
      services.rounds.delete(actor, params.slug, idParam(params.planId), idParam(params.roundId)),
  }),
  endpoint({
    method: 'GET',
    path: `${PLAN}/overview`,
    summary:
      'Where the plan stands: per priority or theme, actions in the three report groups, overdue milestones and actions not updated for the current round, filtered as on the page',
    tag: 'Plans',
    query: OverviewQuery,
    status: 200,
    response: { schema: PlanOverview },
    run: async ({ services, actor, params, query }) => {
      const view = await services.overview.get(actor, params.slug, idParam(params.planId), {
        ...query,
        theme: query.theme === undefined ? undefined : String(query.theme),
      });
      const round = view.round;
      return {
        planId: view.plan.id,
        round: round && {
          id: round.id,
          month: round.month,
          deadline: round.deadline,
          closedAt: round.closed_at,
        },
        leads: view.leadOptions.map((o) => {
          const [type, id] = o.value.split(':');
          return { type: type as Lead['type'], id: Number(id), name: o.text };
        }),
        themes: view.themes.map((t) => ({
          ...t.theme,
          counts: t.counts,
          overdueMilestones: t.overdue,
          notUpdated: round ? t.notUpdated : null,
          actions: t.actions.map((a) => ({
            ...a,
            overdueMilestones: a.overdue,
            updatedInRound: round ? a.updatedInRound : null,
          })),
        })),
      } satisfies z.input<typeof PlanOverview>;
    },
  }),
];
