import type { FastifyInstance } from 'fastify';
import { attempt } from '../../core/form-errors.js';
import { actorOf } from '../partnerships/partnerships.routes.js';
import { ROLE_LABELS } from '../partnerships/partnerships.schemas.js';

type Form = Record<string, string | undefined>;

const accountCrumb = { text: 'Your account', href: '/account' };

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const { accounts } = app.services;

  app.get<{ Querystring: { notice?: string } }>('/account', async (request, reply) => {
    const actor = actorOf(request);
    const account = await accounts.get(actor, actor.userId ?? 0);
    return reply.page('accounts/views/account.njk', {
      title: 'Your account',
      account,
      roleLabels: ROLE_LABELS,
      notice:
        request.query.notice === 'password'
          ? 'Password changed. Anywhere else you were signed in has been signed out.'
          : undefined,
    });
  });

  app.get('/account/password', async (_request, reply) => {
    return reply.page('accounts/views/password.njk', {
      title: 'Change your password',
      breadcrumbs: [accountCrumb],
    });
  });

  app.post<{ Body: Form }>('/account/password', async (request, reply) => {
    const actor = actorOf(request);
    const r = await attempt(() =>
      accounts.changeOwnPassword(actor, request.body, request.session?.idHash),
    );
    if (!r.ok) {
      // Passwords are never sent back to the browser, not even to refill the form.
      return reply.code(400).page('accounts/views/password.njk', {
        title: 'Change your password',
        breadcrumbs: [accountCrumb],
        errors: r.errors,
      });
    }
    return reply.redirect('/account?notice=password', 303);
  });
}
