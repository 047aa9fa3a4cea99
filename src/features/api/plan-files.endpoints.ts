import { z } from 'zod';
import { parseInput } from '../../core/form-errors.js';
import { MAX_FILE_BYTES } from '../../core/grid-file.js';
import { requiredText } from '../../core/schema-helpers.js';
import { idParam } from '../partnerships/partnerships.routes.js';
import { importSchema, PLAN_FILE_TYPES } from '../plans/plan-files.service.js';
import { PlanImport } from './api.schemas.js';
import { endpoint, type Endpoint } from './endpoint.js';

export const importBodyMessages = {
  filenameEmpty: 'Enter the file’s name, like action-plan.xlsx',
  filenameTooLong: 'File name must be 255 characters or fewer',
  contentEmpty: 'Enter the file’s content, in base64',
  contentNotBase64: 'Content must be the file in base64',
};

export const exportQueryMessages = { format: 'Format must be csv or xlsx' };

/** Base64 as tools write it, wrapped onto lines or not. */
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** A spreadsheet sent as JSON: its name, and the file in base64. */
export const FileBody = z.object({
  filename: requiredText(
    importBodyMessages.filenameEmpty,
    255,
    importBodyMessages.filenameTooLong,
  ).meta({ description: 'The file’s name, ending .csv or .xlsx' }),
  content: z
    .string({ error: importBodyMessages.contentEmpty })
    .min(1, importBodyMessages.contentEmpty)
    .regex(BASE64, importBodyMessages.contentNotBase64)
    .meta({
      description: `The file in base64: a CSV (UTF-8) or an Excel .xlsx file smaller than ${MAX_FILE_BYTES / 1024 / 1024} MB`,
      contentEncoding: 'base64',
    }),
});

/** The file of a body checked with `schema`, decoded. */
export function fileOf(schema: z.ZodType<{ filename: string; content: string }>, body: unknown) {
  const { filename, content } = parseInput(schema, body);
  return { filename, content: Buffer.from(content, 'base64') };
}

/** A plan file sent as JSON: the import page's fields, and the file in base64. */
export const ImportBody = importSchema.extend({
  updateMonth: importSchema.shape.updateMonth.meta({
    description:
      'The month of the updates the file gives no month for, like 2024-09; needed only when it has some',
  }),
  ...FileBody.shape,
});

const ExportQuery = z.object({
  format: z
    .enum(['csv', 'xlsx'], { error: exportQueryMessages.format })
    .optional()
    .meta({ description: 'csv (the default) or xlsx' }),
});

/** Action plans as files: the spreadsheet a partnership keeps its plan in, both ways. */
export const PLAN_FILE_ENDPOINTS: Endpoint[] = [
  endpoint({
    method: 'POST',
    path: '/partnerships/{slug}/plans/import',
    summary:
      'Import an action plan file as a new draft plan (coordinators). All or nothing: a file with any bad row is refused whole, naming every problem by row and column. Lead bodies the partnership does not know become groups',
    tag: 'Plans',
    body: ImportBody,
    upload: { field: 'content', maxBytes: MAX_FILE_BYTES },
    status: 201,
    response: { schema: PlanImport },
    run: async ({ services, actor, params, body }) => {
      // Coordinators only, before anything in the body is decoded or read.
      await services.planFiles.checkAccess(actor, params.slug);
      return services.planFiles.importFile(actor, params.slug, body, fileOf(ImportBody, body));
    },
  }),
  endpoint({
    method: 'GET',
    path: '/partnerships/{slug}/plans/{planId}/export',
    summary:
      'The plan as a file: one row an action, with its latest update, in the columns the import reads',
    tag: 'Plans',
    query: ExportQuery,
    status: 200,
    file: { contentTypes: Object.values(PLAN_FILE_TYPES) },
    run: ({ services, actor, params, query }) =>
      services.planFiles.exportPlan(
        actor,
        params.slug,
        idParam(params.planId),
        query.format ?? 'csv',
      ),
  }),
];
