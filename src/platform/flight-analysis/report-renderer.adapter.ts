import { randomBytes } from 'node:crypto';
import { renderReportHtml } from '../../flight/report/html/index.js';
import type { FlightReportRenderer } from './report-renderer.port.js';

/**
 * The report renderer the server uses: the pure HTML renderer, and a PDF printer when one is configured.
 * The version is per process (a new release restarts it), so an ETag from an older renderer never matches;
 * instances of one release disagree on it, which costs cache hits, never correctness.
 */
export function createFlightReportRenderer(options: { pdf?: (html: string) => Promise<Uint8Array> } = {}): FlightReportRenderer {
  const pdf = options.pdf;
  return {
    version: randomBytes(6).toString('hex'),
    html: (report, signals, o) => renderReportHtml(report, signals, o.sourceName === undefined ? {} : { sourceName: o.sourceName }),
    ...(pdf ? { pdf } : {}),
  };
}
