import type { FastifyInstance } from 'fastify';
import { auditForPartnership } from './audit.service.js';
import { actorOf } from '../partnerships/partnerships.routes.js';

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, db } = app.services;

  // Coordinators (and administrators) read their partnership's whole audit trail.
  app.get<{ Params: { slug: string }; Querystring: { page?: string } }>(
    '/partnerships/:slug/audit',
    async (request, reply) => {
      const actor = actorOf(request);
      const row = await partnerships.manageable(actor, request.params.slug);
      const p = await partnerships.get(actor, row.slug);
      const page = Math.max(
        1,
        Math.min(10_000, Number.parseInt(request.query.page ?? '1', 10) || 1),
      );
      const { events, hasMore } = await auditForPartnership(db, row.id, page);
      return reply.page('audit/views/audit.njk', {
        title: `Audit trail – ${p.name}`,
        p,
        events,
        page,
        hasMore,
      });
    },
  );
}
