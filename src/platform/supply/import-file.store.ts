import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { AppError } from '../../shared/app-error.js';

export interface StoredImportFile {
  /** `<tenant id>/<sha256>`: content-addressed, so a re-upload of the same file stores nothing new. */
  readonly key: string;
  readonly sha256: string;
  readonly byteSize: number;
}

const KEY = /^[0-9a-f-]{36}\/[0-9a-f]{64}$/;

/**
 * Where uploaded import files wait for (and stay available to) the import job: content-addressed
 * files under `<dataDir>/imports`, written through a temporary name and renamed only when complete
 * and within the size limit, hashed while they stream (never held in memory). Jobs run on any
 * process that shares the data directory; with several machines it must be shared storage.
 */
export class ImportFileStore {
  constructor(private readonly dir: string) {}

  async save(tenantId: string, body: Readable | AsyncIterable<Uint8Array>, maxBytes: number): Promise<StoredImportFile> {
    const hash = createHash('sha256');
    let size = 0;
    const tenantDir = join(this.dir, tenantId);
    await mkdir(tenantDir, { recursive: true });
    const tmp = join(tenantDir, `.upload-${randomBytes(8).toString('hex')}`);
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new AppError('FILE_TOO_LARGE', 413, `the file is larger than ${maxBytes} bytes (IMPORT_MAX_BYTES)`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tmp, { mode: 0o600 }));
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    const sha256 = hash.digest('hex');
    const key = `${tenantId}/${sha256}`;
    await rename(tmp, this.path(key));
    return { key, sha256, byteSize: size };
  }

  /** Stores a file already on disk (the CLI) by streaming it through the same path. */
  async saveFile(tenantId: string, path: string, maxBytes: number): Promise<StoredImportFile> {
    const s = await stat(path);
    if (s.size > maxBytes) throw new AppError('FILE_TOO_LARGE', 413, `${path} is ${s.size} bytes; at most ${maxBytes} (IMPORT_MAX_BYTES)`);
    return this.save(tenantId, createReadStream(path), maxBytes);
  }

  open(key: string): ReadStream {
    return createReadStream(this.path(key), { highWaterMark: 256 * 1024 });
  }

  path(key: string): string {
    if (!KEY.test(key)) throw new Error(`invalid import file key ${JSON.stringify(key)}`);
    return join(this.dir, key);
  }
}
