import { resolve } from 'node:path';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import type { FormErrors } from '../core/form-errors.js';
import { formatMoney } from '../domain/money.js';
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
  // Templates name their neighbours relatively ("./template.njk"); the govuk components do so
  // for every macro call, so each answer is kept rather than worked out with path.resolve again.
  const resolveName = loader.resolve.bind(loader);
  const resolved = new Map<string, string>();
  loader.resolve = (from: string, to: string): string => {
    const key = `${from}\n${to}`;
    let name = resolved.get(key);
    if (name === undefined) resolved.set(key, (name = resolveName(from, to)));
    return name;
  };
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  // Nunjucks trims with /^\s*|\s*$/g, which scans the whole string from every position; the
  // govuk components trim each part they nest, and on a page with a form that regular expression
  // was the single largest cost. String.prototype.trim removes the same characters.
  const slowTrim = env.getFilter('trim');
  env.addFilter('trim', (value: unknown): unknown => {
    if (typeof value === 'string') return value.trim();
    if (value instanceof nunjucks.runtime.SafeString)
      return new nunjucks.runtime.SafeString(value.val.trim());
    return slowTrim(value);
  });
  env.addFilter('ukDate', ukDate);
  env.addFilter('ukDateTime', ukDateTime);
  env.addFilter('number', (value: unknown) =>
    typeof value === 'number' ? value.toLocaleString('en-GB') : value,
  );
  env.addFilter('money', (pence: number) => formatMoney(pence));
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
