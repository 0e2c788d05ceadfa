import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Pool } from '../platform/db/pool.js';
import type { BufferedAuditWriter } from '../platform/audit/audit-writer.js';
import type { SessionPolicy } from '../platform/authn/session.service.js';
import type { CredentialCache } from '../platform/authn/credential-cache.js';
import type { JobQueue } from '../platform/jobs/job-queue.js';
import type { BlobStore } from '../platform/blobs/blob.store.js';
import type { SupplyImportServices } from '../platform/supply/import.service.js';
import type { FlightReportRenderer } from '../platform/flight-analysis/report-renderer.port.js';
import type { FlightCompute } from '../platform/flight-compute/flight-compute.js';
import type { OidcLogin } from '../platform/authn/oidc-login.js';
import type { Tracer } from '@opentelemetry/api';

/** Everything the HTTP layer needs, built by a composition root (src/main) and passed in. */
export interface AppDeps {
  /** Runtime-role pool: every tenant query goes through withTenant on it. */
  readonly pool: Pool;
  readonly auditWriter: BufferedAuditWriter;
  /** Background work (decode, analyse, import, score) runs through here. */
  readonly jobs: JobQueue;
  /** Content-addressed raw uploads (flight logs). */
  readonly blobs: BlobStore;
  /** Decodes stored logs off the event loop (the report's plots need the signals). */
  readonly flightCompute: FlightCompute;
  /** Supply import files, field cipher and upload limit. */
  readonly supplyImports: SupplyImportServices;
  readonly metrics: Registry;
  readonly now: () => Date;
  readonly settings: {
    readonly apiKeyPepper: string;
    readonly session: SessionPolicy;
    readonly cookieSecure: boolean;
    readonly bodyLimitBytes: number;
    readonly rateLimitPerMinute: number;
    readonly loginRateLimitPerMinute: number;
    readonly trustProxy: boolean;
    readonly logLevel: string;
    readonly flightUploadLimitBytes: number;
    /** Bearer token `/metrics` requires; unset → open (the server listens on localhost by default). */
    readonly metricsToken?: string | undefined;
  };
  /** Short-lived cache of resolved credentials (see CredentialCache for its safety rules). */
  readonly credentialCache: CredentialCache;
  /** Shared rate-limit store; unset → in-memory per instance. */
  readonly redis?: Redis | undefined;
  /** Checks the job runner is alive (for /readyz). */
  readonly jobsHealthy: () => Promise<boolean>;
  /** Flight report HTML/PDF; unset → the report endpoints answer 501 REPORT_RENDERER_UNAVAILABLE. */
  readonly flightReports?: FlightReportRenderer | undefined;
  /** Sign-in through an OpenID Connect provider; unset → passwords and API keys only. */
  readonly oidc?: OidcLogin | undefined;
  /** OpenTelemetry tracer (OTEL_EXPORTER_OTLP_*); unset → requests are not traced. */
  readonly tracer?: Tracer | undefined;
  /** Built dashboard to serve at `/`, when present. */
  readonly webDistDir?: string | undefined;
}
