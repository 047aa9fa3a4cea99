import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { attempt, type FormErrors } from '../../core/form-errors.js';
import { FileError } from '../../core/grid-file.js';
import { chosenFile, fileErrors, uploadScope, type UploadBody } from '../../core/upload-routes.js';
import { POLARITY_LABELS } from '../../domain/change.js';
import { UNIT_LABELS } from '../../domain/figures.js';
import { monthLabel } from '../../domain/periods.js';
import { ROOT } from '../../paths.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import { INDICATOR_FILE_HEADERS } from './indicator-file.js';

type SlugParams = { slug: string };
type ImportParams = SlugParams & { importId: string };

/**
 * Importing indicator figures from a spreadsheet, with a preview before anything is saved, and
 * exporting them in the same columns.
 */
export async function indicatorFileRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, indicatorFiles } = app.services;
  const base = (slug: string) => `/partnerships/${slug}/indicators`;

  const frame = async (actor: Actor, slug: string) => {
    await indicatorFiles.checkAccess(actor, slug);
    const p = await partnerships.get(actor, slug);
    return {
      p,
      breadcrumbs: [
        { text: p.name, href: `/partnerships/${p.slug}` },
        { text: 'Indicators', href: base(p.slug) },
      ],
    };
  };

  const formPage = async (actor: Actor, slug: string) => ({
    ...(await frame(actor, slug)),
    title: 'Import indicator figures',
    columns: INDICATOR_FILE_HEADERS,
  });

  app.get<{ Params: SlugParams }>('/partnerships/:slug/indicators/import', async (request, reply) =>
    reply.page(
      'indicators/views/import.njk',
      await formPage(actorOf(request), request.params.slug),
    ),
  );

  app.get<{ Params: SlugParams }>(
    '/partnerships/:slug/indicators/import/example.csv',
    async (request, reply) => {
      await frame(actorOf(request), request.params.slug);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="indicators-example.csv"')
        .send(await readFile(resolve(ROOT, 'samples/indicators.csv')));
    },
  );

  app.get<{ Params: SlugParams; Querystring: { format?: string } }>(
    '/partnerships/:slug/indicators/export',
    async (request, reply) => {
      const format = request.query.format === 'xlsx' ? 'xlsx' : 'csv';
      const file = await indicatorFiles.exportFile(actorOf(request), request.params.slug, format);
      // The name is the partnership's slug, letters, digits and hyphens: safe to quote.
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.content);
    },
  );

  await uploadScope(app, (scope) => {
    scope.post<{ Params: SlugParams; Body: UploadBody }>(
      '/partnerships/:slug/indicators/import',
      async (request, reply) => {
        const actor = actorOf(request);
        const { slug } = request.params;
        const chosen = chosenFile(request.body);
        let errors: FormErrors;
        try {
          const r = await attempt(() => indicatorFiles.preview(actor, slug, chosen));
          if (r.ok) return await reply.redirect(`${base(slug)}/import/${r.value.id}`, 303);
          errors = r.errors;
        } catch (err) {
          if (!(err instanceof FileError)) throw err;
          errors = fileErrors(err);
        }
        return reply.code(400).page('indicators/views/import.njk', {
          ...(await formPage(actor, slug)),
          errors,
        });
      },
    );
  });

  app.get<{ Params: ImportParams }>(
    '/partnerships/:slug/indicators/import/:importId',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const found = await indicatorFiles.get(actor, slug, idParam(request.params.importId));
      const ctx = await frame(actor, slug);
      if ('result' in found) {
        return reply.page('indicators/views/import-result.njk', {
          ...ctx,
          title: 'Indicator figures imported',
          result: found.result,
        });
      }
      return reply.page('indicators/views/import-preview.njk', {
        ...ctx,
        title: 'Check the figures before importing them',
        preview: found.preview,
        unitLabels: UNIT_LABELS,
        polarityLabels: POLARITY_LABELS,
        monthLabel,
      });
    },
  );

  app.post<{ Params: ImportParams }>(
    '/partnerships/:slug/indicators/import/:importId',
    async (request, reply) => {
      const { slug, importId } = request.params;
      await indicatorFiles.confirm(actorOf(request), slug, idParam(importId));
      return reply.redirect(`${base(slug)}/import/${importId}`, 303);
    },
  );

  app.post<{ Params: ImportParams }>(
    '/partnerships/:slug/indicators/import/:importId/discard',
    async (request, reply) => {
      const { slug, importId } = request.params;
      await indicatorFiles.discard(actorOf(request), slug, idParam(importId));
      return reply.redirect(`${base(slug)}/import`, 303);
    },
  );
}
