import type { FlightReport } from '../../flight/report/report.js';
import type { FlightSignals } from '../../flight/signals/index.js';

/**
 * How the API turns a stored report into documents. The HTML renderer is pure (src/flight/report/html); the
 * PDF side prints that HTML with headless Chromium (src/platform/pdf). Both are optional so the API works, and
 * says so with a 501, on an installation without them.
 */
export interface FlightReportRenderer {
  /** Identifies the renderer build in ETags, so a new renderer is never served from a client's cache. */
  readonly version: string;
  html(report: FlightReport, signals: FlightSignals, options: { readonly sourceName?: string }): string;
  pdf?(html: string): Promise<Uint8Array>;
}
