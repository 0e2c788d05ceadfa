import { resolve } from 'node:path';
import { isRole, type Role } from '../platform/authz/rbac.js';
import type { TracingConfig } from '../platform/telemetry/tracing.js';

/**
 * Runtime configuration, parsed once at start from the environment. Start-up fails with one message
 * naming every bad variable (not just the first), so an operator fixes a deployment in one pass.
 * Secrets that the embedded default can generate (pepper, signing key, app-role password) are
 * optional here and filled in from the data directory by `resolveSecrets`.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Owner connection (migrations). Unset → embedded PostgreSQL under dataDir. */
  readonly databaseUrl: string | undefined;
  /** Runtime (non-owner) connection. Unset → derived from databaseUrl with the app role. */
  readonly databaseAppUrl: string | undefined;
  readonly databasePoolMax: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly bodyLimitBytes: number;
  readonly sessionIdleMinutes: number;
  readonly sessionAbsoluteHours: number;
  readonly cookieSecure: boolean;
  readonly apiKeyPepper: string | undefined;
  readonly auditSigningKey: string | undefined;
  readonly appDbPassword: string | undefined;
  readonly auditCheckpointCron: string;
  readonly rateLimitPerMinute: number;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
  readonly metricsToken: string | undefined;
  readonly redisUrl: string | undefined;
  /** NATS server(s) for the inventory-event consumer and domain-event publishing; unset → API + PostgreSQL outbox only. */
  readonly natsUrl: string | undefined;
  /** Inventory events arrive on `<subject>.<tenant slug>`. */
  readonly natsInventorySubject: string;
  readonly natsInventoryStream: string;
  readonly natsInventoryDurable: string;
  /** Domain events are published to `<subject>.<topic>.<tenant id>`. */
  readonly natsEventsSubject: string;
  readonly trustProxy: boolean;
  readonly jobsInProcess: boolean;
  /** Largest flight-log upload accepted (bytes); larger ones get 413. */
  readonly flightUploadLimitBytes: number;
  /** An unreferenced flight-log blob is deleted only after it was untouched this long. */
  readonly flightBlobGcGraceSeconds: number;
  /** 32-byte key (base64) for application-level field encryption (supplier contacts); unset → derived from the API-key pepper. */
  readonly fieldEncryptionKey: string | undefined;
  /** Largest supply import file accepted (bytes); larger ones get 413. */
  readonly importMaxBytes: number;
  /** Sign-in through an OpenID Connect provider; unset → passwords and API keys only. */
  readonly oidc: OidcConfig | undefined;
  /** OpenTelemetry traces to an OTLP/HTTP collector; unset → no tracing. */
  readonly tracing: TracingConfig | undefined;
}

