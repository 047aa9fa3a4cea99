import { z } from 'zod';
import type { Endpoint } from './endpoint.js';
import { apiSchemas } from './api.schemas.js';

export const API_PREFIX = '/api/v1';
export const OPENAPI_PATH = '/openapi.json';

type Json = Record<string, unknown>;

const SCHEMAS = '#/components/schemas/';

function withoutDialect(schema: Json): Json {
  const rest = { ...schema };
  delete rest.$schema;
  delete rest.$id;
  return rest;
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  return withoutDialect(z.toJSONSchema(schema, { io, override: tidy }));
}

/**
 * A format says enough without zod's long regular expression; and answers may gain fields in
 * later versions, so the document does not promise that they never will.
 */
function tidy({ jsonSchema }: { jsonSchema: Json }): void {
  if (jsonSchema.format) delete jsonSchema.pattern;
  if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
}

function refTo(schema: z.ZodType): Json {
  const id = apiSchemas.get(schema)?.id;
  if (!id) throw new Error('API response schemas must be registered in apiSchemas');
  return { $ref: `${SCHEMAS}${id}` };
}

function problem(description: string): Json {
  return {
    description,
    content: { 'application/problem+json': { schema: { $ref: `${SCHEMAS}Problem` } } },
  };
}

/** Ids are positive integers; every other path parameter is a partnership's short name. */
function parameter(name: string): Json {
  return {
    name,
    in: 'path',
    required: true,
    schema: name.endsWith('Id')
      ? { type: 'integer', minimum: 1 }
      : { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
  };
}

/** Each field of the query schema, as a query parameter; a description moves up beside it. */
function queryParameters(schema: z.ZodType): Json[] {
  const object = toJsonSchema(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, Json>;
  const required = (object.required ?? []) as string[];
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: required.includes(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}

/** getPartnershipsSlugMembers: unique, because a method and a path make one operation. */
function operationId(e: Endpoint): string {
  const words = e.path.replace(/[{}]/g, '').split('/').filter(Boolean);
  return [e.method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join(
    '',
  );
}

/** What the 200 of an endpoint answering with a file looks like: the file, as an attachment. */
function fileResponse(contentTypes: readonly string[]): Json {
  return {
    description: 'The file',
    headers: {
      'Content-Disposition': {
        description: 'attachment, with the file’s name',
        schema: { type: 'string' },
      },
    },
    content: Object.fromEntries(
      contentTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  };
}

/** Why an endpoint can answer 422, in one sentence per reason it has. */
function unprocessable(e: Endpoint): string | undefined {
  const reasons = [
    e.body ? 'The body breaks a rule; `errors` lists each one, by field' : '',
    e.query ? 'A query parameter breaks a rule; `errors` names it' : '',
    e.upload
      ? `The file is refused; \`errors\` lists each problem under ${e.upload.field}, with its row and column where it has them`
      : '',
    e.refusal ?? '',
  ].filter(Boolean);
  return reasons.length ? reasons.join('. ') : undefined;
}

function operation(e: Endpoint): Json {
  const names = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const parameters = [...names.map(parameter), ...(e.query ? queryParameters(e.query) : [])];
  const responses: Json = {};
  if (e.status === 204) responses['204'] = { description: 'Done' };
  else if (e.file) responses[String(e.status)] = fileResponse(e.file.contentTypes);
  else {
    const schema = e.response ? refTo(e.response.schema) : {};
    responses[String(e.status)] = {
      description: e.status === 201 ? 'Created' : 'OK',
      content: {
        'application/json': {
          schema: e.response?.list ? { type: 'array', items: schema } : schema,
        },
      },
    };
  }
  if (e.body) responses['400'] = problem('The body is not a JSON object');
  responses['401'] = problem('No API token, or one that is not valid');
  if (e.method !== 'GET') responses['403'] = problem('Your role does not allow this');
  if (names.length) responses['404'] = problem('Not found, or not yours to see');
  if (e.conflict) responses['409'] = problem(e.conflict);
  if (e.upload)
    responses['413'] = problem(
      `The body is too large: the file must be smaller than ${e.upload.maxBytes / 1024 / 1024} MB`,
    );
  const refused = unprocessable(e);
  if (refused) responses['422'] = problem(refused);
  return {
    operationId: operationId(e),
    summary: e.summary,
    tags: [e.tag],
    ...(parameters.length ? { parameters } : {}),
    ...(e.body
      ? {
          requestBody: {
            required: true,
            content: {
              // Forms and the API share these schemas; the input side is what a caller sends.
              'application/json': {
                schema: toJsonSchema(e.body, 'input'),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document for the endpoints given, served at /api/v1/openapi.json. */
export function openApiDocument(endpoints: readonly Endpoint[]): Json {
  const paths: Record<string, Json> = {
    [OPENAPI_PATH]: {
      get: {
        operationId: 'getOpenApi',
        summary: 'This document',
        tags: ['API'],
        security: [],
        responses: { '200': { description: 'The OpenAPI document' } },
      },
    },
  };
  for (const e of endpoints) {
    paths[e.path] = { ...paths[e.path], [e.method.toLowerCase()]: operation(e) };
  }
  const { schemas } = z.toJSONSchema(apiSchemas, {
    uri: (id) => `${SCHEMAS}${id}`,
    override: tidy,
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Saferplan API',
      version: '1',
      description:
        'The records of Community Safety Partnerships: partnerships, members, partner agencies, ' +
        'groups, and their community safety plans with numbered actions, milestones, ' +
        'progress updates and update rounds, and performance indicators with their monthly figures. Every request acts as the owner of its token, with their roles.',
    },
    servers: [{ url: API_PREFIX }],
    security: [{ bearerToken: [] }],
    tags: [
      { name: 'Account' },
      { name: 'Partnerships' },
      { name: 'Members' },
      { name: 'Agencies' },
      { name: 'Groups' },
      { name: 'Plans' },
      { name: 'Actions' },
      { name: 'Progress updates' },
      { name: 'Update rounds' },
      { name: 'Indicators' },
      { name: 'Reports' },
      { name: 'Assessments' },
      { name: 'Crime data' },
      { name: 'Priorities' },
      { name: 'Funding' },
      { name: 'API' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A personal access token (sp_…), created on the page /account/tokens',
        },
      },
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([id, s]) => [id, withoutDialect(s as Json)]),
      ),
    },
  };
}
