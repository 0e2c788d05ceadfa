import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FlightSignals } from '../signals/index.js';
import { detectAnomalies, featureInputDigest } from './anomaly-detector.js';
import { loadAnomalyModel } from './anomaly-model.js';
import { DEFAULT_TRAINING, fitAnomalyModel } from './anomaly-training.js';
import { anomalyModelJson } from './model-json.js';
import { syntheticMultirotorFlight, type InjectedFault } from './synthetic-flight.js';
import { extractFeatureWindows } from './window-features.js';

const healthy = [11, 12, 13].map((seed) => ({
  name: `synthetic-${seed}`,
  sha256: 'synthetic',
  vehicleClass: 'multirotor' as const,
  signals: syntheticMultirotorFlight({ seed }),
}));
const doc = fitAnomalyModel(healthy, { ...DEFAULT_TRAINING, version: 'test' });
const model = loadAnomalyModel(JSON.parse(anomalyModelJson(doc)));
const faulty = (fault: InjectedFault): FlightSignals =>
  syntheticMultirotorFlight({ seed: 99, faults: [fault] });
const overlaps = (a: { startS: number; endS: number }, b: { startS: number; endS: number }): boolean =>
  a.startS < b.endS && b.startS < a.endS;

describe('detectAnomalies on constructed flights', () => {
  it('is deterministic: same flights and seed give the same JSON model and the same output', () => {
    const again = fitAnomalyModel(healthy, { ...DEFAULT_TRAINING, version: 'test' });
    assert.equal(anomalyModelJson(again), anomalyModelJson(doc));
    const flight = faulty({ kind: 'vibration', startS: 60, endS: 70 });
    assert.deepEqual(
      detectAnomalies(model, flight, 'multirotor'),
      detectAnomalies(model, flight, 'multirotor'),
    );
  });

  const cases: [InjectedFault['kind'], string, readonly string[]][] = [
    ['vibration', 'vibration', ['vibration_mps2']],
    ['motor_imbalance', 'propulsion', ['motor_spread']],
    ['voltage_sag', 'power', ['voltage_sag_v']],
    // An attitude oscillation raises tilt and rate error as much as the attitude error itself.
    [
      'attitude_oscillation',
      'attitude',
      ['attitude_error_deg', 'tilt_max_deg', 'rate_error_dps', 'rate_rms_dps'],
    ],
  ];
  for (const [kind, group, top] of cases) {
    it(`flags an injected ${kind} window (60–70 s) in the ${group} group, top attribution ${top[0]}`, () => {
      const fault = { kind, startS: 60, endS: 70 };
      const out = detectAnomalies(model, faulty(fault), 'multirotor');
      assert.equal(out.status, 'ok');
      const hit = out.ranges.find((r) => overlaps(r, fault));
      assert.ok(hit, `no range over the fault: ${JSON.stringify(out.ranges)}`);
      assert.ok(
        hit.startS <= 61 && hit.endS >= 69,
        `range ${hit.startS}–${hit.endS} misses part of the fault`,
      );
      assert.ok(
        hit.startS >= 55 && hit.endS <= 76,
        `range ${hit.startS}–${hit.endS} spills far outside the fault`,
      );
      assert.ok(hit.groups.includes(group), hit.groups.join());
      assert.ok(top.includes(hit.attributions[0]!.feature), JSON.stringify(hit.attributions));
      if (kind === 'attitude_oscillation')
        assert.ok(hit.attributions.some((a) => a.feature === 'attitude_error_deg'));
      assert.ok(hit.score >= Math.min(...hit.groups.map((g) => out.featureSummary.thresholds[g]!)));
      const elsewhere = out.ranges.filter((r) => r !== hit).reduce((s, r) => s + r.endS - r.startS, 0);
      assert.ok(elsewhere <= 6, `flagged ${elsewhere} s elsewhere`);
    });
  }

  it('a fresh healthy flight of the same kind is flagged for at most 5 % of its windows', () => {
    const out = detectAnomalies(model, syntheticMultirotorFlight({ seed: 1234 }), 'multirotor');
    const flagged = out.ranges.reduce((s, r) => s + r.windows, 0);
    assert.ok(flagged / out.featureSummary.windows <= 0.05, `${flagged}/${out.featureSummary.windows}`);
  });

  it('carries what the prediction recorder needs: model, version, digest and a feature summary', () => {
    const flight = faulty({ kind: 'vibration', startS: 60, endS: 70 });
    const out = detectAnomalies(model, flight, 'multirotor');
    assert.equal(out.model, 'flight-anomaly-iforest');
    assert.equal(out.modelVersion, 'test');
    assert.match(out.inputDigest, /^[0-9a-f]{64}$/);
    assert.equal(out.featureSummary.scope, 'flying');
    assert.equal(out.featureSummary.features.length, doc.classes[0]!.features.length);
    assert.ok(out.featureSummary.features.every((f) => f.present === out.featureSummary.windows));
    const other = detectAnomalies(model, syntheticMultirotorFlight({ seed: 98 }), 'multirotor');
    assert.notEqual(other.inputDigest, out.inputDigest);
    assert.equal(
      out.inputDigest,
      featureInputDigest('multirotor', doc.classes[0]!.features, extractFeatureWindows(flight)),
    );
    JSON.parse(JSON.stringify(out)); // plain JSON, storable as is
  });

  it('says no_model for a class the model lacks, with an empty range list', () => {
    const out = detectAnomalies(model, healthy[0]!.signals, 'helicopter');
    assert.equal(out.status, 'no_model');
    assert.match(out.reason, /helicopter/);
    assert.deepEqual(out.ranges, []);
  });

  it('says insufficient_data when the log says the vehicle never flew, instead of scoring the bench', () => {
    const out = detectAnomalies(model, { ...healthy[0]!.signals, flying: [] }, 'multirotor');
    assert.equal(out.status, 'insufficient_data');
    assert.equal(out.featureSummary.windows, 0);
  });

  it('marginalises missing features (no vibration, no GPS) and names them in the summary', () => {
    const s = syntheticMultirotorFlight({
      seed: 99,
      faults: [{ kind: 'motor_imbalance', startS: 60, endS: 70 }],
    });
    const stripped: FlightSignals = { ...s, vibration: { metrics: [], clipping: [], rawAccel: [] }, gps: [] };
    const out = detectAnomalies(model, stripped, 'multirotor');
    const vib = out.featureSummary.features.find((f) => f.name === 'vibration_mps2')!;
    assert.equal(vib.present, 0);
    assert.match(vib.source, /^missing:/);
    const hit = out.ranges.find((r) => overlaps(r, { startS: 60, endS: 70 }));
    assert.equal(hit?.attributions[0]?.feature, 'motor_spread');
    assert.ok(
      out.ranges.every((r) =>
        r.attributions.every((a) => a.feature !== 'vibration_mps2' && a.feature !== 'gps_eph_m'),
      ),
    );
  });

  it('survives hostile signals: all-NaN values, no attitude, a single sample, no time range', () => {
    const s = healthy[0]!.signals;
    const nanSig = { ...s.attitude.roll!, v: new Float64Array(s.attitude.roll!.v.length).fill(NaN) };
    const variants: FlightSignals[] = [
      { ...s, attitude: { roll: nanSig, pitch: nanSig }, attitudeSetpoint: {} },
      {
        ...s,
        attitude: {},
        rates: {},
        rateSetpoint: {},
        actuators: [],
        batteries: [],
        gps: [],
        estimators: [],
      },
      { ...s, flying: undefined, armed: undefined, timeRange: undefined },
      { ...s, flying: [{ start: 10, end: 10.5 }] },
      { ...s, flying: [{ start: -Infinity, end: NaN }] },
    ];
    for (const v of variants) {
      const out = detectAnomalies(model, v, 'multirotor');
      assert.ok(['ok', 'insufficient_data'].includes(out.status), out.reason);
      JSON.stringify(out);
    }
  });
});

