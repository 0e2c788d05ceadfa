/**
 * The peer `bench/api.ts --peer` loads exactly as it loads Skyguard: a bare fastify app (the same fastify
 * version, logging off) answering GET /v1/me with the same JSON body and response schema, with no
 * authentication, rate limiting, metrics or audit. It shows what this machine can do at all with the load
 * generator on the same two cores.
 *
 *   node --import tsx bench/support/api-peer-server.ts PORT [DATABASE_URL]
 *
 * With DATABASE_URL every request also queues one row shaped like an audit event, inserted in batches every
 * 50 ms by one `json_to_recordset` statement (as Skyguard's audit writer does, minus hash chain and RLS).
 * Prints `listening` on stderr when it accepts connections.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { MeView } from '../../src/http/routes/schemas.js';

const [port, databaseUrl] = process.argv.slice(2);
const tenantId = randomUUID();
const body = {
  user: { id: randomUUID(), email: 'admin@demo.skyguard.local', displayName: 'Demo Administrator', roles: ['admin', 'auditor'], tenantId, tenantSlug: 'demo' },
  permissions: ['users:read'],
  authMethod: 'api_key',
};

const TABLE = `CREATE TABLE IF NOT EXISTS peer_events (
  tenant_id uuid NOT NULL, seq bigint NOT NULL, id uuid NOT NULL UNIQUE, occurred_at timestamptz NOT NULL, actor_type text NOT NULL,
  actor_id text, actor_label text, auth_method text, request_id text, trace_id text, ip text, user_agent text, method text,
  route text, status integer, latency_ms double precision, action text NOT NULL, target text, details jsonb NOT NULL,
  PRIMARY KEY (tenant_id, seq));
  CREATE INDEX IF NOT EXISTS peer_events_time_idx ON peer_events (tenant_id, occurred_at DESC, seq DESC);
  CREATE INDEX IF NOT EXISTS peer_events_action_idx ON peer_events (tenant_id, action, seq DESC)`;
const INSERT = `INSERT INTO peer_events SELECT * FROM json_to_recordset($1::json) AS x(tenant_id uuid, seq bigint, id uuid,
  occurred_at timestamptz, actor_type text, actor_id text, actor_label text, auth_method text, request_id text, trace_id text,
  ip text, user_agent text, method text, route text, status integer, latency_ms double precision, action text, target text, details jsonb)`;

const pool = databaseUrl ? new pg.Pool({ connectionString: databaseUrl, max: 20 }) : undefined;
let queued: string[] = [];
let seq = 0;
if (pool) {
  await pool.query(TABLE);
  setInterval(() => {
    if (queued.length === 0) return;
    const rows = queued;
    queued = [];
    pool.query(INSERT, [`[${rows.join(',')}]`]).catch((e: unknown) => console.error(e));
  }, 50).unref();
}

const app = Fastify({ logger: false });
app.get('/v1/me', { schema: { response: { 200: MeView } } }, async () => body);
if (pool) {
  app.addHook('onResponse', (request, reply, done) => {
    queued.push(JSON.stringify({
      tenant_id: tenantId, seq: ++seq, id: randomUUID(), occurred_at: new Date().toISOString(), actor_type: 'api_key',
      actor_id: body.user.id, actor_label: body.user.email, auth_method: 'api_key', request_id: request.id, trace_id: null,
      ip: request.ip, user_agent: request.headers['user-agent'] ?? null, method: request.method, route: '/v1/me',
      status: reply.statusCode, latency_ms: reply.elapsedTime, action: 'request', target: null, details: {},
    }));
    done();
  });
}
await app.listen({ port: Number(port), host: '127.0.0.1' });
console.error('listening');
process.on('SIGTERM', () => void app.close().then(() => pool?.end()).then(() => process.exit(0)));
