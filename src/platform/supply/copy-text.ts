import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from '../db/pool.js';

/**
 * Encoding of values for PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash
 * escapes for backslash, tab, newline and carriage return. Arrays become array literals (each
 * element double-quoted), buffers bytea hex, objects JSON. Values are validated before they get
 * here (no NUL characters), so every string is representable.
 */
function escapeCopy(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

function arrayLiteral(items: readonly unknown[]): string {
  return `{${items.map((v) => (v === null || v === undefined ? 'NULL' : `"${(typeof v === 'string' ? v : JSON.stringify(v)).replace(/["\\]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}

export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return escapeCopy(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  if (Array.isArray(v)) return escapeCopy(arrayLiteral(v));
  return escapeCopy(JSON.stringify(v));
}

/** Streams `lines` (already COPY-encoded, one per row, no trailing newline) into `table`. */
export async function copyLines(client: PoolClient, table: string, columns: readonly string[], lines: readonly string[]): Promise<void> {
  const step = 2000;
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += step) chunks.push(`${lines.slice(i, i + step).join('\n')}\n`);
  await copyChunks(client, table, columns, chunks);
}

/** Streams `chunks` (COPY-encoded rows, each ending in a newline) into `table`. */
export async function copyChunks(client: PoolClient, table: string, columns: readonly string[], chunks: readonly string[]): Promise<void> {
  if (chunks.length === 0) return;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks), stream);
}
