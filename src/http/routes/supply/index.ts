import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { inventoryEventRoutes } from './inventory-events.routes.js';

/** Supply-resilience API: parts, stock, suppliers, demand, risk events, imports, risk and alerts. */
export function supplyRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(inventoryEventRoutes(deps));
  };
}
