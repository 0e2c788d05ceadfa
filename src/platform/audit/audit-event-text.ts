import { hash, randomUUID } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { AuditEvent, AuditEventInput } from './audit-event.js';

/** The fields the hash covers, in canonical (code point) key order: every stored field except the hash. */
type Hashed = Omit<AuditEvent, 'hash'>;

/** What the hash covers, as an object (the reference form `canonicalJson` sorts). */
export function hashedFields(e: Hashed): Record<string, unknown> {
  return {
    tenantId: e.tenantId, seq: e.seq, id: e.id, occurredAt: e.occurredAt, actorType: e.actorType,
    actorId: e.actorId, actorLabel: e.actorLabel, authMethod: e.authMethod, requestId: e.requestId,
    traceId: e.traceId, ip: e.ip, userAgent: e.userAgent, method: e.method, route: e.route,
    status: e.status, latencyMs: e.latencyMs, action: e.action, target: e.target, details: e.details,
    prevHash: e.prevHash,
  };
}

/**
 * An event's canonical JSON, split where the chain position goes: `head + prevHash + mid + seq + tail + '}'`
 * is byte for byte `canonicalJson(hashedFields(event))`. Everything but the chain position is known when
 * the event happens, so the text is built then, spread over requests, and appending to the chain costs a
 * concatenation and a SHA-256 per event while the chain head is locked. The same text (with the hash added)
 * is the row PostgreSQL parses on insert, so nothing is serialised twice.
 */
export interface EventText {
  readonly head: string;
  readonly mid: string;
  /** Ends before the closing brace, so the row can carry the hash after the hashed fields. */
  readonly tail: string;
}

// JSON.stringify escapes only '"', '\\', control characters and lone surrogates; most values hold none of them,
// and quoting those directly is a third cheaper (every event has a dozen text fields). Any surrogate, paired or
// not, takes JSON.stringify's path, so the output is its output byte for byte.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const str = (v: string | null): string => (v === null ? 'null' : NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`);
function num(v: number | null): string {
  if (v === null) return 'null';
  if (!Number.isFinite(v)) throw new Error('canonicalJson: non-finite number');
  return JSON.stringify(v);
}
function isEmptyPlainObject(o: object): boolean {
  const proto = Object.getPrototypeOf(o) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const _ in o) return false;
  return true;
}

const detailsText = (d: unknown): string => (typeof d === 'object' && d !== null && isEmptyPlainObject(d) ? '{}' : canonicalJson(d));

/** Top-level keys in the order `canonicalJson` sorts them (checked against it by the unit tests). */
export function eventText(e: Omit<Hashed, 'seq' | 'prevHash'>): EventText {
  return {
    head: `{"action":${str(e.action)},"actorId":${str(e.actorId)},"actorLabel":${str(e.actorLabel)},"actorType":${str(e.actorType)},` +
      `"authMethod":${str(e.authMethod)},"details":${detailsText(e.details)},"id":${str(e.id)},` +
      `"ip":${str(e.ip)},"latencyMs":${num(e.latencyMs)},"method":${str(e.method)},"occurredAt":${str(e.occurredAt)},"prevHash":"`,
    mid: `","requestId":${str(e.requestId)},"route":${str(e.route)},"seq":`,
    tail: `,"status":${num(e.status)},"target":${str(e.target)},"tenantId":${str(e.tenantId)},"traceId":${str(e.traceId)},"userAgent":${str(e.userAgent)}`,
  };
}

export const textAt = (t: EventText, seq: number, prevHash: string): string => `${t.head}${prevHash}${t.mid}${seq}${t.tail}}`;

export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

const HASHED_KEYS = ['tenantId', 'seq', 'id', 'occurredAt', 'actorType', 'actorId', 'actorLabel', 'authMethod', 'requestId', 'traceId', 'ip', 'userAgent', 'method', 'route', 'status', 'latencyMs', 'action', 'target', 'details', 'prevHash'] as const;

/** SHA-256 of the canonical JSON of every field but the hash (what `skyguard audit verify` recomputes). */
export function computeEventHash(e: Hashed): string {
  // A missing field is left out of the canonical JSON (as JSON drops undefined); only the reference form does that.
  if (HASHED_KEYS.some((k) => e[k] === undefined)) return sha256Hex(canonicalJson(hashedFields(e)));
  return sha256Hex(textAt(eventText(e), e.seq, e.prevHash));
}

// ---- Cleaning what the application hands in -------------------------------------------------------------

const MAX_TEXT = 1024;
type WellFormed = string & { toWellFormed(): string; isWellFormed(): boolean };

const withoutNul = (s: string): string => (s.includes('\u0000') ? s.replace(/\u0000/g, '') : s);
const wellFormed = (s: string): string => ((s as WellFormed).isWellFormed() ? s : (s as WellFormed).toWellFormed());
/** PostgreSQL text holds neither NUL nor lone UTF-16 surrogates (see `cleanText`). */
const storable = (s: string): string => wellFormed(withoutNul(s));

/**
 * Text fields as they can be stored and verified: without NUL, which PostgreSQL text cannot hold, and with
 * any lone UTF-16 surrogate replaced by U+FFFD — PostgreSQL would store it as U+FFFD anyway (so the row
 * would no longer match its hash) or, inside JSON, refuse the whole batch. Long values are cut so one
 * request cannot bloat the trail (a surrogate pair split by the cut becomes U+FFFD).
 */
export function cleanText(v: string | null | undefined): string | null {
  if (v === undefined || v === null) return null;
  const s = withoutNul(v);
  return wellFormed(s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s);
}

/** Details as the JSON they will be stored as: dates as strings, no undefined members, storable strings. */
export function cleanDetails(details: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  if (!details || isEmptyPlainObject(details)) return {};
  return JSON.parse(JSON.stringify(details, (_k, v: unknown) => (typeof v === 'string' ? storable(v) : v))) as Record<string, unknown>;
}

// Request events arrive thousands per second, mostly within the same second: the date and time up to the
// second are formatted once per second, and only the milliseconds per event.
let isoSecond = NaN;
let isoPrefix = '';

/** Exactly `d.toISOString()` (throws the same RangeError for an invalid date), at a fraction of its cost. */
export function isoTimestamp(d: Date): string {
  const ms = d.getTime();
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    isoPrefix = d.toISOString().slice(0, -4); // up to and including the '.' before the milliseconds
    isoSecond = second;
  }
  const frac = ms - second * 1000;
  return `${isoPrefix}${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
}

/** An event ready to be chained: its id is fixed and its canonical text built, only the position is open. */
export interface PreparedEvent {
  readonly tenantId: string;
  readonly text: EventText;
}

export function prepareEvent(input: AuditEventInput): PreparedEvent {
  const latency = input.latencyMs;
  return {
    tenantId: input.tenantId,
    text: eventText({
      tenantId: input.tenantId,
      id: randomUUID(),
      occurredAt: isoTimestamp(input.occurredAt),
      actorType: input.actorType,
      actorId: cleanText(input.actorId),
      actorLabel: cleanText(input.actorLabel),
      authMethod: cleanText(input.authMethod),
      requestId: cleanText(input.requestId),
      traceId: cleanText(input.traceId),
      ip: cleanText(input.ip),
      userAgent: cleanText(input.userAgent),
      method: cleanText(input.method),
      route: cleanText(input.route),
      status: input.status ?? null,
      latencyMs: latency === undefined || latency === null || !Number.isFinite(latency) ? null : Math.round(latency * 1000) / 1000,
      action: input.action,
      target: cleanText(input.target),
      details: cleanDetails(input.details),
    }),
  };
}
