import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decoderFor, detectFormat, FlightDecodeError } from '../formats/index.js';
import { InspectionSink, type LogInspection } from './log-inspection.sink.js';
import { missingSharedNotice, sharedFile } from '../../../test/support/shared-data.js';

function inspect(bytes: Uint8Array): LogInspection {
  const detected = detectFormat(bytes);
  if (detected instanceof FlightDecodeError) throw detected;
  const sink = new InspectionSink();
  const decoder = decoderFor(detected.format)(sink);
  for (let at = 0; at < bytes.length; at += 1 << 16) decoder.push(bytes.subarray(at, at + (1 << 16)));
  return sink.result(decoder.end(), bytes.length);
}

const cases: { file: string; check: (r: LogInspection) => void }[] = [
  { file: 'px4_pyulog_sample_quad_bench.ulg', check: (r) => {
    assert.equal(r.format, 'ulog');
    assert.ok(Math.abs(r.durationS! - 69) < 1.5, `duration ${r.durationS} ≈ 69 s (pyulog), not foxglove's 181 s`);
    assert.equal(r.vehicleHints.MAV_TYPE, 2);
    assert.equal(r.dropouts.count, 4);
  } },
  { file: 'px4_pyulog_sample_log_small_vtol.ulg', check: (r) => assert.equal(r.vehicleHints.MAV_TYPE, 22) },
  { file: 'ardupilot_plane_truncated_64k.BIN', check: (r) => {
    assert.equal(r.format, 'dataflash');
    assert.equal(r.completeness, 'truncated');
    assert.match(String(r.vehicleHints.firmware ?? r.vehicleHints.vehicle), /Plane/i);
  } },
  { file: 'ardupilot_rover_erle_61.BIN', check: (r) => {
    assert.ok(r.durationS! > 300 && r.durationS! < 360, `rover ~5.6 min, got ${r.durationS}`);
    assert.ok(r.topics.some((t) => t.topic === 'ATT' && t.records > 10_000));
  } },
];

for (const c of cases) {
  const path = sharedFile(`flightlogs/${c.file}`);
  test(`inspect ${c.file}`, { skip: path ? false : missingSharedNotice(`flightlogs/${c.file}`) }, () => {
    const r = inspect(readFileSync(path!));
    assert.ok(r.topics.length > 5);
    assert.ok(r.parameters > 10);
    c.check(r);
  });
}

test('a log with no timed records has no duration rather than a made-up one', () => {
  const sink = new InspectionSink();
  sink.header({ format: 'csv', formatVersion: '1' });
  const r = sink.result({ completeness: 'complete', bytesRead: 0 }, 0);
  assert.equal(r.durationS, null);
});
