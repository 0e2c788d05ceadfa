/** Dates and numbers in the viewer's own locale and time zone (Intl, no library). */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeShort = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const number = new Intl.NumberFormat();

export const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

function toDate(v: string | number | Date): Date | null {
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDateTime(v: string | null | undefined): string {
  if (!v) return '—';
  const d = toDate(v);
  return d ? dateTime.format(d) : v;
}

export function formatDate(v: string | null | undefined): string {
  if (!v) return '—';
  const d = toDate(v);
  return d ? dateOnly.format(d) : v;
}

export function formatTime(v: string | number | Date): string {
  const d = toDate(v);
  return d ? timeShort.format(d) : String(v);
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago" / "in 2 days"; `now` is a parameter so callers can keep renders stable. */
export function formatRelative(v: string | null | undefined, now: number = Date.now()): string {
  if (!v) return '—';
  const d = toDate(v);
  if (!d) return v;
  const diff = (d.getTime() - now) / 1000;
  for (const [unit, secs] of units) {
    if (Math.abs(diff) >= secs || unit === 'second') return relative.format(Math.round(diff / secs), unit);
  }
  return dateTime.format(d);
}

export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : number.format(n);
}

/** Value for <input type="datetime-local"> from an ISO instant, in local time. */
export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = toDate(iso);
  if (!d) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** ISO instant from an <input type="datetime-local"> value interpreted in local time. */
export function localInputToIso(v: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Request latency: one decimal under 10 ms, whole milliseconds above, seconds past 10 s. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}
