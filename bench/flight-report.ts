// Flight report rendering time: `renderReportHtml` (pure, in-process) and the PDF through headless
// Chromium (`createChromiumPdfRenderer`, a child process), for the largest real log in
// ../shared/flightlogs and, for scale, the 50 MiB long DataFlash flight of bench/flight-analyze.ts.
// Decode + signals + analysis (with the bundled anomaly model) are done once beforehand and not counted.
// Run: node --import tsx bench/flight-report.ts   (HTML: median of 5 after one warm-up; PDF: median of 3)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFlightLog } from '../src/flight/formats/index.js';
import { toFlightSignals } from '../src/flight/signals/index.js';
import { analyzeFlight } from '../src/flight/analysis/index.js';
import { BUNDLED_ANOMALY_MODEL, createAnomalyDetector } from '../src/flight/anomaly/index.js';
import { renderReportHtml } from '../src/flight/report/html/index.js';
import { createChromiumPdfRenderer } from '../src/platform/pdf/index.js';
import { buildLongFlight } from './flight-long-log.js';

const dir = process.env.SKYGUARD_SHARED_DIR ? join(process.env.SKYGUARD_SHARED_DIR, 'flightlogs') : join(import.meta.dirname, '..', '..', 'shared', 'flightlogs');
const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]!;

async function measure(name: string, bytes: Uint8Array): Promise<void> {
  const signals = toFlightSignals(decodeFlightLog(bytes));
  const report = analyzeFlight(signals, { anomalyDetector: createAnomalyDetector(BUNDLED_ANOMALY_MODEL) });
  let html = renderReportHtml(report, signals);
  const htmlMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    html = renderReportHtml(report, signals);
    htmlMs.push(performance.now() - t0);
  }
  const pdf = createChromiumPdfRenderer({ chromiumPath: process.env.CHROMIUM_PATH });
  const pdfMs: number[] = [];
  let size = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    size = (await pdf.renderPdf(html)).length;
    pdfMs.push(performance.now() - t0);
  }
  console.log(`| ${name} | ${(bytes.length / 2 ** 20).toFixed(2)} | ${median(htmlMs).toFixed(0)} | ${(html.length / 2 ** 10).toFixed(0)} | ${median(pdfMs).toFixed(0)} | ${(size / 2 ** 10).toFixed(0)} |`);
}

const logs = readdirSync(dir).filter((f) => /\.(ulg|bin)$/i.test(f));
const largest = logs.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0]!;
console.log('| log | MiB | HTML ms | HTML KiB | PDF ms (Chromium) | PDF KiB |');
console.log('|---|---:|---:|---:|---:|---:|');
await measure(largest, new Uint8Array(readFileSync(join(dir, largest))));
const good = new Uint8Array(readFileSync(join(dir, 'ardupilot_copter_4.1.3_good_prop_hover_1.BIN')));
const flying = toFlightSignals(decodeFlightLog(good)).flying?.[0];
if (flying) {
  const quarter = (flying.end - flying.start) / 4;
  const long = buildLongFlight('dataflash', good, { start: flying.start + quarter, end: flying.end - quarter }, 50 * 2 ** 20);
  await measure(`good_prop_hover long flight (${(long.seconds / 60).toFixed(0)} min, middle ×${long.copies})`, long.bytes);
}
