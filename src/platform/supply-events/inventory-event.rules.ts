/**
 * Inventory-event validation and the per part × location state machine, free of I/O so the API, the
 * NATS consumer and the tests share one definition (docs/supply/events.md).
 *
 * Kinds: `receipt` (+quantity on hand, and on order down by as much), `issue` (−quantity on hand),
 * `adjustment` (±quantity on hand), `reservation` (±quantity reserved) and `snapshot` (the ERP's
 * absolute position: on hand, optionally reserved and on order).
 *
 * Ordering, per part × location: event A is newer than a watermark when its `sequence` is greater
 * (if both have one), else when its `occurredAt` is later.
 * - A snapshot applies only when newer than every event applied so far; otherwise it is stale.
 * - A delta applies unless it is not newer than the last applied snapshot (which already contains
 *   it); deltas are movements that happened, so a late one still counts.
 * - A decrement never takes a quantity below zero: the shortfall is recorded as `clamped`.
 */
export const INVENTORY_EVENT_KINDS = ['adjustment', 'receipt', 'issue', 'reservation', 'snapshot'] as const;
export type InventoryEventKind = (typeof INVENTORY_EVENT_KINDS)[number];

export interface InventoryEvent {
  readonly eventId: string;
  readonly partNumber: string;
  readonly locationCode: string;
  readonly kind: InventoryEventKind;
  /** Delta kinds only: positive for receipt/issue, non-zero signed for adjustment/reservation. */
  readonly quantity: number | null;
  readonly onHand: number | null;
  readonly reserved: number | null;
  readonly onOrder: number | null;
  readonly sequence: number | null;
  /** Epoch milliseconds. */
  readonly occurredAt: number;
  readonly source: string;
}

export interface EventRejection {
  readonly code: string;
  readonly reason: string;
  readonly field: string | null;
  /** The event id when one could be read (for the dead letter and the response). */
  readonly eventId: string | null;
}

export type ParsedEvent = { readonly ok: true; readonly event: InventoryEvent } | { readonly ok: false; readonly rejection: EventRejection };

const MAX_QUANTITY = 1_000_000_000;
const KEYS = new Set(['eventId', 'partNumber', 'locationCode', 'kind', 'quantity', 'onHand', 'reserved', 'onOrder', 'sequence', 'occurredAt', 'source', 'attributes']);
// Printable text only: no control characters (NUL, newlines, escape sequences) in identifiers.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// An instant with an explicit offset: a bare local time would be ambiguous across ERP sites.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Date.parse rolls 2026-02-30 over to March; a real ERP date never does. */
function realDate(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && Number(text.slice(11, 13)) < 24;
}

/** Accepts a JSON value and returns a typed event or the first rule it breaks, naming the field. */
export function parseInventoryEvent(value: unknown, defaultSource: string): ParsedEvent {
  const reject = (code: string, reason: string, field: string | null, eventId: string | null = null): ParsedEvent =>
    ({ ok: false, rejection: { code, reason, field, eventId } });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return reject('EVENT_NOT_OBJECT', 'an inventory event must be a JSON object', null);
  const v = value as Record<string, unknown>;
  const rawId = v.eventId;
  const eventId = typeof rawId === 'string' && rawId.length >= 1 && rawId.length <= 200 && !CONTROL.test(rawId) ? rawId : null;
  if (eventId === null) return reject('INVALID_EVENT_ID', 'eventId must be a string of 1–200 printable characters', 'eventId');
  for (const key of Object.keys(v)) {
    if (!KEYS.has(key)) return reject('UNKNOWN_FIELD', `unknown field ${JSON.stringify(key.slice(0, 64))}`, key.slice(0, 200), eventId);
  }
  const text = (field: string, max: number): string | ParsedEvent => {
    const x = v[field];
    if (typeof x !== 'string' || x.trim().length === 0 || x.length > max || CONTROL.test(x)) {
      return reject('INVALID_FIELD', `${field} must be a non-empty string of at most ${max} printable characters`, field, eventId);
    }
    return x;
  };
  const partNumber = text('partNumber', 64);
  if (typeof partNumber !== 'string') return partNumber;
  const locationCode = text('locationCode', 64);
  if (typeof locationCode !== 'string') return locationCode;
  let source = defaultSource;
  if (v.source !== undefined) {
    const s = text('source', 200);
    if (typeof s !== 'string') return s;
    source = s;
  }
  const kind = v.kind;
  if (typeof kind !== 'string' || !(INVENTORY_EVENT_KINDS as readonly string[]).includes(kind)) {
    return reject('INVALID_KIND', `kind must be one of ${INVENTORY_EVENT_KINDS.join(', ')}`, 'kind', eventId);
  }
  if (typeof v.occurredAt !== 'string' || !INSTANT.test(v.occurredAt) || Number.isNaN(Date.parse(v.occurredAt)) || !realDate(v.occurredAt)) {
    return reject('INVALID_OCCURRED_AT', 'occurredAt must be an ISO 8601 instant with a time zone, e.g. 2026-11-21T10:00:00Z', 'occurredAt', eventId);
  }
  const occurredAt = Date.parse(v.occurredAt);
  let sequence: number | null = null;
  if (v.sequence !== undefined && v.sequence !== null) {
    if (typeof v.sequence !== 'number' || !Number.isSafeInteger(v.sequence) || v.sequence < 0) {
      return reject('INVALID_SEQUENCE', 'sequence must be a non-negative integer below 2^53', 'sequence', eventId);
    }
    sequence = v.sequence;
  }
  if (v.attributes !== undefined && (v.attributes === null || typeof v.attributes !== 'object' || Array.isArray(v.attributes))) {
    return reject('INVALID_FIELD', 'attributes must be an object when present', 'attributes', eventId);
  }
  const int = (field: string, min: number): number | null | ParsedEvent => {
    const x = v[field];
    if (x === undefined || x === null) return null;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || Math.abs(x) > MAX_QUANTITY) {
      return reject('INVALID_QUANTITY', `${field} must be an integer from ${min} to ${MAX_QUANTITY}`, field, eventId);
    }
    return x;
  };
  const base = { eventId, partNumber, locationCode, kind: kind as InventoryEventKind, sequence, occurredAt, source };
  if (kind === 'snapshot') {
    if (v.quantity !== undefined) return reject('UNEXPECTED_FIELD', 'a snapshot carries onHand (and optionally reserved, onOrder), not quantity', 'quantity', eventId);
    const onHand = int('onHand', 0);
    if (typeof onHand === 'object' && onHand !== null) return onHand;
    if (onHand === null) return reject('MISSING_FIELD', 'a snapshot needs onHand', 'onHand', eventId);
    const reserved = int('reserved', 0);
    if (typeof reserved === 'object' && reserved !== null) return reserved;
    const onOrder = int('onOrder', 0);
    if (typeof onOrder === 'object' && onOrder !== null) return onOrder;
    return { ok: true, event: { ...base, quantity: null, onHand, reserved, onOrder } };
  }
  for (const f of ['onHand', 'reserved', 'onOrder']) {
    if (v[f] !== undefined) return reject('UNEXPECTED_FIELD', `a ${kind} carries quantity, not ${f}`, f, eventId);
  }
  const signed = kind === 'adjustment' || kind === 'reservation';
  const quantity = int('quantity', signed ? -MAX_QUANTITY : 1);
  if (typeof quantity === 'object' && quantity !== null) return quantity;
  if (quantity === null) return reject('MISSING_FIELD', `a ${kind} needs quantity`, 'quantity', eventId);
  if (quantity === 0) return reject('INVALID_QUANTITY', 'quantity must not be zero', 'quantity', eventId);
  return { ok: true, event: { ...base, quantity, onHand: null, reserved: null, onOrder: null } };
}

