/**
 * {@link PdfRenderer} adapter: `chromium --headless --print-to-pdf` in a child process.
 *
 * - Every run gets its own temp directory (HTML in, PDF out, and Chromium's profile, so parallel runs
 *   never share a profile lock); it is removed whatever happens.
 * - Chromium starts helper processes. The child is started in its own process group and, on timeout
 *   or after it exits, that group (and only that group) is killed, so nothing outlives a render.
 * - stdout/stderr are captured (bounded) and quoted in the error, so "why did the PDF fail" is answered
 *   by the message, not by re-running by hand.
 * - Network is off for the page: the report is self-contained and its CSP forbids external requests;
 *   Chromium's own background traffic is switched off by flags.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../shared/app-error.js';
import type { PdfRenderer } from './pdf-renderer.js';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
const DEFAULT_TIMEOUT_MS = 60_000;
const OUTPUT_CAP = 64 * 1024;

export interface ChromiumPdfOptions {
  /** Executable; default {@link DEFAULT_CHROMIUM_PATH}. The CLI passes `CHROMIUM_PATH` from the environment. */
  readonly chromiumPath?: string;
  readonly timeoutMs?: number;
  /** Parent of the per-run temp directory; default the OS temp dir. */
  readonly tmpDir?: string;
}

interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly output: string;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

function run(path: string, args: readonly string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.length > OUTPUT_CAP * 2) output = output.slice(-OUTPUT_CAP);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', () => killGroup(child.pid));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, output: output.slice(-OUTPUT_CAP) });
    });
  });
}

/** The last lines of Chromium's output, minus the D-Bus noise it prints in every container. */
function tail(output: string): string {
  const lines = output.split('\n').filter((l) => l.trim() && !/dbus|Fontconfig/i.test(l));
  return lines.slice(-15).join('\n').slice(-3000) || '(no output)';
}

export function createChromiumPdfRenderer(options: ChromiumPdfOptions = {}): PdfRenderer {
  const chromium = options.chromiumPath || DEFAULT_CHROMIUM_PATH;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const unavailable = (why: string, cause?: unknown): AppError =>
    new AppError('PDF_RENDERER_UNAVAILABLE', 503, `Chromium is needed for PDF output but ${why} at ${chromium}: install it (apt-get install chromium) or set CHROMIUM_PATH`, cause === undefined ? {} : { cause });
  return {
    async renderPdf(html: string): Promise<Uint8Array> {
      try {
        await access(chromium, constants.X_OK);
      } catch (e) {
        throw unavailable('no executable was found', e);
      }
      const dir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'skyguard-pdf-'));
      try {
        const input = join(dir, 'report.html');
        const output = join(dir, 'report.pdf');
        await writeFile(input, html, 'utf8');
        const args = [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--no-first-run',
          '--no-default-browser-check',
          '--disable-extensions',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--mute-audio',
          `--user-data-dir=${join(dir, 'profile')}`,
          '--no-pdf-header-footer',
          '--print-to-pdf-no-header',
          `--print-to-pdf=${output}`,
          pathToFileURL(input).href,
        ];
        let r: RunResult;
        try {
          r = await run(chromium, args, timeoutMs);
        } catch (e) {
          throw unavailable(`it could not be started (${(e as Error).message})`, e);
        }
        if (r.timedOut) throw new AppError('PDF_RENDER_TIMEOUT', 504, `Chromium did not finish the PDF within ${timeoutMs} ms and was stopped. Its output:\n${tail(r.output)}`);
        const pdf = await readFile(output).catch(() => undefined);
        if (r.code !== 0 || !pdf || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
          const what = r.code !== 0 ? `exited with ${r.code ?? r.signal}` : pdf ? 'wrote a file that is not a PDF' : 'wrote no PDF';
          throw new AppError('PDF_RENDER_FAILED', 502, `Chromium ${what}. Its output:\n${tail(r.output)}`);
        }
        return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      } finally {
        await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      }
    },
  };
}
