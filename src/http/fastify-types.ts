import type { Span } from '@opentelemetry/api';
import type { Principal } from '../platform/authn/principal.js';
import type { Permission } from '../platform/authz/rbac.js';
import type { RouteInfo } from './route-info.js';

/**
 * What a route must declare: the permission it needs, `authenticated` (any signed-in caller) or
 * `public`. A route without a declaration fails at start-up, so none can be forgotten.
 */
export type Access = Permission | 'authenticated' | 'public';

/** One route and the access it declared (for the authorization matrix test and the RBAC doc). */
export interface RouteAccess {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeAccess: readonly RouteAccess[];
  }
  interface FastifyContextConfig {
    access?: Access;
    /** Leave this route out of the audit trail (health probes, metrics scrapes, static files). */
    unaudited?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Tenant to audit an unauthenticated call under, when the route learns it (e.g. failed login). */
    auditTenantId: string | null;
    /** Set when the handler already wrote this call's domain event in its transaction. */
    auditDetails: Record<string, unknown> | null;
    traceId: string | null;
    /** This request's server span, when tracing is configured. */
    span: Span | null;
    /** Filled on first use by `routeInfo(request)`. */
    routeInfo: RouteInfo | null;
  }
}
