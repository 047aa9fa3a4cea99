import type { FastifyInstance } from 'fastify';

export async function partnershipRoutes(_app: FastifyInstance): Promise<void> {}
