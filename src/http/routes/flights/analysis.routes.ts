import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import type { FlightReport } from '../../../flight/report/report.js';
import type { LogFormat } from '../../../flight/formats/index.js';
import { withTenant } from '../../../platform/db/with-tenant.js';
import { getFlight, type FlightRow } from '../../../platform/flights/flight.repository.js';
import { isOutdated } from '../../../platform/flight-analysis/engine-version.js';
import {
  analysisFailure,
  clearAnalysisFailures,
  currentAnalysis,
  type AnalysisFailure,
  type AnalysisRow,
} from '../../../platform/flight-analysis/flight-analysis.repository.js';
import { analysisJobKey, FLIGHT_ANALYZE_MAX_ATTEMPTS, FLIGHT_ANALYZE_TASK } from '../../../platform/flight-analysis/flight-analysis.job.js';
import { RUNNING_VERSIONS } from '../../../platform/flight-analysis/stored-flight.analyzer.js';
import { ReportHtmlCache } from '../../../platform/flight-analysis/report-html.cache.js';
import { AppError, notFound } from '../../../shared/app-error.js';
import { auditMutation } from '../../plugins/audit-hook.js';
import { sendProblem } from '../../plugins/problem.js';
import { IdParams } from '../schemas.js';
import { contentDisposition } from './file-name.sanitizer.js';
import { AnalysisView, analysisView, ReanalyzeResult } from './analysis.schemas.js';

type Current = AnalysisRow & { report: FlightReport };
type Lookup = { flight: FlightRow; analysis: Current } | { flight: FlightRow; failure: AnalysisFailure | undefined };

/** Problem answers for a flight without a current analysis: why, and whether waiting helps. */
function noAnalysis(reply: FastifyReply, request: FastifyRequest, flight: FlightRow, failure: AnalysisFailure | undefined): FastifyReply {
  if (flight.status === 'queued' || flight.status === 'decoding') {
    reply.header('retry-after', '5');
    return sendProblem(reply, request, {
      status: 404, code: 'ANALYSIS_PENDING', detail: `The flight is ${flight.status}; it is analysed once decoded`,
      extra: { flightStatus: flight.status, analysisStatus: 'waiting_for_decode' },
    });
  }
  if (flight.status === 'failed') {
    return sendProblem(reply, request, {
      status: 404, code: 'ANALYSIS_UNAVAILABLE',
      detail: `The flight could not be decoded${flight.error ? ` (${flight.error.code}: ${flight.error.message})` : ''}, so it has no analysis`,
      extra: { flightStatus: flight.status, analysisStatus: 'not_possible', error: flight.error },
    });
  }
  if (failure) {
    return sendProblem(reply, request, {
      status: 404, code: 'ANALYSIS_FAILED',
      detail: `Analysis failed (${failure.code}: ${failure.message}); POST /v1/flights/${flight.id}/reanalyze tries again`,
      extra: {
        flightStatus: flight.status, analysisStatus: 'failed',
        error: { code: failure.code, message: failure.message, engineVersion: failure.engineVersion, failedAt: failure.failedAt.toISOString() },
      },
    });
  }
  reply.header('retry-after', '5');
  return sendProblem(reply, request, {
    status: 404, code: 'ANALYSIS_PENDING', detail: 'The flight is decoded and its analysis is queued',
    extra: { flightStatus: flight.status, analysisStatus: 'queued' },
  });
}

