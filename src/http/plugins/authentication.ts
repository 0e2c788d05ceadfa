import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import type { RouteAccess } from '../fastify-types.js';
import { resolveApiKey } from '../../platform/authn/api-key.service.js';
import { resolveSession } from '../../platform/authn/session.service.js';
import { actorLabelOf, type Principal } from '../../platform/authn/principal.js';
import { forbidden, unauthorized } from '../../shared/app-error.js';
import { CredentialCache } from '../../platform/authn/credential-cache.js';
import { routeInfo } from '../route-info.js';

export const SESSION_COOKIE = 'sg_session';

export function bearerToken(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : '';
}

/**
 * The caller, synchronously when the credential cache holds it (nearly every request of a busy client), so
 * the hook then costs no promise and no microtask turn; otherwise one database lookup shared by every request
 * presenting the same credential meanwhile.
 */
function resolvePrincipal(deps: AppDeps, request: FastifyRequest): Principal | null | Promise<Principal | null> {
  const bearer = bearerToken(request);
  const cookie = bearer === undefined ? request.cookies[SESSION_COOKIE] : undefined;
  if (!bearer && !cookie) return null;
  const now = deps.now();
  const key = bearer ? CredentialCache.keyOf('api_key', bearer) : CredentialCache.keyOf('session', cookie!);
  return deps.credentialCache.resolve(key, now, () =>
    bearer ? resolveApiKey(deps.pool, bearer, deps.settings.apiKeyPepper, now) : resolveSession(deps.pool, cookie!, now, deps.settings.session));
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
type LogMethod = FastifyBaseLogger['info'];

/**
 * The request logger with tenant, actor and auth method bound, built only when a line is actually written
 * at an enabled level. Binding eagerly (a pino child per request, its bindings serialised at once) cost
 * about 5 % of an authenticated request's CPU, and at `warn` and above most requests write nothing.
 */
export class LazyBoundLogger implements FastifyBaseLogger {
  declare fatal: LogMethod;
  declare error: LogMethod;
  declare warn: LogMethod;
  declare info: LogMethod;
  declare debug: LogMethod;
  declare trace: LogMethod;
  private bound: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly principal: Principal,
  ) {}

  bind(): FastifyBaseLogger {
    const p = this.principal;
    return (this.bound ??= this.parent.child({ tenant: p.tenantSlug, actor: actorLabelOf(p), auth: p.authMethod }));
  }

  enabled(level: (typeof LEVELS)[number]): boolean {
    const check = (this.bound ?? this.parent) as Partial<{ isLevelEnabled(l: string): boolean }>;
    return typeof check.isLevelEnabled === 'function' ? check.isLevelEnabled(level) : true;
  }

  get level(): string {
    return (this.bound ?? this.parent).level;
  }

  set level(level: string) {
    this.bind().level = level;
  }

  silent(): void {}

  child(...args: Parameters<FastifyBaseLogger['child']>): FastifyBaseLogger {
    return this.bind().child(...args);
  }
}
for (const level of LEVELS) {
  LazyBoundLogger.prototype[level] = function (this: LazyBoundLogger, ...args: unknown[]): void {
    if (!this.enabled(level)) return;
    const bound = this.bind();
    Reflect.apply(bound[level], bound, args);
  };
}

/**
 * Resolves the caller on every request (onRequest, before rate limiting, so limits and audit events
 * are attributed to the right tenant and actor), then enforces each route's declared access in
 * preValidation — before the body is validated, so an unauthorised caller learns nothing about it.
 */
export function registerAuthentication(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('auditTenantId', null);
  app.decorateRequest('auditDetails', null);
  app.decorateRequest('traceId', null);

  const catalog: RouteAccess[] = [];
  app.decorate('routeAccess', catalog);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access !== undefined) {
      for (const method of [route.method].flat()) if (method !== 'HEAD') catalog.push({ method, url: route.url, access });
      return;
    }
    // Routes registered by the API-docs plugin are public and not audited.
    if (route.url.startsWith('/docs')) {
      route.config = { ...route.config, access: 'public', unaudited: true };
      return;
    }
    throw new Error(`Route ${route.method.toString()} ${route.url} declares no access (permission, 'authenticated' or 'public')`);
  });

  // Every log line of this request names its tenant and actor (the request id is already bound).
  const attach = (request: FastifyRequest, reply: FastifyReply, p: Principal | null): void => {
    request.principal = p;
    if (p) reply.log = request.log = new LazyBoundLogger(request.log, p);
  };
  // Callback style rather than async: every request runs these hooks, and a cache hit needs no promise.
  app.addHook('onRequest', (request, reply, done) => {
    // With tracing on, the request's span already set it (continuing this same header when valid).
    if (request.traceId === null) {
      const tp = request.headers.traceparent;
      const m = typeof tp === 'string' ? /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(tp) : null;
      request.traceId = m?.[1] ?? null;
    }
    if (routeInfo(request).config?.access === 'public' && !request.url.startsWith('/v1/')) return done();
    const resolved = resolvePrincipal(deps, request);
    if (!(resolved instanceof Promise)) {
      attach(request, reply, resolved);
      return done();
    }
    resolved.then((p) => {
      attach(request, reply, p);
      done();
    }, done);
  });

  // A change made through this instance is visible to its very next request, without waiting for
  // the database notification that tells the other instances.
  app.addHook('onResponse', (request, reply, done) => {
    const tenantId = request.principal?.tenantId;
    if (tenantId && request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) deps.credentialCache.invalidateTenant(tenantId);
    done();
  });

  app.addHook('preValidation', (request, _reply, done) => {
    const access = routeInfo(request).config?.access;
    if (access === undefined || access === 'public') return done();
    const p = request.principal;
    if (!p) return done(unauthorized());
    if (access !== 'authenticated' && !p.permissions.has(access)) return done(forbidden(`This action needs the ${access} permission`));
    done();
  });
}
