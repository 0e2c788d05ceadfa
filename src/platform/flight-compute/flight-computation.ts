/**
 * The CPU-heavy flight work, as streaming computations: bytes of a stored log are pushed in as they are
 * read, and `finish` returns what the caller stores or serves. Pure (no I/O, no database), so the same
 * code runs inline or on the flight compute thread (flight-compute.thread.ts).
 *
 * - `decode`: decoder (collect + inspect in one pass) → canonical signals → summary and storage-ready
 *   signal chunks, for the decode job.
 * - `analyze`: decoder → the safety report and the anomaly model's output, for the analysis job.
 * - `reportHtml`: decoder → canonical signals → a stored report rendered as HTML with its plots, for the API.
 *
 * A file the decoder refuses throws `FlightDecodeError` from `push` or `finish`.
 */
import { CollectingSink, decoderFor, type LogFormat, type StreamDecoder } from '../../flight/formats/index.js';
import { InspectionSink } from '../../flight/inspect/log-inspection.sink.js';
import { toFlightSignals } from '../../flight/signals/index.js';
import { catalogSignals } from '../../flight/store/signal-catalog.js';
import { buildFlightSummary, type FlightSummary } from '../../flight/store/flight-summary.js';
import { toStoredSignal, type StoredSignal } from '../../flight/store/stored-signal.js';
import { TeeSink } from '../../flight/store/tee.sink.js';
import { analyzeDecodedLog, type StoredFlightAnalysis } from '../flight-analysis/stored-flight.analyzer.js';
import { renderReportHtml } from '../../flight/report/html/index.js';
import type { FlightReport } from '../../flight/report/report.js';

export type DecodeOutcome =
  | { readonly kind: 'decoded'; readonly summary: FlightSummary; readonly signals: readonly StoredSignal[] }
  /** The file decoded but holds no data records: the flight fails with NO_FLIGHT_DATA. */
  | { readonly kind: 'no_data'; readonly message: string; readonly offset: number };

export interface FlightComputeResults {
  readonly decode: DecodeOutcome;
  readonly analyze: StoredFlightAnalysis;
  readonly reportHtml: string;
}

export type FlightComputeTask = keyof FlightComputeResults;

/** What a task needs besides the log's bytes. */
export interface FlightComputeInputs {
  readonly decode: undefined;
  readonly analyze: undefined;
  readonly reportHtml: { readonly report: FlightReport; readonly sourceName?: string | undefined };
}

/** The extra argument a task takes after the bytes: none, or its input. */
export type FlightComputeInputArgs<T extends FlightComputeTask> = T extends FlightComputeTask ? (FlightComputeInputs[T] extends undefined ? [] : [FlightComputeInputs[T]]) : never;

export interface FlightComputation<T extends FlightComputeTask> {
  push(chunk: Uint8Array): void;
  finish(): FlightComputeResults[T];
}

export function startComputation<T extends FlightComputeTask>(task: T, format: LogFormat, sizeBytes: number, ...input: FlightComputeInputArgs<T>): FlightComputation<T> {
  const collect = new CollectingSink();
  const inspect = task === 'decode' ? new InspectionSink() : undefined;
  const decoder: StreamDecoder = decoderFor(format)(inspect ? new TeeSink([collect, inspect]) : collect);
  const finish = (): FlightComputeResults[FlightComputeTask] => {
    const end = decoder.end();
    const log = collect.result(end);
    if (task === 'analyze') return analyzeDecodedLog(log);
    if (task === 'reportHtml') {
      const { report, sourceName } = input[0] as FlightComputeInputs['reportHtml'];
      return renderReportHtml(report, toFlightSignals(log), sourceName === undefined ? {} : { sourceName });
    }
    if (!log.series.some((series) => series.timestamps.length > 0)) {
      return { kind: 'no_data', message: `The ${log.format} log has no data records (${log.completeness}; ${end.bytesRead} of ${sizeBytes} bytes read)`, offset: end.bytesRead };
    }
    const signals = toFlightSignals(log);
    const named = catalogSignals(signals);
    const summary = buildFlightSummary(log, inspect!.result(end, sizeBytes), signals, named.length);
    return { kind: 'decoded', summary, signals: named.map(toStoredSignal) };
  };
  return { push: (chunk) => decoder.push(chunk), finish: finish as () => FlightComputeResults[T] };
}
