import type { FastifyInstance } from 'fastify';
import { attempt, formErrors } from '../../core/form-errors.js';
import { ukDateTime } from '../../domain/dates.js';

const INVALID = 'Enter a correct email address and password';

/** Only a path on this site: never send someone on to another site after signing in. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const { auth, accounts } = app.services;
  const open = { config: { public: true } };
  // Per address, on top of the per-email lock-out: slows one machine trying many accounts.
  const limited = {
    config: {
      public: true,
      rateLimit: { max: app.services.config.signInAttemptsPerMinute, timeWindow: '1 minute' },
    },
  };

  app.get<{ Querystring: { next?: string } }>('/sign-in', open, async (request, reply) => {
    if (request.actor) return reply.redirect(safeNext(request.query.next));
    return reply.page('auth/views/sign-in.njk', { next: safeNext(request.query.next) });
  });

  app.post<{ Body: { email?: string; password?: string; next?: string } }>(
    '/sign-in',
    limited,
    async (request, reply) => {
      const { email = '', password = '' } = request.body ?? {};
      const next = safeNext(request.body?.next);
      if (!email.trim() || !password) {
        const errors = formErrors([
          ...(!email.trim() ? ([['email', 'Enter your email address']] as [string, string][]) : []),
          ...(!password ? ([['password', 'Enter your password']] as [string, string][]) : []),
        ]);
        return reply.code(400).page('auth/views/sign-in.njk', { errors, values: { email }, next });
      }
      const result = await auth.signIn(email, password);
      if (!result.ok) {
        const text =
          result.reason === 'locked'
            ? `Too many failed attempts. You can try again after ${ukDateTime(result.lockedUntil)}, or ask your administrator to reset your password.`
            : INVALID;
        request.log.info({ reason: result.reason }, 'sign-in refused');
        return reply.code(result.reason === 'locked' ? 429 : 401).page('auth/views/sign-in.njk', {
          errors: formErrors([['email', text]]),
          values: { email },
          next,
        });
      }
      await reply.startSession(result.userId);
      return reply.redirect(next, 303);
    },
  );

  app.post('/sign-out', open, async (request, reply) => {
    await reply.endSession();
    return reply.redirect('/sign-in?signed-out=1', 303);
  });

  app.get<{ Params: { token: string } }>('/set-password/:token', open, async (request, reply) => {
    const link = await auth.findOneTimeLink(request.params.token);
    if (!link) return reply.code(404).page('auth/views/link-expired.njk', {});
    return reply.page('auth/views/set-password.njk', {
      email: link.email,
      token: request.params.token,
    });
  });

  app.post<{ Params: { token: string }; Body: Record<string, string> }>(
    '/set-password/:token',
    limited,
    async (request, reply) => {
      const link = await auth.findOneTimeLink(request.params.token);
      if (!link) return reply.code(404).page('auth/views/link-expired.njk', {});
      const result = await attempt(() =>
        accounts.setPasswordWithLink(request.params.token, request.body),
      );
      if (!result.ok) {
        return reply.code(400).page('auth/views/set-password.njk', {
          email: link.email,
          token: request.params.token,
          errors: result.errors,
        });
      }
      if (result.value === undefined)
        return reply.code(404).page('auth/views/link-expired.njk', {});
      await reply.startSession(result.value);
      return reply.redirect('/?password-set=1', 303);
    },
  );
}
