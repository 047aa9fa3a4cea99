import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { attempt, type FormErrors } from '../../core/form-errors.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';

type Form = Record<string, string | undefined>;

const breadcrumbs = [{ text: 'Your account', href: '/account' }];

export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  const { tokens } = app.services;

  const listPage = async (actor: Actor, extra: { errors?: FormErrors; values?: Form } = {}) => ({
    title: 'API tokens',
    breadcrumbs,
    tokens: await tokens.list(actor),
    ...extra,
  });

  app.get<{ Querystring: Form }>('/account/tokens', async (request, reply) => {
    return reply.page('tokens/views/list.njk', {
      ...(await listPage(actorOf(request))),
      notice: request.query.notice === 'revoked' ? 'Token revoked. It no longer works.' : undefined,
    });
  });

  // The token is in this answer and nowhere else: it is not stored, so there is no redirect.
  app.post<{ Body: Form }>('/account/tokens', async (request, reply) => {
    const actor = actorOf(request);
    const r = await attempt(() => tokens.create(actor, request.body));
    if (!r.ok) {
      return reply
        .code(400)
        .page(
          'tokens/views/list.njk',
          await listPage(actor, { errors: r.errors, values: request.body }),
        );
    }
    return reply.page('tokens/views/created.njk', {
      title: 'Your new API token',
      breadcrumbs,
      name: request.body.name?.trim(),
      token: r.value.token,
    });
  });

  app.post<{ Params: { id: string } }>('/account/tokens/:id/revoke', async (request, reply) => {
    await tokens.revoke(actorOf(request), idParam(request.params.id));
    return reply.redirect('/account/tokens?notice=revoked', 303);
  });
}
