// The committed model on the real logs of ../shared/flightlogs (skipped with a notice when absent):
// the artefact rebuilds identically, healthy flights stay quiet, the crash is flagged, and a fault
// injected into a real healthy hover is found with the right attribution.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingSharedNotice, sharedFile } from '../../../test/support/shared-data.js';
import { decodeFlightLog } from '../formats/index.js';
import { toFlightSignals, type FlightSignals, type Signal } from '../signals/index.js';
import { DEFAULT_TRAINING, fitAnomalyModel } from './anomaly-training.js';
import {
  ANOMALY_MODEL_VERSION,
  ANOMALY_TRAINING_SET,
  BUNDLED_ANOMALY_MODEL,
  anomalyModelJson,
  detectAnomalies,
} from './index.js';

const cache = new Map<string, { bytes: Buffer; signals: FlightSignals }>();
const load = (name: string): { bytes: Buffer; signals: FlightSignals } => {
  if (!cache.has(name)) {
    const bytes = readFileSync(sharedFile(`flightlogs/${name}`)!);
    cache.set(name, { bytes, signals: toFlightSignals(decodeFlightLog(new Uint8Array(bytes))) });
  }
  return cache.get(name)!;
};
const skipUnless = (...names: string[]): false | string => {
  const absent = names.find((n) => !sharedFile(`flightlogs/${n}`));
  return absent ? missingSharedNotice(`flightlogs/${absent}`) : false;
};
const flaggedShare = (name: string, vehicleClass: 'multirotor' | 'fixed_wing' | 'rover'): number => {
  const out = detectAnomalies(BUNDLED_ANOMALY_MODEL, load(name).signals, vehicleClass);
  return out.ranges.reduce((s, r) => s + r.windows, 0) / Math.max(1, out.featureSummary.windows);
};

const GOOD = 'ardupilot_copter_4.1.3_good_prop_hover_1.BIN';
const CRASH = 'ardupilot_copter_erle_181_lose_control_crash.BIN';

describe('anomaly model on real logs', () => {
  const files = ANOMALY_TRAINING_SET.map((t) => t.file);
  it(
    'the committed artefact is exactly what the training script rebuilds',
    { skip: skipUnless(...files) },
    () => {
      const inputs = ANOMALY_TRAINING_SET.map((t) => ({
        name: t.file,
        sha256: createHash('sha256').update(load(t.file).bytes).digest('hex'),
        vehicleClass: t.vehicleClass,
        signals: load(t.file).signals,
      }));
      const json = anomalyModelJson(
        fitAnomalyModel(inputs, { ...DEFAULT_TRAINING, version: ANOMALY_MODEL_VERSION }),
      );
      const committed = readFileSync(
        join(import.meta.dirname, 'models', `anomaly-model.v${ANOMALY_MODEL_VERSION}.json`),
        'utf8',
      );
      // As data, not bytes (a formatter may re-wrap the committed file).
      assert.ok(
        JSON.stringify(JSON.parse(json)) === JSON.stringify(JSON.parse(committed)),
        'models/ differs from a fresh run of scripts/train-anomaly-model.ts',
      );
    },
  );

  for (const t of ANOMALY_TRAINING_SET) {
    it(
      `${t.file}: healthy training flight, at most 5 % of windows flagged (in-sample)`,
      { skip: skipUnless(t.file) },
      () => {
        const share = flaggedShare(t.file, t.vehicleClass as 'multirotor');
        assert.ok(share <= 0.05, `${(share * 100).toFixed(1)} %`);
      },
    );
  }

  it(
    `${CRASH}: the loss of control is flagged over most of the flight, led by navigation / attitude / propulsion features`,
    { skip: skipUnless(CRASH) },
    () => {
      const out = detectAnomalies(BUNDLED_ANOMALY_MODEL, load(CRASH).signals, 'multirotor');
      assert.ok(flaggedShare(CRASH, 'multirotor') > 0.4);
      const late = out.ranges.find((r) => r.startS <= 120 && r.endS >= 150);
      assert.ok(late, JSON.stringify(out.ranges.map((r) => [r.startS, r.endS])));
      assert.ok(
        ['ekf_ratio_max', 'gps_eph_m', 'tilt_max_deg', 'attitude_error_deg', 'climb_rate_mps'].includes(
          late.attributions[0]!.feature,
        ),
      );
    },
  );

  it(
    `${GOOD}: vibration ×2 injected at 100–110 s is flagged there, attributed to vibration`,
    { skip: skipUnless(GOOD) },
    () => {
      const s = load(GOOD).signals;
      const boost = (m: Signal): Signal => ({
        ...m,
        v: m.v.map((v, i) => (m.t[i]! >= 100 && m.t[i]! < 110 ? v * 2 : v)),
      });
      const injected: FlightSignals = {
        ...s,
        vibration: { ...s.vibration, metrics: s.vibration.metrics.map(boost) },
      };
      const out = detectAnomalies(BUNDLED_ANOMALY_MODEL, injected, 'multirotor');
      const hit = out.ranges.find((r) => r.startS < 110 && r.endS > 100);
      assert.ok(hit, JSON.stringify(out.ranges));
      assert.ok(hit.groups.includes('vibration'));
      assert.equal(hit.attributions[0]!.feature, 'vibration_mps2');
      const before = detectAnomalies(BUNDLED_ANOMALY_MODEL, s, 'multirotor');
      assert.ok(
        !before.ranges.some((r) => r.startS < 110 && r.endS > 100),
        'the untouched flight is quiet there',
      );
    },
  );
});
