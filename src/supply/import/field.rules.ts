import { isCountryCode } from './iso-3166.js';

/**
 * The value rules of import fields. A CSV cell arrives as a string, a JSON value with its own type;
 * each rule accepts both where that is unambiguous ("12" and 12 for an integer) and refuses
 * anything else with a reason naming the rule. Empty strings and null mean "no value".
 */
export type FieldType =
  | { readonly kind: 'text'; readonly max: number; readonly pattern?: RegExp; readonly patternText?: string; readonly upper?: boolean }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'number'; readonly min: number; readonly max: number; readonly exclusiveMin?: boolean }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'date' }
  | { readonly kind: 'month' }
  | { readonly kind: 'instant' }
  | { readonly kind: 'country' }
  | { readonly kind: 'currency' }
  | { readonly kind: 'email' }
  | { readonly kind: 'list'; readonly item: FieldType; readonly maxItems: number }
  | { readonly kind: 'object'; readonly maxChars: number };

export type FieldResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

const ok = (value: unknown): FieldResult => ({ ok: true, value });
const fail = (reason: string): FieldResult => ({ ok: false, reason });

/** True for "no value": undefined, null, or a string of only whitespace. */
export const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

const INT_RE = /^[+-]?\d{1,15}$/;
const NUM_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})(?:-01)?$/;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;
const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
// C0 controls other than tab/newline/CR, DEL, and lone surrogates (a broken UTF-16 pair): refused
// everywhere because PostgreSQL cannot store NUL and the rest is never legitimate in master data.
 
const BAD_CHARS_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function calendarDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : MONTH_DAYS[m - 1]!);
}

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

const describe = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
};

/** Checks and converts one present (non-blank) value. */
export function parseField(type: FieldType, v: unknown): FieldResult {
  switch (type.kind) {
    case 'text': {
      const s = asText(v);
      if (s === undefined) return fail('must be text');
      if (BAD_CHARS_RE.test(s)) return fail('contains control characters or invalid UTF-8');
      const t = type.upper ? s.toUpperCase() : s;
      if (t.length > type.max) return fail(`is longer than ${type.max} characters`);
      if (type.pattern && !type.pattern.test(t)) return fail(`must be ${type.patternText ?? `like ${type.pattern.source}`} (got ${describe(s)})`);
      return ok(t);
    }
    case 'int': {
      let n: number;
      if (typeof v === 'number') n = v;
      else if (typeof v === 'string' && INT_RE.test(v.trim())) n = Number(v.trim());
      else return fail(`must be a whole number (got ${describe(v)})`);
      if (!Number.isSafeInteger(n)) return fail(`must be a whole number (got ${describe(v)})`);
      if (n < type.min || n > type.max) return fail(`must be between ${type.min} and ${type.max} (got ${n})`);
      return ok(n);
    }
    case 'number': {
      let n: number;
      if (typeof v === 'number') n = v;
      else if (typeof v === 'string' && NUM_RE.test(v.trim())) n = Number(v.trim());
      else return fail(`must be a number (got ${describe(v)})`);
      if (!Number.isFinite(n)) return fail(`must be a finite number (got ${describe(v)})`);
      if (type.exclusiveMin ? n <= type.min : n < type.min) return fail(`must be ${type.exclusiveMin ? 'greater than' : 'at least'} ${type.min} (got ${n})`);
      if (n > type.max) return fail(`must be at most ${type.max} (got ${n})`);
      return ok(n);
    }
    case 'bool': {
      if (typeof v === 'boolean') return ok(v);
      const s = typeof v === 'string' ? v.trim().toLowerCase() : typeof v === 'number' ? String(v) : '';
      if (['true', 't', 'yes', 'y', '1'].includes(s)) return ok(true);
      if (['false', 'f', 'no', 'n', '0'].includes(s)) return ok(false);
      return fail(`must be true or false (got ${describe(v)})`);
    }
    case 'enum': {
      const s = typeof v === 'string' ? v.trim().toLowerCase().replace(/[\s-]+/g, '_') : undefined;
      if (s === undefined || !type.values.includes(s)) return fail(`must be one of ${type.values.join(', ')} (got ${describe(v)})`);
      return ok(s);
    }
    case 'date': {
      const m = typeof v === 'string' ? DATE_RE.exec(v.trim()) : null;
      if (!m || !calendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return fail(`must be a date YYYY-MM-DD between 1900 and 2200 (got ${describe(v)})`);
      return ok(m[0]);
    }
    case 'month': {
      const m = typeof v === 'string' ? MONTH_RE.exec(v.trim()) : null;
      if (!m || !calendarDate(Number(m[1]), Number(m[2]), 1)) return fail(`must be a month YYYY-MM (got ${describe(v)})`);
      return ok(`${m[1]}-${m[2]}-01`);
    }
    case 'instant': {
      const s = typeof v === 'string' ? v.trim() : '';
      if (!INSTANT_RE.test(s)) return fail(`must be an ISO 8601 date or date-time with a time zone (got ${describe(v)})`);
      const d = DATE_RE.exec(s.slice(0, 10));
      if (!d || !calendarDate(Number(d[1]), Number(d[2]), Number(d[3]))) return fail(`is not a real date (got ${describe(v)})`);
      const t = new Date(s.length === 10 ? `${s}T00:00:00Z` : s.replace(' ', 'T'));
      if (Number.isNaN(t.getTime())) return fail(`is not a valid date-time (got ${describe(v)})`);
      return ok(t.toISOString());
    }
    case 'country': {
      const s = typeof v === 'string' ? v.trim().toUpperCase() : '';
      if (!isCountryCode(s)) return fail(`must be an ISO 3166-1 alpha-2 country code (got ${describe(v)})`);
      return ok(s);
    }
    case 'currency': {
      const s = typeof v === 'string' ? v.trim().toUpperCase() : '';
      if (!/^[A-Z]{3}$/.test(s)) return fail(`must be an ISO 4217 currency code such as USD (got ${describe(v)})`);
      return ok(s);
    }
    case 'email': {
      const s = typeof v === 'string' ? v.trim() : '';
      if (s.length > 320 || !EMAIL_RE.test(s)) return fail(`must be an email address (got ${describe(v)})`);
      return ok(s);
    }
    case 'list': {
      const items = Array.isArray(v) ? (v as unknown[]) : typeof v === 'string' ? v.split(/[;|]/) : undefined;
      if (items === undefined) return fail('must be a list (an array, or text separated by ;)');
      const out: unknown[] = [];
      for (const item of items) {
        if (isBlank(item)) continue;
        const r = parseField(type.item, item);
        if (!r.ok) return fail(`item ${out.length + 1} ${r.reason}`);
        if (!out.includes(r.value)) out.push(r.value);
      }
      if (out.length > type.maxItems) return fail(`has more than ${type.maxItems} items`);
      return ok(out);
    }
    case 'object': {
      let o: unknown = v;
      if (typeof v === 'string') {
        try {
          o = JSON.parse(v);
        } catch {
          return fail('must be a JSON object');
        }
      }
      if (typeof o !== 'object' || o === null || Array.isArray(o)) return fail('must be a JSON object');
      if (JSON.stringify(o).length > type.maxChars) return fail(`is larger than ${type.maxChars} characters`);
      return ok(o);
    }
  }
}
