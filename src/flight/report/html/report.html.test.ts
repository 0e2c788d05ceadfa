// The HTML report on every real log of ../shared/flightlogs (skipped with a notice when absent) and on
// constructed signals carrying hostile text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { missingSharedNotice, sharedFile } from '../../../../test/support/shared-data.js';
import { decodeFlightLog } from '../../formats/index.js';
import { toFlightSignals } from '../../signals/index.js';
import type { FlightSignals } from '../../signals/flight-signals.js';
import { analyzeFlight } from '../../analysis/index.js';
import { BUNDLED_ANOMALY_MODEL, createAnomalyDetector } from '../../anomaly/index.js';
import { baseSignals, sig } from '../../checks/check-fixtures.js';
import type { FlightReport } from '../report.js';
import { renderReportHtml } from './report.html.js';

const SECTIONS = ['altitude', 'attitude', 'rates', 'vibration', 'battery', 'gps', 'estimator', 'motors', 'spectrum'];
const detector = createAnomalyDetector(BUNDLED_ANOMALY_MODEL);

/** The markup of one plot section, from its opening tag to the next section. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="plot-${id}"`);
  assert.ok(start >= 0, `section plot-${id} present`);
  return html.slice(start, html.indexOf('</section>', start));
}

/** Structural checks every rendered report must pass, whatever the log. */
function assertSelfContained(html: string): void {
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.doesNotMatch(html, /<script|<link|<iframe|<img|<object|<embed|<[^>]*\s(src|href)="?[a-z]+:|url\(/i, 'no script and no external resource');
  const urls = new Set(html.match(/https?:\/\/[^\s"'<)]+/g) ?? []);
  urls.delete('http://www.w3.org/2000/svg');
  assert.deepEqual([...urls], [], 'the only URL is the SVG namespace');
  assert.equal((html.match(/<svg /g) ?? []).length, (html.match(/<\/svg>/g) ?? []).length, 'every svg closed exactly once');
  assert.doesNotMatch(html, />NaN<|="NaN|\bundefined\b|Infinity/);
}

const LOGS: [string, Partial<Record<string, 'plot' | 'missing'>>][] = [
  ['px4_pyulog_sample_quad_bench.ulg', { battery: 'missing', gps: 'missing', attitude: 'plot', spectrum: 'missing' }],
  ['px4_pyulog_sample_log_small_vtol.ulg', { attitude: 'plot', motors: 'plot' }],
  ['px4_quadrotor_local_lowbatt_failsafe.ulg', { battery: 'plot', estimator: 'plot', vibration: 'plot', spectrum: 'plot' }],
  ['px4_esc_status_log_mission_rtl.ulg', { gps: 'plot', battery: 'plot' }],
  ['px4_roboto_test_quad_short.ulg', { attitude: 'plot' }],
  ['ardupilot_plane_truncated_64k.BIN', {}],
  ['ardupilot_plane_erle_05_12_2014_E.BIN', { motors: 'missing', altitude: 'plot' }],
  ['ardupilot_rover_erle_61.BIN', { gps: 'missing', motors: 'plot' }],
  ['ardupilot_copter_erle_181_lose_control_crash.BIN', { attitude: 'plot', vibration: 'plot', spectrum: 'plot' }],
  ['ardupilot_copter_erle_GPS_issues1.BIN', { gps: 'plot' }],
  ['ardupilot_copter_4.1.3_25mm_cut_prop_hover_1.BIN', { motors: 'plot', vibration: 'plot', estimator: 'plot' }],
  ['ardupilot_copter_4.1.3_good_prop_hover_1.BIN', { motors: 'plot', battery: 'plot' }],
];

describe('renderReportHtml on real logs', () => {
  for (const [name, expect] of LOGS) {
    const path = sharedFile(`flightlogs/${name}`);
    it(`${name}: every plot section drawn or "not in this log", findings, risk, vehicle, anomalies, log facts`, { skip: path ? false : missingSharedNotice(`flightlogs/${name}`) }, () => {
      const s = toFlightSignals(decodeFlightLog(new Uint8Array(readFileSync(path!))));
      const r = analyzeFlight(s, { anomalyDetector: detector });
      const html = renderReportHtml(r, s, { sourceName: name });
      assertSelfContained(html);
      for (const id of SECTIONS) {
        const body = section(html, id);
        const drawn = body.includes('<svg ');
        const missing = body.includes('not in this log');
        assert.ok(drawn || missing, `${id}: a plot or "not in this log"`);
        assert.doesNotMatch(body, /no data in this range/, `${id}: never an empty plot`);
        if (expect[id] === 'plot') assert.ok(drawn, `${id}: plotted`);
        if (expect[id] === 'missing') assert.ok(!drawn && missing, `${id}: not in this log`);
      }
      for (const f of r.findings) assert.ok(html.includes(`id="f-${f.id.replace(/[^A-Za-z0-9_.-]/g, '_')}"`), `finding ${f.id} listed`);
      for (const c of r.risk.contributions) assert.ok(html.includes(`href="#f-${c.findingId.replace(/[^A-Za-z0-9_.-]/g, '_')}"`), `contribution ${c.findingId} links its finding`);
      assert.ok(html.includes(`${r.risk.score}/100`));
      assert.ok(html.includes(`${Math.round(r.vehicle.confidence * 100)} %`));
      for (const id of ['vehicle', 'risk', 'findings', 'plots', 'anomalies', 'log', 'events']) assert.ok(html.includes(`<section id="${id}"`), id);
      assert.match(html, /unusual compared with reference flights/);
      if (r.anomalies.length) assert.ok((html.match(/fill="#7B3FB5"/g) ?? []).length > r.anomalies.length, 'anomaly ranges shaded');
      if (r.findings.some((f) => (f.status === 'fail' || f.status === 'warn') && f.evidence.timeRanges.length && f.family !== 'spectral')) {
        assert.match(html, /fill="#(F5A623|D0021B)" fill-opacity/, 'finding ranges shaded');
      }
      assert.equal(renderReportHtml(r, s, { sourceName: name }), html, 'deterministic');
    });
  }
});

const EVIL = `</svg></table><script>alert("pwn")</script><img src=x onerror='alert(1)'>"&`;

function hostileSignals(): FlightSignals {
  const s = baseSignals({
    vehicle: { autopilot: 'px4', logFormat: 'ulog', firmware: EVIL, firmwareVersion: EVIL, hardware: EVIL, declared: { mavType: 2 } },
    parameters: new Map([[EVIL, 1]]),
    attitude: { roll: { ...sig('roll', (t) => Math.sin(t) * 0.1), source: EVIL } },
    attitudeSetpoint: { roll: { ...sig('rollsp', () => 0), source: EVIL } },
    batteries: [{ instance: 0, connected: false, connectedReason: EVIL, voltage: { ...sig('v', () => 12), source: EVIL } }],
    messages: [{ time: 3, severity: 4, text: EVIL }],
    events: [{ time: 4, kind: 'error', name: EVIL, source: EVIL, detail: EVIL }],
    missing: [`gps: ${EVIL}`, `actuators: ${EVIL}`],
  });
  return { ...s, position: { altRel: { ...sig(EVIL, (t) => t), source: EVIL } } };
}

describe('renderReportHtml escapes everything that comes from the log', () => {
  it('hostile firmware, parameter, signal, message, event, reason and file-name text stays text', () => {
    const s = hostileSignals();
    const base = analyzeFlight(s);
    const r: FlightReport = {
      ...base,
      vehicle: { ...base.vehicle, subtype: EVIL, evidence: [{ source: `param ${EVIL}`, value: EVIL, implies: EVIL, weight: 0.5 }] },
      findings: base.findings.map((f, i) =>
        i === 0
          ? { ...f, id: EVIL, status: 'fail', severity: 'high', title: EVIL, reason: EVIL, evidence: { values: { [EVIL]: EVIL }, thresholds: [{ name: EVIL, value: 1, unit: EVIL, source: EVIL }], signals: [EVIL], timeRanges: [{ start: 10, end: 20, label: EVIL }] }, suppressions: [{ id: EVIL, reason: EVIL }] }
          : f,
      ),
      risk: { ...base.risk, contributions: [{ findingId: EVIL, check: EVIL, title: EVIL, severity: 'high', points: 30, share: 1 }] },
      anomalies: [{ start: 5, end: 7, score: 0.8, attributions: [{ feature: EVIL, contribution: 1, value: 3, baseline: 1 }] }],
      anomalyModel: { status: 'ok', reason: EVIL, modelId: EVIL, modelVersion: EVIL, vehicleClass: EVIL },
      log: { ...base.log, firmware: EVIL, hardware: EVIL, warnings: [EVIL] },
    };
    const html = renderReportHtml(r, s, { sourceName: EVIL, generatedAt: EVIL });
    assertSelfContained(html);
    assert.ok(!html.includes(EVIL), 'the raw string never appears');
    assert.doesNotMatch(html, /<script|<img|onerror='/);
    assert.equal((html.match(/<\/table>/g) ?? []).length, (html.match(/<table/g) ?? []).length, 'tables not closed early');
    assert.ok(html.includes('&lt;/svg&gt;&lt;/table&gt;&lt;script&gt;alert(&quot;pwn&quot;)&lt;/script&gt;'), 'shown escaped');
    // The finding id (log-derived when it names an instance) is reduced to safe characters in ids and links.
    assert.doesNotMatch(html, /id="f-[^"]*[<>&'][^"]*"/);
    assert.match(html, /<title>Flight report — &lt;\/svg&gt;/);
  });

  it('a log with no timed samples still renders, every plot section "not in this log"', () => {
    const s = { ...baseSignals({ armed: [], flying: [] }), timeRange: undefined };
    const r = analyzeFlight(s);
    const html = renderReportHtml({ ...r, log: { ...r.log, startS: null, endS: null, durationS: null } }, s);
    assertSelfContained(html);
    for (const id of SECTIONS) assert.match(section(html, id), /not in this log/);
  });
});
