import { AppError } from '../../shared/app-error.js';

/** Bounds every reader enforces, so no file can make an import buffer or loop without limit. */
export interface ReaderLimits {
  /** Longest record (CSV record, JSON element, NDJSON line) in characters. */
  readonly maxRecordChars: number;
  /** Most cells in a CSV record / keys in a JSON object. */
  readonly maxColumns: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = Object.freeze({ maxRecordChars: 256 * 1024, maxColumns: 512 });

/** Raw text kept with a reject is clipped to this many characters. */
export const MAX_RAW_CHARS = 4096;

export const clip = (s: string, max = MAX_RAW_CHARS): string => (s.length > max ? `${s.slice(0, max)}…` : s);

/**
 * The file as a whole cannot be imported (no header, unknown or duplicate columns, not a JSON
 * array). Rows already committed stay committed; the import is marked failed with this message.
 */
export class ImportFileError extends AppError {
  constructor(message: string, field = 'file') {
    super('IMPORT_FILE_INVALID', 422, message, { details: { field, rule: 'format' } });
    this.name = 'ImportFileError';
  }
}
