import type { FastifyInstance } from 'fastify';
import { attempt } from '../../core/form-errors.js';
import { actorOf } from '../partnerships/partnerships.routes.js';
import { AGENCY_KINDS, AGENCY_KIND_LABELS } from './agencies.schemas.js';

const KIND_ITEMS = AGENCY_KINDS.map((k) => ({ value: k, text: AGENCY_KIND_LABELS[k] }));

export async function agencyRoutes(app: FastifyInstance): Promise<void> {
  const { agencies } = app.services;

  app.get<{ Querystring: { added?: string } }>('/agencies', async (request, reply) => {
    const actor = actorOf(request);
    return reply.page('agencies/views/list.njk', {
      title: 'Agencies',
      agencies: await agencies.list(),
      kindLabels: AGENCY_KIND_LABELS,
      canCreate: agencies.canCreate(actor),
      notice: request.query.added ? 'Agency added.' : undefined,
    });
  });

  app.get('/agencies/new', async (request, reply) => {
    agencies.assertCanCreate(actorOf(request));
    return reply.page('agencies/views/new.njk', {
      title: 'Add an agency',
      values: {},
      kindItems: KIND_ITEMS,
    });
  });

  app.post<{ Body: Record<string, string> }>('/agencies/new', async (request, reply) => {
    const r = await attempt(() => agencies.create(actorOf(request), request.body));
    if (!r.ok) {
      return reply.code(400).page('agencies/views/new.njk', {
        title: 'Add an agency',
        values: request.body,
        kindItems: KIND_ITEMS,
        errors: r.errors,
      });
    }
    return reply.redirect('/agencies?added=1', 303);
  });
}
