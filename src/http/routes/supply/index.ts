import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { inventoryEventRoutes } from './inventory-events.routes.js';
import { importRoutes } from './imports.routes.js';
import { supplyReadRoutes } from './supply-read.routes.js';
import { riskRoutes } from './risk.routes.js';
import { alertRoutes } from './alerts.routes.js';

/** Supply-resilience API: parts, stock, suppliers, demand, risk events, imports, risk and alerts. */
export function supplyRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(inventoryEventRoutes(deps));
    await app.register(importRoutes(deps));
    await app.register(supplyReadRoutes(deps));
    await app.register(riskRoutes(deps));
    await app.register(alertRoutes(deps));
  };
}
