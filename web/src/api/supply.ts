import { ApiError, api, apiUrl } from './client';
import type { Page, Problem } from './types';

/**
 * Supply-resilience API as the dashboard uses it. Shapes mirror the server's read models
 * (`src/platform/supply/supply-read.specs.ts`: camelCase columns), imports
 * (`src/http/routes/supply/imports.routes.ts`), risk and alerts (`src/http/routes/supply/risk.schemas.ts`).
 */

export const SUPPLY_PERM = {
  supplyRead: 'supply:read',
  supplyWrite: 'supply:write',
  importsWrite: 'imports:write',
  alertsRead: 'alerts:read',
  alertsWrite: 'alerts:write',
} as const;

export const CRITICALITIES = ['no_go', 'go_if', 'go', 'non_essential'] as const;
export type Criticality = (typeof CRITICALITIES)[number];
export type RiskLevel = 'low' | 'moderate' | 'high' | 'critical';
export const RISK_LEVELS: readonly RiskLevel[] = ['critical', 'high', 'moderate', 'low'];

export interface Part {
  id: string;
  partNumber: string;
  description: string;
  category: string | null;
  criticality: Criticality;
  unitOfMeasure: string | null;
  unitCost: number | null;
  currency: string | null;
  aogCost: number | null;
  aogCostUnit: string | null;
  aogCostSource: string | null;
  leadTimeDays: number | null;
  updatedAt: string;
}

export interface PartDetail extends Part {
  aircraftTypes: {
    id: string;
    code: string;
    name: string;
    aircraftClass: string | null;
    essentiality: string | null;
    quantityPerAircraft: number | null;
    fleetSize: number;
  }[];
  stock: {
    locationId: string;
    locationCode: string;
    onHand: number;
    reserved: number;
    onOrder: number;
    safetyStock: number | null;
    reorderPoint: number | null;
    minQty: number | null;
    maxQty: number | null;
    updatedAt: string;
  }[];
}

export interface Supplier {
  id: string;
  code: string;
  name: string;
  country: string;
  region: string | null;
  portsOfOrigin: string[] | null;
  active: boolean;
  hasContact: boolean;
  contact?: Record<string, unknown> | null;
  contactError?: string;
}

export interface Offer {
  id: string;
  supplierId: string;
  supplierCode: string;
  partId: string;
  partNumber: string;
  price: number;
  currency: string;
  moq: number | null;
  leadTimeMeanDays: number | null;
  leadTimeSdDays: number | null;
  preferred: boolean;
}

export interface DemandRow {
  partId: string;
  locationId: string;
  locationCode: string;
  period: string;
  quantity: number;
  returns: number | null;
  adjustments: number | null;
}

export interface RiskEvent {
  id: string;
  type: string;
  title: string;
  description: string | null;
  countries: string[];
  regions: string[];
  ports: string[];
  supplierIds: string[];
  startsAt: string;
  expectedEndAt: string | null;
  actualEndAt: string | null;
  /** P(a shipment through an affected node is held), 0–1 (docs/supply/risk-model.md §3). */
  severity: number;
  /** P(an announced event happens), 0–1, default 1. */
  probability: number;
  source: string | null;
  sourceId: string | null;
}

export interface Delivery {
  id: string;
  supplierCode: string;
  partNumber: string;
  locationCode: string | null;
  quantity: number;
  orderedDate: string | null;
  promisedDate: string;
  actualDate: string | null;
  delayDays: number | null;
}

type Q = Record<string, string | number | undefined | null>;
const enc = encodeURIComponent;
const list =
  <T>(path: string) =>
  (query: Q, signal?: AbortSignal) =>
    api<Page<T>>(path, { query, signal });

export const listParts = list<Part>('/v1/parts');
export const getPart = (id: string, signal?: AbortSignal) =>
  api<PartDetail>(`/v1/parts/${enc(id)}`, { signal });
export const listSuppliers = list<Supplier>('/v1/suppliers');
export const getSupplier = (id: string, signal?: AbortSignal) =>
  api<Supplier>(`/v1/suppliers/${enc(id)}`, { signal });
export const listOffers = list<Offer>('/v1/offers');
export const listDemand = list<DemandRow>('/v1/demand');
export const listRiskEvents = list<RiskEvent>('/v1/risk-events');
export const listDeliveries = list<Delivery>('/v1/deliveries');
export const exportUrl = (resource: string, query: Q, format: 'csv' | 'json' = 'csv') =>
  apiUrl(`/v1/${resource}/export`, { ...query, format });

/** Every page of a list up to `cap` rows (a part's demand history, its offers). */
export async function listAllOf<T>(
  fetchPage: (q: Q, s?: AbortSignal) => Promise<Page<T>>,
  query: Q,
  signal?: AbortSignal,
  cap = 2000,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetchPage({ ...query, limit: 500, cursor }, signal);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < cap);
  return out;
}

// ---------- imports ----------

