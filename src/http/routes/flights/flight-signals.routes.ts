import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps.js';
import { withTenant, type TenantClient } from '../../../platform/db/with-tenant.js';
import { getFlightState } from '../../../platform/flights/flight.repository.js';
import { findSignals, listSignals, readChunks, type SignalInfo } from '../../../platform/flights/flight-signal.repository.js';
import { chooseLevel, joinChunks } from '../../../flight/store/signal-chunk.codec.js';
import { lttbDownsample, minMaxDownsample, sliceWindow } from '../../../flight/store/signal-downsample.js';
import { AppError, badRequest, notFound } from '../../../shared/app-error.js';
import { IdParams } from '../schemas.js';

export const DEFAULT_MAX_POINTS = 2000;
export const MAX_MAX_POINTS = 20_000;
const MAX_NAMES = 50;

const nullIfNaN = (a: Float64Array): (number | null)[] => Array.from(a, (x) => (Number.isFinite(x) ? x : null));

async function windowOf(db: TenantClient, flightId: string, s: SignalInfo, from: number, to: number, maxPoints: number, method: 'minmax' | 'lttb') {
  const a = Math.max(from, s.start);
  const b = Math.min(to, s.end);
  const base = { name: s.name, unit: s.unit, source: s.source, sampleCount: s.samples };
  if (!(b >= a)) return { ...base, level: 0, downsampled: false, t: [], v: [] };
  const span = s.end - s.start;
  const fraction = span > 0 ? (b - a) / span : 1;
  const level = chooseLevel(s.levelCounts, fraction, maxPoints);
  const series = joinChunks(await readChunks(db, flightId, s.signalId, level, a, b));
  const inWindow = sliceWindow(series, a, b);
  const out = method === 'lttb' ? lttbDownsample(inWindow, maxPoints) : minMaxDownsample(inWindow, a, b, maxPoints);
  return { ...base, level, downsampled: level > 0 || out.t.length < inWindow.t.length, t: Array.from(out.t), v: nullIfNaN(out.v) };
}

/** Signals of a decoded flight: the catalogue, or plot-ready windows downsampled to ≤ maxPoints. */
export const flightSignalRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/flights/:id/signals', {
    config: { access: 'flights:read' },
    schema: {
      tags: ['flights'],
      summary: 'Without `names`: the signals a flight has (unit, samples, time span, range). With `names`: each signal in [from, to] downsampled to ≤ maxPoints',
      params: IdParams,
      querystring: Type.Object({
        names: Type.Optional(Type.String({ minLength: 1, maxLength: 4000, description: 'Comma-separated signal names, e.g. attitude.roll,batteries.0.voltage' })),
        from: Type.Optional(Type.Number({ description: 'Window start, log-clock seconds (as in summary.timeRange)' })),
        to: Type.Optional(Type.Number({ description: 'Window end, log-clock seconds' })),
        maxPoints: Type.Optional(Type.Integer({ minimum: 2, maximum: MAX_MAX_POINTS, default: DEFAULT_MAX_POINTS })),
        method: Type.Optional(Type.Unsafe<'minmax' | 'lttb'>({ type: 'string', enum: ['minmax', 'lttb'], default: 'minmax' })),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { names: rawNames, from = -Infinity, to = Infinity, maxPoints = DEFAULT_MAX_POINTS, method = 'minmax' } = request.query;
    if (from > to) throw badRequest('VALIDATION_FAILED', 'from must not be after to', { field: 'from', rule: 'order' });
    const names = rawNames === undefined ? undefined : [...new Set(rawNames.split(',').map((n) => n.trim()).filter(Boolean))];
    if (names !== undefined && (names.length === 0 || names.length > MAX_NAMES)) {
      throw badRequest('VALIDATION_FAILED', `names must list 1 to ${MAX_NAMES} signal names`, { field: 'names', rule: 'count' });
    }
    const flightId = request.params.id;
    return withTenant(deps.pool, request.principal!, async (db) => {
      const flight = await getFlightState(db, flightId);
      if (!flight) throw notFound('Flight');
      if (flight.status !== 'decoded') {
        throw new AppError('FLIGHT_NOT_DECODED', 409, `The flight is ${flight.status}${flight.errorCode ? ` (${flight.errorCode})` : ''}; signals exist once it is decoded`);
      }
      // The span the signals cover (the dashboard's default plot window).
      const timeRange = flight.timeRange ?? null;
      if (names === undefined) {
        const all = await listSignals(db, flightId);
        return {
          flightId, timeRange,
          signals: all.map((s) => ({ name: s.name, unit: s.unit, source: s.source, sampleCount: s.samples, start: s.start, end: s.end, min: s.min, max: s.max })),
        };
      }
      const found = await findSignals(db, flightId, names);
      const unknown = names.filter((n) => !found.some((s) => s.name === n));
      if (unknown.length) {
        throw badRequest('UNKNOWN_SIGNAL', `Unknown signal name(s): ${unknown.slice(0, 10).join(', ')} (list them with GET /v1/flights/${flightId}/signals)`, { field: 'names', rule: 'exists' });
      }
      const byName = new Map(found.map((s) => [s.name, s]));
      const signals = [];
      for (const n of names) signals.push(await windowOf(db, flightId, byName.get(n)!, from, to, maxPoints, method));
      return { flightId, timeRange, from: Number.isFinite(from) ? from : null, to: Number.isFinite(to) ? to : null, maxPoints, method, signals };
    });
  });
};
