/** Wire types of the Skyguard HTTP API (v1), exactly as the server sends them. */

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  tenantId: string;
  tenantSlug: string;
}

/** Body of `POST /v1/auth/login` and `GET /v1/me`. */
export interface Me {
  user: SessionUser;
  permissions: string[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  disabled: boolean;
  createdAt: string;
}

export interface RoleInfo {
  role: string;
  description: string;
  permissions: string[];
}

export interface ApiKey {
  id: string;
  name: string;
  publicId: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  graceUntil: string | null;
  createdBy: string;
}

export interface ApiKeyWithSecret {
  apiKey: ApiKey;
  /** Shown once; the server keeps only a hash. */
  secret: string;
}

export type ActorType = 'user' | 'api_key' | 'system' | 'anonymous';

export interface AuditEvent {
  id: string;
  seq: number | string;
  occurredAt: string;
  actorType: ActorType;
  actorId: string | null;
  actorLabel: string | null;
  authMethod: string | null;
  requestId: string;
  traceId: string | null;
  ip: string | null;
  userAgent: string | null;
  method: string | null;
  route: string | null;
  status: number | null;
  latencyMs: number | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface RequestsPerMinute {
  minute: string;
  count: number;
  errors: number;
}

/** RFC 9457 problem details as rendered by the server's single error handler. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  instance?: string;
  errors?: { field: string; rule: string; message: string }[];
}
