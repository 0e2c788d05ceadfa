import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../deps.js';

/** Liveness says the process serves; readiness says it can do real work (database and job runner). */
export const healthRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const probe = { config: { access: 'public' as const, unaudited: true }, schema: { tags: ['health'] } };
  app.get('/healthz', probe, async () => ({ status: 'ok' }));
  app.get('/readyz', probe, async (_req, reply) => {
    const [database, jobs] = await Promise.all([
      deps.pool.query('SELECT 1').then(() => true, () => false),
      deps.jobsHealthy().catch(() => false),
    ]);
    const ready = database && jobs;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { database, jobs } });
  });
};
