import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../../core/form-errors.js';
import { FileError } from '../../core/grid-file.js';
import { sendProblem } from '../../plugins/errors.js';
import { actorOf } from '../partnerships/partnerships.routes.js';
import { ENDPOINTS } from './api.endpoints.js';
import type { Endpoint, FileAnswer } from './endpoint.js';
import { API_PREFIX, OPENAPI_PATH, openApiDocument } from './openapi.js';

/** /partnerships/{slug} in the document is /api/v1/partnerships/:slug in the router. */
export function routeUrl(e: Endpoint): string {
  return API_PREFIX + e.path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * The largest body an upload of maxBytes arrives in: the file in base64 (4 characters for every
 * 3 bytes) and room for the other fields.
 */
export function uploadBodyLimit(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4 + 16 * 1024;
}

function sentJson(request: FastifyRequest): boolean {
  return /^application\/([\w.-]+\+)?json\b/i.test(request.headers['content-type'] ?? '');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parameters sent empty are left out, as a page's "All" option sends them. */
function queryOf(request: FastifyRequest): Record<string, unknown> {
  const query = isObject(request.query) ? request.query : {};
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
}

function isFileAnswer(value: unknown): value is FileAnswer {
  return (
    isObject(value) &&
    typeof value.filename === 'string' &&
    typeof value.contentType === 'string' &&
    Buffer.isBuffer(value.content)
  );
}

function sendFile(reply: FastifyReply, e: Endpoint, result: unknown): FastifyReply {
  if (!isFileAnswer(result) || !e.file?.contentTypes.includes(result.contentType))
    throw new Error(`${e.method} ${e.path} must answer with a file of a type it declares`);
  // The names are made from plan titles reduced to letters, digits and hyphens: safe to quote.
  return reply
    .code(e.status)
    .type(result.contentType)
    .header('content-disposition', `attachment; filename="${result.filename}"`)
    .send(result.content);
}

/** Every problem of a refused file, by row and column, under the body field that carried it. */
function sendFileProblems(reply: FastifyReply, field: string, err: FileError): FastifyReply {
  return sendProblem(reply, 422, 'The request has errors', {
    detail: 'The file was refused, and nothing was saved',
    errors: err.problems.map((p) => ({
      field,
      message: p.message,
      ...(p.row === undefined ? {} : { row: p.row }),
      ...(p.column === undefined ? {} : { column: p.column }),
    })),
  });
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
      ...(e.upload ? { bodyLimit: uploadBodyLimit(e.upload.maxBytes) } : {}),
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const params = request.params as Record<string, string>;
        // Another partnership answers 404 before anything else, even a body that breaks a rule.
        if (params.slug !== undefined) await services.partnerships.readable(actor, params.slug);
        const query: unknown = e.query ? parseInput(e.query, queryOf(request)) : {};
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
        let result: unknown;
        try {
          result = await e.run({ services, actor, params, query, body });
        } catch (err) {
          if (e.upload && err instanceof FileError)
            return sendFileProblems(reply, e.upload.field, err);
          throw err;
        }
        if (e.file) return sendFile(reply, e, result);
        if (e.status === 204) return reply.code(204).send();
        return reply.code(e.status).send(output ? output.parse(result) : result);
      },
    });
  }
}
