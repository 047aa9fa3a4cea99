import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import type { FormErrors } from '../core/form-errors.js';
import { PageCache, actorKey, fill, keep } from '../core/page-cache.js';
import { todayIso } from '../db/database.js';
import { formatMoney } from '../domain/money.js';
import { ukDate, ukDateTime } from '../domain/dates.js';
import { GOVUK_DIST, SRC } from '../paths.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Render a page with the layout's context: actor, CSRF token, CSP nonce. */
    page(template: string, context: Record<string, unknown>): FastifyReply;
    /**
     * A page kept rendered until `version` changes. The version must name every datum the page
     * shows; the plugin adds who is looking, the address and the date. Only for pages that
     * answer 200 to a GET.
     */
    keptPage(version: string, build: () => Promise<PageSource>): Promise<FastifyReply>;
  }
}

export type PageSource = [template: string, context: Record<string, unknown>];

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

export const viewsPlugin = fp<{ env: nunjucks.Environment; cache: PageCache }>(
  async (app, { env, cache }) => {
    // A kept page is rendered with these in place of the request's own token and nonce.
    const marks = {
      csrf: `csrf-${randomBytes(12).toString('hex')}`,
      nonce: `nonce-${randomBytes(12).toString('hex')}`,
    };

    function render(
      reply: FastifyReply,
      [template, context]: PageSource,
      csrfToken: string,
      cspNonce: string | undefined,
    ): string {
      const request = reply.request;
      return env.render(template, {
        ...context,
        actor: request.actor,
        csrfToken,
        cspNonce,
        currentPath: request.url.split('?')[0],
      });
    }
    const nonceOf = (reply: FastifyReply) =>
      (reply as { cspNonce?: { script: string } }).cspNonce?.script;
    const send = (reply: FastifyReply, html: string | Buffer) =>
      reply.type('text/html; charset=utf-8').send(html);

    app.decorateReply('page', function (this: FastifyReply, template, context) {
      return send(this, render(this, [template, context], this.csrfToken(), nonceOf(this)));
    });

    app.decorateReply(
      'keptPage',
      async function (this: FastifyReply, version: string, build: () => Promise<PageSource>) {
        if (!cache.enabled)
          return send(this, render(this, await build(), this.csrfToken(), nonceOf(this)));
        const key = [version, todayIso(), actorKey(this.request.actor), this.request.url].join(
          '\n',
        );
        let page = cache.get(key);
        if (page === undefined) {
          page = keep(render(this, await build(), marks.csrf, marks.nonce), marks);
          cache.set(key, page);
        }
        return send(this, fill(page, { csrf: this.csrfToken(), nonce: nonceOf(this) ?? '' }));
      },
    );
  },
  { name: 'views' },
);
