import type { FastifyInstance } from 'fastify';

export async function agencyRoutes(_app: FastifyInstance): Promise<void> {}
