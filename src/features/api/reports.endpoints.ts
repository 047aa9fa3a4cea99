import { z } from 'zod';
import type { Actor } from '../../core/actor.js';
import { NotFoundError } from '../../core/errors.js';
import type { Services } from '../../services.js';
import { idParam } from '../partnerships/partnerships.routes.js';
import { REPORT_FORMATS, renderReport, reportFilename } from '../reports/report-outputs.js';
import { ExceptionReport, IssuedReport } from './api.schemas.js';
import { endpoint, type Endpoint } from './endpoint.js';

const REPORTS = '/partnerships/{slug}/reports';
const FORMATS = Object.keys(REPORT_FORMATS) as (keyof typeof REPORT_FORMATS)[];

const FileQuery = z.object({
  format: z
    .enum(FORMATS, { error: `Format must be one of ${FORMATS.join(', ')}` })
    .optional()
    .meta({ description: 'docx (the default), xlsx, html or json' }),
});

/** An issued report; a draft answers 404, as drafts are still being written. */
async function issued(services: Services, actor: Actor, slug: string, reportId: string) {
  const saved = await services.reports.get(actor, slug, idParam(reportId));
  if (saved.status !== 'issued') throw new NotFoundError('Report');
  return saved;
}

/** Issued exception reports, read-only: as committee papers, they do not change once issued. */
export const REPORT_ENDPOINTS: Endpoint[] = [
  endpoint({
    method: 'GET',
    path: REPORTS,
    summary: 'The partnership’s issued exception reports, latest rolling year first',
    tag: 'Reports',
    status: 200,
    response: { schema: IssuedReport, list: true },
    run: async ({ services, actor, params }) =>
      (await services.reports.list(actor, params.slug)).filter((r) => r.status === 'issued'),
  }),
  endpoint({
    method: 'GET',
    path: `${REPORTS}/{reportId}`,
    summary:
      'An issued exception report as it was issued: per theme its indicators compared rolling year on rolling year, its action counts and commentary, and every action’s latest update',
    tag: 'Reports',
    status: 200,
    response: { schema: ExceptionReport },
    run: async ({ services, actor, params }) =>
      (await issued(services, actor, params.slug, params.reportId)).report,
  }),
  endpoint({
    method: 'GET',
    path: `${REPORTS}/{reportId}/file`,
    summary:
      'An issued exception report as a Word document, the figures in Excel, a web page or JSON',
    tag: 'Reports',
    query: FileQuery,
    status: 200,
    file: { contentTypes: Object.values(REPORT_FORMATS).map((f) => f.type) },
    run: async ({ services, actor, params, query }) => {
      const { report } = await issued(services, actor, params.slug, params.reportId);
      const format = query.format ?? 'docx';
      return {
        filename: reportFilename(report, format),
        contentType: REPORT_FORMATS[format].type,
        content: await renderReport(report, format),
      };
    },
  }),
];
