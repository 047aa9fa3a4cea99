import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { GOVUK_DIST, PUBLIC, SRC } from './paths.js';
import { apiAuthPlugin } from './plugins/api-auth.js';
import { csrfPlugin } from './plugins/csrf.js';
import { errorsPlugin } from './plugins/errors.js';
import { inFlightPlugin } from './plugins/in-flight.js';
import { securityPlugin } from './plugins/security.js';
import { sessionPlugin } from './plugins/session.js';
import { createViewEnvironment, viewsPlugin } from './plugins/views.js';
import { PageCache } from './core/page-cache.js';
import type { Services } from './services.js';
import { aboutRoutes } from './features/about/about.routes.js';
import { accountRoutes } from './features/accounts/accounts.routes.js';
import { adminUserRoutes } from './features/accounts/admin-users.routes.js';
import { agencyRoutes } from './features/agencies/agencies.routes.js';
import { apiRoutes } from './features/api/api.routes.js';
import { auditRoutes } from './features/audit/audit.routes.js';
import { authRoutes } from './features/auth/auth.routes.js';
import { countyRoutes } from './features/county/county.routes.js';
import { crimeRoutes } from './features/crime/crime.routes.js';
import { geographyRoutes } from './features/geography/geography.routes.js';
import { fundingRoutes } from './features/funding/funding.routes.js';
import { proposalRoutes } from './features/funding/proposals.routes.js';
import { groupRoutes } from './features/groups/groups.routes.js';
import { homeRoutes } from './features/home/home.routes.js';
import { indicatorDeleteRoutes } from './features/indicators/indicator-delete.routes.js';
import { indicatorFileRoutes } from './features/indicators/indicator-files.routes.js';
import { indicatorRoutes } from './features/indicators/indicators.routes.js';
import { partnershipRoutes } from './features/partnerships/partnerships.routes.js';
import { lifecycleRoutes } from './features/plans/lifecycle.routes.js';
import { planFileRoutes } from './features/plans/plan-files.routes.js';
import { planRoutes } from './features/plans/plans.routes.js';
import { roundRoutes } from './features/plans/rounds.routes.js';
import { themeRoutes } from './features/plans/themes.routes.js';
import { assessmentRoutes } from './features/assessments/assessments.routes.js';
import { priorityRoutes } from './features/priorities/priorities.routes.js';
import { reportRoutes } from './features/reports/reports.routes.js';
import { tokenRoutes } from './features/tokens/tokens.routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    /** Every route as registered: the access tests walk this list. */
    routeTable: { method: string; url: string; public: boolean }[];
  }
}

// Forms are small; file uploads (later) set their own larger limit on their own route.
const BODY_LIMIT_BYTES = 256 * 1024;

export interface AppOptions {
  logger?: boolean;
}

/** Plugins in a fixed order, then features. Everything the app needs comes in `services`. */
export async function buildApp(
  services: Services,
  options: AppOptions = {},
): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger:
      options.logger === false || config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.decorate('services', services);
  const routeTable: FastifyInstance['routeTable'] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routeTable.push({ method, url: route.url, public: route.config?.public === true });
    }
  });

  await app.register(inFlightPlugin);
  await app.register(securityPlugin);
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  await app.register(viewsPlugin, {
    env: createViewEnvironment(),
    cache: new PageCache(config.pageCacheMb * 2 ** 20),
  });
  await app.register(sessionPlugin, { auth: services.auth });
  await app.register(csrfPlugin);
  await app.register(errorsPlugin, { showDetails: config.showErrorDetails });
  await app.register(apiAuthPlugin, { auth: services.auth, tokens: services.tokens });
  if (config.signInThrottle) await app.register(rateLimit, { global: false });

  await app.register(fastifyStatic, {
    root: [
      PUBLIC,
      resolve(SRC, 'assets/static'),
      resolve(GOVUK_DIST, 'govuk'),
      resolve(GOVUK_DIST, 'govuk/assets'),
    ],
    prefix: '/assets/',
    allowedPath: (path) =>
      !path.endsWith('.map') && !path.endsWith('.scss') && !path.endsWith('.njk'),
    maxAge: '1h',
  });

  app.get('/healthz', { config: { public: true } }, async (_request, reply) => {
    await services.db.selectFrom('agencies').select('id').limit(1).execute();
    return reply.send({ status: 'ok' });
  });

  await app.register(authRoutes);
  await app.register(homeRoutes);
  await app.register(partnershipRoutes);
  await app.register(groupRoutes);
  await app.register(planRoutes);
  await app.register(themeRoutes);
  await app.register(planFileRoutes);
  await app.register(roundRoutes);
  await app.register(lifecycleRoutes);
  await app.register(indicatorFileRoutes);
  await app.register(indicatorRoutes);
  await app.register(fundingRoutes);
  await app.register(proposalRoutes);
  await app.register(indicatorDeleteRoutes);
  await app.register(reportRoutes);
  await app.register(assessmentRoutes);
  await app.register(priorityRoutes);
  await app.register(countyRoutes);
  await app.register(crimeRoutes);
  await app.register(agencyRoutes);
  await app.register(geographyRoutes);
  await app.register(auditRoutes);
  await app.register(adminUserRoutes);
  await app.register(accountRoutes);
  await app.register(aboutRoutes);
  await app.register(tokenRoutes);
  await app.register(apiRoutes);
  return app;
}
