import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { formErrors, type FormErrors } from '../../core/form-errors.js';
import { monthLabel } from '../../domain/periods.js';
import { actorOf, idParam } from '../partnerships/partnerships.routes.js';
import { canImportCrime } from './crime.service.js';
import type { CrimeMonth } from './crime.repository.js';

/** A data.police.uk archive of a year of one force is tens of MB; a national year, a few GB. */
export const MAX_CRIME_UPLOAD_BYTES = 500 * 1024 * 1024;
// A status page of a running import looks again this often.
const REFRESH_SECONDS = 3;

const STATUS_TAGS = {
  running: { text: 'Running', classes: 'govuk-tag--blue' },
  complete: { text: 'Complete', classes: 'govuk-tag--green' },
  failed: { text: 'Failed', classes: 'govuk-tag--red' },
} as const;

interface Upload {
  dir: string;
  path: string;
  filename: string;
}

function uploadError(text: string): FormErrors {
  const errors = formErrors([]);
  errors.summary = [{ text, href: '#file' }];
  errors.fields.file = { text };
  return errors;
}

/** The months loaded, grouped by force, for the page. */
function forces(months: CrimeMonth[]) {
  const byForce = new Map<string, CrimeMonth[]>();
  for (const m of months) byForce.set(m.force, [...(byForce.get(m.force) ?? []), m]);
  return [...byForce].map(([force, list]) => ({
    force,
    flagged: list.filter((m) => m.flag).length,
    months: list.map((m) => ({
      ...m,
      label: monthLabel(m.month),
      unassigned: m.noLocation + m.unknownLsoa,
    })),
  }));
}

/**
 * The "Crime data" section: the months loaded with their flags, the imports, and an upload that
 * runs as a job on this server while its status page refreshes itself.
 */
export async function crimeRoutes(app: FastifyInstance): Promise<void> {
  const { crime } = app.services;
  const jobs = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...jobs]);
  });

  const indexPage = async (canImport: boolean, errors?: FormErrors) => ({
    title: 'Crime data',
    breadcrumbs: [{ text: 'Public data', href: '/data' }],
    forces: forces(await crime.months()),
    imports: (await crime.imports(20)).map((i) => ({ ...i, tag: STATUS_TAGS[i.status] })),
    canImport,
    maxMb: MAX_CRIME_UPLOAD_BYTES / 1024 / 1024,
    errors,
  });

  app.get('/crime-data', async (request, reply) => {
    const actor = actorOf(request);
    return reply.page('crime/views/index.njk', await indexPage(canImportCrime(actor)));
  });

  app.get<{ Params: { id: string }; Querystring: { refresh?: string } }>(
    '/crime-data/imports/:id',
    async (request, reply) => {
      actorOf(request);
      const found = await crime.import(idParam(request.params.id));
      // Refreshing itself is the default while an import runs; a person can turn it off
      // (WCAG 2.2.1) and check again by hand.
      const refreshing = found.status === 'running' && request.query.refresh !== 'off';
      return reply.page('crime/views/import.njk', {
        title: `Crime data import ${found.id}`,
        breadcrumbs: [
          { text: 'Public data', href: '/data' },
          { text: 'Crime data', href: '/crime-data' },
        ],
        imp: { ...found, tag: STATUS_TAGS[found.status] },
        summary: found.summary,
        progress: found.progress,
        refreshSeconds: refreshing ? REFRESH_SECONDS : null,
        refreshEvery: REFRESH_SECONDS,
        stopped: found.status === 'running' && !refreshing,
      });
    },
  );

  // The upload streams to a temporary file: never held in memory. Only signed-in people who
  // may import get as far as having a file read.
  await app.register(async (scope) => {
    scope.addHook('preValidation', async (request, reply) => {
      if (!request.actor) return reply.code(401).page('errors/signed-out.njk', {});
      if (!canImportCrime(request.actor)) return reply.code(403).page('errors/forbidden.njk', {});
    });
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_CRIME_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 },
      async onFile(part: MultipartFile) {
        const extension = /\.(csv|zip)$/i.exec(part.filename)?.[1]?.toLowerCase();
        if (!extension) {
          part.file.resume();
          (part as unknown as { value: string }).value = part.filename ? 'wrong-type' : '';
          return;
        }
        const dir = await mkdtemp(join(tmpdir(), 'saferplan-upload-'));
        const path = join(dir, `upload.${extension}`);
        try {
          await pipeline(part.file, createWriteStream(path));
        } catch (err) {
          await rm(dir, { recursive: true, force: true });
          throw err;
        }
        const upload: Upload = { dir, path, filename: part.filename };
        (part as unknown as { value: Upload }).value = upload;
      },
    });

    scope.post<{ Body: Record<string, string | Upload | undefined> }>(
      '/crime-data/imports',
      async (request, reply) => {
        const actor = actorOf(request);
        const file = request.body.file;
        if (typeof file !== 'object') {
          const text =
            file === 'wrong-type'
              ? 'The selected file must be a CSV or a ZIP file'
              : 'Select a CSV or ZIP file to import';
          return reply
            .code(400)
            .page('crime/views/index.njk', await indexPage(true, uploadError(text)));
        }
        const id = await crime.startImport(actor, [file.filename]);
        const job = crime
          .runImport(id, [{ path: file.path, name: file.filename }])
          .then(
            () => undefined,
            // The failure is recorded on the import and shown on its page.
            (err: unknown) => {
              request.log.info({ importId: id, err }, 'crime import failed');
            },
          )
          .finally(async () => {
            await rm(file.dir, { recursive: true, force: true });
          });
        jobs.add(job);
        void job.finally(() => jobs.delete(job));
        return reply.redirect(`/crime-data/imports/${id}`, 303);
      },
    );
  });
}
