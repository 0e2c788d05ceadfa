import { join } from 'node:path';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { Redis } from 'ioredis';
import type { Runner } from 'graphile-worker';
import { buildApp, type App } from '../http/app.js';
import { BufferedAuditWriter } from '../platform/audit/audit-writer.js';
import { startJobs } from './jobs.js';
import { createJobQueue } from '../platform/jobs/job-queue.js';
import { createFileBlobStore } from '../platform/blobs/file-blob.store.js';
import { threadFlightCompute } from '../platform/flight-compute/flight-compute.thread.js';
import { createFlightReportRenderer } from '../platform/flight-analysis/report-renderer.adapter.js';
import { createChromiumPdfRenderer } from '../platform/pdf/index.js';
import { supplyImportServices } from './import.commands.js';
import { CredentialCache } from '../platform/authn/credential-cache.js';
import { listenForNotifications } from '../platform/db/notification-listener.js';
import type { Runtime } from './runtime.js';
import { startSupplyEvents } from './supply-events.js';
import { createOidcLogin } from '../platform/authn/oidc-login.js';
import { startTracing } from '../platform/telemetry/tracing.js';
import { SKYGUARD_VERSION } from '../shared/version.js';
import { subscribeRiskRescoring } from '../platform/supply-risk/risk-rescore.subscriber.js';
import type { DomainEventSubscriptions } from '../platform/events/domain-events.js';
import type { OutboxRelay } from '../platform/events/outbox.relay.js';

export interface RunningServer {
  readonly app: App;
  readonly url: string;
  /** Committed domain events (stock changes…) for in-process subscribers such as the risk scorer. */
  readonly domainEvents: DomainEventSubscriptions;
  readonly outbox: OutboxRelay;
  close(): Promise<void>;
}

const webDist = join(import.meta.dirname, '..', '..', 'web', 'dist');

/** Wires the HTTP app to the runtime, starts the in-process job runner (unless disabled) and listens. */
export interface ServerOverrides {
  readonly port?: number;
  readonly host?: string;
  readonly loginRateLimitPerMinute?: number;
  /** The clock (tests move it to expire sessions and keys). */
  readonly now?: () => Date;
}

export async function startServer(runtime: Runtime, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const { config } = runtime;
  const now = overrides.now ?? (() => new Date());
  const tracing = config.tracing && startTracing(config.tracing, SKYGUARD_VERSION);
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;

  let runner: Runner | undefined;
  const log = (msg: string, extra?: Record<string, unknown>) => app.log.info(extra ?? {}, msg);
  const credentialCache = new CredentialCache();
  // What deploy/prometheus/alerts.yml watches beyond the HTTP layer's own metrics.
  const credentialNotifications = new Gauge({ name: 'credential_notifications_listening', help: '1 while this instance hears credential revocations (its credential cache is on)', registers: [metrics] });
  const auditFlushFailures = new Counter({ name: 'audit_flush_failures_total', help: 'Failed writes of buffered audit events (retried)', registers: [metrics] });
  const listener = listenForNotifications(runtime.appUrl, 'skyguard_credentials', {
    onNotify: (tenantId) => credentialCache.invalidateTenant(tenantId),
    onState: (listening) => {
      credentialCache.setEnabled(listening);
      credentialNotifications.set(listening ? 1 : 0);
    },
    onError: (e) => app.log.warn({ err: e }, 'credential notifications interrupted; cache off until reconnected'),
  });
  const auditWriter = new BufferedAuditWriter(runtime.appPool, {
    onError: (e) => {
      auditFlushFailures.inc();
      app.log.error({ err: e }, 'audit flush failed; will retry');
    },
  });
  const jobsGauge = new Gauge({ name: 'jobs', help: 'Background jobs by state', labelNames: ['state'], registers: [metrics],
    async collect() {
      const { rows } = await runtime.ownerPool.query<{ state: string; n: number }>(
        `SELECT CASE WHEN locked_at IS NOT NULL THEN 'running' WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END AS state, count(*)::int AS n
         FROM graphile_worker.jobs GROUP BY 1`,
      ).catch(() => ({ rows: [] as { state: string; n: number }[] }));
      for (const state of ['queued', 'running', 'failed']) this.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);
    } });
  void jobsGauge;

  const jobs = createJobQueue(runtime.ownerPool);
  // One compute thread per process: API report rendering and in-process jobs share it.
  const flightCompute = threadFlightCompute();
  const pdfPrinter = createChromiumPdfRenderer({ chromiumPath: process.env.CHROMIUM_PATH });
  const app = await buildApp({
    pool: runtime.appPool,
    jobs,
    blobs: createFileBlobStore(join(config.dataDir, 'blobs')),
    flightCompute,
    supplyImports: supplyImportServices(runtime),
    auditWriter,
    credentialCache,
    metrics,
    now,
    redis,
    webDistDir: webDist,
    oidc: config.oidc && createOidcLogin(config.oidc, runtime.apiKeyPepper),
    tracer: tracing?.tracer,
    // CHROMIUM_PATH as the CLI reads it; a missing browser answers 503 PDF_RENDERER_UNAVAILABLE per request.
    flightReports: createFlightReportRenderer({ compute: flightCompute, pdf: (html) => pdfPrinter.renderPdf(html) }),
    settings: {
      apiKeyPepper: runtime.apiKeyPepper,
      session: { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours },
      cookieSecure: config.cookieSecure,
      bodyLimitBytes: config.bodyLimitBytes,
      rateLimitPerMinute: config.rateLimitPerMinute,
      loginRateLimitPerMinute: overrides.loginRateLimitPerMinute ?? 30,
      trustProxy: config.trustProxy,
      logLevel: config.logLevel,
      flightUploadLimitBytes: config.flightUploadLimitBytes,
      metricsToken: config.metricsToken,
    },
    jobsHealthy: async () => {
      if (runner) return true;
      // Jobs run in separate `skyguard worker` processes: ready when their schema is reachable.
      await runtime.ownerPool.query('SELECT 1 FROM graphile_worker.jobs LIMIT 1');
      return true;
    },
  });

  if (config.jobsInProcess) {
    runner = await startJobs(runtime, flightCompute, now, log);
  }
  const events = await startSupplyEvents(runtime, now, log);
  if (events.nats) {
    const link = events.nats;
    new Gauge({ name: 'nats_connected', help: '1 while the NATS link (inventory consumer, event publishing) is connected', registers: [metrics],
      collect() { this.set(link.connected ? 1 : 0); } });
  }
  // Stock changes re-score just the items they touch (coalesced per tenant into one pending job).
  subscribeRiskRescoring(events.dispatcher, jobs);
  const address = await app.listen({ port: overrides.port ?? config.port, host: overrides.host ?? config.host });
  return {
    app,
    url: address.replace('[::1]', 'localhost'),
    domainEvents: events.dispatcher,
    outbox: events.relay,
    async close() {
      await app.close();
      await events.close();
      await listener.close();
      await auditWriter.close();
      await runner?.stop();
      await jobs.close();
      await flightCompute.close();
      redis?.disconnect();
      await tracing?.shutdown();
    },
  };
}
