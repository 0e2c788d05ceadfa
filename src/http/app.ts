import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import './fastify-types.js';
import type { AppDeps } from './deps.js';
import { registerProblemHandler } from './plugins/problem.js';
import { registerAuthentication } from './plugins/authentication.js';
import { registerAuditHook } from './plugins/audit-hook.js';
import { registerMetrics } from './plugins/metrics.js';
import { registerTracing } from './plugins/tracing.js';
import { healthRoutes } from './routes/health.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { meRoutes } from './routes/me.routes.js';
import { userRoutes } from './routes/users.routes.js';
import { apiKeyRoutes } from './routes/api-keys.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { flightRoutes } from './routes/flights/index.js';
import { supplyRoutes } from './routes/supply/index.js';
import { registerRouteInfo, routeInfo } from './route-info.js';

export type App = FastifyInstance;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Bodies are validated without type coercion ("5" is not a number) and with unknown fields refused;
 * query strings and path parameters are coerced, since everything in a URL is a string.
 */
function validators(): { body: Ajv; url: Ajv } {
  const base = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false } as const;
  const body = new Ajv({ ...base, coerceTypes: false });
  const url = new Ajv({ ...base, coerceTypes: 'array' });
  addFormats.default(body);
  addFormats.default(url);
  return { body, url };
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    logger: {
      level: deps.settings.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    },
    bodyLimit: deps.settings.bodyLimitBytes,
    trustProxy: deps.settings.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ajv = validators();
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? ajv.body : ajv.url).compile(schema));
  // Per-request hooks here and in the plugins take a callback rather than being async: no promise per hook.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  registerProblemHandler(app);
  await app.register(cookie);
  registerRouteInfo(app);
  // Before authentication, so that the span covers it and the request's trace id is the span's.
  if (deps.tracer) registerTracing(app, deps.tracer);
  registerAuthentication(app, deps);
  await app.register(rateLimit, {
    global: true,
    max: deps.settings.rateLimitPerMinute,
    timeWindow: 60_000,
    ...(deps.redis ? { redis: deps.redis, nameSpace: 'skyguard-rl:' } : {}),
    // By caller, not by address: every key and session gets its own budget, anonymous callers share their IP's.
    keyGenerator: (request) => {
      const p = request.principal;
      return p ? `${p.tenantId}:${p.apiKeyId ?? p.userId}` : `ip:${request.ip}`;
    },
    allowList: (request) => routeInfo(request).config?.unaudited === true,
  });
  registerAuditHook(app, deps);
  registerMetrics(app, deps);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Skyguard API', version: '1', description: 'Aviation operational-risk platform. Errors are RFC 9457 problem+json.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key `sg_…`' },
          session: { type: 'apiKey', in: 'cookie', name: 'sg_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { access: 'public', unaudited: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes(deps));
  await app.register(authRoutes(deps), { prefix: '/v1' });
  await app.register(meRoutes(deps), { prefix: '/v1' });
  await app.register(userRoutes(deps), { prefix: '/v1' });
  await app.register(apiKeyRoutes(deps), { prefix: '/v1' });
  await app.register(auditRoutes(deps), { prefix: '/v1' });
  await app.register(flightRoutes(deps), { prefix: '/v1' });
  await app.register(supplyRoutes(deps), { prefix: '/v1' });

  if (deps.webDistDir && existsSync(deps.webDistDir)) {
    // serve: false — no route per file; one wildcard route serves files and falls back to the app shell
    // for client-side routes (deep links). Unknown API paths still get a 404 problem.
    await app.register(fastifyStatic, { root: deps.webDistDir, serve: false });
    const distDir = deps.webDistDir;
    app.get('/*', { config: { access: 'public', unaudited: true }, schema: { hide: true } }, async (request, reply) => {
      const path = decodeURIComponent(request.url.split('?')[0]!);
      if (path.startsWith('/v1/')) return reply.callNotFound();
      const file = normalize(path).replace(/^(\.\.[/\\])+/, '');
      if (file !== '/' && existsSync(join(distDir, file)) && statSync(join(distDir, file)).isFile()) {
        return reply.header('cache-control', file.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(file);
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  }
  return app;
}
