// Plain HTTP against the running server, as a browser would: used to prepare each scenario
// (sign in, check the page answers as expected) before the load starts.

const CSRF_COOKIE = 'saferplan_csrf';
const SESSION_COOKIE = 'saferplan_session';

function cookieFrom(res: Response, name: string): string | undefined {
  for (const header of res.headers.getSetCookie()) {
    const [pair = ''] = header.split(';');
    const at = pair.indexOf('=');
    if (pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

export const FORM = 'application/x-www-form-urlencoded';

/** The anonymous CSRF pair the sign-in form works with: the cookie and the same value in `_csrf`. */
export async function anonymousCsrf(baseUrl: string): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`${baseUrl}/sign-in`, { redirect: 'manual' });
  const html = await res.text();
  const token = cookieFrom(res, CSRF_COOKIE);
  if (res.status !== 200 || !token || !html.includes(`value="${token}"`)) {
    throw new Error(`GET /sign-in gave ${res.status} without a CSRF cookie and matching field`);
  }
  return { cookie: `${CSRF_COOKIE}=${token}`, token };
}

export function signInForm(token: string, email: string, password: string): string {
  return new URLSearchParams({ _csrf: token, email, password }).toString();
}

/** Signs in and returns the Cookie header of the new session. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const { cookie, token } = await anonymousCsrf(baseUrl);
  const res = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': FORM },
    body: signInForm(token, email, password),
  });
  await res.arrayBuffer();
  const session = cookieFrom(res, SESSION_COOKIE);
  if (res.status !== 303 || !session) {
    throw new Error(`sign-in as ${email} gave ${res.status}, not 303 with a session cookie`);
  }
  return `${SESSION_COOKIE}=${session}`;
}

/** One request before the load: the status, and text the page must show. */
export async function check(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  status: number,
  mustContain: readonly string[] = [],
): Promise<void> {
  const res = await fetch(`${baseUrl}${path}`, { redirect: 'manual', headers });
  const body = await res.text();
  if (res.status !== status) throw new Error(`GET ${path} gave ${res.status}, not ${status}`);
  const missing = mustContain.filter((text) => !body.includes(text));
  if (missing.length) throw new Error(`GET ${path} does not show: ${missing.join(', ')}`);
}

export async function statusOf(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const res = await fetch(`${baseUrl}${path}`, { redirect: 'manual', headers });
  await res.arrayBuffer();
  return res.status;
}

/** Set by the benchmark's server on every response: the statements the request ran. */
export const QUERY_COUNT_HEADER = 'x-bench-sql-statements';

/** One request as the load sends it, and the number of statements the server ran for it. */
export async function queriesFor(
  baseUrl: string,
  request: { method?: string; path?: string; headers?: Record<string, string>; body?: unknown },
): Promise<number | null> {
  const res = await fetch(`${baseUrl}${request.path ?? '/'}`, {
    method: request.method ?? 'GET',
    redirect: 'manual',
    headers: request.headers ?? {},
    ...(typeof request.body === 'string' ? { body: request.body } : {}),
  });
  await res.arrayBuffer();
  const header = res.headers.get(QUERY_COUNT_HEADER);
  return header === null ? null : Number(header);
}
