/** Who did something: a signed-in user, an API key, the system itself, or nobody we could identify. */
export type ActorType = 'user' | 'api_key' | 'system' | 'anonymous';

/** An event as the application hands it to the trail (sequence and hashes are added on append). */
export interface AuditEventInput {
  readonly tenantId: string;
  readonly occurredAt: Date;
  readonly actorType: ActorType;
  readonly actorId?: string | null;
  readonly actorLabel?: string | null;
  readonly authMethod?: string | null;
  readonly requestId?: string | null;
  readonly traceId?: string | null;
  readonly ip?: string | null;
  readonly userAgent?: string | null;
  readonly method?: string | null;
  readonly route?: string | null;
  readonly status?: number | null;
  readonly latencyMs?: number | null;
  /** Dotted verb, e.g. `request`, `api_key.created`, `model.prediction`. */
  readonly action: string;
  readonly target?: string | null;
  /** Action-specific facts. Never secrets or request bodies. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A stored event: the input plus its place in the tenant's chain. */
export interface AuditEvent extends Required<Omit<AuditEventInput, 'occurredAt' | 'details'>> {
  readonly id: string;
  readonly seq: number;
  readonly occurredAt: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
/** Events for requests that cannot be attributed to a tenant are chained here. */
export const PLATFORM_TENANT_ID = '00000000-0000-0000-0000-000000000000';
