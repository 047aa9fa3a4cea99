import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { ForbiddenError } from '../../core/errors.js';
import { attempt } from '../../core/form-errors.js';
import { monthLabel } from '../../domain/periods.js';
import { STATUSES, STATUS_LABELS } from '../../domain/statuses.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import type { Plan, PlanAction } from './plans.repository.js';
import type { Services } from '../../services.js';
import {
  PLAN_STATUSES,
  PLAN_STATUS_LABELS,
  SPARE_ROWS,
  THEME_TYPE_LABELS,
} from './plans.schemas.js';
import { planPartVersion, type PlanPart } from './plans.service.js';

export type Form = Record<string, string | string[] | undefined>;
type SlugParams = { slug: string };
export type PlanParams = { slug: string; planId: string };
type ActionParams = PlanParams & { actionId: string };

const NOTICES: Record<string, string> = {
  created: 'Plan created.',
  saved: 'Plan saved.',
  theme: 'Theme saved.',
  action: 'Action saved.',
  update: 'Update posted.',
  'action-deleted': 'Action deleted.',
  'theme-deleted': 'Priority or theme deleted.',
};

const STATUS_ITEMS = PLAN_STATUSES.map((s) => ({ value: s, text: PLAN_STATUS_LABELS[s] }));

/** Numbered rows for a list form: the filled ones, then a few blank ones. */
function rowCount(values: Form, field: string, filled: number): number {
  let last = filled;
  for (const key of Object.keys(values)) {
    const m = new RegExp(`^${field}(\\d+)$`).exec(key);
    if (m && values[key]) last = Math.max(last, Number(m[1]));
  }
  return last + SPARE_ROWS;
}

/** "Priority 2", "Cross-cutting theme 1": each kind is counted on its own, as the plans do. */
function themeLabels(plan: Plan): Record<number, string> {
  const seen = { priority: 0, 'cross-cutting': 0 };
  return Object.fromEntries(
    plan.themes.map((t) => {
      seen[t.type] += 1;
      return [
        t.id,
        `${t.type === 'priority' ? 'Priority' : 'Cross-cutting theme'} ${seen[t.type]}`,
      ];
    }),
  );
}

function actionValues(action: PlanAction): Form {
  const values: Form = {
    version: String(action.version),
    themeId: String(action.themeId),
    number: action.number,
    title: action.title,
    desiredOutcome: action.desiredOutcome,
    leads: action.leads.map((l) => `${l.type}:${l.id}`),
  };
  action.milestones.forEach((m, i) => {
    values[`milestone${i + 1}`] = m.text;
    values[`timescale${i + 1}`] = m.timescale;
  });
  return values;
}

export const base = (slug: string) => `/partnerships/${slug}/plans`;

/** The plan for a form page: 404 outside the actor's partnerships, 403 unless they manage it. */
export async function managedPlan(
  services: Pick<Services, 'partnerships' | 'plans'>,
  actor: Actor,
  slug: string,
  planId: string,
) {
  const p = await services.partnerships.get(actor, slug);
  const plan = await services.plans.get(actor, slug, idParam(planId));
  if (!plan.canManage)
    throw new ForbiddenError('Only the partnership’s coordinators can change its plans');
  const breadcrumbs = [
    { text: p.name, href: `/partnerships/${p.slug}` },
    { text: 'Plans', href: base(p.slug) },
    { text: plan.title, href: `${base(p.slug)}/${plan.id}` },
  ];
  return { p, plan, breadcrumbs };
}

