import { resolve } from 'node:path';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import type { FormErrors } from '../core/form-errors.js';
import { ukDate, ukDateTime } from '../domain/dates.js';
import { GOVUK_DIST, SRC } from '../paths.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Render a page with the layout's context: actor, CSRF token, CSP nonce. */
    page(template: string, context: Record<string, unknown>): FastifyReply;
  }
}

export interface PageContext {
  errors?: FormErrors;
  values?: Record<string, unknown>;
}

/** Configured once at start-up; templates are cached unless watching for development. */
export function createViewEnvironment(watch = false): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader(
    [resolve(SRC, 'views'), resolve(SRC, 'features'), GOVUK_DIST],
    { noCache: watch, watch: false },
  );
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  env.addFilter('ukDate', ukDate);
  env.addFilter('ukDateTime', ukDateTime);
  return env;
}

export const viewsPlugin = fp<{ env: nunjucks.Environment }>(
  async (app, { env }) => {
    app.decorateReply('page', function (this: FastifyReply, template, context) {
      const request = this.request;
      const nonce = (this as { cspNonce?: { script: string } }).cspNonce?.script;
      const html = env.render(template, {
        ...context,
        actor: request.actor,
        csrfToken: this.csrfToken(),
        cspNonce: nonce,
        currentPath: request.url.split('?')[0],
      });
      return this.type('text/html; charset=utf-8').send(html);
    });
  },
  { name: 'views' },
);
