import { z } from 'zod';

const onOff = z.enum(['on', 'off']);
const minutes = z.coerce.number().int().positive();

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/saferplan.db')
    .refine((v) => /^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(v), {
      message: 'must be sqlite:PATH or postgres://…',
    }),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: minutes.default(60),
  SESSION_ABSOLUTE_MINUTES: minutes.default(12 * 60),
  SIGN_IN_THROTTLE: onOff.default('on'),
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  SIGN_IN_LOCK_MINUTES: minutes.default(15),
  SIGN_IN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().positive().default(30),
  ONE_TIME_LINK_MINUTES: minutes.default(24 * 60),
  TRUST_PROXY: onOff.default('off'),
  SHOW_ERROR_DETAILS: onOff.default('off'),
  PAGE_CACHE_MB: z.coerce.number().min(0).default(64),
});

export type Config = Readonly<{
  port: number;
  host: string;
  databaseUrl: string;
  publicUrl: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  sessionIdleMinutes: number;
  sessionAbsoluteMinutes: number;
  signInThrottle: boolean;
  signInMaxFailures: number;
  signInLockMinutes: number;
  signInAttemptsPerMinute: number;
  oneTimeLinkMinutes: number;
  trustProxy: boolean;
  showErrorDetails: boolean;
  /** Memory for rendered plan pages kept until their data changes; 0 keeps none. */
  pageCacheMb: number;
}>;

export class ConfigError extends Error {}

/** The only reader of the environment. A bad variable stops start-up, naming it. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Record<string, string> = {},
): Config {
  const parsed = schema.safeParse({ ...env, ...overrides });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteMinutes: e.SESSION_ABSOLUTE_MINUTES,
    signInThrottle: e.SIGN_IN_THROTTLE === 'on',
    signInMaxFailures: e.SIGN_IN_MAX_FAILURES,
    signInLockMinutes: e.SIGN_IN_LOCK_MINUTES,
    signInAttemptsPerMinute: e.SIGN_IN_ATTEMPTS_PER_MINUTE,
    oneTimeLinkMinutes: e.ONE_TIME_LINK_MINUTES,
    trustProxy: e.TRUST_PROXY === 'on',
    showErrorDetails: e.SHOW_ERROR_DETAILS === 'on',
    pageCacheMb: e.PAGE_CACHE_MB,
  });
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  // Every test request comes from one address: the per-address limit has its own test.
  return Object.freeze({
    ...loadConfig({}),
    logLevel: 'silent',
    signInAttemptsPerMinute: 10_000,
    ...overrides,
  });
}
