import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { aircraftRoutes } from './aircraft.routes.js';
import { flightUploadRoutes } from './flight-upload.routes.js';
import { flightRoutes as flightReadRoutes } from './flights.routes.js';
import { flightSignalRoutes } from './flight-signals.routes.js';
import { analysisRoutes } from './analysis.routes.js';
import { fleetRoutes } from './fleet.routes.js';

/** Flight-safety API: aircraft, flight uploads, signals, analysis and reports. */
export function flightRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app) => {
    // Scoped to this plugin: only flight routes accept multipart bodies, streamed (request.file()).
    await app.register(multipart, { limits: { files: 1, fields: 20, fieldSize: 1024, parts: 40 } });
    await app.register(aircraftRoutes(deps));
    await app.register(flightUploadRoutes(deps));
    await app.register(flightReadRoutes(deps));
    await app.register(flightSignalRoutes(deps));
    await app.register(analysisRoutes(deps));
    await app.register(fleetRoutes(deps));
  };
}
