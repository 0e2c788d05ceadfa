import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/app-error.js';
import type { FlightCompute } from '../flight-compute/flight-compute.js';
import type { FlightReportRenderer } from './report-renderer.port.js';

export interface RendererOptions {
  /** Where the log is decoded again and the HTML rendered: the flight compute thread, off the event loop. */
  readonly compute: FlightCompute;
  /** HTML → PDF (the Chromium adapter in src/platform/pdf); absent → report.pdf answers 501. */
  readonly pdf?: (html: string) => Promise<Uint8Array>;
  /** PDF prints running at once (each is a headless browser, hundreds of MB); default 2. */
  readonly pdfConcurrency?: number;
  /** Prints allowed to wait for a slot; more are refused with 503 PDF_RENDER_BUSY; default 8. */
  readonly pdfQueue?: number;
}

/** Runs at most `limit` tasks at once with a bounded wait list, so a burst of PDF requests cannot start a browser each. */
export function limitConcurrency(limit: number, queue: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) {
      if (waiting.length >= queue) {
        throw new AppError('PDF_RENDER_BUSY', 503, `${running} PDF reports are being printed and ${waiting.length} wait; try again shortly`);
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * The report renderer the server uses: the pure HTML renderer on the flight compute thread (a long log's
 * HTML took hundreds of milliseconds of the event loop), and a PDF printer when one is configured.
 * The version is per process (a new release restarts it), so an ETag from an older renderer never matches;
 * instances of one release disagree on it, which costs cache hits, never correctness.
 */
export function createFlightReportRenderer(options: RendererOptions): FlightReportRenderer {
  const pdf = options.pdf;
  const limited = limitConcurrency(options.pdfConcurrency ?? 2, options.pdfQueue ?? 8);
  return {
    version: randomBytes(6).toString('hex'),
    html: (report, log, o) => options.compute.run('reportHtml', log.format, log.sizeBytes, log.bytes, { report, sourceName: o.sourceName }),
    ...(pdf ? { pdf: (html: string) => limited(() => pdf(html)) } : {}),
  };
}
