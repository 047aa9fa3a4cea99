import type { FastifyInstance } from 'fastify';

/** Pages about the service itself, open to everyone, signed in or not. */
export async function aboutRoutes(app: FastifyInstance): Promise<void> {
  app.get('/accessibility', { config: { public: true } }, async (_request, reply) =>
    reply.page('about/views/accessibility.njk', {}),
  );
}