/** One OpenID Connect provider (authorization code flow with PKCE); see docs/security/authentication.md. */
export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  /** Unset → a public client (PKCE only, no client authentication). */
  readonly clientSecret: string | undefined;
  /** This server's callback URL as registered at the provider (`…/v1/auth/oidc/callback`). */
  readonly redirectUrl: string;
  readonly scopes: string;
  /** The tenant (slug) every user of this provider signs in to, unless `tenantClaim` names one per user. */
  readonly tenant: string | undefined;
  /** ID-token/userinfo claim holding the tenant slug. */
  readonly tenantClaim: string | undefined;
  /** Claim holding the user's Skyguard roles (array, or a space/comma-separated string). */
  readonly rolesClaim: string;
  /** Roles of a new user whose token carries no recognised role; empty → such a user is refused. */
  readonly defaultRoles: readonly Role[];
  /** The dashboard's sign-in button reads "Sign in with <label>". */
  readonly label: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const NATS_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const NATS_SUBJECT = /^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,7}$/;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const v = this.env[name];
    return v === undefined || v === '' ? fallback : v;
  }
  optional(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v === '' ? undefined : v;
  }
  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name}=${JSON.stringify(raw)} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }
  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    this.problems.push(`${name}=${JSON.stringify(raw)} must be true or false`);
    return fallback;
  }
  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name}=${JSON.stringify(raw)} must be one of ${allowed.join(', ')}`);
    return fallback;
  }
  url(name: string, protocols: readonly string[]): string | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) throw new Error('protocol');
      return raw;
    } catch {
      this.problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      return undefined;
    }
  }
  /** A NATS subject prefix or stream/consumer name: fixed tokens only (no wildcards, no spaces). */
  natsName(name: string, fallback: string, pattern: RegExp): string {
    const v = this.string(name, fallback);
    if (!pattern.test(v)) this.problems.push(`${name}=${JSON.stringify(v)} must match ${pattern.source} (no wildcards or spaces)`);
    return v;
  }
  minLength(name: string, min: number): string | undefined {
    const v = this.optional(name);
    if (v !== undefined && v.length < min) this.problems.push(`${name} must be at least ${min} characters`);
    return v;
  }
}

/** The standard OpenTelemetry variables: a traces endpoint (or a base endpoint + /v1/traces), service name, sample ratio. */
function readTracing(r: Reader): TracingConfig | undefined {
  const traces = r.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', ['http:', 'https:']);
  const base = r.url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']);
  const endpoint = traces ?? (base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`);
  const rawRatio = r.optional('OTEL_TRACES_SAMPLER_ARG');
  const sampleRatio = rawRatio === undefined ? 1 : Number(rawRatio);
  if (!(sampleRatio >= 0 && sampleRatio <= 1)) r.problems.push(`OTEL_TRACES_SAMPLER_ARG=${JSON.stringify(rawRatio)} must be a number from 0 to 1 (the share of new traces recorded)`);
  if (endpoint === undefined) return undefined;
  return { endpoint, serviceName: r.string('OTEL_SERVICE_NAME', 'skyguard'), sampleRatio: sampleRatio >= 0 && sampleRatio <= 1 ? sampleRatio : 1 };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** OIDC_* settings: all or nothing, an issuer served over HTTPS (plain HTTP only on loopback, for development). */
function readOidc(r: Reader, env: Env): OidcConfig | undefined {
  const issuer = r.url('OIDC_ISSUER', ['https:', 'http:']);
  const anySet = Object.keys(env).some((k) => k.startsWith('OIDC_') && env[k] !== undefined && env[k] !== '');
  if (issuer === undefined) {
    if (anySet && r.optional('OIDC_ISSUER') === undefined) r.problems.push('OIDC_ISSUER is required when any other OIDC_* variable is set');
    return undefined;
  }
  if (new URL(issuer).protocol === 'http:' && !LOOPBACK_HOSTS.has(new URL(issuer).hostname)) {
    r.problems.push('OIDC_ISSUER must use https:// (plain http:// only for a provider on localhost)');
  }
  const clientId = r.optional('OIDC_CLIENT_ID');
  if (clientId === undefined) r.problems.push('OIDC_CLIENT_ID is required with OIDC_ISSUER');
  const redirectUrl = r.url('OIDC_REDIRECT_URL', ['https:', 'http:']);
  if (r.optional('OIDC_REDIRECT_URL') === undefined) r.problems.push('OIDC_REDIRECT_URL is required with OIDC_ISSUER (this server\'s …/v1/auth/oidc/callback as registered at the provider)');
  const tenant = r.optional('OIDC_TENANT')?.toLowerCase();
  const tenantClaim = r.optional('OIDC_TENANT_CLAIM');
  if (tenant === undefined && tenantClaim === undefined) r.problems.push('OIDC_TENANT or OIDC_TENANT_CLAIM is required with OIDC_ISSUER (which tenant its users sign in to)');
  const defaultRoles = (r.optional('OIDC_DEFAULT_ROLES') ?? '').split(/[\s,]+/).filter((x) => x !== '');
  const unknown = defaultRoles.filter((x) => !isRole(x));
  if (unknown.length > 0) r.problems.push(`OIDC_DEFAULT_ROLES names unknown roles: ${unknown.join(', ')}`);
  const scopes = r.string('OIDC_SCOPES', 'openid email profile');
  if (!scopes.split(/\s+/).includes('openid')) r.problems.push('OIDC_SCOPES must include openid');
  return {
    issuer, clientId: clientId ?? '', clientSecret: r.optional('OIDC_CLIENT_SECRET'), redirectUrl: redirectUrl ?? '', scopes,
    tenant, tenantClaim, rolesClaim: r.string('OIDC_ROLES_CLAIM', 'roles'), defaultRoles: defaultRoles.filter(isRole),
    label: r.string('OIDC_LABEL', 'single sign-on'),
  };
}

