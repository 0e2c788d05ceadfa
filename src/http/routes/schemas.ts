import { Type } from 'typebox';
import { ALL_ROLES } from '../../platform/authz/rbac.js';

export const Email = Type.String({ format: 'email', maxLength: 320 });
export const RoleName = Type.Union(ALL_ROLES.map((r) => Type.Literal(r)));
export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid });
const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

export const UserView = Type.Object({
  id: Uuid, email: Type.String(), displayName: Type.String(), roles: Type.Array(Type.String()),
  disabled: Type.Boolean(), createdAt: DateTime,
});

export const MeView = Type.Object({
  user: Type.Object({
    id: Uuid, email: Type.String(), displayName: Type.String(), roles: Type.Array(Type.String()),
    tenantId: Uuid, tenantSlug: Type.String(),
  }),
  permissions: Type.Array(Type.String()),
  authMethod: Type.String(),
});

export const ApiKeyView = Type.Object({
  id: Uuid, name: Type.String(), publicId: Type.String(), scopes: Type.Array(Type.String()), createdAt: DateTime,
  expiresAt: NullableDateTime, lastUsedAt: NullableDateTime, revokedAt: NullableDateTime, graceUntil: NullableDateTime,
  createdBy: Uuid,
});

