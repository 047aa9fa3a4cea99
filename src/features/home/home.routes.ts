import type { FastifyInstance } from 'fastify';

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships } = app.services;

  app.get<{ Querystring: Record<string, string> }>('/', async (request, reply) => {
    const actor = request.actor;
    if (!actor) return reply.redirect('/sign-in');
    const mine = await partnerships.listFor(actor);
    return reply.page('home/views/home.njk', {
      title: 'Home',
      member: mine.filter((p) => p.role !== null),
      // County coordinators read their districts without being members of them.
      readable: mine.filter((p) => p.role === null),
      notice: 'password-set' in request.query ? 'Your password is set.' : undefined,
    });
  });
}
