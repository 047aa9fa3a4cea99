import type { FastifyInstance } from 'fastify';
import { FileError } from '../../core/grid-file.js';
import { formErrors } from '../../core/form-errors.js';
import { ForbiddenError } from '../../core/errors.js';
import { chosenFile, fileErrors, uploadScope, type UploadBody } from '../../core/upload-routes.js';
import { actorOf } from '../partnerships/partnerships.routes.js';
import type { NamedFile } from './geography.service.js';

const NOTICES: Record<string, string> = {
  lookup: 'Lookup file imported.',
  population: 'Population estimates imported.',
};

const AREA_LABELS: Record<string, string> = {
  lsoa: 'LSOAs',
  ward: 'Wards',
  district: 'Districts',
  csp: 'Community safety partnerships',
  pfa: 'Police force areas',
  county: 'Counties and unitary authorities',
  region: 'Regions',
};

const FORMS = {
  lookup: {
    view: 'geography/views/import-lookup.njk',
    title: 'Import an ONS lookup file',
    missing: 'Select the lookup file',
    import: 'importLookups',
  },
  population: {
    view: 'geography/views/import-population.njk',
    title: 'Import population estimates',
    missing: 'Select the population workbook',
    import: 'importPopulation',
  },
} as const;

/** ONS geography and population that every partnership's figures are computed from. */
export async function geographyRoutes(app: FastifyInstance): Promise<void> {
  const { geography } = app.services;
  const breadcrumbs = [{ text: 'Public data', href: '/data' }];

  app.get<{ Querystring: { notice?: string } }>('/data', async (request, reply) =>
    reply.page('geography/views/overview.njk', {
      title: 'Public data',
      overview: await geography.overview(actorOf(request)),
      areaLabels: AREA_LABELS,
      notice: NOTICES[request.query.notice ?? ''],
    }),
  );

  for (const [kind, form] of Object.entries(FORMS)) {
    const path = `/data/${kind === 'lookup' ? 'lookups' : 'population'}/import`;
    app.get(path, async (request, reply) => {
      if (!geography.canImport(actorOf(request))) throw new ForbiddenError();
      return reply.page(form.view, { title: form.title, breadcrumbs, errors: formErrors([]) });
    });
  }

  await uploadScope(app, (scope) => {
    for (const [kind, form] of Object.entries(FORMS)) {
      const path = `/data/${kind === 'lookup' ? 'lookups' : 'population'}/import`;
      scope.post<{ Body: UploadBody }>(path, async (request, reply) => {
        const actor = actorOf(request);
        const file = chosenFile(request.body);
        try {
          if (!file) throw new FileError([{ message: form.missing }]);
          const named: NamedFile = { filename: file.filename, content: file.content };
          if (form.import === 'importLookups') await geography.importLookups(actor, [named]);
          else await geography.importPopulation(actor, named);
        } catch (err) {
          if (!(err instanceof FileError)) throw err;
          return reply
            .code(400)
            .page(form.view, { title: form.title, breadcrumbs, errors: fileErrors(err) });
        }
        return reply.redirect(`/data?notice=${kind}`, 303);
      });
    }
  });
}
