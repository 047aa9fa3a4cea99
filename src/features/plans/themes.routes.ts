import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { attempt } from '../../core/form-errors.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import { base, managedPlan, type Form, type PlanParams } from './plans.routes.js';
import { THEME_TYPES, THEME_TYPE_LABELS } from './plans.schemas.js';

type ThemeParams = PlanParams & { themeId: string };

const THEME_ITEMS = THEME_TYPES.map((t) => ({ value: t, text: THEME_TYPE_LABELS[t] }));

/** A plan's priorities and cross-cutting themes: add, change and move (coordinators). */
export async function themeRoutes(app: FastifyInstance): Promise<void> {
  const { themes } = app.services;
  const managed = (actor: Actor, slug: string, planId: string) =>
    managedPlan(app.services, actor, slug, planId);

  const themePage = (ctx: Awaited<ReturnType<typeof managed>>, values: Form, themeId?: number) => ({
    ...ctx,
    title: themeId ? 'Change a priority or theme' : 'Add a priority or theme',
    values,
    themeId,
    typeItems: THEME_ITEMS,
    typeLabels: THEME_TYPE_LABELS,
  });

  app.get<{ Params: PlanParams }>(
    '/partnerships/:slug/plans/:planId/themes/new',
    async (request, reply) => {
      const ctx = await managed(actorOf(request), request.params.slug, request.params.planId);
      return reply.page('plans/views/theme.njk', themePage(ctx, {}));
    },
  );

  app.post<{ Params: PlanParams; Body: Form }>(
    '/partnerships/:slug/plans/:planId/themes/new',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug, planId } = request.params;
      const r = await attempt(() => themes.add(actor, slug, idParam(planId), request.body));
      if (!r.ok) {
        const ctx = await managed(actor, slug, planId);
        return reply
          .code(400)
          .page('plans/views/theme.njk', { ...themePage(ctx, request.body), errors: r.errors });
      }
      return reply.redirect(`${base(slug)}/${planId}?notice=theme#theme-${r.value.id}`, 303);
    },
  );

  app.get<{ Params: ThemeParams }>(
    '/partnerships/:slug/plans/:planId/themes/:themeId/edit',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug, planId } = request.params;
      const ctx = await managed(actor, slug, planId);
      const theme = await themes.get(actor, slug, ctx.plan.id, idParam(request.params.themeId));
      const values = {
        type: theme.type,
        title: theme.title,
        summary: theme.summary,
        priorityActions: theme.priorityActions.join('\n'),
        version: String(theme.version),
      };
      return reply.page('plans/views/theme.njk', themePage(ctx, values, theme.id));
    },
  );

  app.post<{ Params: ThemeParams; Body: Form }>(
    '/partnerships/:slug/plans/:planId/themes/:themeId/edit',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug, planId } = request.params;
      const themeId = idParam(request.params.themeId);
      const r = await attempt(() =>
        themes.update(actor, slug, idParam(planId), themeId, request.body),
      );
      if (!r.ok) {
        const ctx = await managed(actor, slug, planId);
        // After a clash, show the saved version and let the next save build on it.
        const saved = r.conflict ? await themes.get(actor, slug, ctx.plan.id, themeId) : undefined;
        const values = saved ? { ...request.body, version: String(saved.version) } : request.body;
        return reply.code(400).page('plans/views/theme.njk', {
          ...themePage(ctx, values, themeId),
          saved,
          errors: r.errors,
        });
      }
      return reply.redirect(`${base(slug)}/${planId}?notice=theme#theme-${themeId}`, 303);
    },
  );

  app.post<{ Params: ThemeParams; Body: Form }>(
    '/partnerships/:slug/plans/:planId/themes/:themeId/move',
    async (request, reply) => {
      const { slug, planId } = request.params;
      const direction = request.body.direction === 'up' ? 'up' : 'down';
      const themeId = idParam(request.params.themeId);
      await themes.move(actorOf(request), slug, idParam(planId), themeId, direction);
      return reply.redirect(`${base(slug)}/${planId}#theme-${themeId}`, 303);
    },
  );
}
