// The part of autocannon 9's programmatic interface the benchmark uses (it ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Called before every request; returns the request to send. */
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
  }

  export interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Seconds a request may take before it counts as a time-out. */
    timeout?: number;
    requests?: Request[];
  }

  export interface Result {
    /** Seconds, to the hundredth. */
    duration: number;
    errors: number;
    timeouts: number;
    statusCodeStats: Record<string, { count: number } | undefined>;
  }

  /** Emits `response` (client, statusCode, bytes, milliseconds) for every response. */
  export type Instance = EventEmitter & { stop(): void };

  export default function autocannon(
    options: Options,
    callback: (error: Error | null, result: Result) => void,
  ): Instance;
}
