import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendProblem } from '../../plugins/errors.js';
import { actorOf } from '../partnerships/partnerships.routes.js';
import { ENDPOINTS } from './api.endpoints.js';
import type { Endpoint } from './endpoint.js';
import { API_PREFIX, OPENAPI_PATH, openApiDocument } from './openapi.js';

/** /partnerships/{slug} in the document is /api/v1/partnerships/:slug in the router. */
export function routeUrl(e: Endpoint): string {
  return API_PREFIX + e.path.replace(/\{(\w+)\}/g, ':$1');
}

function sentJson(request: FastifyRequest): boolean {
  return /^application\/([\w.-]+\+)?json\b/i.test(request.headers['content-type'] ?? '');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON API: token-authenticated by the api-auth plugin, answering from the same services. */
export async function apiRoutes(app: FastifyInstance): Promise<void> {
  const { services } = app;
  const document = openApiDocument(ENDPOINTS);

  app.get(`${API_PREFIX}${OPENAPI_PATH}`, { config: { public: true } }, async (_request, reply) =>
    reply.send(document),
  );

  for (const e of ENDPOINTS) {
    const output = e.response?.list ? z.array(e.response.schema) : e.response?.schema;
    app.route({
      method: e.method,
      url: routeUrl(e),
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const params = request.params as Record<string, string>;
        // Another partnership answers 404 before anything else, even a body that breaks a rule.
        if (params.slug !== undefined) await services.partnerships.readable(actor, params.slug);
        let body: Record<string, unknown> = {};
        if (e.body) {
          if (!sentJson(request)) {
            return sendProblem(reply, 415, 'Unsupported media type', {
              detail: 'Send the body as JSON, with Content-Type: application/json',
            });
          }
          if (!isObject(request.body)) {
            return sendProblem(reply, 400, 'Bad request', {
              detail: 'The body must be a JSON object',
            });
          }
          body = request.body;
        }
        const result = await e.run({ services, actor, params, body });
        if (e.status === 204) return reply.code(204).send();
        return reply.code(e.status).send(output ? output.parse(result) : result);
      },
    });
  }
}
