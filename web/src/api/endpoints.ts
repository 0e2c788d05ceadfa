import { api, apiUrl } from './client';
import type {
  ApiKey,
  ApiKeyWithSecret,
  AuditEvent,
  Me,
  Page,
  RequestsPerMinute,
  RoleInfo,
  SessionInfo,
  User,
} from './types';

/** One function per API operation the dashboard uses; the contract lives in api/types.ts. */

export const login = (body: { tenant: string; email: string; password: string }) =>
  api<Me>('/v1/auth/login', { method: 'POST', body, quiet401: true });
export const logout = () => api<void>('/v1/auth/logout', { method: 'POST', quiet401: true });
/** How users sign in here: passwords always, single sign-on when the server has an OIDC provider. */
export const getAuthMethods = (signal?: AbortSignal) =>
  api<{ password: boolean; oidc: { label: string; loginUrl: string } | null }>('/v1/auth/methods', { signal, quiet401: true });
export const getMe = (signal?: AbortSignal) => api<Me>('/v1/me', { signal, quiet401: true });

export const listSessions = (signal?: AbortSignal) =>
  api<{ items: SessionInfo[] }>('/v1/me/sessions', { signal });
export const revokeSession = (id: string) =>
  api<void>(`/v1/me/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
export const revokeOtherSessions = () =>
  api<{ revoked: number }>('/v1/me/sessions/revoke-others', { method: 'POST' });

export type UserSort = 'email' | '-email' | 'createdAt' | '-createdAt';
export interface UserQuery {
  limit?: number;
  cursor?: string | null;
  q?: string;
  sort?: UserSort;
  role?: string;
}
export const listUsers = (query: UserQuery, signal?: AbortSignal) =>
  api<Page<User>>('/v1/users', { query: { ...query }, signal });
export const createUser = (body: { email: string; displayName: string; password: string; roles: string[] }) =>
  api<User>('/v1/users', { method: 'POST', body });
export const updateUser = (
  id: string,
  body: { displayName?: string; roles?: string[]; disabled?: boolean },
) => api<User>(`/v1/users/${encodeURIComponent(id)}`, { method: 'PATCH', body });

export const listRoles = (signal?: AbortSignal) => api<{ items: RoleInfo[] }>('/v1/roles', { signal });

export const listApiKeys = (query: { limit?: number; cursor?: string | null }, signal?: AbortSignal) =>
  api<Page<ApiKey>>('/v1/api-keys', { query: { ...query }, signal });
export const createApiKey = (body: { name: string; scopes: string[]; expiresInDays?: number }) =>
  api<ApiKeyWithSecret>('/v1/api-keys', { method: 'POST', body });
export const rotateApiKey = (id: string, body: { graceSeconds?: number }) =>
  api<ApiKeyWithSecret>(`/v1/api-keys/${encodeURIComponent(id)}/rotate`, { method: 'POST', body });
export const revokeApiKey = (id: string) =>
  api<{ apiKey: ApiKey }>(`/v1/api-keys/${encodeURIComponent(id)}/revoke`, { method: 'POST' });

export interface AuditFilters {
  actor?: string;
  action?: string;
  status?: string;
  from?: string;
  to?: string;
}
export const listAuditEvents = (
  query: AuditFilters & { limit?: number; cursor?: string | null },
  signal?: AbortSignal,
) => api<Page<AuditEvent>>('/v1/audit/events', { query: { ...query }, signal });
/** A plain link: the browser downloads the file with the session cookie. */
export const auditExportUrl = (format: 'csv' | 'json', filters: AuditFilters) =>
  apiUrl('/v1/audit/events/export', { format, ...filters });
export const requestsPerMinute = (query: { from: string; to: string }, signal?: AbortSignal) =>
  api<{ items: RequestsPerMinute[] }>('/v1/audit/stats/requests-per-minute', { query: { ...query }, signal });
