import autocannon, { type Request } from 'autocannon';

export interface LoadOptions {
  baseUrl: string;
  requests: Request[];
  connections: number;
  seconds: number;
}

export interface LoadOutcome {
  seconds: number;
  /** Milliseconds for each response by status. */
  latencies: Map<number, number[]>;
  errors: number;
}

// A request slower than this counts as a time-out; it also bounds how long a stop can take.
const REQUEST_TIMEOUT_SECONDS = 10;

/** A closed loop of `connections` keep-alive connections for a fixed time, every response timed. */
export function runLoad({ baseUrl, requests, connections, seconds }: LoadOptions) {
  return new Promise<LoadOutcome>((resolve, reject) => {
    const latencies = new Map<number, number[]>();
    const instance = autocannon(
      { url: baseUrl, connections, duration: seconds, timeout: REQUEST_TIMEOUT_SECONDS, requests },
      (error, result) => {
        if (error) reject(error);
        else resolve({ seconds: result.duration, latencies, errors: result.errors });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      let list = latencies.get(status);
      if (!list) latencies.set(status, (list = []));
      list.push(ms);
    });
  });
}
