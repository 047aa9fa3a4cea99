import type { FastifyInstance } from 'fastify';
import { actorOf } from '../partnerships/partnerships.routes.js';
import { ROLE_LABELS } from '../partnerships/partnerships.schemas.js';

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  const { home } = app.services;

  app.get<{ Querystring: Record<string, string> }>('/', async (request, reply) => {
    return reply.page('home/views/home.njk', {
      title: 'Home',
      ...(await home.forActor(actorOf(request))),
      roleLabels: ROLE_LABELS,
      notice: 'password-set' in request.query ? 'Your password is set.' : undefined,
    });
  });
}
