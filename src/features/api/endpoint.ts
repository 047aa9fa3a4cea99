import type { z } from 'zod';
import type { Actor } from '../../core/actor.js';
import type { Services } from '../../services.js';

type ParamsOf<P extends string> = P extends `${string}{${infer N}}${infer R}`
  ? N | ParamsOf<R>
  : never;

export interface EndpointContext<N extends string = string, Q = unknown> {
  services: Services;
  actor: Actor;
  params: Record<N, string>;
  /** The query parameters, parsed with the endpoint's `query` schema before the handler runs. */
  query: Q;
  /** A JSON object (checked before the handler runs); the services parse it with their schemas. */
  body: Record<string, unknown>;
}

/** What an endpoint that answers with a file returns: the file itself, not JSON. */
export interface FileAnswer {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface Endpoint<P extends string = string, Q extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Under /api/v1, with OpenAPI's {braces} around path parameters. */
  path: P;
  summary: string;
  tag:
    | 'Partnerships'
    | 'Members'
    | 'Agencies'
    | 'Groups'
    | 'Plans'
    | 'Actions'
    | 'Progress updates'
    | 'Update rounds'
    | 'Indicators'
    | 'Reports'
    | 'Assessments'
    | 'Crime data'
    | 'Priorities'
    | 'Funding'
    | 'Account';
  /**
   * The query parameters, as an object of optional fields. A parameter sent empty counts as left
   * out, as a page's "All" option sends it; one that breaks a rule answers 422 naming it.
   */
  query?: Q;
  /** The schema the service parses the body with, to describe the body in the document. */
  body?: z.ZodType;
  /**
   * A file sent inside the JSON body, base64 in this field. The body may then be as large as a
   * file of maxBytes needs (other routes keep the small default), and a file the service refuses
   * answers 422 with each problem's row and column.
   */
  upload?: { field: string; maxBytes: number };
  status: 200 | 201 | 204;
  response?: { schema: z.ZodType; list?: true };
  /** Answers with a file of one of these types instead of JSON: `run` returns a FileAnswer. */
  file?: { contentTypes: readonly string[] };
  /** When the change can lose a race with another writer, and is then refused with 409. */
  conflict?: string;
  /** When the service can refuse the change for the state of the record: 422, saying why. */
  refusal?: string;
  run(ctx: EndpointContext<ParamsOf<P>, z.output<Q>>): Promise<unknown>;
}

export function endpoint<P extends string, Q extends z.ZodType = z.ZodType>(
  e: Endpoint<P, Q>,
): Endpoint {
  return e;
}
