// The server under test, in its own process so the load generator's CPU is not counted with it.
// Configured from the environment like any other start (see bench/run.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { QUERY_COUNT_HEADER } from './http.js';

// Every statement the database runs is counted against the request it ran for, and the count
// goes back in a response header: the runner reads it from one request before the load starts.
const requestQueries = new AsyncLocalStorage<{ queries: number }>();

const app = await startServer({
  config: loadConfig(),
  onQuery: () => {
    const counter = requestQueries.getStore();
    if (counter) counter.queries++;
  },
});

// Wrapped at the HTTP server, not in a hook, so the statements of every hook count too (the
// session is looked up in the first onRequest hook). Nothing is served before this runs: the
// server has only just started listening and no request has been read yet.
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const handlers = app.server.listeners('request') as Handler[];
app.server.removeAllListeners('request');
app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
  const counter = { queries: 0 };
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = (...args: unknown[]) => {
    res.setHeader(QUERY_COUNT_HEADER, String(counter.queries));
    return writeHead(...args);
  };
  requestQueries.run(counter, () => {
    for (const handle of handlers) handle(req, res);
  });
});
