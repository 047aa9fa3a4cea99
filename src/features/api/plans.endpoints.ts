import { idParam } from '../partnerships/partnerships.routes.js';
import { newPlanSchema, planDetailsSchema } from '../plans/plans.schemas.js';
import { updateSchema } from '../plans/updates.service.js';
import { Action, ActionUpdate, Plan, PlanMilestone, PlanSummary, Theme } from './api.schemas.js';
import { endpoint, type Endpoint } from './endpoint.js';
import {
  ActionBody,
  ActionPatch,
  actionInput,
  actionJson,
  asText,
  ThemeBody,
  ThemePatch,
  withJsonFields,
} from './plans.bodies.js';

const PLAN = '/partnerships/{slug}/plans/{planId}';
const ACTION = `${PLAN}/actions/{actionId}`;

/** Community safety plans: their themes, numbered actions, milestones and progress updates. */
export const PLAN_ENDPOINTS: Endpoint[] = [
  endpoint({
    method: 'GET',
    path: '/partnerships/{slug}/plans',
    summary: 'The partnership’s plans, latest period first',
    tag: 'Plans',
    status: 200,
    response: { schema: PlanSummary, list: true },
    run: ({ services, actor, params }) => services.plans.list(actor, params.slug),
  }),
  endpoint({
    method: 'POST',
    path: '/partnerships/{slug}/plans',
    summary:
      'Create a draft plan (coordinators), for a period like 2024/25 or 2016 to 2020; one plan a period',
    tag: 'Plans',
    body: newPlanSchema,
    status: 201,
    response: { schema: PlanSummary },
    run: ({ services, actor, params, body }) => services.plans.create(actor, params.slug, body),
  }),
  endpoint({
    method: 'GET',
    path: PLAN,
    summary:
      'The whole plan: its sections, drivers and risks, and its themes in order with their actions',
    tag: 'Plans',
    status: 200,
    response: { schema: Plan },
    run: ({ services, actor, params }) =>
      services.plans.get(actor, params.slug, idParam(params.planId)),
  }),
  endpoint({
    method: 'PATCH',
    path: PLAN,
    summary: 'Change a plan’s title or status (coordinators); fields left out keep their value',
    tag: 'Plans',
    body: planDetailsSchema.partial(),
    status: 200,
    response: { schema: Plan },
    run: async ({ services, actor, params, body }) => {
      const planId = idParam(params.planId);
      const plan = await services.plans.get(actor, params.slug, planId);
      const current = { title: plan.title, status: plan.status };
      await services.plans.updateDetails(actor, params.slug, planId, { ...current, ...body });
      return services.plans.get(actor, params.slug, planId);
    },
  }),
  endpoint({
    method: 'DELETE',
    path: PLAN,
    summary:
      'Delete a draft plan and everything in it (coordinators), for example one imported from the wrong file',
    tag: 'Plans',
    status: 204,
    refusal: 'The plan is adopted or archived: only a draft can be deleted',
    run: ({ services, actor, params }) =>
      services.plans.delete(actor, params.slug, idParam(params.planId)),
  }),
  endpoint({
    method: 'POST',
    path: `${PLAN}/themes`,
    summary: 'Add a priority or cross-cutting theme at the end of the plan (coordinators)',
    tag: 'Plans',
    body: ThemeBody,
    status: 201,
    response: { schema: Theme },
    run: async ({ services, actor, params, body }) => {
      const planId = idParam(params.planId);
      const { id } = await services.themes.add(actor, params.slug, planId, body);
      return services.themes.get(actor, params.slug, planId, id);
    },
  }),
  endpoint({
    method: 'PATCH',
    path: `${PLAN}/themes/{themeId}`,
    summary: 'Change a priority or theme (coordinators); fields left out keep their value',
    tag: 'Plans',
    body: ThemePatch,
    status: 200,
    response: { schema: Theme },
    conflict: 'The priority or theme has changed since the version the change is based on',
    run: async ({ services, actor, params, body }) => {
      const planId = idParam(params.planId);
      const themeId = idParam(params.themeId);
      // Without a version, the one just read: fields left out are then not put back stale.
      const theme = await services.themes.get(actor, params.slug, planId, themeId);
      await services.themes.update(actor, params.slug, planId, themeId, {
        ...theme,
        ...body,
        version: body.version === undefined ? String(theme.version) : asText(body.version),
      });
      return services.themes.get(actor, params.slug, planId, themeId);
    },
  }),
  endpoint({
    method: 'DELETE',
    path: `${PLAN}/themes/{themeId}`,
    summary:
      'Delete a priority or theme with its actions, their milestones and progress updates (coordinators)',
    tag: 'Plans',
    status: 204,
    run: ({ services, actor, params }) =>
      services.themes.delete(actor, params.slug, idParam(params.planId), idParam(params.themeId)),
  }),
  endpoint({
    method: 'GET',
    path: `${PLAN}/milestones`,
    summary:
      'Every milestone of the plan with its action, due date and whether it is overdue: what a reminder needs',
    tag: 'Actions',
    status: 200,
    response: { schema: PlanMilestone, list: true },
    run: ({ services, actor, params }) =>
      services.overview.milestones(actor, params.slug, idParam(params.planId)),
  }),
  endpoint({
    method: 'POST',
    path: `${PLAN}/actions`,
    summary: 'Add an action to the plan (coordinators)',
    tag: 'Actions',
    body: ActionBody,
    status: 201,
    response: { schema: Action },
    run: async ({ services, actor, params, body }) => {
      const planId = idParam(params.planId);
      const { id } = await withJsonFields(() =>
        services.actions.add(actor, params.slug, planId, actionInput(body)),
      );
      return services.actions.get(actor, params.slug, planId, id);
    },
  }),
  endpoint({
    method: 'GET',
    path: ACTION,
    summary: 'One action, with its milestones, leads and latest update',
    tag: 'Actions',
    status: 200,
    response: { schema: Action },
    run: ({ services, actor, params }) =>
      services.actions.get(actor, params.slug, idParam(params.planId), idParam(params.actionId)),
  }),
  endpoint({
    method: 'PATCH',
    path: ACTION,
    summary:
      'Change an action (coordinators); fields left out keep their value, and a list sent replaces the list',
    tag: 'Actions',
    body: ActionPatch,
    status: 200,
    response: { schema: Action },
    conflict: 'The action has changed since the version the change is based on',
    run: async ({ services, actor, params, body }) => {
      const planId = idParam(params.planId);
      const actionId = idParam(params.actionId);
      // Without a version, the one just read: fields left out are then not put back stale.
      const current = actionJson(await services.actions.get(actor, params.slug, planId, actionId));
      await withJsonFields(() =>
        services.actions.update(
          actor,
          params.slug,
          planId,
          actionId,
          actionInput({ ...current, ...body }),
        ),
      );
      return services.actions.get(actor, params.slug, planId, actionId);
    },
  }),
  endpoint({
    method: 'DELETE',
    path: ACTION,
    summary:
      'Delete an action with its milestones, progress updates and reminders (coordinators); the audit trail keeps them',
    tag: 'Actions',
    status: 204,
    run: ({ services, actor, params }) =>
      services.actions.delete(actor, params.slug, idParam(params.planId), idParam(params.actionId)),
  }),
  endpoint({
    method: 'GET',
    path: `${ACTION}/updates`,
    summary: 'The action’s progress updates, newest first',
    tag: 'Progress updates',
    status: 200,
    response: { schema: ActionUpdate, list: true },
    run: async ({ services, actor, params }) =>
      (
        await services.updates.list(
          actor,
          params.slug,
          idParam(params.planId),
          idParam(params.actionId),
        )
      ).updates,
  }),
  endpoint({
    method: 'POST',
    path: `${ACTION}/updates`,
    summary:
      'Post a progress update (coordinators, and leads whose agency or group leads the action)',
    tag: 'Progress updates',
    body: updateSchema,
    status: 201,
    response: { schema: ActionUpdate },
    conflict: 'Another update has been posted since the one given as basedOn',
    run: async ({ services, actor, params, body }) => {
      const planId = idParam(params.planId);
      const actionId = idParam(params.actionId);
      const { id } = await services.updates.post(actor, params.slug, planId, actionId, body);
      const { updates } = await services.updates.list(actor, params.slug, planId, actionId);
      return updates.find((u) => u.id === id);
    },
  }),
];
