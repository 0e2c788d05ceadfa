import type { Readable } from 'node:stream';
import { AppError } from '../../shared/app-error.js';

/** What a `put` stored (or found already stored). */
export interface StoredBlob {
  /** Lower-case hex SHA-256 of the content: the blob's name. */
  readonly sha256: string;
  readonly size: number;
  /** The first `headBytes` bytes (format detection needs them without reading the blob again). */
  readonly head: Uint8Array;
  /** False when identical content was already stored (deduplicated). */
  readonly created: boolean;
}

export interface PutOptions {
  /** Refuse content longer than this: the write stops, nothing is kept, {@link BlobTooLargeError} is thrown. */
  readonly maxBytes: number;
  readonly headBytes?: number;
}

/**
 * Content-addressed storage for raw uploads (flight logs, later reports). Blobs are immutable and
 * named by their SHA-256, so identical uploads share one blob and a reference can never point at
 * changed bytes. Implementations: local files (`createFileBlobStore`); an S3-compatible adapter
 * can implement the same port (put = multipart upload to a temporary key + copy to the hash key).
 */
export interface BlobStore {
  /**
   * Streams `source` into the store while hashing it; never holds the whole content in memory.
   * The source must not reuse a chunk's memory after yielding it (Node streams do not).
   */
  put(source: AsyncIterable<Uint8Array>, options: PutOptions): Promise<StoredBlob>;
  /** Size in bytes, or undefined when absent. */
  stat(sha256: string): Promise<{ size: number; modifiedAt: Date } | undefined>;
  /** A stream of the content; throws a 404 AppError when absent. */
  open(sha256: string): Promise<Readable>;
  /** Removes the blob (no error when absent). Callers decide when no reference is left. */
  delete(sha256: string): Promise<void>;
}

/** Thrown by `put` when the content exceeds `maxBytes`; carries the limit for the 413 answer. */
export class BlobTooLargeError extends AppError {
  constructor(readonly limitBytes: number) {
    super('UPLOAD_TOO_LARGE', 413, `The upload is larger than the limit of ${limitBytes} bytes`, { details: { limitBytes } });
  }
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