/** Analysis, HTML/PDF report and re-analysis of one flight. */
export const analysisRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const lookup = (request: FastifyRequest, id: string): Promise<Lookup> =>
    withTenant(deps.pool, request.principal!, async (db) => {
      const flight = await getFlight(db, id);
      if (!flight) throw notFound('Flight');
      const analysis = await currentAnalysis(db, flight.id, true);
      if (analysis) return { flight, analysis };
      return { flight, failure: await analysisFailure(db, flight.id, RUNNING_VERSIONS.engineVersion) };
    });

  const htmlCache = new ReportHtmlCache();
  /** The stored report as HTML with plots of the flight's signals (decoded again from the original file, off the event loop), cached. */
  const renderHtml = (flight: FlightRow, analysis: Current): Promise<string> =>
    htmlCache.get(`${flight.id}:${analysis.reportSha256}:${deps.flightReports!.version}`, async () => {
      const log = { format: flight.format as LogFormat, sizeBytes: flight.sizeBytes, bytes: await deps.blobs.open(flight.blobSha256) };
      return deps.flightReports!.html(analysis.report, log, { sourceName: flight.originalName });
    });
  const etag = (a: Current, kind: string): string => `"${a.reportSha256.slice(0, 32)}-${kind}-${deps.flightReports?.version ?? 'none'}"`;
  const unavailable = (reply: FastifyReply, request: FastifyRequest, what: 'HTML' | 'PDF'): FastifyReply =>
    sendProblem(reply, request, {
      status: 501, code: 'REPORT_RENDERER_UNAVAILABLE',
      detail: `This server has no ${what} report renderer configured; the report is available as JSON at GET /v1/flights/:id/analysis`,
      extra: { format: what.toLowerCase() },
    });

  app.get('/flights/:id/analysis', {
    config: { access: 'flights:read' },
    schema: {
      tags: ['flights'], summary: 'The current analysis of a flight: versions, risk, vehicle type and the full JSON report',
      description: '404 with code ANALYSIS_PENDING (Retry-After), ANALYSIS_FAILED or ANALYSIS_UNAVAILABLE and `analysisStatus` while there is none',
      params: IdParams, response: { 200: AnalysisView },
    },
  }, async (request, reply) => {
    const r = await lookup(request, request.params.id);
    if (!('analysis' in r)) return noAnalysis(reply, request, r.flight, r.failure);
    return analysisView(r.analysis, isOutdated(r.analysis, RUNNING_VERSIONS));
  });

  app.get('/flights/:id/report.html', {
    config: { access: 'flights:read' },
    schema: { tags: ['flights'], summary: 'Self-contained HTML report (plots, findings with evidence); 501 when no renderer is configured', params: IdParams },
  }, async (request, reply) => {
    const r = await lookup(request, request.params.id);
    if (!deps.flightReports) return unavailable(reply, request, 'HTML');
    if (!('analysis' in r)) return noAnalysis(reply, request, r.flight, r.failure);
    const tag = etag(r.analysis, 'html');
    if (request.headers['if-none-match'] === tag) return reply.code(304).header('etag', tag).send();
    const html = await renderHtml(r.flight, r.analysis);
    return reply
      .type('text/html; charset=utf-8')
      .header('etag', tag)
      .header('cache-control', 'private, no-cache')
      .header('x-content-type-options', 'nosniff')
      // The report embeds log text (escaped by the renderer); it needs no script, network or frame.
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
      .send(html);
  });

  app.get('/flights/:id/report.pdf', {
    config: { access: 'flights:read' },
    schema: { tags: ['flights'], summary: 'PDF of the HTML report (headless Chromium); 501 when no PDF renderer is configured', params: IdParams },
  }, async (request, reply) => {
    const r = await lookup(request, request.params.id);
    if (!deps.flightReports?.pdf) return unavailable(reply, request, 'PDF');
    if (!('analysis' in r)) return noAnalysis(reply, request, r.flight, r.failure);
    const tag = etag(r.analysis, 'pdf');
    if (request.headers['if-none-match'] === tag) return reply.code(304).header('etag', tag).send();
    const pdf = await deps.flightReports.pdf(await renderHtml(r.flight, r.analysis));
    const base = r.flight.originalName.replace(/\.[^.]*$/, '') || `flight-${r.flight.id}`;
    return reply
      .type('application/pdf')
      .header('etag', tag)
      .header('cache-control', 'private, no-cache')
      .header('content-disposition', contentDisposition(`${base}-report.pdf`, `flight-${r.flight.id}-report.pdf`))
      .send(Buffer.from(pdf));
  });

  app.post('/flights/:id/reanalyze', {
    config: { access: 'flights:write' },
    schema: {
      tags: ['flights'], summary: 'Queue a re-analysis (idempotent: an analysis by the running engine is kept; a failed one is tried again)',
      params: IdParams, response: { 202: ReanalyzeResult },
    },
  }, async (request, reply) => {
    const p = request.principal!;
    const result = await withTenant(deps.pool, p, async (db) => {
      const flight = await getFlight(db, request.params.id, true);
      if (!flight) throw notFound('Flight');
      if (flight.status !== 'decoded') {
        throw new AppError('FLIGHT_NOT_DECODED', 409, `The flight is ${flight.status}${flight.error ? ` (${flight.error.code})` : ''}; only decoded flights can be analysed`);
      }
      const current = await currentAnalysis(db, flight.id);
      const cleared = (await clearAnalysisFailures(db, flight.id)) > 0;
      const upToDate = current ? !isOutdated(current, RUNNING_VERSIONS) : false;
      await auditMutation(db, request, p.tenantId, 'flight.reanalysis_requested', {
        target: flight.id,
        details: { engineVersion: RUNNING_VERSIONS.engineVersion, currentEngineVersion: current?.engineVersion ?? null, upToDate, clearedFailure: cleared },
      }, deps.now());
      return {
        flightId: flight.id, queued: true, engineVersion: RUNNING_VERSIONS.engineVersion, clearedFailure: cleared,
        current: current ? { engineVersion: current.engineVersion, anomalyModelVersion: current.anomalyModelVersion, upToDate } : null,
      };
    });
    // Not queued (queue unreachable): the sweep re-analyses outdated or missing analyses within minutes.
    const queued = await deps.jobs.enqueue(FLIGHT_ANALYZE_TASK, { tenantId: p.tenantId, flightId: result.flightId }, {
      jobKey: analysisJobKey(result.flightId), maxAttempts: FLIGHT_ANALYZE_MAX_ATTEMPTS,
    }).then(() => true, (e: unknown) => {
      request.log.warn({ err: e }, 'analysis not queued; the sweep will pick it up');
      return false;
    });
    return reply.code(202).header('location', `/v1/flights/${result.flightId}/analysis`).send({ ...result, queued });
  });
};