describe('loadAnomalyModel', () => {
  it('rejects corrupt documents with a RangeError naming the problem', () => {
    const good = JSON.parse(anomalyModelJson(doc));
    const c0 = good.classes[0];
    const bad: [unknown, RegExp][] = [
      [null, /not an object/],
      [{ ...good, format: 2 }, /format/],
      [{ ...good, version: '' }, /version/],
      [{ ...good, windowS: 5 }, /window/],
      [{ ...good, classes: [{ ...c0, vehicleClass: 'submarine' }] }, /vehicle class/],
      [{ ...good, classes: [{ ...c0, features: ['<script>'] }] }, /unknown feature/],
      [{ ...good, classes: [{ ...c0, groups: [{ ...c0.groups[0], threshold: 1.5 }] }] }, /threshold/],
      [{ ...good, classes: [{ ...c0, groups: [] }] }, /no groups/],
      [
        { ...good, classes: [{ ...c0, groups: [{ ...c0.groups[0], features: ['ground_speed_mps'] }] }] },
        /outside the class/,
      ],
      [
        {
          ...good,
          classes: [{ ...c0, groups: [{ ...c0.groups[0], features: c0.groups[0].features.slice(1) }] }],
        },
        /width/,
      ],
    ];
    for (const [d, re] of bad) assert.throws(() => loadAnomalyModel(d), re);
  });
});
