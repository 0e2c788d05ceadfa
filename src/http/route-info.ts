import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';

/** The matched route's template and declared config. */
export interface RouteInfo {
  readonly url: string | undefined;
  readonly config: FastifyContextConfig | undefined;
}

/**
 * Kept on the request: fastify 5 builds a fresh `routeOptions` object (a dozen fields and a
 * constraint lookup) on every access, and authentication, rate limiting, the audit hook and the
 * metrics hook each need the route. It is read again once when the response is done, because a
 * handler may have re-routed the request meanwhile (the dashboard's catch-all hands unknown `/v1/`
 * paths to the not-found handler, whose route is a different one). Register before the hooks that use it.
 */
export function registerRouteInfo(app: FastifyInstance): void {
  app.decorateRequest('routeInfo', null);
  app.addHook('onResponse', (request, _reply, done) => {
    request.routeInfo = null;
    done();
  });
}

export function routeInfo(request: FastifyRequest): RouteInfo {
  let info = request.routeInfo;
  if (info === null) {
    const o = request.routeOptions;
    info = request.routeInfo = { url: o.url, config: o.config };
  }
  return info;
}
