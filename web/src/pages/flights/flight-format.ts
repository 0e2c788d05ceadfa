import type { Completeness, FlightStatus, RiskLevel, Severity } from '../../api/flights';

/** Small display helpers shared by the flight pages. */

export type Tone = 'neutral' | 'ok' | 'warn' | 'danger' | 'info';

export const STATUS_LABEL: Record<FlightStatus, string> = {
  queued: 'Queued',
  decoding: 'Decoding',
  decoded: 'Decoded',
  failed: 'Failed',
};
export const STATUS_TONE: Record<FlightStatus, Tone> = {
  queued: 'neutral',
  decoding: 'info',
  decoded: 'ok',
  failed: 'danger',
};
export const isPending = (s: FlightStatus) => s === 'queued' || s === 'decoding';

export const COMPLETENESS_LABEL: Record<Completeness, string> = {
  complete: 'Complete',
  truncated: 'Truncated',
  corrupt_recovered: 'Corrupt parts skipped',
  unknown: 'Unknown',
};
export const COMPLETENESS_TONE: Record<Completeness, Tone> = {
  complete: 'ok',
  truncated: 'warn',
  corrupt_recovered: 'warn',
  unknown: 'neutral',
};

export const FORMAT_LABEL: Record<string, string> = {
  ulog: 'PX4 ULog',
  dataflash: 'ArduPilot DataFlash',
  tlog: 'MAVLink tlog',
  csv: 'CSV',
};

const VEHICLE_LABEL: Record<string, string> = {
  multirotor: 'Multirotor',
  fixed_wing: 'Fixed wing',
  vtol: 'VTOL',
  helicopter: 'Helicopter',
  rover: 'Rover',
  boat: 'Boat',
  submarine: 'Submarine',
  unknown: 'Unknown',
  other: 'Other',
};
export const vehicleLabel = (t: string | null | undefined) => (t ? (VEHICLE_LABEL[t] ?? t) : '—');

export const SEVERITY_TONE: Record<Severity, Tone> = {
  none: 'neutral',
  low: 'info',
  medium: 'warn',
  high: 'danger',
  critical: 'danger',
};
export const RISK_TONE: Record<RiskLevel, Tone> = {
  low: 'ok',
  moderate: 'warn',
  high: 'danger',
  critical: 'danger',
};

/** 1.2 MB, 640 KB: binary units, one decimal. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** 1 h 02 min, 4 min 05 s, 12.3 s. */
export function formatDuration(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  if (s < 60) return `${s.toFixed(1)} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(sec).padStart(2, '0')} s`;
}
