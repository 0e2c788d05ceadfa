import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { createFileBlobStore } from './file-blob.store.js';
import { BlobTooLargeError } from './blob.store.js';

async function* chunks(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

test('put hashes while streaming, fans out by hash, dedupes, reads back, deletes', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'blobs-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = createFileBlobStore(root);
  const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) & 0xff));
  const sha = createHash('sha256').update(data).digest('hex');
  const first = await store.put(chunks(data, 10_000), { maxBytes: 1e6, headBytes: 64 * 1024 });
  assert.equal(first.sha256, sha);
  assert.equal(first.size, data.length);
  assert.equal(first.created, true);
  assert.deepEqual(Buffer.from(first.head), data.subarray(0, 64 * 1024));
  assert.deepEqual(readFileSync(join(root, 'sha256', sha.slice(0, 2), sha.slice(2, 4), sha)), data);
  const again = await store.put(chunks(data, 999), { maxBytes: 1e6 });
  assert.equal(again.created, false);
  assert.deepEqual(readdirSync(join(root, 'tmp')), [], 'no temp file left behind');
  assert.deepEqual(await buffer(await store.open(sha)), data);
  assert.equal((await store.stat(sha))?.size, data.length);
  await store.delete(sha);
  assert.equal(await store.stat(sha), undefined);
  await assert.rejects(store.open(sha), /not found/);
  await store.delete(sha);
});

test('an oversized put stops at the limit and leaves nothing behind; an empty put is a blob too', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'blobs-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = createFileBlobStore(root);
  let pulled = 0;
  async function* endless(): AsyncGenerator<Uint8Array> {
    for (;;) {
      pulled++;
      yield new Uint8Array(1000);
    }
  }
  await assert.rejects(store.put(endless(), { maxBytes: 5000 }), (e: unknown) => e instanceof BlobTooLargeError && e.limitBytes === 5000 && e.status === 413);
  assert.ok(pulled <= 6, 'stopped reading at the limit');
  assert.deepEqual(readdirSync(join(root, 'tmp')), []);
  const empty = await store.put(chunks(Buffer.alloc(0), 1), { maxBytes: 10, headBytes: 16 });
  assert.equal(empty.sha256, createHash('sha256').digest('hex'));
  assert.equal(empty.size, 0);
  assert.equal(empty.head.length, 0);
  await assert.rejects(store.stat('../../etc/passwd'), /not a sha256/);
});
