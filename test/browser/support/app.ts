import type { AddressInfo } from 'node:net';
import { buildApp } from '../../../src/app.js';
import { testConfig } from '../../../src/config.js';
import { buildServices, type Services } from '../../../src/services.js';
import { freshDatabase } from '../../helpers/database.js';
import { loadPeople } from './people.js';

export interface RunningApp {
  baseUrl: string;
  services: Services;
  close: () => Promise<void>;
}

/** The real app on a free loopback port, on a fresh database holding the journeys' people. */
export async function startApp(): Promise<RunningApp> {
  const { db, drop } = await freshDatabase();
  const services = buildServices(db, testConfig());
  await loadPeople(services);
  const app = await buildApp(services, { logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    // The session cookie is Secure; browsers accept that over plain HTTP on localhost only.
    baseUrl: `http://localhost:${port}`,
    services,
    close: async () => {
      await app.close();
      await drop();
    },
  };
}
