import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { cleanDetails, cleanText, computeEventHash, eventText, hashedFields, isoTimestamp, prepareEvent, textAt } from './audit-event-text.js';
import type { AuditEvent } from './audit-event.js';

/** Small deterministic generator (mulberry32), so a failure names a reproducible case. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', '\u007f', 'é', 'ü', '\u2028', '\uffff', '😀', '\ud800', '\udfff', 'x'.repeat(40)];
const NUMBERS = [0, -0, 1, -1, 1.25, 0.1, 1e-7, 123456.789, 1e21, 2 ** 53, -3.5e-300];

function randomString(r: () => number, maxPieces = 6): string {
  let s = '';
  for (let i = Math.floor(r() * maxPieces); i > 0; i--) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

function randomJson(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 2 ? 4 : 7));
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return NUMBERS[Math.floor(r() * NUMBERS.length)];
    case 3: return randomString(r);
    case 4: return Array.from({ length: Math.floor(r() * 4) }, () => randomJson(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 5); i > 0; i--) o[randomString(r, 3)] = randomJson(r, depth + 1);
      return o;
    }
  }
}

function randomEvent(r: () => number): Omit<AuditEvent, 'hash'> {
  const maybe = (): string | null => (r() < 0.2 ? null : randomString(r));
  const n = (): number | null => (r() < 0.2 ? null : NUMBERS[Math.floor(r() * NUMBERS.length)]!);
  return {
    tenantId: maybe() ?? 't', seq: Math.floor(r() * 1e9), id: maybe() ?? 'i', occurredAt: new Date(Math.floor(r() * 4e12)).toISOString(),
    actorType: 'user', actorId: maybe(), actorLabel: maybe(), authMethod: maybe(), requestId: maybe(), traceId: maybe(), ip: maybe(),
    userAgent: maybe(), method: maybe(), route: maybe(), status: n(), latencyMs: n(), action: randomString(r) || 'request', target: maybe(),
    details: r() < 0.3 ? {} : { nested: randomJson(r, 0), [randomString(r, 2)]: randomJson(r, 1) },
    prevHash: createHash('sha256').update(String(r())).digest('hex'),
  };
}

test('the split canonical text is byte for byte the reference canonical JSON (2,000 random events)', () => {
  const r = rng(20261121);
  for (let i = 0; i < 2000; i++) {
    const e = randomEvent(r);
    const reference = canonicalJson(hashedFields(e));
    assert.equal(textAt(eventText(e), e.seq, e.prevHash), reference, `case ${i}`);
    assert.equal(computeEventHash(e), createHash('sha256').update(reference).digest('hex'), `case ${i}`);
  }
});

test('a missing field falls back to the reference form, which leaves it out', () => {
  const e = { ...randomEvent(rng(1)), traceId: undefined } as unknown as Omit<AuditEvent, 'hash'>;
  assert.equal(computeEventHash(e), createHash('sha256').update(canonicalJson(hashedFields(e))).digest('hex'));
  assert.doesNotMatch(canonicalJson(hashedFields(e)), /traceId/);
});

test('non-finite numbers are refused, as by the reference form', () => {
  assert.throws(() => eventText({ ...randomEvent(rng(2)), latencyMs: Number.NaN }), /non-finite/);
  assert.throws(() => eventText({ ...randomEvent(rng(3)), status: Infinity }), /non-finite/);
});

test('text fields lose NUL, are cut at 1,024 characters and never keep a lone surrogate', () => {
  assert.equal(cleanText(undefined), null);
  assert.equal(cleanText(null), null);
  assert.equal(cleanText('a\u0000b'), 'ab');
  assert.equal(cleanText('x'.repeat(5000))!.length, 1024);
  assert.equal(cleanText(`${'x'.repeat(1023)}😀`), `${'x'.repeat(1023)}\ufffd`, 'a pair split by the cut');
  assert.equal(cleanText('a\ud800b\udfffc'), 'a\ufffdb\ufffdc');
  assert.equal(cleanText('ok 😀'), 'ok 😀');
});

test('details become the JSON they are stored as', () => {
  assert.deepEqual(cleanDetails(undefined), {});
  assert.deepEqual(cleanDetails({}), {});
  const at = new Date(Date.UTC(2026, 10, 21));
  assert.deepEqual(cleanDetails({ at, gone: undefined, nul: 'a\u0000b', lone: '\udc00', n: Number.NaN, nested: [{ s: 'x\u0000' }] }), {
    at: at.toISOString(), nul: 'ab', lone: '\ufffd', n: null, nested: [{ s: 'x' }],
  });
  class WithJson { toJSON(): string { return 'custom'; } }
  assert.deepEqual(cleanDetails({ v: new WithJson() }), { v: 'custom' });
});

test('a prepared event hashes as the stored event will be verified', () => {
  const p = prepareEvent({
    tenantId: '00000000-0000-0000-0000-000000000001', occurredAt: new Date(Date.UTC(2026, 10, 21, 1, 2, 3, 4)), actorType: 'api_key',
    actorId: 'k1', requestId: 'r\u00001', latencyMs: 1.23456789, status: 200, action: 'request', details: { b: 1, a: [true, null] },
  });
  const text = textAt(p.text, 7, '0'.repeat(64));
  const stored = JSON.parse(text) as Omit<AuditEvent, 'hash'>;
  assert.equal(stored.requestId, 'r1');
  assert.equal(stored.latencyMs, 1.235);
  assert.equal(stored.actorLabel, null);
  assert.equal(stored.seq, 7);
  assert.match(stored.id, /^[0-9a-f-]{36}$/);
  assert.equal(computeEventHash(stored), createHash('sha256').update(text).digest('hex'));
  assert.equal(prepareEvent({ tenantId: 't', occurredAt: new Date(0), actorType: 'system', action: 'x', latencyMs: Number.NaN }).text.head.includes('"latencyMs":null'), true);
});

test('isoTimestamp writes exactly what toISOString writes, across seconds, before 1970 and beyond year 9999', () => {
  const r = rng(7);
  const edges = [0, -1, 999, 1000, -1000, -1001, 1_763_788_800_000, 1_763_788_800_009, 1_763_788_800_099, 253_402_300_799_999, 253_402_300_800_000, -62_198_755_200_001];
  const random = Array.from({ length: 2000 }, () => Math.floor((r() - 0.3) * 4e12));
  // Runs of nearby instants exercise the per-second cache; jumps back and forth exercise its refresh.
  const runs = random.flatMap((t) => [t, t + 1, t + 999, t + 1000, t - 1]);
  for (const t of [...edges, ...random, ...runs]) assert.equal(isoTimestamp(new Date(t)), new Date(t).toISOString(), `instant ${t}`);
  assert.throws(() => isoTimestamp(new Date(Number.NaN)), RangeError);
});
