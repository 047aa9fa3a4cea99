// The server under test, in its own process so the load generator's CPU is not counted with it.
// Configured from the environment like any other start (see bench/run.ts).
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';

await startServer({ config: loadConfig() });
