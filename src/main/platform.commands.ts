import { threadFlightCompute } from '../platform/flight-compute/flight-compute.thread.js';
import { startTracing } from '../platform/telemetry/tracing.js';
import { SKYGUARD_VERSION } from '../shared/version.js';
import { supplyImportServices } from './import.commands.js';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { openRuntime, type Runtime } from './runtime.js';
import { startServer } from './server.js';
import { seedDemo, seedDemoSupply } from './demo-seed.js';
import { createJobQueue } from '../platform/jobs/job-queue.js';
import { migrate } from '../platform/db/migrator.js';
import { startJobs } from './jobs.js';
import { createApiKeyAsSystem, createTenant, createUserAsSystem, requireTenant } from '../platform/accounts/tenant-admin.js';
import { verifyTenantChain } from '../platform/audit/audit-verify.js';

const say = (line: string): void => void process.stderr.write(`${line}\n`);

async function withRuntime<T>(getConfig: () => Config, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openRuntime(getConfig(), () => undefined);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

/** Resolves once SIGINT or SIGTERM arrives. */
const untilSignal = (): Promise<string> =>
  new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });

export function registerPlatformCommands(program: Command, getConfig: () => Config): void {
  program
    .command('serve')
    .description('Start the API and dashboard (embedded PostgreSQL unless DATABASE_URL is set)')
    .option('--demo', 'seed the demo tenant and print its login')
    .action(async (opts: { demo?: boolean }) => {
      const config = getConfig();
      const rt = await openRuntime(config, say);
      const server = await startServer(rt).catch(async (e: unknown) => {
        await rt.close();
        throw e;
      });
      if (opts.demo) {
        const password = rt.demoPassword ?? process.env.SKYGUARD_DEMO_PASSWORD;
        if (!password) say('demo: set SKYGUARD_DEMO_PASSWORD to seed the demo tenant on an external database');
        else {
          const demo = await seedDemo(rt.ownerPool, rt.appPool, password, new Date());
          say(`\nSkyguard is running at ${server.url}\n  demo login → tenant: ${demo.tenant}   email: ${demo.email}   password: ${demo.password}\n  API docs   → ${server.url}/docs\n`);
          // Generated supply data for the demo tenant, once, in the background (the server is already up).
          const jobs = createJobQueue(rt.ownerPool);
          void seedDemoSupply(rt.ownerPool, rt.appPool, supplyImportServices(rt).cipher, new Date(), jobs)
            .then((rows) => rows && say(`demo: generated supply data (${Object.entries(rows).map(([e, n]) => `${n} ${e}`).join(', ')}); risk scoring queued`))
            .catch((e: unknown) => say(`demo: supply data not generated: ${e instanceof Error ? e.message : String(e)}`))
            .finally(() => void jobs.close());
        }
      } else say(`Skyguard is running at ${server.url}`);
      say(`stopping after ${await untilSignal()}`);
      await server.close();
      await rt.close();
    });

  program
    .command('worker')
    .description('Run background jobs only (scale out by starting several)')
    .action(async () => {
      const config = getConfig();
      const rt = await openRuntime(config, say);
      const tracing = config.tracing && startTracing(config.tracing, SKYGUARD_VERSION);
      const flightCompute = threadFlightCompute();
      const runner = await startJobs(rt, flightCompute, () => new Date(), (m) => say(m));
      say('worker running');
      await untilSignal();
      await runner.stop();
      await flightCompute.close();
      await tracing?.shutdown();
      await rt.close();
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(async () => {
      const config = getConfig();
      if (config.databaseUrl) {
        const { applied } = await migrate(config.databaseUrl, { ...(config.appDbPassword ? { appRolePassword: config.appDbPassword } : {}), log: say });
        say(applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
      } else await withRuntime(getConfig, async () => undefined); // opening the embedded runtime migrates it
    });

  const tenant = program.command('tenant').description('Manage tenants');
  tenant
    .command('create <slug>')
    .description('Create a tenant')
    .option('--name <name>', 'display name (defaults to the slug)')
    .action((slug: string, opts: { name?: string }) =>
      withRuntime(getConfig, async (rt) => {
        const t = await createTenant(rt.ownerPool, slug, opts.name ?? slug);
        console.log(JSON.stringify(t));
      }));

  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user (prints a generated password when none is given)')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--email <email>', 'email address (the login name)')
    .requiredOption('--roles <roles>', 'comma-separated roles: admin, operator, pilot, analyst, procurement, executive, auditor')
    .option('--name <name>', 'display name')
    .option('--password <password>', 'initial password (at least 12 characters)')
    .action((opts: { tenant: string; email: string; roles: string; name?: string; password?: string }) =>
      withRuntime(getConfig, async (rt) => {
        const t = await requireTenant(rt.ownerPool, opts.tenant);
        const password = opts.password ?? randomBytes(12).toString('base64url');
        const u = await createUserAsSystem(rt.appPool, t, {
          email: opts.email, displayName: opts.name ?? opts.email, password, roles: opts.roles.split(',').map((r) => r.trim()).filter(Boolean),
        }, new Date());
        console.log(JSON.stringify({ id: u.id, email: u.email, roles: u.roles, ...(opts.password ? {} : { password }) }));
      }));

  const apikey = program.command('apikey').description('Manage API keys');
  apikey
    .command('create')
    .description('Create an API key for a user (the secret is printed once)')
    .requiredOption('--tenant <slug>', 'tenant slug')
    .requiredOption('--user <email>', 'the user the key acts for')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--scopes <scopes>', 'comma-separated permissions (default: all of the user’s)')
    .option('--expires-in-days <days>', 'expiry in days', (v) => Number(v))
    .action((opts: { tenant: string; user: string; name: string; scopes?: string; expiresInDays?: number }) =>
      withRuntime(getConfig, async (rt) => {
        const t = await requireTenant(rt.ownerPool, opts.tenant);
        const k = await createApiKeyAsSystem(rt.appPool, t, {
          userEmail: opts.user, name: opts.name, scopes: (opts.scopes ?? '').split(',').map((s) => s.trim()).filter(Boolean), expiresInDays: opts.expiresInDays,
        }, rt.apiKeyPepper, new Date());
        console.log(JSON.stringify(k));
      }));

  const audit = program.command('audit').description('Audit trail tools');
  audit
    .command('verify')
    .description('Recompute hash chains and signed checkpoints; name the first broken event')
    .option('--tenant <slug>', 'only this tenant')
    .action((opts: { tenant?: string }) =>
      withRuntime(getConfig, async (rt) => {
        const tenants = opts.tenant
          ? [await requireTenant(rt.ownerPool, opts.tenant)]
          : (await rt.ownerPool.query<{ id: string; slug: string }>('SELECT id, slug FROM tenants ORDER BY slug')).rows;
        let broken = 0;
        for (const t of tenants) {
          const r = await verifyTenantChain(rt.appPool, t.id, rt.signingKey.publicKey);
          if (r.ok) console.log(`ok      ${t.slug}: ${r.events} events, ${r.checkpoints} checkpoints`);
          else {
            broken++;
            console.log(`BROKEN  ${t.slug}: first problem at seq ${r.firstProblem!.seq} (event ${r.firstProblem!.eventId ?? '-'}): ${r.firstProblem!.reason}`);
          }
        }
        if (broken) process.exitCode = 2;
      }));
}
