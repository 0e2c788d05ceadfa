import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRecords } from './record-stream.js';
import type { ImportFormat, SourceRecord } from './import-types.js';
import { ImportFileError } from './reader-limits.js';

async function read(text: string, format: ImportFormat, chunk = 7, limits = { maxRecordChars: 200, maxColumns: 10 }): Promise<SourceRecord[]> {
  const bytes = new TextEncoder().encode(text);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const out: SourceRecord[] = [];
  for await (const c of readRecords(chunks(), format, limits)) out.push(...c.records);
  return out;
}

test('CSV: quotes, doubled quotes, embedded newlines, CRLF, BOM and chunk boundaries anywhere', async () => {
  const text = '\ufeffa,b,c\r\n1,"x, y",3\r\n2,"say ""hi""\nthere",4\n\n3,plain,"é"';
  for (const chunk of [1, 2, 3, 5, 64]) {
    const rows = await read(text, 'csv', chunk);
    assert.deepEqual(rows.map((r) => r.values), [
      { a: '1', b: 'x, y', c: '3' },
      { a: '2', b: 'say "hi"\nthere', c: '4' },
      { a: '3', b: 'plain', c: 'é' },
    ], `chunk ${chunk}`);
    assert.deepEqual(rows.map((r) => r.row), [2, 3, 6], `line numbers with chunk ${chunk}`);
  }
});

test('CSV: a wrong cell count, an unterminated quote and an oversized record are error records', async () => {
  const rows = await read(`a,b\n1,2,3\n1\n"${'x'.repeat(300)}\n5,6\n`, 'csv');
  assert.match(rows[0]!.error!.reason, /3 cells but the header has 2/);
  assert.match(rows[1]!.error!.reason, /1 cells/);
  assert.match(rows[2]!.error!.reason, /longer than 200/);
  assert.deepEqual(rows.at(-1)!.values, { a: '5', b: '6' });
  const truncated = await read('a,b\n1,"open', 'csv');
  assert.match(truncated[0]!.error!.reason, /unterminated quote|truncated/);
});

test('CSV: empty file, duplicate and blank header columns are file errors', async () => {
  await assert.rejects(read('', 'csv'), ImportFileError);
  await assert.rejects(read('a,a\n1,2\n', 'csv'), /appears twice/);
  await assert.rejects(read('a,,b\n', 'csv'), /no name/);
  await assert.rejects(read(`${Array.from({ length: 11 }, (_, i) => `c${i}`).join(',')}\n`, 'csv'), /at most 10/);
});

test('JSON array: elements split across chunks, strings with brackets and escapes', async () => {
  const text = ' [ {"a": "x]}\\"", "n": [1, {"b": 2}]}, {"a": "y"} ] ';
  for (const chunk of [1, 3, 100]) {
    const rows = await read(text, 'json', chunk);
    assert.deepEqual(rows.map((r) => r.values), [{ a: 'x]}"', n: [1, { b: 2 }] }, { a: 'y' }]);
    assert.deepEqual(rows.map((r) => r.row), [1, 2]);
  }
});

test('JSON array: non-objects, bad JSON, truncation and oversized elements are error records; non-arrays are file errors', async () => {
  const rows = await read('[1, {"a": tru}, {"ok": 1}, {"a": "' + 'z'.repeat(300) + '"}, {"b": 2}', 'json');
  assert.match(rows[0]!.error!.reason, /JSON object/);
  assert.match(rows[1]!.error!.reason, /not valid JSON/);
  assert.deepEqual(rows[2]!.values, { ok: 1 });
  assert.match(rows[3]!.error!.reason, /longer than 200/);
  assert.match(rows[4]!.error!.reason, /truncated/);
  await assert.rejects(read('{"a": 1}', 'json'), /does not start with \[/);
  await assert.rejects(read('[{"a": 1}] trailing', 'json'), /after the closing \]/);
  await assert.rejects(read('', 'json'), /empty/);
  assert.deepEqual((await read('[]', 'json')).length, 0);
});

test('NDJSON: one object per line, blank lines skipped, long lines refused without buffering', async () => {
  const rows = await read(`{"a":1}\r\n\n{"a":2}\n[3]\n{"a":"${'q'.repeat(300)}"}\n{"a":4}`, 'ndjson', 5);
  assert.deepEqual(rows.map((r) => r.row), [1, 3, 4, 5, 6]);
  assert.deepEqual(rows[0]!.values, { a: 1 });
  assert.match(rows[2]!.error!.reason, /JSON object/);
  assert.match(rows[3]!.error!.reason, /longer than 200/);
  assert.deepEqual(rows[4]!.values, { a: 4 });
});

test('binary garbage does not crash a reader: it becomes error records or a file error', async () => {
  const garbage = String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256));
  for (const format of ['csv', 'json', 'ndjson'] as const) {
    try {
      const rows = await read(garbage, format, 97, { maxRecordChars: 500, maxColumns: 50 });
      assert.ok(Array.isArray(rows));
    } catch (e) {
      assert.ok(e instanceof ImportFileError, `${format}: ${String(e)}`);
    }
  }
});
