/**
 * `renderReportHtml`: the flight report as one self-contained HTML document — inline CSS and inline
 * SVG plots, no script, no external request (a Content-Security-Policy forbids any), so it can be
 * mailed, archived or printed to PDF by headless Chromium as is. Pure: the same report and signals
 * give the same bytes (no clock; a caller that wants a "generated at" passes it in).
 *
 * It needs the signals as well as the report because the JSON report carries judgements and evidence,
 * not time series; the plots are drawn from the same `FlightSignals` the analysis read.
 */
import type { Finding, FlightReport } from '../report.js';
import type { FlightSignals } from '../../signals/flight-signals.js';
import { escapeXml as e } from '../svg/escape.js';
import { REPORT_CSS } from './report.css.js';
import { buildPlotSections, type PlotSection, type SectionId } from './report-plots.js';
import { anomaliesHtml, findingsHtml, logFactsHtml, messagesHtml, riskHtml, summaryHtml, vehicleHtml } from './report-sections.html.js';

export interface ReportHtmlOptions {
  /** Shown in the title, e.g. the uploaded file name (escaped: it is user input). */
  readonly sourceName?: string;
  /** Free text for the footer, e.g. an ISO time stamp; omitted for reproducible output. */
  readonly generatedAt?: string;
}

/** The plot a finding's time ranges are shaded on (for the "plot" link in the findings table). */
const FAMILY_PLOT: Readonly<Partial<Record<Finding['family'], SectionId>>> = {
  vibration: 'vibration',
  spectral: 'spectrum',
  battery: 'battery',
  power: 'battery',
  gps: 'gps',
  estimator: 'estimator',
  compass: 'estimator',
  motors: 'motors',
  thrust: 'motors',
  attitude: 'attitude',
  crash: 'attitude',
  rc: 'altitude',
  failsafe: 'altitude',
  logging: 'altitude',
  truncation: 'altitude',
  flight: 'altitude',
};

function sectionHtml(p: PlotSection): string {
  const body = p.missing
    ? `<div class="missing"><strong>${e(p.title)}: not in this log.</strong> ${e(p.missing)}</div>`
    : p.figures
        .map((f) =>
          f.svg
            ? `<figure><figcaption>${e(f.caption)}${f.note ? ` <span class="muted">— ${e(f.note)}</span>` : ''}</figcaption>${f.svg}</figure>`
            : `<div class="missing"><strong>${e(f.caption)}: not in this log.</strong> ${e(f.note ? `${f.note}; ` : '')}no valid sample inside the log’s time range.</div>`,
        )
        .join('');
  return `<section id="plot-${p.id}" class="plot-section" data-section="${p.id}"><h3>${e(p.title)}</h3>${body}</section>`;
}

export function renderReportHtml(report: FlightReport, signals: FlightSignals, options: ReportHtmlOptions = {}): string {
  const plots = buildPlotSections(report, signals);
  const present = new Set(plots.filter((p) => !p.missing).map((p) => p.id));
  const plotFor = (f: Finding): string | undefined => {
    const id = FAMILY_PLOT[f.family];
    return id && present.has(id) ? id : undefined;
  };
  const title = `Flight report${options.sourceName ? ` — ${options.sourceName}` : ''}`;
  const fw = [report.log.autopilot, report.log.firmware ?? report.log.firmwareVersion].filter(Boolean).join(' ');
  const sections: [string, string, string][] = [
    ['vehicle', 'Vehicle type', vehicleHtml(report)],
    ['risk', 'Risk', riskHtml(report)],
    ['findings', 'Findings', findingsHtml(report, plotFor)],
    ['plots', 'Plots', `<p class="note">Shaded: orange = a check's warning range, red = failing range, violet = unusual compared with reference flights. Strip under each plot: flight phases (blue flying, green take-off, purple landing). Time is seconds since the log start.</p>${plots.map(sectionHtml).join('')}`],
    ['anomalies', 'Anomalies', anomaliesHtml(report)],
    ['log', 'Log facts', logFactsHtml(report, signals)],
    ['events', 'Events and messages', messagesHtml(report, signals)],
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="skyguard flight report ${e(report.engineVersion)}">
<title>${e(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${e(title)}</h1>
<div class="subtitle">${e(fw || 'unknown autopilot')}${report.log.hardware ? ` · ${e(report.log.hardware)}` : ''} · report schema ${e(report.schemaVersion)} · engine ${e(report.engineVersion)}</div>
${summaryHtml(report)}
<nav class="toc">${sections.map(([id, name]) => `<a href="#${id}">${e(name)}</a>`).join('<br>')}</nav>
</header>
${sections.map(([id, name, html], i) => `<section id="${id}"${i >= 2 ? ' class="major"' : ''}><h2>${e(name)}</h2>${html}</section>`).join('\n')}
<footer>Skyguard flight report · engine ${e(report.engineVersion)} · thresholds ${e(report.thresholdsVersion)}${options.generatedAt ? ` · generated ${e(options.generatedAt)}` : ''}. Findings come from explainable checks with sourced thresholds; the anomaly model only marks what is unusual compared with reference flights.</footer>
</body>
</html>
`;
}