export const IMPORT_TYPES = [
  'parts',
  'stock',
  'suppliers',
  'offers',
  'demand',
  'deliveries',
  'risk_events',
  'locations',
  'aircraft_types',
  'fleet',
  'raf',
  'cyport',
] as const;
export type ImportType = (typeof IMPORT_TYPES)[number];
export type ImportStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface ImportRecord {
  id: string;
  type: ImportType;
  format: 'csv' | 'json' | 'ndjson';
  fileName: string | null;
  byteSize: number;
  status: ImportStatus;
  /** 0–1 of the file read by the job. */
  progress: number;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  batchesCommitted: number;
  report: Record<string, unknown>;
  error: { code?: string; message?: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const listImports = (query: Q, signal?: AbortSignal) =>
  api<Page<ImportRecord>>('/v1/imports', { query, signal });
export const getImport = (id: string, signal?: AbortSignal) =>
  api<ImportRecord>(`/v1/imports/${enc(id)}`, { signal });
export const rejectsUrl = (id: string, format: 'csv' | 'json' | 'ndjson' = 'csv') =>
  apiUrl(`/v1/imports/${enc(id)}/rejects`, { format });

export interface ImportReject {
  /** Line of the CSV (header = 1) or record number of a JSON/NDJSON file. */
  row: number;
  column: string | null;
  reason: string;
  raw: unknown;
}

/**
 * The first `max` rejected rows, read from the NDJSON stream and cut off there (a file can have
 * millions of rejects; the full list is the download).
 */
export async function firstRejects(id: string, max: number, signal?: AbortSignal): Promise<ImportReject[]> {
  const ctrl = new AbortController();
  signal?.addEventListener('abort', () => ctrl.abort());
  const res = await fetch(rejectsUrl(id, 'ndjson'), {
    headers: { accept: 'application/x-ndjson, application/problem+json' },
    signal: ctrl.signal,
  });
  if (!res.ok || !res.body) throw new ApiError(res.status, null, `Could not read the rejects (HTTP ${res.status}).`);
  const out: ImportReject[] = [];
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buf += value;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0 && out.length < max) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) out.push(JSON.parse(line) as ImportReject);
      }
      if (done || out.length >= max) break;
    }
  } finally {
    ctrl.abort();
  }
  return out;
}