export async function planRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, plans, actions, updates } = app.services;

  const managed = (actor: Actor, slug: string, planId: string) =>
    managedPlan(app.services, actor, slug, planId);

  app.get<{ Params: SlugParams; Querystring: Form }>(
    '/partnerships/:slug/plans',
    async (request, reply) => {
      const actor = actorOf(request);
      const p = await partnerships.get(actor, request.params.slug);
      return reply.page('plans/views/list.njk', {
        title: `Plans – ${p.name}`,
        p,
        plans: await plans.list(actor, p.slug),
        statusLabels: PLAN_STATUS_LABELS,
        notice: request.query.notice === 'deleted' ? 'Plan deleted.' : undefined,
      });
    },
  );

  const newPage = async (actor: Actor, slug: string, values: Form) => {
    const p = await partnerships.get(actor, slug);
    await partnerships.manageable(actor, slug);
    return {
      title: 'Create a plan',
      p,
      values,
      breadcrumbs: [
        { text: p.name, href: `/partnerships/${p.slug}` },
        { text: 'Plans', href: base(p.slug) },
      ],
    };
  };

  app.get<{ Params: SlugParams }>('/partnerships/:slug/plans/new', async (request, reply) =>
    reply.page('plans/views/new.njk', await newPage(actorOf(request), request.params.slug, {})),
  );

  app.post<{ Params: SlugParams; Body: Form }>(
    '/partnerships/:slug/plans/new',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const r = await attempt(() => plans.create(actor, slug, request.body));
      if (!r.ok)
        return reply.code(400).page('plans/views/new.njk', {
          ...(await newPage(actor, slug, request.body)),
          errors: r.errors,
        });
      return reply.redirect(`${base(slug)}/${r.value.id}?notice=created`, 303);
    },
  );

  app.get<{ Params: PlanParams; Querystring: Form }>(
    '/partnerships/:slug/plans/:planId',
    async (request, reply) => {
      const actor = actorOf(request);
      const p = await partnerships.get(actor, request.params.slug);
      const plan = await plans.get(actor, p.slug, idParam(request.params.planId));
      return reply.page('plans/views/show.njk', {
        title: `${plan.title} ${plan.periodLabel}`,
        p,
        plan,
        themeLabels: themeLabels(plan),
        statusLabels: PLAN_STATUS_LABELS,
        actionStatusLabels: STATUS_LABELS,
        monthLabel,
        notice: NOTICES[String(request.query.notice ?? '')],
        breadcrumbs: [
          { text: p.name, href: `/partnerships/${p.slug}` },
          { text: 'Plans', href: base(p.slug) },
        ],
      });
    },
  );

  // One form per part of the plan: its template, how to fill it, and the service call.
  const parts: Record<
    PlanPart,
    {
      title: string;
      values: (plan: Plan) => Form;
      save: (actor: Actor, slug: string, planId: number, body: Form) => Promise<unknown>;
    }
  > = {
    details: {
      title: 'Change the title or status',
      values: (plan) => ({ title: plan.title, status: plan.status }),
      save: (actor, slug, id, body) => plans.updateDetails(actor, slug, id, body),
    },
    sections: {
      title: 'Change the written sections',
      values: (plan) => ({
        introduction: plan.introduction,
        background: plan.background,
        delivery: plan.delivery,
        performanceMonitoring: plan.performanceMonitoring,
      }),
      save: (actor, slug, id, body) => plans.updateSections(actor, slug, id, body),
    },
    drivers: {
      title: 'Change the strategic drivers',
      values: (plan) => ({ drivers: plan.drivers.join('\n') }),
      save: (actor, slug, id, body) => plans.updateDrivers(actor, slug, id, body),
    },
    risks: {
      title: 'Change the risk register',
      values: (plan) =>
        Object.fromEntries(
          plan.risks.flatMap((r, i) => [
            [`risk${i + 1}`, r.risk],
            [`description${i + 1}`, r.description],
          ]),
        ),
      save: (actor, slug, id, body) => plans.updateRisks(actor, slug, id, body),
    },
  };

  for (const [name, part] of Object.entries(parts) as [PlanPart, (typeof parts)[PlanPart]][]) {
    const page = (ctx: Awaited<ReturnType<typeof managed>>, values: Form) => ({
      ...ctx,
      title: part.title,
      part: name,
      values,
      statusItems: STATUS_ITEMS,
      statusLabels: PLAN_STATUS_LABELS,
      rows: rowCount(values, 'risk', ctx.plan.risks.length),
    });
    app.get<{ Params: PlanParams }>(
      `/partnerships/:slug/plans/:planId/${name}`,
      async (request, reply) => {
        const ctx = await managed(actorOf(request), request.params.slug, request.params.planId);
        return reply.page(
          `plans/views/${name}.njk`,
          page(ctx, { ...part.values(ctx.plan), basedOn: planPartVersion(ctx.plan, name) }),
        );
      },
    );
    app.post<{ Params: PlanParams; Body: Form }>(
      `/partnerships/:slug/plans/:planId/${name}`,
      async (request, reply) => {
        const actor = actorOf(request);
        const { slug } = request.params;
        const planId = idParam(request.params.planId);
        const r = await attempt(() => part.save(actor, slug, planId, request.body));
        if (!r.ok) {
          const ctx = await managed(actor, slug, request.params.planId);
          // After a clash, show what was saved and let the next save build on it.
          const values = r.conflict
            ? { ...request.body, basedOn: planPartVersion(ctx.plan, name) }
            : request.body;
          return reply.code(r.conflict ? 409 : 400).page(`plans/views/${name}.njk`, {
            ...page(ctx, values),
            saved: r.conflict ? ctx.plan : undefined,
            errors: r.errors,
          });
        }
        return reply.redirect(`${base(slug)}/${planId}?notice=saved`, 303);
      },
    );
  }

  const actionPage = async (
    actor: Actor,
    ctx: Awaited<ReturnType<typeof managed>>,
    values: Form,
    actionId?: number,
  ) => {
    const choices = await actions.leadChoices(actor, ctx.p.slug);
    const chosen = new Set([values.leads ?? []].flat());
    const leadItems = [
      ...choices.agencies.map((a) => ({ value: `agency:${a.id}`, text: a.name, hint: 'Agency' })),
      ...choices.groups.map((g) => ({ value: `group:${g.id}`, text: g.name, hint: 'Group' })),
    ].map((i) => ({ ...i, hint: { text: i.hint }, checked: chosen.has(i.value) }));
    const filled = Object.keys(values).filter((k) => /^milestone\d+$/.test(k)).length;
    return {
      ...ctx,
      title: actionId ? 'Change an action' : 'Add an action',
      values,
      actionId,
      leadItems,
      themeItems: ctx.plan.themes.map((t) => ({
        value: String(t.id),
        text: `${THEME_TYPE_LABELS[t.type]}: ${t.title}`,
      })),
      rows: rowCount(values, 'milestone', filled),
    };
  };

  app.get<{ Params: PlanParams; Querystring: Form }>(
    '/partnerships/:slug/plans/:planId/actions/new',
    async (request, reply) => {
      const actor = actorOf(request);
      const ctx = await managed(actor, request.params.slug, request.params.planId);
      const values = { themeId: String(request.query.themeId ?? '') };
      return reply.page('plans/views/action.njk', await actionPage(actor, ctx, values));
    },
  );

  app.post<{ Params: PlanParams; Body: Form }>(
    '/partnerships/:slug/plans/:planId/actions/new',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug, planId } = request.params;
      const r = await attempt(() => actions.add(actor, slug, idParam(planId), request.body));
      if (!r.ok) {
        const ctx = await managed(actor, slug, planId);
        return reply.code(400).page('plans/views/action.njk', {
          ...(await actionPage(actor, ctx, request.body)),
          errors: r.errors,
        });
      }
      return reply.redirect(`${base(slug)}/${planId}?notice=action#action-${r.value.id}`, 303);
    },
  );

  app.get<{ Params: ActionParams }>(
    '/partnerships/:slug/plans/:planId/actions/:actionId/edit',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug, planId } = request.params;
      const ctx = await managed(actor, slug, planId);
      const action = await actions.get(actor, slug, ctx.plan.id, idParam(request.params.actionId));
      return reply.page(
        'plans/views/action.njk',
        await actionPage(actor, ctx, actionValues(action), action.id),
      );
    },
  );

  app.post<{ Params: ActionParams; Body: Form }>(
    '/partnerships/:slug/plans/:planId/actions/:actionId/edit',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug, planId } = request.params;
      const actionId = idParam(request.params.actionId);
      const r = await attempt(() =>
        actions.update(actor, slug, idParam(planId), actionId, request.body),
      );
      if (!r.ok) {
        const ctx = await managed(actor, slug, planId);
        // After a clash, show the saved version and let the next save build on it.
        const saved = r.conflict
          ? await actions.get(actor, slug, ctx.plan.id, actionId)
          : undefined;
        const values = saved ? { ...request.body, version: String(saved.version) } : request.body;
        return reply.code(400).page('plans/views/action.njk', {
          ...(await actionPage(actor, ctx, values, actionId)),
          saved,
          errors: r.errors,
        });
      }
      return reply.redirect(`${base(slug)}/${planId}?notice=action#action-${actionId}`, 303);
    },
  );

  const actionShow = async (actor: Actor, slug: string, planId: string, actionId: string) => {
    const {
      partnership: p,
      plan,
      action,
      updates: history,
      canUpdate,
    } = await updates.list(actor, slug, idParam(planId), idParam(actionId));
    return {
      title: `Action ${action.number} – ${plan.title} ${plan.periodLabel}`,
      p,
      plan,
      action,
      history: history.map((u) => ({ ...u, monthLabel: monthLabel(u.month) })),
      canUpdate,
      basedOn: String(history[0]?.id ?? ''),
      statusLabels: STATUS_LABELS,
      statusItems: STATUSES.map((s) => ({ value: s, text: STATUS_LABELS[s] })),
      breadcrumbs: [
        { text: p.name, href: `/partnerships/${p.slug}` },
        { text: 'Plans', href: base(p.slug) },
        { text: plan.title, href: `${base(p.slug)}/${plan.id}` },
      ],
    };
  };

  app.get<{ Params: ActionParams; Querystring: Form }>(
    '/partnerships/:slug/plans/:planId/actions/:actionId',
    async (request, reply) => {
      const { slug, planId, actionId } = request.params;
      const actor = actorOf(request);
      return reply.keptPage(await partnerships.pageVersion(actor, slug), async () => [
        'plans/views/action-show.njk',
        {
          ...(await actionShow(actor, slug, planId, actionId)),
          values: {},
          notice: NOTICES[String(request.query.notice ?? '')],
        },
      ]);
    },
  );

  app.post<{ Params: ActionParams; Body: Form }>(
    '/partnerships/:slug/plans/:planId/actions/:actionId/updates',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug, planId, actionId } = request.params;
      const r = await attempt(() =>
        updates.post(actor, slug, idParam(planId), idParam(actionId), request.body),
      );
      const page = `${base(slug)}/${planId}/actions/${actionId}`;
      if (!r.ok) {
        const ctx = await actionShow(actor, slug, planId, actionId);
        if (!ctx.canUpdate)
          throw new ForbiddenError('Only coordinators and the action’s own leads can update it');
        return reply.code(400).page('plans/views/action-show.njk', {
          ...ctx,
          values: request.body,
          errors: r.errors,
        });
      }
      return reply.redirect(`${page}?notice=update`, 303);
    },
  );

  const rollPath = '/partnerships/:slug/plans/:planId/roll-forward';
  app.get<{ Params: PlanParams }>(rollPath, async (request, reply) => {
    const actor = actorOf(request);
    const { slug, planId } = request.params;
    const ctx = await managed(actor, slug, planId);
    const values = await plans.rollForwardDefaults(actor, slug, ctx.plan.id);
    return reply.page('plans/views/roll-forward.njk', { ...ctx, title: 'Roll forward', values });
  });

  app.post<{ Params: PlanParams; Body: Form }>(rollPath, async (request, reply) => {
    const actor = actorOf(request);
    const { slug, planId } = request.params;
    const r = await attempt(() => plans.rollForward(actor, slug, idParam(planId), request.body));
    if (!r.ok) {
      const ctx = await managed(actor, slug, planId);
      return reply.code(400).page('plans/views/roll-forward.njk', {
        ...ctx,
        title: 'Roll forward',
        values: request.body,
        errors: r.errors,
      });
    }
    return reply.redirect(`${base(slug)}/${r.value.id}?notice=created`, 303);
  });
}
