/**
 * Upload of a 100 MiB flight log through `POST /v1/flights` (raw body and multipart) against the raw
 * transfer of the same bytes to a sink that only reads and discards them, on the same machine. The
 * upload should return within about the transfer time: it streams to the blob store while hashing,
 * and decoding happens afterwards in the job (whose time and the server's peak RSS are reported too).
 * The log is a real DataFlash log concatenated to 100 MiB. Server and sink are child processes; the
 * server runs from source on a fresh embedded PostgreSQL.
 * Run: `node --import tsx bench/flight-upload.ts [--mib 100] [--runs 3]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForDemoSupply } from './support/demo-supply.js';

const root = join(import.meta.dirname, '..');
const arg = (name: string, fallback: number): number => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;

export interface BenchServer {
  readonly base: string;
  readonly cookie: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** `skyguard serve --demo` from source on a fresh embedded PostgreSQL, signed in as the demo admin. */
export async function startBenchServer(extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'skyguard-bench-'));
  await chmod(dataDir, 0o755);
  const port = 18_000 + Math.floor(Math.random() * 1000);
  const env = { ...process.env, SKYGUARD_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '10000000', ...extraEnv };
  const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'main', 'cli.ts'), 'serve', '--demo'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    server.stderr.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('demo login')) resolve();
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as { demoPassword: string };
  const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', email: 'admin@demo.skyguard.local', password: secrets.demoPassword }) });
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  await waitForDemoSupply(base, cookie);
  return {
    base, cookie, pid: server.pid!,
    async stop() {
      server.kill('SIGTERM');
      await new Promise((r) => server.on('exit', r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls a flight until its decode job has finished. */
export async function waitDecoded(s: BenchServer, id: string): Promise<{ status: string; uploadedAt: string; decodedAt: string | null; updatedAt: string }> {
  for (;;) {
    const f = (await (await fetch(`${s.base}/v1/flights/${id}`, { headers: { cookie: s.cookie } })).json()) as { status: string; uploadedAt: string; decodedAt: string | null; updatedAt: string };
    if (f.status === 'decoded' || f.status === 'failed') return f;
    await new Promise((r) => setTimeout(r, 250));
  }
}

function startSink(): Promise<{ url: string; proc: ChildProcess }> {
  const port = 19_000 + Math.floor(Math.random() * 1000);
  const code = `require('http').createServer((q, s) => { q.on('data', () => {}); q.on('end', () => s.end('{}')); }).listen(${port}, '127.0.0.1', () => console.log('up'))`;
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => proc.stdout.once('data', () => resolve({ url: `http://127.0.0.1:${port}/`, proc })));
}

const peakRssMiB = (pid: number): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

async function timed(f: () => Promise<Response>): Promise<{ ms: number; res: Response; body: unknown }> {
  const t = performance.now();
  const res = await f();
  const body: unknown = await res.json();
  return { ms: performance.now() - t, res, body };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const mib = arg('mib', 100);
  const runs = arg('runs', 3);
  const one = readFileSync(join(root, '..', 'shared', 'flightlogs', 'ardupilot_copter_4.1.3_good_prop_hover_1.BIN'));
  const base = Buffer.concat(Array.from({ length: Math.ceil((mib * 2 ** 20) / one.length) }, () => one)).subarray(0, mib * 2 ** 20);
  const server = await startBenchServer();
  const sink = await startSink();
  const rows = { sink: [] as number[], raw: [] as number[], multipart: [] as number[], decode: [] as number[] };
  try {
    for (let run = 0; run < runs; run++) {
      // Distinct bytes per upload (so none is a duplicate): the last byte differs.
      const bytes = Buffer.from(base);
      for (const via of ['raw', 'multipart'] as const) {
        bytes[bytes.length - 1] = (run * 2 + (via === 'raw' ? 0 : 1)) & 0xff;
        rows.sink.push((await timed(() => fetch(sink.url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes }))).ms);
        const up = via === 'raw'
          ? await timed(() => fetch(`${server.base}/v1/flights?name=big.bin`, { method: 'POST', headers: { cookie: server.cookie, 'content-type': 'application/octet-stream' }, body: bytes }))
          : await timed(() => {
            const form = new FormData();
            form.append('file', new Blob([bytes]), 'big.bin');
            return fetch(`${server.base}/v1/flights`, { method: 'POST', headers: { cookie: server.cookie }, body: form });
          });
        if (up.res.status !== 202) throw new Error(`upload answered ${up.res.status}: ${JSON.stringify(up.body)}`);
        rows[via].push(up.ms);
        const id = (up.body as { flight: { id: string } }).flight.id;
        const done = await waitDecoded(server, id);
        if (done.status !== 'decoded') throw new Error(`decode ${done.status}`);
        rows.decode.push(Date.parse(done.decodedAt!) - Date.parse(done.uploadedAt));
        console.error(`run ${run + 1} ${via}: upload ${up.ms.toFixed(0)} ms, sink ${rows.sink.at(-1)!.toFixed(0)} ms, upload→decoded ${rows.decode.at(-1)} ms`);
      }
    }
    const rss = peakRssMiB(server.pid);
    console.log(`\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; ${mib} MiB DataFlash log (real log concatenated), ${runs} runs, medians; client, server, sink and PostgreSQL on the same machine\n`);
    console.log('| what | median ms | MiB/s | runs (ms) |');
    console.log('|---|---:|---:|---|');
    const line = (name: string, xs: number[]) => console.log(`| ${name} | ${median(xs).toFixed(0)} | ${(mib / (median(xs) / 1000)).toFixed(0)} | ${xs.map((x) => x.toFixed(0)).join(', ')} |`);
    line('raw transfer to a discarding sink', rows.sink);
    line('POST /v1/flights raw body → 202', rows.raw);
    line('POST /v1/flights multipart → 202', rows.multipart);
    line('upload → decoded (job: decode, signals, store)', rows.decode);
    console.log(`\nserver peak RSS: ${rss.toFixed(0)} MiB`);
  } finally {
    sink.proc.kill();
    await server.stop();
  }
}

if (process.argv[1] && import.meta.filename === (await import('node:fs')).realpathSync(process.argv[1])) await main();
