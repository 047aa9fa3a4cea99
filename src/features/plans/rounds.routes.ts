import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { ForbiddenError } from '../../core/errors.js';
import { attempt } from '../../core/form-errors.js';
import {
  REPORT_GROUP_LABELS,
  STATUSES,
  STATUS_LABELS,
  type Status,
} from '../../domain/statuses.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';

type Form = Record<string, string | undefined>;

/** Tag colours by status; the words always say the status too. */
const STATUS_TAG_CLASSES: Record<Status, string> = {
  complete: 'govuk-tag--green',
  'in-progress': 'govuk-tag--blue',
  'not-started': 'govuk-tag--orange',
  'on-hold': 'govuk-tag--orange',
  'off-track': 'govuk-tag--orange',
};
type PlanParams = { slug: string; planId: string };
type RoundParams = PlanParams & { roundId: string };

const ROUND_NOTICES: Record<string, string> = {
  reminded: 'Reminder recorded.',
  closed: 'Round closed. Leads are no longer asked for updates for it.',
  reopened: 'Round reopened. Leads are asked for their updates again.',
};

export async function roundRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, plans, rounds, overview } = app.services;

  const listPage = async (actor: Actor, slug: string, planId: string, values: Form) => {
    const p = await partnerships.get(actor, slug);
    const plan = await plans.get(actor, slug, idParam(planId));
    return {
      title: `Update rounds – ${plan.title} ${plan.periodLabel}`,
      p,
      plan,
      rounds: await rounds.list(actor, slug, plan.id),
      values,
      breadcrumbs: [
        { text: p.name, href: `/partnerships/${p.slug}` },
        { text: 'Plans', href: `/partnerships/${p.slug}/plans` },
        { text: plan.title, href: `/partnerships/${p.slug}/plans/${plan.id}` },
      ],
    };
  };

  app.get<{ Params: PlanParams; Querystring: Form }>(
    '/partnerships/:slug/plans/:planId/rounds',
    async (request, reply) => {
      const { slug, planId } = request.params;
      return reply.page('plans/views/rounds.njk', {
        ...(await listPage(actorOf(request), slug, planId, {})),
        notice: request.query.notice === 'deleted' ? 'Update round deleted.' : undefined,
      });
    },
  );

  app.post<{ Params: PlanParams; Body: Form }>(
    '/partnerships/:slug/plans/:planId/rounds',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug, planId } = request.params;
      const r = await attempt(() => rounds.open(actor, slug, idParam(planId), request.body));
      if (!r.ok) {
        const page = await listPage(actor, slug, planId, request.body);
        if (!page.plan.canManage)
          throw new ForbiddenError('Only the partnership’s coordinators can open update rounds');
        return reply.code(400).page('plans/views/rounds.njk', { ...page, errors: r.errors });
      }
      return reply.redirect(`/partnerships/${slug}/plans/${planId}/rounds/${r.value.id}`, 303);
    },
  );

  const roundPage = async (actor: Actor, slug: string, planId: string, roundId: string) => {
    const p = await partnerships.get(actor, slug);
    const view = await rounds.get(actor, slug, idParam(planId), idParam(roundId));
    return {
      title: `${view.round.monthLabel} update round – ${view.plan.title}`,
      p,
      ...view,
      statusLabels: STATUS_LABELS,
      breadcrumbs: [
        { text: p.name, href: `/partnerships/${p.slug}` },
        { text: view.plan.title, href: `/partnerships/${p.slug}/plans/${view.plan.id}` },
        { text: 'Update rounds', href: `/partnerships/${p.slug}/plans/${view.plan.id}/rounds` },
      ],
    };
  };

  app.get<{ Params: RoundParams; Querystring: Form }>(
    '/partnerships/:slug/plans/:planId/rounds/:roundId',
    async (request, reply) => {
      const { slug, planId, roundId } = request.params;
      return reply.page('plans/views/round.njk', {
        ...(await roundPage(actorOf(request), slug, planId, roundId)),
        notice: ROUND_NOTICES[request.query.notice ?? ''],
      });
    },
  );

  app.post<{ Params: RoundParams & { actionId: string } }>(
    '/partnerships/:slug/plans/:planId/rounds/:roundId/actions/:actionId/remind',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug, planId, roundId, actionId } = request.params;
      const r = await attempt(() =>
        rounds.remind(actor, slug, idParam(planId), idParam(roundId), idParam(actionId)),
      );
      if (!r.ok)
        return reply.code(400).page('plans/views/round.njk', {
          ...(await roundPage(actor, slug, planId, roundId)),
          errors: r.errors,
        });
      return reply.redirect(
        `/partnerships/${slug}/plans/${planId}/rounds/${roundId}?notice=reminded`,
        303,
      );
    },
  );

  app.get<{ Params: PlanParams; Querystring: Form }>(
    '/partnerships/:slug/plans/:planId/overview',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug, planId } = request.params;
      const filters = {
        lead: request.query.lead || undefined,
        status: request.query.status || undefined,
        theme: request.query.theme || undefined,
      };
      return reply.keptPage(await partnerships.pageVersion(actor, slug), async () => {
        const view = await overview.get(actor, slug, idParam(planId), filters);
        const p = view.partnership;
        const option = (value: string, text: string, chosen?: string) => ({
          value,
          text,
          selected: value === (chosen ?? ''),
        });
        return [
          'plans/views/overview.njk',
          {
            title: `Where the plan stands – ${view.plan.title} ${view.plan.periodLabel}`,
            p,
            ...view,
            statusLabels: STATUS_LABELS,
            statusClasses: STATUS_TAG_CLASSES,
            groupLabels: REPORT_GROUP_LABELS,
            leadItems: [
              option('', 'All leads'),
              ...view.leadOptions.map((o) => option(o.value, o.text, filters.lead)),
            ],
            statusItems: [
              option('', 'All statuses'),
              ...STATUSES.map((s) => option(s, STATUS_LABELS[s], filters.status)),
            ],
            themeItems: [
              option('', 'All priorities and themes'),
              ...view.plan.themes.map((t) => option(String(t.id), t.title, filters.theme)),
            ],
            breadcrumbs: [
              { text: p.name, href: `/partnerships/${p.slug}` },
              { text: 'Plans', href: `/partnerships/${p.slug}/plans` },
              { text: view.plan.title, href: `/partnerships/${p.slug}/plans/${view.plan.id}` },
            ],
          },
        ];
      });
    },
  );
}
