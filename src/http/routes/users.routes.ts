import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../deps.js';
import { withTenant } from '../../platform/db/with-tenant.js';
import { getUser, insertUser, listUsers, updateUser, type UserRow } from '../../platform/accounts/user.repository.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../../platform/authn/password.js';
import { ROLES, ALL_ROLES } from '../../platform/authz/rbac.js';
import { conflict, forbidden, notFound } from '../../shared/app-error.js';
import { auditMutation } from '../plugins/audit-hook.js';
import { decodeCursor, page, PageQuery } from '../pagination.js';
import { Email, IdParams, RoleName, UserView } from './schemas.js';

const view = (u: UserRow) => ({ id: u.id, email: u.email, displayName: u.displayName, roles: u.roles, disabled: u.disabled, createdAt: u.createdAt.toISOString() });

const CreateUser = Type.Object({
  email: Email,
  displayName: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 }),
  roles: Type.Array(RoleName, { minItems: 1, maxItems: ALL_ROLES.length, uniqueItems: true }),
}, { additionalProperties: false });

const PatchUser = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  roles: Type.Optional(Type.Array(RoleName, { minItems: 1, maxItems: ALL_ROLES.length, uniqueItems: true })),
  disabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 });

export const userRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/users', {
    config: { access: 'users:read' },
    schema: {
      tags: ['users'], summary: 'List users (keyset pages)',
      querystring: Type.Object({
        ...PageQuery,
        q: Type.Optional(Type.String({ maxLength: 200 })),
        role: Type.Optional(RoleName),
        sort: Type.Optional(Type.Union(['email', '-email', 'createdAt', '-createdAt'].map((s) => Type.Literal(s)))),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { limit = 50, cursor, q, role, sort = 'email' } = request.query;
    const rows = await withTenant(deps.pool, request.principal!, (db) =>
      listUsers(db, { limit: limit + 1, cursor: decodeCursor(cursor), q, role, sort }));
    const result = page(rows, limit, (u) => ({ v: sort.endsWith('email') ? u.email : u.createdAt.toISOString(), id: u.id }));
    return { items: result.items.map(view), nextCursor: result.nextCursor };
  });

  app.post('/users', {
    config: { access: 'users:write' },
    schema: { tags: ['users'], summary: 'Create a user', body: CreateUser, response: { 201: UserView } },
  }, async (request, reply) => {
    const p = request.principal!;
    const now = deps.now();
    const passwordHash = await hashPassword(request.body.password);
    const user = await withTenant(deps.pool, p, async (db) => {
      const created = await insertUser(db, { tenantId: p.tenantId, email: request.body.email, displayName: request.body.displayName, passwordHash, roles: request.body.roles })
        .catch((e: { code?: string }) => {
          if (e.code === '23505') throw conflict('EMAIL_TAKEN', 'A user with this email already exists in the tenant');
          throw e;
        });
      await auditMutation(db, request, p.tenantId, 'user.created', { target: created.id, details: { email: created.email, roles: created.roles } }, now);
      return created;
    });
    return reply.code(201).send(view(user));
  });

  app.patch('/users/:id', {
    config: { access: 'users:write' },
    schema: { tags: ['users'], summary: 'Change a user’s name, roles or disabled flag', params: IdParams, body: PatchUser, response: { 200: UserView } },
  }, async (request) => {
    const p = request.principal!;
    const now = deps.now();
    if (request.params.id === p.userId && (request.body.disabled === true || (request.body.roles && !(request.body.roles as string[]).includes('admin') && p.roles.includes('admin')))) {
      throw forbidden('You cannot disable yourself or remove your own admin role');
    }
    const user = await withTenant(deps.pool, p, async (db) => {
      const before = await getUser(db, request.params.id);
      if (!before) throw notFound('User');
      const after = (await updateUser(db, request.params.id, request.body))!;
      await auditMutation(db, request, p.tenantId, 'user.updated', {
        target: after.id,
        details: { changes: request.body, rolesBefore: before.roles, disabledBefore: before.disabled },
      }, now);
      return after;
    });
    return view(user);
  });

  app.get('/roles', {
    config: { access: 'roles:read' },
    schema: { tags: ['users'], summary: 'Roles and their permissions' },
  }, async () => ({
    items: ALL_ROLES.map((role) => ({ role, description: ROLES[role].description, permissions: [...ROLES[role].permissions] })),
  }));
};
