import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailed } from '../core/errors.js';

function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/** RFC 9457 problem document, the API's one error shape. */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, ...extra });
}

const PAGE_FOR_STATUS: Record<number, string> = {
  400: 'errors/bad-request.njk',
  403: 'errors/forbidden.njk',
  404: 'errors/not-found.njk',
  413: 'errors/too-large.njk',
  429: 'errors/too-many.njk',
};

const TITLE_FOR_STATUS: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorised',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'The request has errors',
  429: 'Too many requests',
  500: 'Internal server error',
};

export const errorsPlugin = fp<{ showDetails: boolean }>(
  async (app, { showDetails }) => {
    app.setNotFoundHandler((request, reply) => {
      if (isApi(request)) return sendProblem(reply, 404, 'Not found');
      return reply.code(404).page(PAGE_FOR_STATUS[404] as string, {});
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof ConflictError && isApi(request)) {
        return sendProblem(reply, 409, TITLE_FOR_STATUS[409] as string, { detail: error.detail });
      }
      if (error instanceof ValidationFailed) {
        if (isApi(request)) {
          return sendProblem(reply, 422, 'The request has errors', {
            errors: error.errors.summary.map((e) => ({ field: e.href.slice(1), message: e.text })),
          });
        }
        return reply.code(400).page('errors/bad-request.njk', { errors: error.errors });
      }
      let status = error.statusCode ?? 500;
      if (error instanceof NotFoundError) status = 404;
      if (error instanceof ForbiddenError) status = 403;
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ status, message: error.message }, 'request refused');

      const title =
        TITLE_FOR_STATUS[status] ?? (status >= 500 ? 'Internal server error' : 'Request refused');
      if (isApi(request)) {
        return sendProblem(
          reply,
          status,
          title,
          status < 500 || showDetails ? { detail: error.message } : {},
        );
      }
      const template =
        PAGE_FOR_STATUS[status] ??
        (status >= 500 ? 'errors/server-error.njk' : 'errors/bad-request.njk');
      return reply.code(status).page(template, {
        message: status < 500 && !(error instanceof NotFoundError) ? error.message : undefined,
        details: showDetails && status >= 500 ? error.stack : undefined,
      });
    });
  },
  { name: 'errors', dependencies: ['views'] },
);
