import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';

describe('shutting down', () => {
  it('waits for a handler whose client hung up before letting the database close', async () => {
    const t = await testApp();
    const events: string[] = [];
    t.app.get('/slow-for-test', { config: { public: true } }, async () => {
      await new Promise((r) => setTimeout(r, 300));
      await t.services.db.selectFrom('agencies').select('id').execute();
      events.push('handler finished');
      return 'done';
    });
    t.app.addHook('onClose', async () => {
      await t.app.drained(5_000);
      events.push('database may close');
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const request = http.get(`http://127.0.0.1:${port}/slow-for-test`);
    request.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 100));
    request.destroy();
    await t.close();
    expect(events).toEqual(['handler finished', 'database may close']);
  });
});
