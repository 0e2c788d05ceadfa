/**
 * Upload of a 100 MiB flight log through `POST /v1/flights` (raw body and multipart) against the
 * transfer of the same bytes to a sink that only reads and discards them, on the same machine. The
 * upload should return within about the transfer time: it streams to the blob store while hashing,
 * and decoding happens afterwards in the job (whose time and the server's peak RSS are reported too).
 * Besides total times it reports the time from the client's last byte to the 202 — the server's own
 * delay after the transfer — at loopback speed (the worst case: client, server and database share two
 * cores) and with the client paced to a network line rate (`--mbit`, default 1000).
 * The log is a real DataFlash log concatenated to 100 MiB. Server and sink are child processes; the
 * server runs from source on a fresh embedded PostgreSQL.
 * Run: `node --import tsx bench/flight-upload.ts [--mib 100] [--runs 3] [--mbit 1000]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
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

/** Polls a flight until its analysis job (queued after the decode) has finished, so it cannot overlap the next upload. */
async function waitAnalysed(s: BenchServer, id: string): Promise<void> {
  for (;;) {
    const res = await fetch(`${s.base}/v1/flights/${id}/analysis`, { headers: { cookie: s.cookie } });
    const body = (await res.json()) as { code?: string };
    if (res.ok || body.code === 'ANALYSIS_FAILED' || body.code === 'ANALYSIS_UNAVAILABLE') return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Posted {
  readonly status: number;
  readonly body: unknown;
  /** First byte written → response complete. */
  readonly totalMs: number;
  /** Last byte handed to the kernel → response complete: the server's work the client waits for after its transfer. */
  readonly afterLastByteMs: number;
}

/**
 * POSTs `body` in 256 KiB writes (with backpressure) through node:http, so the moment the last byte was
 * handed to the kernel is known. With `mbitPerSecond` the writes are paced to that line rate, like a
 * client on a real network; without it they go as fast as loopback takes them.
 */
function post(url: string, headers: Record<string, string>, body: Buffer, mbitPerSecond?: number): Promise<Posted> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let lastByteAt = NaN;
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        const done = performance.now();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString() || 'null'), totalMs: done - started, afterLastByteMs: done - lastByteAt });
      });
    });
    req.on('error', reject);
    void (async () => {
      const CHUNK = 256 << 10;
      for (let at = 0; at < body.length; at += CHUNK) {
        if (mbitPerSecond) {
          const due = started + (at * 8) / (mbitPerSecond * 1000);
          if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
        }
        const chunk = body.subarray(at, at + CHUNK);
        if (at + CHUNK >= body.length) req.end(chunk, () => (lastByteAt = performance.now()));
        else if (!req.write(chunk)) await once(req, 'drain');
      }
    })().catch(reject);
  });
}

function multipartBody(bytes: Buffer): { body: Buffer; type: string } {
  const boundary = `skyguard-bench-${Date.now()}`;
  const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`);
  return { body: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const mib = arg('mib', 100);
  const runs = arg('runs', 3);
  const lineRate = arg('mbit', 1000);
  const one = readFileSync(join(root, '..', 'shared', 'flightlogs', 'ardupilot_copter_4.1.3_good_prop_hover_1.BIN'));
  const base = Buffer.concat(Array.from({ length: Math.ceil((mib * 2 ** 20) / one.length) }, () => one)).subarray(0, mib * 2 ** 20);
  const server = await startBenchServer();
  const sink = await startSink();
  const ways = [
    { name: 'raw body', multipart: false, rate: undefined },
    { name: 'multipart', multipart: true, rate: undefined },
    { name: `raw body, client paced to ${lineRate} Mbit/s`, multipart: false, rate: lineRate },
  ] as const;
  const rows = new Map<string, { sink: Posted[]; upload: Posted[]; decodeMs: number[] }>(ways.map((w) => [w.name, { sink: [], upload: [], decodeMs: [] }]));
  let distinct = 0;
  try {
    for (let run = 0; run < runs; run++) {
      for (const way of ways) {
        // Distinct bytes per upload (so none is a duplicate): the last byte differs.
        const bytes = Buffer.from(base);
        bytes[bytes.length - 1] = distinct++ & 0xff;
        const row = rows.get(way.name)!;
        const { body, type } = way.multipart ? multipartBody(bytes) : { body: bytes, type: 'application/octet-stream' };
        row.sink.push(await post(sink.url, { 'content-type': type }, body, way.rate));
        const up = await post(`${server.base}/v1/flights?name=big.bin`, { cookie: server.cookie, 'content-type': type }, body, way.rate);
        if (up.status !== 202) throw new Error(`upload answered ${up.status}: ${JSON.stringify(up.body)}`);
        row.upload.push(up);
        const id = (up.body as { flight: { id: string } }).flight.id;
        const done = await waitDecoded(server, id);
        if (done.status !== 'decoded') throw new Error(`decode ${done.status}`);
        row.decodeMs.push(Date.parse(done.decodedAt!) - Date.parse(done.uploadedAt));
        await waitAnalysed(server, id);
        console.error(`run ${run + 1} ${way.name}: upload ${up.totalMs.toFixed(0)} ms (${up.afterLastByteMs.toFixed(0)} ms after the last byte), sink ${row.sink.at(-1)!.totalMs.toFixed(0)} ms, upload→decoded ${row.decodeMs.at(-1)} ms`);
      }
    }
    const rss = peakRssMiB(server.pid);
    console.log(`\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; ${mib} MiB DataFlash log (real log concatenated), ${runs} runs, medians; client, server, sink and PostgreSQL on the same machine; each upload starts after the previous one's decode and analysis jobs finished\n`);
    console.log('| upload | to a discarding sink: total ms | POST /v1/flights → 202: total ms | after the last byte: sink ms | after the last byte: upload ms | upload → decoded ms |');
    console.log('|---|---:|---:|---:|---:|---:|');
    const m = (xs: Posted[], k: 'totalMs' | 'afterLastByteMs') => median(xs.map((x) => x[k])).toFixed(0);
    for (const [name, r] of rows) console.log(`| ${name} | ${m(r.sink, 'totalMs')} | ${m(r.upload, 'totalMs')} | ${m(r.sink, 'afterLastByteMs')} | ${m(r.upload, 'afterLastByteMs')} | ${median(r.decodeMs).toFixed(0)} |`);
    console.log(`\nserver peak RSS: ${rss.toFixed(0)} MiB`);
  } finally {
    sink.proc.kill();
    await server.stop();
  }
}

if (process.argv[1] && import.meta.filename === (await import('node:fs')).realpathSync(process.argv[1])) await main();
