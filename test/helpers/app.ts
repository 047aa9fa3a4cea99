import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { testConfig, type Config } from '../../src/config.js';
import { buildServices, type Services } from '../../src/services.js';
import { freshDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  close: () => Promise<void>;
}

export async function testApp(config: Partial<Config> = {}): Promise<TestApp> {
  const { db, drop } = await freshDatabase();
  const services = buildServices(db, testConfig(config));
  const app = await buildApp(services, { logger: false });
  return {
    app,
    services,
    close: async () => {
      await app.close();
      await drop();
    },
  };
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

function cookieHeader(res: LightMyRequestResponse, jar: Map<string, string>): void {
  for (const c of res.cookies) {
    if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) jar.delete(c.name);
    else jar.set(c.name, c.value);
  }
}

/** A browser-like client: keeps cookies, and sends the page's CSRF token with each form. */
export class Client {
  readonly jar = new Map<string, string>();
  csrf = '';

  constructor(readonly app: FastifyInstance) {}

  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookie } });
    cookieHeader(res, this.jar);
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m?.[1]) this.csrf = m[1];
    return res;
  }

  /** Posts a form with the current CSRF token unless the form says otherwise. */
  async post(
    url: string,
    form: Record<string, string | string[]> = {},
  ): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    if (!('_csrf' in form)) body.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item);
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    cookieHeader(res, this.jar);
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m?.[1]) this.csrf = m[1];
    return res;
  }

  /** Posts a multipart form with one file, as a browser does for a file upload. */
  async upload(
    url: string,
    form: Record<string, string>,
    file?: { field: string; filename: string; content: Buffer; type?: string },
  ): Promise<LightMyRequestResponse> {
    const boundary = '----saferplan-test-boundary';
    const parts: Buffer[] = [];
    const fields = '_csrf' in form ? form : { _csrf: this.csrf, ...form };
    for (const [k, v] of Object.entries(fields)) {
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
      );
    }
    if (file) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\n` +
            `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        file.content,
        Buffer.from('\r\n'),
      );
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat(parts),
    });
    cookieHeader(res, this.jar);
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m?.[1]) this.csrf = m[1];
    return res;
  }

  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/sign-in');
    const res = await this.post('/sign-in', { email, password });
    if (res.statusCode === 303) await this.get('/');
    return res;
  }
}

export async function signedIn(
  app: FastifyInstance,
  email: string,
  password: string,
): Promise<Client> {
  const client = new Client(app);
  const res = await client.signIn(email, password);
  if (res.statusCode !== 303) throw new Error(`sign-in failed for ${email}: ${res.statusCode}`);
  return client;
}
