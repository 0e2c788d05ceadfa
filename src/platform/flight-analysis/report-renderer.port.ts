import type { LogFormat } from '../../flight/formats/index.js';
import type { FlightReport } from '../../flight/report/report.js';

/** A stored flight log, streamed again: the report's plots are drawn from its signals. */
export interface StoredLog {
  readonly format: LogFormat;
  readonly sizeBytes: number;
  readonly bytes: AsyncIterable<Uint8Array>;
}

/**
 * How the API turns a stored report into documents. The HTML renderer is pure (src/flight/report/html); the
 * PDF side prints that HTML with headless Chromium (src/platform/pdf). Both are optional so the API works, and
 * says so with a 501, on an installation without them.
 */
export interface FlightReportRenderer {
  /** Identifies the renderer build in ETags, so a new renderer is never served from a client's cache. */
  readonly version: string;
  html(report: FlightReport, log: StoredLog, options: { readonly sourceName?: string }): Promise<string>;
  pdf?(html: string): Promise<Uint8Array>;
}
