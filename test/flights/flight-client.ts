import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { eventually } from '../support/test-server.js';

/** Small helpers over the flights API for the integration tests. */
export interface Api {
  readonly baseUrl: string;
  readonly cookie: string;
}

export async function json<T = any>(api: Api, path: string, init: RequestInit = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${api.baseUrl}${path}`, { ...init, headers: { cookie: api.cookie, ...(init.headers as Record<string, string> | undefined) } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

export function uploadRaw(api: Api, bytes: Uint8Array, query = ''): Promise<{ status: number; body: any; headers: Headers }> {
  return json(api, `/v1/flights${query}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Uint8Array.from(bytes) });
}

export function uploadMultipart(api: Api, bytes: Uint8Array, fileName: string, fields: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([Uint8Array.from(bytes)]), fileName);
  return json(api, '/v1/flights', { method: 'POST', body: form });
}

export const readLog = (path: string): Buffer => readFileSync(path);

/** Waits for the decode job to finish (decoded or failed). */
export async function settled(api: Api, id: string): Promise<any> {
  return eventually(async () => {
    const r = await json(api, `/v1/flights/${id}`);
    assert.equal(r.status, 200);
    return r.body.status === 'decoded' || r.body.status === 'failed' ? r.body : undefined;
  }, 60_000);
}
