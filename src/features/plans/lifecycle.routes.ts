import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { attempt } from '../../core/form-errors.js';
import { plural } from '../../domain/words.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import { THEME_TYPE_LABELS } from './plans.schemas.js';

type PlanParams = { slug: string; planId: string };
type ThemeParams = PlanParams & { themeId: string };
type ActionParams = PlanParams & { actionId: string };
type RoundParams = PlanParams & { roundId: string };

/** The counts that are not zero, as bullets under "This also deletes:". */
function counted(parts: [n: number, one: string, many: string][]): string[] {
  return parts.filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many));
}

/** Deleting a round never deletes progress updates: they belong to the actions. */
function keptUpdates(n: number, month: string): string {
  if (n === 0) return `No progress updates have been posted for ${month}.`;
  if (n === 1) return `The progress update posted for ${month} stays on its action.`;
  return `The ${n} progress updates posted for ${month} stay on their actions.`;
}

/**
 * Removing parts of a plan, a whole draft plan, and closing or removing update rounds. Each
 * deletion has a page that says what goes with it before anything is deleted.
 */
export async function lifecycleRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, plans, themes, actions, rounds } = app.services;
  const planUrl = (slug: string, planId: number) => `/partnerships/${slug}/plans/${planId}`;

  /** Caption and breadcrumbs of a confirmation page; access is the service's to check first. */
  const frame = async (actor: Actor, slug: string, planId: number) => {
    const p = await partnerships.get(actor, slug);
    const plan = await plans.get(actor, slug, planId);
    return {
      p,
      plan,
      caption: `${plan.title} ${plan.periodLabel}`,
      breadcrumbs: [
        { text: p.name, href: `/partnerships/${p.slug}` },
        { text: 'Plans', href: `/partnerships/${p.slug}/plans` },
        { text: plan.title, href: planUrl(p.slug, plan.id) },
      ],
    };
  };

  const actionPath = '/partnerships/:slug/plans/:planId/actions/:actionId/delete';
  app.get<{ Params: ActionParams }>(actionPath, async (request, reply) => {
    const actor = actorOf(request);
    const { slug } = request.params;
    const planId = idParam(request.params.planId);
    const d = await actions.deletion(actor, slug, planId, idParam(request.params.actionId));
    const ctx = await frame(actor, slug, planId);
    const here = `${planUrl(ctx.p.slug, ctx.plan.id)}/actions/${d.action.id}`;
    return reply.page('plans/views/delete.njk', {
      ...ctx,
      title: `Are you sure you want to delete action ${d.action.number}?`,
      subject: `${d.action.number}: ${d.action.title}`,
      goes: counted([
        [d.milestones, 'milestone', 'milestones'],
        [d.updates, 'progress update', 'progress updates'],
      ]),
      nothingElse: 'It has no milestones or progress updates.',
      action: `${here}/delete`,
      button: 'Delete action',
      cancel: here,
    });
  });

  app.post<{ Params: ActionParams }>(actionPath, async (request, reply) => {
    const { slug, planId, actionId } = request.params;
    await actions.delete(actorOf(request), slug, idParam(planId), idParam(actionId));
    return reply.redirect(`${planUrl(slug, idParam(planId))}?notice=action-deleted`, 303);
  });

  const themePath = '/partnerships/:slug/plans/:planId/themes/:themeId/delete';
  app.get<{ Params: ThemeParams }>(themePath, async (request, reply) => {
    const actor = actorOf(request);
    const { slug } = request.params;
    const planId = idParam(request.params.planId);
    const d = await themes.deletion(actor, slug, planId, idParam(request.params.themeId));
    const ctx = await frame(actor, slug, planId);
    const plan = planUrl(ctx.p.slug, ctx.plan.id);
    return reply.page('plans/views/delete.njk', {
      ...ctx,
      title: `Are you sure you want to delete ${d.theme.title}?`,
      subject: `${THEME_TYPE_LABELS[d.theme.type]}: ${d.theme.title}`,
      goes: counted([
        [d.actions, 'action', 'actions'],
        [d.milestones, 'milestone', 'milestones'],
        [d.updates, 'progress update', 'progress updates'],
      ]),
      nothingElse: 'It has no actions.',
      action: `${plan}/themes/${d.theme.id}/delete`,
      button: 'Delete priority or theme',
      cancel: `${plan}#theme-${d.theme.id}`,
    });
  });

  app.post<{ Params: ThemeParams }>(themePath, async (request, reply) => {
    const { slug, planId, themeId } = request.params;
    await themes.delete(actorOf(request), slug, idParam(planId), idParam(themeId));
    return reply.redirect(`${planUrl(slug, idParam(planId))}?notice=theme-deleted`, 303);
  });

  const planPage = async (actor: Actor, slug: string, planId: number) => {
    const d = await plans.deletion(actor, slug, planId);
    const ctx = await frame(actor, slug, planId);
    const plan = planUrl(ctx.p.slug, ctx.plan.id);
    return {
      ...ctx,
      title: d.refusal
        ? 'You cannot delete this plan'
        : `Are you sure you want to delete ${d.plan.title} ${d.plan.periodLabel}?`,
      refusal: d.refusal,
      refusalLink:
        d.plan.status === 'adopted'
          ? { href: `${plan}/details`, text: 'Change the plan’s status' }
          : { href: plan, text: 'Back to the plan' },
      goes: counted([
        [d.themes, 'priority or theme', 'priorities and themes'],
        [d.actions, 'action', 'actions'],
        [d.updates, 'progress update', 'progress updates'],
        [d.rounds, 'update round', 'update rounds'],
      ]),
      nothingElse: 'It has no priorities, themes or actions yet.',
      action: `${plan}/delete`,
      button: 'Delete plan',
      cancel: plan,
    };
  };

  const planPath = '/partnerships/:slug/plans/:planId/delete';
  app.get<{ Params: PlanParams }>(planPath, async (request, reply) => {
    const { slug, planId } = request.params;
    return reply.page(
      'plans/views/delete.njk',
      await planPage(actorOf(request), slug, idParam(planId)),
    );
  });

  app.post<{ Params: PlanParams }>(planPath, async (request, reply) => {
    const actor = actorOf(request);
    const { slug } = request.params;
    const planId = idParam(request.params.planId);
    const r = await attempt(() => plans.delete(actor, slug, planId));
    if (!r.ok)
      return reply.code(400).page('plans/views/delete.njk', {
        ...(await planPage(actor, slug, planId)),
        errors: r.errors,
      });
    return reply.redirect(`/partnerships/${slug}/plans?notice=deleted`, 303);
  });

  const roundPath = '/partnerships/:slug/plans/:planId/rounds/:roundId';
  for (const [name, change] of [
    ['close', (a: Actor, s: string, p: number, r: number) => rounds.close(a, s, p, r)],
    ['reopen', (a: Actor, s: string, p: number, r: number) => rounds.reopen(a, s, p, r)],
  ] as const) {
    app.post<{ Params: RoundParams }>(`${roundPath}/${name}`, async (request, reply) => {
      const { slug, planId, roundId } = request.params;
      await change(actorOf(request), slug, idParam(planId), idParam(roundId));
      const notice = name === 'close' ? 'closed' : 'reopened';
      return reply.redirect(
        `${planUrl(slug, idParam(planId))}/rounds/${roundId}?notice=${notice}`,
        303,
      );
    });
  }

  app.get<{ Params: RoundParams }>(`${roundPath}/delete`, async (request, reply) => {
    const actor = actorOf(request);
    const { slug } = request.params;
    const planId = idParam(request.params.planId);
    const d = await rounds.deletion(actor, slug, planId, idParam(request.params.roundId));
    const ctx = await frame(actor, slug, planId);
    const here = `${planUrl(ctx.p.slug, ctx.plan.id)}/rounds/${d.round.id}`;
    const month = d.round.monthLabel;
    return reply.page('plans/views/delete.njk', {
      ...ctx,
      title: `Are you sure you want to delete the ${month} update round?`,
      goes: counted([[d.reminders, 'recorded reminder', 'recorded reminders']]),
      nothingElse: 'No reminders have been recorded for it.',
      kept: keptUpdates(d.updates, month),
      hint: d.round.closedAt
        ? undefined
        : 'To stop asking leads for updates but keep the round, close it instead.',
      action: `${here}/delete`,
      button: 'Delete update round',
      cancel: here,
    });
  });

  app.post<{ Params: RoundParams }>(`${roundPath}/delete`, async (request, reply) => {
    const { slug, planId, roundId } = request.params;
    await rounds.delete(actorOf(request), slug, idParam(planId), idParam(roundId));
    return reply.redirect(`${planUrl(slug, idParam(planId))}/rounds?notice=deleted`, 303);
  });
}
