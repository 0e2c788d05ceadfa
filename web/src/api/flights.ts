import { ApiError, api, apiUrl } from './client';
import type { Page, Problem } from './types';

/**
 * Flight-safety API as the dashboard uses it (docs/flight/api.md). Wire types are written out here
 * rather than imported from the server so the web build stays independent; they mirror
 * `src/http/routes/flights/flight.schemas.ts`, `src/flight/store/flight-summary.ts` and
 * `src/flight/report/report.ts` (schema 1.x).
 */

export const FLIGHT_PERM = {
  aircraftRead: 'aircraft:read',
  aircraftWrite: 'aircraft:write',
  flightsRead: 'flights:read',
  flightsWrite: 'flights:write',
} as const;

export const AIRCRAFT_TYPES = [
  'multirotor',
  'fixed_wing',
  'vtol',
  'helicopter',
  'rover',
  'boat',
  'submarine',
  'other',
] as const;
export type AircraftType = (typeof AIRCRAFT_TYPES)[number];

export const VEHICLE_TYPES = [
  'multirotor',
  'fixed_wing',
  'vtol',
  'helicopter',
  'rover',
  'boat',
  'submarine',
  'unknown',
] as const;
export type VehicleType = (typeof VEHICLE_TYPES)[number];

export const FLIGHT_STATUSES = ['queued', 'decoding', 'decoded', 'failed'] as const;
export type FlightStatus = (typeof FLIGHT_STATUSES)[number];

