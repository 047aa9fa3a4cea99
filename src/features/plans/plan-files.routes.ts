import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { attempt, type FormErrors } from '../../core/form-errors.js';
import { FileError } from '../../core/grid-file.js';
import { chosenFile, fileErrors, uploadScope, type UploadBody } from '../../core/upload-routes.js';
import { monthLabel } from '../../domain/periods.js';
import { STATUS_LABELS } from '../../domain/statuses.js';
import { ROOT } from '../../paths.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import { PLAN_FILE_HEADERS, THEME_TYPE_NAMES } from './plan-file.js';

type SlugParams = { slug: string };
type ImportParams = SlugParams & { importId: string };
type PlanParams = SlugParams & { planId: string };

/** Importing an action plan from a spreadsheet (with a preview first), and exporting one. */
export async function planFileRoutes(app: FastifyInstance): Promise<void> {
  const { partnerships, planFiles } = app.services;
  const base = (slug: string) => `/partnerships/${slug}/plans`;

  const frame = async (actor: Actor, slug: string) => {
    await planFiles.checkAccess(actor, slug);
    const p = await partnerships.get(actor, slug);
    return {
      p,
      breadcrumbs: [
        { text: p.name, href: `/partnerships/${p.slug}` },
        { text: 'Plans', href: base(p.slug) },
      ],
    };
  };

  const formPage = async (actor: Actor, slug: string, values: Record<string, unknown>) => ({
    ...(await frame(actor, slug)),
    title: 'Import an action plan',
    values,
    columns: PLAN_FILE_HEADERS,
  });

  app.get<{ Params: SlugParams }>('/partnerships/:slug/plans/import', async (request, reply) =>
    reply.page('plans/views/import.njk', await formPage(actorOf(request), request.params.slug, {})),
  );

  app.get<{ Params: SlugParams }>(
    '/partnerships/:slug/plans/import/example.csv',
    async (request, reply) => {
      await frame(actorOf(request), request.params.slug);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="action-plan-example.csv"')
        .send(await readFile(resolve(ROOT, 'samples/action-plan.csv')));
    },
  );

  await uploadScope(app, (scope) => {
    scope.post<{ Params: SlugParams; Body: UploadBody }>(
      '/partnerships/:slug/plans/import',
      async (request, reply) => {
        const actor = actorOf(request);
        const { slug } = request.params;
        const body = request.body ?? {};
        const chosen = chosenFile(body);
        const fields = { title: body.title, period: body.period, updateMonth: body.updateMonth };
        let errors: FormErrors;
        try {
          const r = await attempt(() => planFiles.preview(actor, slug, fields, chosen));
          if (r.ok) return await reply.redirect(`${base(slug)}/import/${r.value.id}`, 303);
          errors = r.errors;
        } catch (err) {
          if (!(err instanceof FileError)) throw err;
          errors = fileErrors(err);
        }
        return reply.code(400).page('plans/views/import.njk', {
          ...(await formPage(actor, slug, fields)),
          errors,
        });
      },
    );
  });

  app.get<{ Params: ImportParams }>(
    '/partnerships/:slug/plans/import/:importId',
    async (request, reply) => {
      const actor = actorOf(request);
      const { slug } = request.params;
      const found = await planFiles.get(actor, slug, idParam(request.params.importId));
      const ctx = await frame(actor, slug);
      if ('result' in found) {
        return reply.page('plans/views/import-result.njk', {
          ...ctx,
          title: 'Action plan imported',
          result: found.result,
        });
      }
      return reply.page('plans/views/import-preview.njk', {
        ...ctx,
        title: `Check the action plan before importing it`,
        preview: found.preview,
        themeTypeNames: THEME_TYPE_NAMES,
        statusLabels: STATUS_LABELS,
        monthLabel,
      });
    },
  );

  app.post<{ Params: ImportParams }>(
    '/partnerships/:slug/plans/import/:importId',
    async (request, reply) => {
      const { slug, importId } = request.params;
      await planFiles.confirm(actorOf(request), slug, idParam(importId));
      return reply.redirect(`${base(slug)}/import/${importId}`, 303);
    },
  );

  app.post<{ Params: ImportParams }>(
    '/partnerships/:slug/plans/import/:importId/discard',
    async (request, reply) => {
      const { slug, importId } = request.params;
      await planFiles.discard(actorOf(request), slug, idParam(importId));
      return reply.redirect(`${base(slug)}/import`, 303);
    },
  );

  app.get<{ Params: PlanParams; Querystring: { format?: string } }>(
    '/partnerships/:slug/plans/:planId/export',
    async (request, reply) => {
      const { slug, planId } = request.params;
      const format = request.query.format === 'xlsx' ? 'xlsx' : 'csv';
      const file = await planFiles.exportPlan(actorOf(request), slug, idParam(planId), format);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.content);
    },
  );
}
