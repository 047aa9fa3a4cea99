import type { FastifyInstance } from 'fastify';
import { plural } from '../../domain/words.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';

type IndicatorParams = { slug: string; indicatorId: string };

/**
 * Deleting an indicator: a page says how many figures go with it before anything is deleted,
 * as for the parts of a plan (plans/views/delete.njk).
 */
export async function indicatorDeleteRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, indicators } = app.services;
  const path = '/partnerships/:slug/indicators/:indicatorId/delete';

  app.get<{ Params: IndicatorParams }>(path, async (request, reply) => {
    const actor = actorOf(request);
    const { slug } = request.params;
    const d = await indicators.deletion(actor, slug, idParam(request.params.indicatorId));
    const p = await partnerships.get(actor, slug);
    const here = `/partnerships/${p.slug}/indicators/${d.indicator.id}`;
    const goes = [
      [d.months, 'monthly value', 'monthly values'],
      [d.totals, '12-month total', '12-month totals'],
    ] as const;
    return reply.page('plans/views/delete.njk', {
      p,
      caption: p.name,
      title: `Are you sure you want to delete ${d.indicator.name}?`,
      subject: d.indicator.name,
      goes: goes.filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many)),
      nothingElse: 'It has no figures.',
      action: `${here}/delete`,
      button: 'Delete indicator',
      cancel: here,
      breadcrumbs: [
        { text: p.name, href: `/partnerships/${p.slug}` },
        { text: 'Indicators', href: `/partnerships/${p.slug}/indicators` },
        { text: d.indicator.name, href: here },
      ],
    });
  });

  app.post<{ Params: IndicatorParams }>(path, async (request, reply) => {
    const { slug } = request.params;
    await indicators.delete(actorOf(request), slug, idParam(request.params.indicatorId));
    return reply.redirect(`/partnerships/${slug}/indicators?notice=deleted`, 303);
  });
}