export interface Aircraft {
  id: string;
  name: string;
  serialNumber: string | null;
  type: AircraftType;
  notes: string;
  flightCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Interval {
  start: number;
  end: number;
}

export type Completeness = 'complete' | 'truncated' | 'corrupt_recovered' | 'unknown';

/** The decoded summary; `{}` until decoded, and list items omit the long lists. */
export interface FlightSummary {
  format?: string;
  formatVersion?: string;
  completeness?: Completeness;
  autopilot?: string;
  firmware?: string | null;
  firmwareVersion?: string | null;
  hardware?: string | null;
  vehicleType?: VehicleType;
  vehicleHints?: Record<string, string | number | boolean>;
  timeRange?: Interval | null;
  signalTimeRange?: Interval | null;
  durationS?: number | null;
  startedAt?: string | null;
  armed?: Interval[] | null;
  flying?: Interval[] | null;
  modes?: { start: number; end: number; name: string }[];
  events?: { time: number; kind: string; name: string; detail?: string }[];
  messages?: {
    count: number;
    notable: { timeS: number | null; severity: number | null; text: string }[];
  };
  topics?: { topic: string; instance: number; records: number }[];
  parameters?: number;
  dropouts?: { count: number; totalS: number };
  warnings?: { count: number; first: { offset: number; message: string }[] };
  signalCount?: number;
  missing?: string[];
}

export interface Flight {
  id: string;
  aircraftId: string | null;
  status: FlightStatus;
  format: string | null;
  detection: string;
  originalName: string;
  sizeBytes: number;
  sha256: string;
  error: { code: string; message: string; offset: number | null } | null;
  vehicleType: string | null;
  startedAt: string | null;
  durationS: number | null;
  uploadedAt: string;
  uploadedBy: string | null;
  decodedAt: string | null;
  updatedAt: string;
  summary: FlightSummary;
}

export interface SignalInfo {
  name: string;
  unit: string | null;
  source: string;
  sampleCount: number;
  start: number;
  end: number;
  min: number | null;
  max: number | null;
}

export interface SignalCatalog {
  flightId: string;
  timeRange: Interval | null;
  signals: SignalInfo[];
}

export interface SignalWindow {
  name: string;
  unit: string | null;
  source: string;
  sampleCount: number;
  level: number;
  downsampled: boolean;
  t: number[];
  v: (number | null)[];
}

export interface SignalWindows {
  flightId: string;
  timeRange: Interval | null;
  from: number | null;
  to: number | null;
  maxPoints: number;
  method: 'minmax' | 'lttb';
  signals: SignalWindow[];
}

export type FlightSort = '-uploadedAt' | 'uploadedAt' | '-startedAt' | 'startedAt';

export interface FlightQuery {
  limit?: number;
  cursor?: string | null;
  aircraftId?: string;
  status?: FlightStatus;
  vehicleType?: string;
  uploadedAfter?: string;
  uploadedBefore?: string;
  startedAfter?: string;
  startedBefore?: string;
  sort?: FlightSort;
}

const enc = encodeURIComponent;

export const listAircraft = (
  query: { limit?: number; cursor?: string | null; type?: AircraftType },
  signal?: AbortSignal,
) => api<Page<Aircraft>>('/v1/aircraft', { query: { ...query }, signal });
export const getAircraft = (id: string, signal?: AbortSignal) =>
  api<Aircraft>(`/v1/aircraft/${enc(id)}`, { signal });
export interface AircraftInput {
  name: string;
  serialNumber?: string | null;
  type?: AircraftType;
  notes?: string;
}
export const createAircraft = (body: AircraftInput) =>
  api<Aircraft>('/v1/aircraft', { method: 'POST', body });
export const updateAircraft = (id: string, body: Partial<AircraftInput>) =>
  api<Aircraft>(`/v1/aircraft/${enc(id)}`, { method: 'PATCH', body });
export const deleteAircraft = (id: string) => api<void>(`/v1/aircraft/${enc(id)}`, { method: 'DELETE' });

/** Every aircraft of the tenant (pickers and name lookups); pages through at 500 per request. */
export async function listAllAircraft(signal?: AbortSignal, cap = 5000): Promise<Aircraft[]> {
  const out: Aircraft[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Aircraft> = await listAircraft({ limit: 500, cursor }, signal);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < cap);
  return out;
}

export const listFlights = (query: FlightQuery, signal?: AbortSignal) =>
  api<Page<Flight>>('/v1/flights', { query: { ...query }, signal });
export const getFlight = (id: string, signal?: AbortSignal) =>
  api<Flight>(`/v1/flights/${enc(id)}`, { signal });
export const deleteFlight = (id: string) => api<void>(`/v1/flights/${enc(id)}`, { method: 'DELETE' });
/** A plain link: the browser downloads the original bytes with the session cookie. */
export const flightFileUrl = (id: string) => `/v1/flights/${enc(id)}/file`;

export const getSignalCatalog = (id: string, signal?: AbortSignal) =>
  api<SignalCatalog>(`/v1/flights/${enc(id)}/signals`, { signal });
export const getSignalWindows = (
  id: string,
  query: { names: readonly string[]; from?: number; to?: number; maxPoints: number },
  signal?: AbortSignal,
) =>
  api<SignalWindows>(`/v1/flights/${enc(id)}/signals`, {
    query: { names: query.names.join(','), from: query.from, to: query.to, maxPoints: query.maxPoints },
    signal,
  });

// ---------- upload ----------

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadResult {
  flight: Flight;
  duplicate: boolean;
}

export interface UploadHandle {
  done: Promise<UploadResult>;
  abort(): void;
}

/**
 * Sends the file as the raw request body (the server streams it to the blob store) with
 * XMLHttpRequest, whose upload events give real byte progress (fetch has none for request bodies
 * in most browsers). A 422 for an unsupported file rejects with the problem (the flight is still
 * kept server-side as failed; `problem.flightId` names it).
 */
export function uploadFlight(
  file: File,
  opts: { aircraftId?: string | undefined; onProgress?: (p: UploadProgress) => void },
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadResult>((resolve, reject) => {
    xhr.open('POST', apiUrl('/v1/flights', { name: file.name, aircraftId: opts.aircraftId }));
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) =>
      opts.onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as UploadResult);
      else {
        const problem =
          body && typeof body === 'object'
            ? ({ status: xhr.status, title: xhr.statusText, type: 'about:blank', ...body } as Problem)
            : null;
        reject(new ApiError(xhr.status, problem, `Upload failed (HTTP ${xhr.status}).`));
      }
    };
    xhr.onerror = () =>
      reject(new ApiError(0, null, 'The upload was interrupted: cannot reach the Skyguard server.'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

// ---------- analysis (src/flight/report/report.ts, schema 1.x) ----------

export type ReportVehicleType =
  'multirotor' | 'fixed_wing' | 'vtol' | 'helicopter' | 'rover' | 'boat' | 'unknown';
export type FindingStatus = 'pass' | 'warn' | 'fail' | 'not_applicable' | 'insufficient_data';
export type Severity = 'none' | 'low' | 'medium' | 'high' | 'critical';
export type RiskLevel = 'low' | 'moderate' | 'high' | 'critical';

export interface TimeRange {
  start: number;
  end: number;
  label?: string;
}

export interface Finding {
  id: string;
  check: string;
  family: string;
  status: FindingStatus;
  severity: Severity;
  title: string;
  reason: string;
  evidence: {
    values: Record<string, number | string | boolean | null>;
    thresholds: { name: string; value: number; unit: string; source: string }[];
    signals: string[];
    timeRanges: TimeRange[];
  };
  suppressions: { id: string; reason: string }[];
}

export interface FlightReport {
  schemaVersion: string;
  engineVersion: string;
  thresholdsVersion: string;
  vehicle: {
    type: ReportVehicleType;
    subtype?: string;
    frame?: string;
    rotorCount?: number;
    confidence: number;
    method: 'metadata' | 'behaviour' | 'none';
    evidence: { source: string; value: string | number | boolean; implies: string; weight: number }[];
  };
  phases: { kind: string; start: number; end: number; source: string }[];
  stats: { armedS: number; flyingS: number; maxAltitudeM: number | null; maxTiltDeg: number | null };
  risk: {
    score: number;
    level: RiskLevel;
    contributions: {
      findingId: string;
      check: string;
      title: string;
      severity: Severity;
      points: number;
      share: number;
    }[];
    formula: string;
  };
  findings: Finding[];
  anomalies: {
    start: number;
    end: number;
    score: number;
    attributions: { feature: string; contribution: number; value?: number; baseline?: number }[];
  }[];
  anomalyModel: { status: string; reason?: string; modelId?: string; modelVersion?: string };
  log: {
    format: string;
    autopilot: string;
    firmware?: string;
    startS: number | null;
    endS: number | null;
    durationS: number | null;
    completeness: Completeness;
    warnings: string[];
  };
}

/** The flight's analysis, or why there is none (yet): `ANALYSIS_PENDING`, `ANALYSIS_FAILED`, `ANALYSIS_UNAVAILABLE`. */
export type AnalysisState =
  | { kind: 'ready'; report: FlightReport; stale: boolean; analyzedAt: string | null }
  | { kind: 'none'; code: string; detail: string };

/**
 * `GET /v1/flights/:id/analysis` answers `{ …, stale, report }`; a 404 problem says why there is no
 * analysis. A 404 without a code (a server without the analysis API) counts as pending.
 */
export async function getAnalysis(id: string, signal?: AbortSignal): Promise<AnalysisState> {
  try {
    const body = await api<Record<string, unknown>>(`/v1/flights/${enc(id)}/analysis`, { signal });
    const report = (body && 'report' in body ? body.report : body) as FlightReport | undefined;
    if (!report || typeof report !== 'object' || !('risk' in report)) {
      return {
        kind: 'none',
        code: 'ANALYSIS_UNREADABLE',
        detail: 'The analysis has a shape this dashboard does not know.',
      };
    }
    return {
      kind: 'ready',
      report,
      stale: body.stale === true,
      analyzedAt: typeof body.analyzedAt === 'string' ? body.analyzedAt : null,
    };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      return { kind: 'none', code: err.problem?.code ?? 'ANALYSIS_PENDING', detail: err.message };
    }
    throw err;
  }
}
export const reportHtmlUrl = (id: string) => `/v1/flights/${enc(id)}/report.html`;
export const reportPdfUrl = (id: string) => `/v1/flights/${enc(id)}/report.pdf`;

export interface RiskDriver {
  findingId: string;
  check: string;
  title: string;
  severity: string;
  points: number;
}

/** `GET /v1/fleet/risk`: aircraft ranked by the risk of their latest analysed flight. */
export interface FleetRiskItem {
  rank: number;
  aircraft: { id: string; name: string; type: string };
  analyzedFlights: number;
  latest: {
    flightId: string;
    flightAt: string;
    originalName: string;
    riskScore: number;
    riskLevel: RiskLevel;
    vehicleType: string;
    engineVersion: string;
    analyzedAt: string;
    drivers: RiskDriver[];
  };
}
export const listFleetRisk = (
  query: { limit?: number; cursor?: string | null; level?: RiskLevel },
  signal?: AbortSignal,
) => api<Page<FleetRiskItem>>('/v1/fleet/risk', { query: { ...query }, signal });

export interface RiskHistoryItem {
  flightId: string;
  flightAt: string;
  originalName: string;
  riskScore: number;
  riskLevel: RiskLevel;
  drivers: RiskDriver[];
}
export const getRiskHistory = (
  aircraftId: string,
  query: { limit?: number; order?: 'asc' | 'desc' },
  signal?: AbortSignal,
) =>
  api<{ aircraftId: string; items: RiskHistoryItem[]; nextCursor: string | null }>(
    `/v1/aircraft/${enc(aircraftId)}/risk-history`,
    { query: { ...query }, signal },
  );