export function loadConfig(env: Env = process.env): Config {
  const r = new Reader(env);
  const config: Config = {
    port: r.int('PORT', 8080, 0, 65535),
    host: r.string('HOST', '127.0.0.1'),
    dataDir: resolve(r.string('SKYGUARD_DATA_DIR', './data')),
    databaseUrl: r.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    databaseAppUrl: r.url('DATABASE_APP_URL', ['postgres:', 'postgresql:']),
    databasePoolMax: r.int('DATABASE_POOL_MAX', 20, 1, 1000),
    logLevel: r.oneOf('LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    bodyLimitBytes: r.int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    sessionIdleMinutes: r.int('SESSION_IDLE_MINUTES', 30, 1, 60 * 24 * 30),
    sessionAbsoluteHours: r.int('SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 90),
    cookieSecure: r.bool('COOKIE_SECURE', false),
    apiKeyPepper: r.minLength('API_KEY_PEPPER', 32),
    auditSigningKey: r.optional('AUDIT_SIGNING_KEY'),
    appDbPassword: r.optional('DATABASE_APP_PASSWORD'),
    auditCheckpointCron: r.string('AUDIT_CHECKPOINT_CRON', '*/10 * * * *'),
    rateLimitPerMinute: r.int('RATE_LIMIT_PER_MINUTE', 6000, 1, 10_000_000),
    metricsToken: r.minLength('METRICS_TOKEN', 16),
    redisUrl: r.url('REDIS_URL', ['redis:', 'rediss:']),
    natsUrl: r.url('NATS_URL', ['nats:', 'tls:']),
    natsInventorySubject: r.natsName('NATS_INVENTORY_SUBJECT', 'skyguard.inventory', NATS_SUBJECT),
    natsInventoryStream: r.natsName('NATS_INVENTORY_STREAM', 'SKYGUARD_INVENTORY', NATS_TOKEN),
    natsInventoryDurable: r.natsName('NATS_INVENTORY_DURABLE', 'skyguard-inventory', NATS_TOKEN),
    natsEventsSubject: r.natsName('NATS_EVENTS_SUBJECT', 'skyguard.events', NATS_SUBJECT),
    trustProxy: r.bool('TRUST_PROXY', false),
    jobsInProcess: r.bool('JOBS_IN_PROCESS', true),
    flightUploadLimitBytes: r.int('FLIGHT_UPLOAD_LIMIT_BYTES', 1024 ** 3, 1, 2 ** 45),
    flightBlobGcGraceSeconds: r.int('FLIGHT_BLOB_GC_GRACE_SECONDS', 3600, 0, 30 * 86_400),
    fieldEncryptionKey: r.optional('FIELD_ENCRYPTION_KEY'),
    importMaxBytes: r.int('IMPORT_MAX_BYTES', 2 * 1024 ** 3, 1, 2 ** 45),
    oidc: readOidc(r, env),
    tracing: readTracing(r),
  };
  if (config.fieldEncryptionKey !== undefined && Buffer.from(config.fieldEncryptionKey.replace(/-/g, '+').replace(/_/g, '/'), 'base64').length !== 32) {
    r.problems.push('FIELD_ENCRYPTION_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)');
  }
  if (config.databaseUrl !== undefined && (config.apiKeyPepper === undefined || config.auditSigningKey === undefined)) {
    r.problems.push(
      'API_KEY_PEPPER and AUDIT_SIGNING_KEY are required with DATABASE_URL (they are only generated for the embedded database)',
    );
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}
