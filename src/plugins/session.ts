import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../core/actor.js';
import type { AuthService, Session } from '../features/auth/auth.service.js';

export const SESSION_COOKIE = 'saferplan_session';

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null;
    actor: Actor | null;
  }
  interface FastifyReply {
    startSession(userId: number): Promise<void>;
    endSession(): Promise<void>;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
  }
}

export const COOKIE_OPTIONS = { httpOnly: true, secure: true, sameSite: 'lax', path: '/' } as const;

function isPageRequest(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/') && !request.url.startsWith('/assets/');
}

export const sessionPlugin = fp<{ auth: AuthService }>(
  async (app, { auth }) => {
    await app.register(cookie);
    app.decorateRequest('session', null);
    app.decorateRequest('actor', null);

    // Pages only: the API authenticates by token, never by cookie, so it needs no CSRF defence.
    app.addHook('onRequest', async (request) => {
      if (!isPageRequest(request)) return;
      const id = request.cookies[SESSION_COOKIE];
      if (!id) return;
      const session = await auth.findSession(id);
      if (!session) return;
      const actor = await auth.actorFor(session.userId, request.id);
      if (!actor) return;
      request.session = session;
      request.actor = actor;
    });

    app.decorateReply('startSession', async function (this: FastifyReply, userId: number) {
      const { id, session } = await auth.startSession(userId, this.request.session?.idHash);
      this.request.session = session;
      this.request.actor = (await auth.actorFor(userId, this.request.id)) ?? null;
      this.setCookie(SESSION_COOKIE, id, COOKIE_OPTIONS);
    });

    app.decorateReply('endSession', async function (this: FastifyReply) {
      if (this.request.session) await auth.endSession(this.request.session.idHash);
      this.request.session = null;
      this.request.actor = null;
      this.clearCookie(SESSION_COOKIE, COOKIE_OPTIONS);
    });

    // Deny by default: every page needs a signed-in user unless its route says it is public.
    app.addHook('preHandler', async (request, reply) => {
      if (!isPageRequest(request) || request.routeOptions.config.public || request.actor) return;
      if (request.method === 'GET' || request.method === 'HEAD') {
        const next = encodeURIComponent(request.url);
        return reply.redirect(`/sign-in?next=${next}`);
      }
      return reply.code(401).page('errors/signed-out.njk', {});
    });
  },
  { name: 'session', dependencies: ['views'] },
);
