import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../deps.js';

/** Flight-safety API: aircraft, flight uploads, signals, analysis and reports. */
export function flightRoutes(_deps: AppDeps): FastifyPluginAsync {
  return async () => undefined;
}
