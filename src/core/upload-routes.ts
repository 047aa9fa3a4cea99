/**
 * What every page that takes a spreadsheet file shares: a scope of its own for the upload, and
 * a refused file's problems as the error summary.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { formErrors, type FormErrors } from './form-errors.js';
import { describeProblem, MAX_FILE_BYTES, type FileError } from './grid-file.js';

export interface UploadedFile {
  filename: string;
  content: Buffer;
}

/** A form's fields, with the uploaded file as `file`. */
export type UploadBody = Record<string, string | UploadedFile | undefined>;

/** The body's file, if one was chosen. */
export function chosenFile(body: UploadBody | undefined): UploadedFile | undefined {
  const file = body?.file;
  return typeof file === 'object' && file.filename ? file : undefined;
}

/** Every problem in a refused file, each its own line in the error summary. */
export function fileErrors(err: FileError): FormErrors {
  const errors = formErrors([]);
  errors.summary = err.problems.map((p) => ({ text: describeProblem(p), href: '#file' }));
  errors.fields.file = {
    text:
      err.problems.length === 1
        ? (errors.summary[0]?.text ?? '')
        : `The file has ${err.problems.length} problems, listed at the top of the page: correct them and choose the file again`,
  };
  return errors;
}

/**
 * Registers upload routes in a scope of their own: only they take multipart bodies, and nobody
 * signed out gets as far as having a file read into memory.
 */
export async function uploadScope(
  app: FastifyInstance,
  routes: (scope: FastifyInstance) => void,
): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('preValidation', async (request, reply) => {
      if (!request.actor) return reply.code(401).page('errors/signed-out.njk', {});
    });
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 10, parts: 12 },
      async onFile(part) {
        const content = await part.toBuffer();
        (part as unknown as { value: UploadedFile }).value = { filename: part.filename, content };
      },
    });
    routes(scope);
  });
}
