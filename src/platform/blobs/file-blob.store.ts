import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, utimes, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { notFound } from '../../shared/app-error.js';
import { BlobTooLargeError, SHA256_HEX, type BlobStore, type PutOptions, type StoredBlob } from './blob.store.js';

/**
 * Blobs as files under `root`: `sha256/ab/cd/abcd…` (two levels of fan-out keep directories small).
 * A put writes to `tmp/` while hashing, fsyncs, then renames into place — rename is atomic on one
 * file system, so a reader never sees a partial blob, and a crash leaves only a temp file. When the
 * hash already exists the temp file is dropped (dedupe) and the existing blob's mtime is refreshed,
 * which tells a garbage collector it was just referenced again.
 */
const WRITE_BATCH = 1 << 20;
const MAX_PENDING = 8 << 20;
/**
 * While a large put streams in, the bytes written so far are flushed to disk every SYNC_EVERY bytes,
 * beside the writes rather than in their chain (at most one flush at a time). The final fsync then
 * has only the tail left, so the answer follows the last byte closely instead of waiting for the whole
 * file to reach the disk.
 */
const SYNC_EVERY = 16 << 20;

async function writeAll(file: FileHandle, data: Buffer): Promise<void> {
  let written = 0;
  while (written < data.length) written += (await file.write(data, written)).bytesWritten;
}

export function createFileBlobStore(root: string): BlobStore {
  const tmpDir = join(root, 'tmp');
  const pathOf = (sha: string): string => {
    if (!SHA256_HEX.test(sha)) throw new Error(`not a sha256: ${JSON.stringify(sha)}`);
    return join(root, 'sha256', sha.slice(0, 2), sha.slice(2, 4), sha);
  };
  let ready: Promise<unknown> | undefined;

  return {
    async put(source: AsyncIterable<Uint8Array>, options: PutOptions): Promise<StoredBlob> {
      ready ??= mkdir(tmpDir, { recursive: true });
      await ready;
      const headBytes = options.headBytes ?? 0;
      const tmp = join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
      const file = await open(tmp, 'wx', 0o640);
      const hash = createHash('sha256');
      const head = Buffer.alloc(headBytes);
      let headFilled = 0;
      let size = 0;
      // Reading the source and writing the file overlap: chunks are batched into ~WRITE_BATCH writes
      // chained in order, and reading waits only while MAX_PENDING bytes are queued — so memory stays
      // bounded and the socket keeps flowing instead of stalling on every disk write.
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let queuedBytes = 0;
      let inFlight: Promise<void> = Promise.resolve();
      let unsyncedBytes = 0;
      let syncing: Promise<void> | undefined;
      // Kept and thrown at the end: after a failed fsync Linux may report the next one as a success
      // although the data never reached the disk, so the final sync cannot be trusted to repeat it.
      let syncError: Error | undefined;
      const syncInBackground = (): void => {
        if (syncing || unsyncedBytes < SYNC_EVERY) return;
        unsyncedBytes = 0;
        syncing = file
          .datasync()
          .catch((e: unknown) => void (syncError ??= e instanceof Error ? e : new Error(String(e))))
          .finally(() => (syncing = undefined));
      };
      // Writes are chained, so they land in order; the batch is taken synchronously.
      const flush = (): Promise<void> => {
        if (pendingBytes === 0) return inFlight;
        const batch = Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        queuedBytes += batch.length;
        inFlight = inFlight.then(async () => {
          await writeAll(file, batch);
          queuedBytes -= batch.length;
          unsyncedBytes += batch.length;
          syncInBackground();
        });
        inFlight.catch(() => undefined);
        return inFlight;
      };
      try {
        for await (const raw of source) {
          const chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
          size += chunk.length;
          if (size > options.maxBytes) throw new BlobTooLargeError(options.maxBytes);
          hash.update(chunk);
          if (headFilled < headBytes) headFilled += chunk.copy(head, headFilled);
          pending.push(chunk);
          pendingBytes += chunk.length;
          if (pendingBytes >= WRITE_BATCH) {
            const written = flush();
            if (queuedBytes >= MAX_PENDING) await written;
          }
        }
        await flush();
        await inFlight;
        await syncing;
        if (syncError !== undefined) throw syncError;
        await file.sync();
      } catch (error) {
        await inFlight.catch(() => undefined);
        await syncing;
        await file.close().catch(() => undefined);
        await rm(tmp, { force: true });
        throw error;
      }
      await file.close();
      const sha256 = hash.digest('hex');
      const target = pathOf(sha256);
      const existing = await stat(target).catch(() => undefined);
      if (existing) {
        await rm(tmp, { force: true });
        const now = new Date();
        await utimes(target, now, now).catch(() => undefined);
        return { sha256, size, head: head.subarray(0, headFilled), created: false };
      }
      await mkdir(join(target, '..'), { recursive: true });
      await rename(tmp, target);
      return { sha256, size, head: head.subarray(0, headFilled), created: true };
    },

    async stat(sha256) {
      const s = await stat(pathOf(sha256)).catch(() => undefined);
      return s ? { size: s.size, modifiedAt: s.mtime } : undefined;
    },

    async open(sha256) {
      const path = pathOf(sha256);
      if (!(await stat(path).catch(() => undefined))) throw notFound('Stored file');
      return createReadStream(path, { highWaterMark: 1 << 20 });
    },

    async delete(sha256) {
      await rm(pathOf(sha256), { force: true });
    },
  };
}
