import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves when no request is being handled, or after `timeoutMs`. */
    drained(timeoutMs: number): Promise<void>;
  }
}

// A handler whose client hung up keeps running after Fastify has closed the server, so
// whatever it uses (the database above all) must stay open until it has finished.
// onSend fires for every request that reaches a reply, aborted or not.
export const inFlightPlugin = fp(
  async (app) => {
    const handling = new WeakSet<FastifyRequest>();
    let count = 0;
    let waiters: (() => void)[] = [];

    app.addHook('onRequest', async (request) => {
      handling.add(request);
      count++;
    });
    app.addHook('onSend', async (request, _reply, payload) => {
      if (handling.delete(request) && --count === 0) {
        for (const wake of waiters) wake();
        waiters = [];
      }
      return payload;
    });

    app.decorate('drained', (timeoutMs: number) => {
      if (count === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, timeoutMs).unref();
      });
    });
  },
  { name: 'in-flight' },
);
