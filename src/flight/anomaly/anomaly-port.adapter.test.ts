import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { VehicleReport } from '../report/report.js';
import { createAnomalyDetector } from './anomaly-port.adapter.js';
import type { AnomalyDetection } from './anomaly-detector.js';
import { BUNDLED_ANOMALY_MODEL } from './index.js';
import { syntheticMultirotorFlight } from './synthetic-flight.js';

const vehicle = (type: VehicleReport['type']): VehicleReport => ({
  type,
  confidence: 1,
  method: 'metadata',
  evidence: [],
});

describe('anomaly detector port adapter', () => {
  it('maps ranges to report shape, attributions as shares, and hands the full detection to the callback', () => {
    let seen: AnomalyDetection | undefined;
    const detector = createAnomalyDetector(BUNDLED_ANOMALY_MODEL, (d) => (seen = d));
    const signals = syntheticMultirotorFlight({
      seed: 5,
      faults: [{ kind: 'vibration', startS: 60, endS: 70 }],
    });
    const out = detector({ signals, vehicle: vehicle('multirotor'), phases: [] });
    assert.equal(out.section.status, 'ok');
    assert.equal(out.section.modelVersion, BUNDLED_ANOMALY_MODEL.version);
    assert.ok(seen && /^[0-9a-f]{64}$/.test(seen.inputDigest));
    assert.equal(out.anomalies.length, seen.ranges.length);
    for (const r of out.anomalies) {
      const total = r.attributions.reduce((s, a) => s + a.contribution, 0);
      assert.ok(r.attributions.length === 0 || Math.abs(total - 1) < 0.01, String(total));
      assert.ok(r.end > r.start);
    }
  });

  it('reports not_applicable for a class without a model', () => {
    const out = createAnomalyDetector(BUNDLED_ANOMALY_MODEL)({
      signals: syntheticMultirotorFlight({ seed: 5 }),
      vehicle: vehicle('boat'),
      phases: [],
    });
    assert.equal(out.section.status, 'not_applicable');
    assert.deepEqual(out.anomalies, []);
  });
});
