// The Chromium PDF adapter against real Chromium (skipped with a notice when it is not installed) and
// against stand-in executables that fail, hang or write garbage.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../shared/app-error.js';
import { createChromiumPdfRenderer, DEFAULT_CHROMIUM_PATH } from './chromium-pdf.renderer.js';

const chromium = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
const hasChromium = existsSync(chromium);
const hasPdfinfo = (() => {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function fakeChromium(dir: string, body: string): Promise<string> {
  const path = join(dir, 'fake-chromium.sh');
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, `AppError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

const pages = (n: number): string =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><style>section{break-before:page}</style></head><body>${Array.from({ length: n }, (_, i) => `<section><h1>Page ${i + 1}</h1><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><path d="M0 50L100 0" stroke="#000"/></svg></section>`).join('')}</body></html>`;

describe('createChromiumPdfRenderer', () => {
  it('prints HTML to a PDF and removes its temp directory', { skip: hasChromium ? false : `${chromium} not installed; skipped` }, async () => {
    const root = await mkdtemp(join(tmpdir(), 'sg-pdf-test-'));
    const pdf = await createChromiumPdfRenderer({ chromiumPath: chromium, tmpDir: root }).renderPdf(pages(3));
    assert.equal(Buffer.from(pdf.subarray(0, 5)).toString('latin1'), '%PDF-');
    assert.deepEqual(await readdir(root), [], 'temp directory removed');
    if (!hasPdfinfo) return void console.log('# pdfinfo (poppler-utils) not installed: page count not checked');
    const file = join(root, 'out.pdf');
    await writeFile(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    assert.equal(Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]), 3);
    assert.match(info, /Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)|Page size:\s+612 x 792/);
  });

  it('absent Chromium is a clear PDF_RENDERER_UNAVAILABLE naming the path and CHROMIUM_PATH', async () => {
    await rejectsWith(createChromiumPdfRenderer({ chromiumPath: '/nonexistent/chromium' }).renderPdf('<p>x</p>'), 'PDF_RENDERER_UNAVAILABLE', /\/nonexistent\/chromium.*CHROMIUM_PATH/s);
  });

  it('a failing renderer: exit code and its stderr in the error; temp directory removed', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sg-pdf-test-'));
    const bin = await fakeChromium(root, 'echo "[ERROR:dbus] noise" >&2; echo "boom: cannot open display" >&2; exit 3');
    const work = await mkdtemp(join(root, 'work-'));
    await rejectsWith(createChromiumPdfRenderer({ chromiumPath: bin, tmpDir: work }).renderPdf('<p>x</p>'), 'PDF_RENDER_FAILED', /exited with 3[\s\S]*boom: cannot open display/);
    assert.deepEqual(await readdir(work), []);
  });

  it('exit 0 without a PDF, or with a non-PDF file, is PDF_RENDER_FAILED', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sg-pdf-test-'));
    const none = await fakeChromium(root, 'exit 0');
    await rejectsWith(createChromiumPdfRenderer({ chromiumPath: none }).renderPdf('<p>x</p>'), 'PDF_RENDER_FAILED', /wrote no PDF/);
    const garbage = join(root, 'garbage.sh');
    await writeFile(garbage, '#!/bin/sh\nfor a in "$@"; do case "$a" in --print-to-pdf=*) echo "<html>not a pdf" > "${a#--print-to-pdf=}";; esac; done\n');
    await chmod(garbage, 0o755);
    await rejectsWith(createChromiumPdfRenderer({ chromiumPath: garbage }).renderPdf('<p>x</p>'), 'PDF_RENDER_FAILED', /not a PDF/);
  });

  it('a hanging renderer is stopped with its helper processes: PDF_RENDER_TIMEOUT', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sg-pdf-test-'));
    const pidFile = join(root, 'helper.pid');
    const bin = await fakeChromium(root, `sleep 300 & echo $! > ${pidFile}; echo "still loading" >&2; wait`);
    const work = await mkdtemp(join(root, 'work-'));
    await rejectsWith(createChromiumPdfRenderer({ chromiumPath: bin, timeoutMs: 300, tmpDir: work }).renderPdf('<p>x</p>'), 'PDF_RENDER_TIMEOUT', /within 300 ms[\s\S]*still loading/);
    const helper = Number(await readFile(pidFile, 'utf8'));
    // Gone, or a zombie waiting for init to reap it (killed either way); polled, since reaping is asynchronous.
    const alive = async (): Promise<boolean> => {
      const stat = await readFile(`/proc/${helper}/stat`, 'utf8').catch(() => '');
      return stat !== '' && !/^\d+ \([^)]*\) [ZX]/.test(stat);
    };
    for (let i = 0; i < 50 && (await alive()); i++) await new Promise((r) => setTimeout(r, 40));
    assert.equal(await alive(), false, 'the helper process was killed with the group');
    assert.deepEqual(await readdir(work), []);
  });
});
