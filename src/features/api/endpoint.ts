import type { z } from 'zod';
import type { Actor } from '../../core/actor.js';
import type { Services } from '../../services.js';

type ParamsOf<P extends string> = P extends `${string}{${infer N}}${infer R}`
  ? N | ParamsOf<R>
  : never;

export interface EndpointContext<N extends string = string> {
  services: Services;
  actor: Actor;
  params: Record<N, string>;
  /** A JSON object (checked before the handler runs); the services parse it with their schemas. */
  body: Record<string, unknown>;
}

export interface Endpoint<P extends string = string> {
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
    | 'Account';
  /** The schema the service parses the body with, to describe the body in the document. */
  body?: z.ZodType;
  status: 200 | 201 | 204;
  response?: { schema: z.ZodType; list?: true };
  /** When the change can lose a race with another writer, and is then refused with 409. */
  conflict?: string;
  run(ctx: EndpointContext<ParamsOf<P>>): Promise<unknown>;
}

export function endpoint<P extends string>(e: Endpoint<P>): Endpoint {
  return e;
}
