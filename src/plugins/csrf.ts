import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { randomToken, safeEqual } from '../core/tokens.js';
import { COOKIE_OPTIONS } from './session.js';

// Before sign-in there is no session to bind a token to, so the sign-in and password forms
// use a random cookie that the form must echo back (double submit).
const ANONYMOUS_COOKIE = 'saferplan_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyReply {
    csrfToken(): string;
  }
}

function sentToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return typeof body?._csrf === 'string' ? body._csrf : undefined;
}

export const csrfPlugin = fp(
  async (app) => {
    app.decorateReply('csrfToken', function () {
      if (this.request.session) return this.request.session.csrfToken;
      let token = this.request.cookies[ANONYMOUS_COOKIE];
      if (!token) {
        token = randomToken();
        this.request.cookies[ANONYMOUS_COOKIE] = token;
        this.setCookie(ANONYMOUS_COOKIE, token, COOKIE_OPTIONS);
      }
      return token;
    });

    // Runs in preHandler because the form body is parsed only after onRequest.
    app.addHook('preHandler', async (request, reply) => {
      if (!UNSAFE.has(request.method) || request.url.startsWith('/api/')) return;
      const expected = request.session?.csrfToken ?? request.cookies[ANONYMOUS_COOKIE];
      const sent = sentToken(request);
      if (expected && sent && safeEqual(expected, sent)) return;
      request.log.warn({ signedIn: Boolean(request.session) }, 'CSRF token missing or wrong');
      return reply.code(403).page('errors/form-expired.njk', {});
    });
  },
  { name: 'csrf', dependencies: ['session'] },
);
