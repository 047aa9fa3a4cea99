// The server under test, in its own process so the load generator's CPU is not counted with it.
// Configured from the environment like any other start (see bench/run.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { QUERY_COUNT_HEADER } from './http.js';

// Statements the database has run since start-up. Each response carries how many ran between
// its request arriving and its headers being written: exact for a request served on its own,
// which is how the runner asks (once, before the load), and meaningless under load, where
// nobody reads it. Counting per request with AsyncLocalStorage would be exact under load too,
// but its promise hooks slow every request down, and more so the pages that query more.
let statements = 0;

const app = await startServer({
  config: loadConfig(),
  onQuery: () => {
    statements++;
  },
});

// Wrapped at the HTTP server, not in a hook, so the statements of every hook count too (the
// session is looked up in the first onRequest hook). Nothing is served before this runs: the
// server has only just started listening and no request has been read yet.
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const handlers = app.server.listeners('request') as Handler[];
app.server.removeAllListeners('request');
app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
  const before = statements;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = (...args: unknown[]) => {
    res.setHeader(QUERY_COUNT_HEADER, String(statements - before));
    return writeHead(...args);
  };
  for (const handle of handlers) handle(req, res);
});
