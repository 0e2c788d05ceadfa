import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitConcurrency } from './report-renderer.adapter.js';

test('at most `limit` tasks run at once, a bounded number wait, the rest are refused with 503 PDF_RENDER_BUSY', async () => {
  const run = limitConcurrency(2, 1);
  let active = 0;
  let peak = 0;
  const gates: (() => void)[] = [];
  const task = () => async () => {
    active++;
    peak = Math.max(peak, active);
    await new Promise<void>((r) => gates.push(r));
    active--;
    return 'done';
  };
  const a = run(task());
  const b = run(task());
  const c = run(task());
  await assert.rejects(run(task()), (e: { code?: string; status?: number }) => e.code === 'PDF_RENDER_BUSY' && e.status === 503);
  while (gates.length < 2) await new Promise((r) => setImmediate(r));
  gates.shift()!();
  while (gates.length < 2) await new Promise((r) => setImmediate(r));
  for (const g of gates.splice(0)) g();
  while (gates.length < 1 && active > 0) await new Promise((r) => setImmediate(r));
  for (const g of gates.splice(0)) g();
  assert.deepEqual(await Promise.all([a, b, c]), ['done', 'done', 'done']);
  assert.equal(peak, 2);
  // A failing task frees its slot.
  await assert.rejects(run(() => Promise.reject(new Error('chromium crashed'))), /crashed/);
  assert.equal(await run(async () => 'again'), 'again');
});
