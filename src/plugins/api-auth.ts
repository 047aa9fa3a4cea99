import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuthService } from '../features/auth/auth.service.js';
import type { TokensService } from '../features/tokens/tokens.service.js';
import { sendProblem } from './errors.js';

const BEARER = /^Bearer +(\S+)$/i;

function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

function refuse(reply: FastifyReply, detail: string, invalid: boolean): FastifyReply {
  // RFC 6750: say which scheme to use, and whether the token sent was the problem.
  reply.header(
    'www-authenticate',
    invalid ? 'Bearer realm="Saferplan", error="invalid_token"' : 'Bearer realm="Saferplan"',
  );
  return sendProblem(reply, 401, 'Unauthorised', { detail });
}

/**
 * The API authenticates by personal access token only. Cookies are ignored under /api/, so a
 * browser can never be tricked into calling the API as its user, and the API needs no CSRF token.
 */
export const apiAuthPlugin = fp<{ auth: AuthService; tokens: TokensService }>(
  async (app, { auth, tokens }) => {
    // onRequest, before the body is parsed: a caller without a token learns nothing more.
    app.addHook('onRequest', async (request, reply) => {
      if (!isApiRequest(request) || request.routeOptions.config.public) return;
      const header = request.headers.authorization;
      if (!header) {
        return refuse(reply, 'Send an API token in the header Authorization: Bearer sp_…', false);
      }
      const token = BEARER.exec(header)?.[1];
      const userId = token ? await tokens.authenticate(token) : undefined;
      const actor = userId === undefined ? undefined : await auth.actorFor(userId, request.id);
      if (!actor) return refuse(reply, 'The API token is not valid, or has been revoked', true);
      request.actor = actor;
    });
  },
  { name: 'api-auth', dependencies: ['session', 'errors'] },
);