/** Raw-body upload with XMLHttpRequest for real byte progress (the import job runs afterwards). */
export function uploadImport(
  file: File,
  type: ImportType,
  onProgress: (loaded: number, total: number) => void,
): { done: Promise<{ import: ImportRecord; duplicate: boolean }>; abort(): void } {
  const xhr = new XMLHttpRequest();
  const lower = file.name.toLowerCase();
  const contentType = lower.endsWith('.csv')
    ? 'text/csv'
    : lower.endsWith('.ndjson') || lower.endsWith('.jsonl')
      ? 'application/x-ndjson'
      : lower.endsWith('.json')
        ? 'application/json'
        : 'application/octet-stream';
  const done = new Promise<{ import: ImportRecord; duplicate: boolean }>((resolve, reject) => {
    xhr.open('POST', apiUrl('/v1/imports', { type, name: file.name }));
    xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300)
        resolve(body as { import: ImportRecord; duplicate: boolean });
      else {
        const problem =
          body && typeof body === 'object'
            ? ({ status: xhr.status, title: xhr.statusText, type: 'about:blank', ...body } as Problem)
            : null;
        reject(new ApiError(xhr.status, problem, `Upload failed (HTTP ${xhr.status}).`));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, null, 'The upload was interrupted: cannot reach the server.'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

// ---------- risk ----------

export interface ByLevel {
  low: number;
  moderate: number;
  high: number;
  critical: number;
}

export interface RiskGroup {
  key: string | null;
  label: string | null;
  country?: string | null;
  items: number;
  byLevel: ByLevel;
  expectedExposure: number;
  concurrentUpperBound: number;
  cappedFleets: number;
}

export type SummaryDimension =
  'level' | 'criticality' | 'category' | 'region' | 'country' | 'supplier' | 'location';

export interface RiskSummary {
  engineVersion: string;
  lastRun: { id: string; kind: string; startedAt: string; finishedAt: string | null; items: number } | null;
  lastFullRun: {
    id: string;
    startedAt: string;
    items: number;
    scored: number;
    refused: number;
    durationMs: number | null;
  } | null;
  total: {
    items: number;
    refused: number;
    byLevel: ByLevel;
    expectedExposure: number;
    concurrentUpperBound: number;
    cappedFleets: number;
  };
  breakdowns: Record<SummaryDimension, { groups: RiskGroup[]; totalGroups: number; truncated: boolean }>;
  trend: {
    runId: string;
    at: string;
    items: number;
    expectedExposure: number | null;
    concurrentUpperBound: number | null;
    byLevel: ByLevel | null;
  }[];
  currency: 'USD';
  assumptions: string[];
}

export interface RiskItem {
  partId: string;
  partNumber: string;
  description: string;
  category: string | null;
  criticality: string;
  locationId: string;
  locationCode: string;
  supplier: { id: string; code: string; name: string; country: string; region: string | null } | null;
  status: 'scored' | 'refused';
  score: number | null;
  level: RiskLevel | null;
  levelState: RiskLevel;
  stockoutProbability: number | null;
  expectedExposure: number | null;
  conditionalExposure: number | null;
  expectedAogDays: number | null;
  meanLeadTimeDays: number | null;
  meanLeadTimeDemand: number | null;
  demandPerPeriod: number | null;
  eventAffected: boolean;
  stock: { onHand: number; reserved: number; onOrder: number } | null;
  refusal: { code: string; field: string | null; rule: string | null } | null;
  scoredAt: string;
}

export interface Quantiles {
  mean: number;
  p10: number;
  p50: number;
  p90: number;
}

export interface PolicyPoint {
  reorderPoint: number;
  safetyStock: number;
  cycleServiceLevel: number;
  fillRate?: number;
  expectedExposure: number;
  score: number;
}

export interface LiveRisk {
  status: 'scored';
  risk: {
    score: number;
    level: RiskLevel;
    stockoutProbability: number;
    expectedShortageUnits: number | null;
    expectedDaysShort: number | null;
    expectedAogDays: number;
    expectedExposure: number;
    conditionalExposure: number;
    availableNow: number;
  };
  explanation: {
    score: number;
    level: RiskLevel;
    baselineScore: number;
    contributions: { factor: string; points: number; neutral: string }[];
    events: {
      eventId: string;
      name: string;
      type: string;
      status: string;
      impactProbability: number;
      meanDelayDays: number;
    }[];
    summary: string;
  };
  policy: {
    basis: 'cycle_service' | 'fill_rate';
    target: number;
    meanLeadTimeDemand: number;
    current: PolicyPoint;
    recommended: PolicyPoint;
    expectedExposureChange: number;
    criticality: Criticality;
    currentReorderPointSet: boolean;
  };
  forecast: {
    method: string;
    /** Syntetos–Boylan–Croston class of the part × location's history (ADI, CV² of non-zero sizes). */
    classification: {
      class: 'smooth' | 'intermittent' | 'erratic' | 'lumpy';
      /** Periods per non-zero demand; null when there was no demand (infinite). */
      adi: number | null;
      cv2: number;
      demands: number;
      periods: number;
    };
    historyMonths: number;
    meanPerPeriod: number;
    sdPerPeriod: number;
    horizon: { month: number; perPeriod: Quantiles; cumulative: Quantiles }[];
    leadTimeDemand: Quantiles;
  };
  leadTime: {
    offer: { meanDays: number; sdDays: number };
    supplier: { deliveries: number; onTimeDeliveries: number; onTimeProbability: number } | null;
    points: { days: number; probability: number }[];
    meanDays: number;
    sdDays: number;
    p10: number;
    p50: number;
    p90: number;
    stages: { offerMeanDays: number; withSupplierDelayMeanDays: number; withEventsMeanDays: number };
  };
  stockProjection: { month: number; expectedAvailable: number; stockoutProbability: number }[];
}

export interface PartRiskLocation {
  locationId: string;
  locationCode: string;
  supplierId: string | null;
  stock: { onHand: number; reserved: number; onOrder: number; reorderPoint: number | null };
  stored: RiskItem | null;
  live: LiveRisk | { status: 'refused'; code: string; field: string; rule: string };
  history: {
    scoredAt: string;
    score: number;
    level: RiskLevel;
    stockoutProbability: number;
    expectedExposure: number;
  }[];
}

export interface PartRisk {
  part: { id: string; partNumber: string; description: string; category: string | null; criticality: string };
  engineVersion: string;
  computedAt: string;
  locations: PartRiskLocation[];
  openAlerts: Alert[];
}

export const getRiskSummary = (signal?: AbortSignal) =>
  api<RiskSummary>('/v1/supply/risk/summary', { query: { groups: 30 }, signal });
export const listRiskItems = (query: Q, signal?: AbortSignal) =>
  api<Page<RiskItem>>('/v1/supply/risk/items', { query, signal });
export const getPartRisk = (part: string, signal?: AbortSignal) =>
  api<PartRisk>(`/v1/supply/risk/parts/${enc(part)}`, { signal });

// ---------- alerts ----------

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export interface Alert {
  id: string;
  partId: string;
  partNumber: string;
  locationId: string;
  locationCode: string;
  level: RiskLevel;
  previousLevel: RiskLevel;
  status: AlertStatus;
  score: number;
  stockoutProbability: number;
  expectedExposure: number;
  reason: string;
  trigger: string;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  note: string | null;
}
export const listAlerts = (query: Q, signal?: AbortSignal) =>
  api<Page<Alert>>('/v1/supply/alerts', { query, signal });
export const acknowledgeAlert = (id: string, note?: string) =>
  api<Alert>(`/v1/supply/alerts/${enc(id)}/acknowledge`, { method: 'POST', body: note ? { note } : {} });
export const resolveAlert = (id: string, note?: string) =>
  api<Alert>(`/v1/supply/alerts/${enc(id)}/resolve`, { method: 'POST', body: note ? { note } : {} });