/** The stock position and its watermarks, as stored in stock_levels. */
export interface StockState {
  readonly onHand: number;
  readonly reserved: number;
  readonly onOrder: number;
  readonly lastSeq: number | null;
  readonly lastAt: number | null;
  readonly snapshotSeq: number | null;
  readonly snapshotAt: number | null;
}

/** Stored quantities are 32-bit integers; an event that would pass this is refused, not wrapped. */
export const MAX_STOCK_QUANTITY = 2_000_000_000;

export interface Transition {
  /** `overflow`: applying it would exceed MAX_STOCK_QUANTITY; it is dead-lettered instead. */
  readonly outcome: 'applied' | 'stale' | 'overflow';
  readonly next: StockState;
  readonly clamped: number;
}

function newer(e: InventoryEvent, seq: number | null, at: number | null): boolean {
  if (e.sequence !== null && seq !== null) return e.sequence > seq;
  if (at === null) return true;
  // The first sequenced event after unsequenced ones wins a tie on time: it carries the finer order.
  return e.sequence !== null && seq === null ? e.occurredAt >= at : e.occurredAt > at;
}

const maxOrNull = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/** Applies one event to a position (pure); see the module comment for the rules. */
export function applyInventoryEvent(state: StockState, e: InventoryEvent): Transition {
  const watermark = { lastSeq: maxOrNull(state.lastSeq, e.sequence), lastAt: maxOrNull(state.lastAt, e.occurredAt) };
  if (e.kind === 'snapshot') {
    if (!newer(e, state.lastSeq, state.lastAt)) return { outcome: 'stale', next: state, clamped: 0 };
    return {
      outcome: 'applied', clamped: 0,
      next: {
        onHand: e.onHand!, reserved: e.reserved ?? state.reserved, onOrder: e.onOrder ?? state.onOrder,
        ...watermark, snapshotSeq: maxOrNull(state.snapshotSeq, e.sequence), snapshotAt: maxOrNull(state.snapshotAt, e.occurredAt),
      },
    };
  }
  const hasSnapshot = state.snapshotSeq !== null || state.snapshotAt !== null;
  if (hasSnapshot && !newer(e, state.snapshotSeq, state.snapshotAt)) return { outcome: 'stale', next: state, clamped: 0 };
  const q = e.quantity!;
  let { onHand, reserved, onOrder } = state;
  let clamped = 0;
  const take = (from: number, amount: number): number => {
    if (amount <= from) return from - amount;
    clamped += amount - from;
    return 0;
  };
  switch (e.kind) {
    case 'receipt':
      onHand += q;
      onOrder = Math.max(0, onOrder - q);
      break;
    case 'issue':
      onHand = take(onHand, q);
      break;
    case 'adjustment':
      onHand = q >= 0 ? onHand + q : take(onHand, -q);
      break;
    case 'reservation':
      reserved = q >= 0 ? reserved + q : take(reserved, -q);
      break;
  }
  if (onHand > MAX_STOCK_QUANTITY || reserved > MAX_STOCK_QUANTITY) return { outcome: 'overflow', next: state, clamped: 0 };
  return { outcome: 'applied', clamped, next: { ...state, onHand, reserved, onOrder, ...watermark } };
}
