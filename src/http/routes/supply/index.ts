import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../deps.js';

/** Supply-resilience API: parts, stock, suppliers, demand, risk events, imports, risk and alerts. */
export function supplyRoutes(_deps: AppDeps): FastifyPluginAsync {
  return async () => undefined;
}
