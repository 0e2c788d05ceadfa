// Tilt tracking error and PX4's configured attitude response, on constructed signals.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { px4AttitudeResponse, thrustAxis, tiltTrackingError } from './attitude-reference.js';
import { attitudeTrackingCheck, trackingError } from './attitude.check.js';
import { baseSignals, context, sig } from './check-fixtures.js';
import type { FlightSignals } from '../signals/flight-signals.js';

const DEG = Math.PI / 180;
const HZ = 50;
const STEADY = [{ start: 5, end: 55 }];
const totalAbove = (e: { v: ArrayLike<number> }, deg: number): number =>
  Array.from(e.v).filter((x) => x > deg).length / HZ;
const largest = (e: { v: ArrayLike<number> }): number => Math.max(...Array.from(e.v));

/** Roll and pitch that give thrust axis `axis` at yaw `yaw` (inverse of thrustAxis). */
function rollPitchFor(axis: readonly number[], yaw: number): [number, number] {
  const x = Math.cos(yaw) * axis[0]! + Math.sin(yaw) * axis[1]!;
  const y = -Math.sin(yaw) * axis[0]! + Math.cos(yaw) * axis[1]!;
  return [-Math.asin(y), Math.atan2(x, axis[2]!)];
}

/** ±`amplitude`° roll setpoint square wave (period 2 s) from 10 s to 50 s; the vehicle answers as a first-order loop of `gain` 1/s. */
function squareWaveFlight(
  gain: number,
  autopilot: 'px4' | 'ardupilot',
  parameters: [string, number][] = [],
  amplitude = 15,
): FlightSignals {
  const target = (t: number): number =>
    t < 10 || t >= 50 ? 0 : (Math.floor(t) % 2 === 0 ? amplitude : -amplitude) * DEG;
  let roll = 0;
  const actual = sig(
    'roll',
    (t, i) => {
      if (i > 0) roll += (target(t - 1 / HZ) - roll) * (1 - Math.exp(-gain / HZ));
      return roll;
    },
    { hz: HZ },
  );
  const zero = (name: string) => sig(name, () => 0, { hz: HZ });
  return baseSignals({
    vehicle:
      autopilot === 'px4'
        ? { autopilot, logFormat: 'ulog', declared: { mavType: 2 } }
        : { autopilot, logFormat: 'dataflash', ardupilotFamily: 'copter', declared: {} },
    parameters: new Map(parameters),
    attitude: { roll: actual, pitch: zero('pitch'), yaw: zero('yaw') },
    attitudeSetpoint: { roll: sig('rsp', target, { hz: HZ }), pitch: zero('psp'), yaw: zero('ysp') },
  });
}

describe('thrust axis', () => {
  it('is vertical when level whatever the yaw, and tilts by the roll or pitch angle', () => {
    for (const yaw of [0, 1, -2.5])
      assert.deepEqual(
        thrustAxis(0, 0, yaw).map((c) => Math.round(c * 1e12) / 1e12 + 0),
        [0, 0, 1],
      );
    assert.ok(Math.abs(Math.acos(thrustAxis(20 * DEG, 0, 0.7)[2]) - 20 * DEG) < 1e-12);
    assert.ok(Math.abs(Math.acos(thrustAxis(0, -30 * DEG, 0.7)[2]) - 30 * DEG) < 1e-12);
  });
});

describe('tilt tracking error', () => {
  it('yaw lagging 60° in a 20° banked turn is no tilt error, though ZYX roll and pitch are off by > 10°', () => {
    const desired = thrustAxis(20 * DEG, 0, 0);
    const [roll, pitch] = rollPitchFor(desired, 60 * DEG);
    const constant = (name: string, v: number) => sig(name, () => v, { hz: HZ });
    const actual = {
      roll: constant('roll', roll),
      pitch: constant('pitch', pitch),
      yaw: constant('yaw', 60 * DEG),
    };
    const setpoint = { roll: constant('rsp', 20 * DEG), pitch: constant('psp', 0), yaw: constant('ysp', 0) };
    assert.ok(largest(tiltTrackingError(actual, setpoint, STEADY)) < 1e-6);
    assert.ok(totalAbove(trackingError(actual.pitch, setpoint.pitch, STEADY), 10) > 40);
  });
  it('without a yaw in the log, roll and pitch are compared in a common frame', () => {
    const actual = {
      roll: sig('roll', () => 12 * DEG, { hz: HZ }),
      pitch: sig('pitch', () => 0, { hz: HZ }),
    };
    const setpoint = { roll: sig('rsp', () => 0, { hz: HZ }), pitch: sig('psp', () => 0, { hz: HZ }) };
    const e = tiltTrackingError(actual, setpoint, STEADY);
    assert.ok(e.v.length > 2000 && Array.from(e.v).every((x) => Math.abs(x - 12) < 1e-9));
  });
  it('skips stale setpoints (older than 0.5 s) instead of holding them', () => {
    const actual = {
      roll: sig('roll', () => 12 * DEG, { hz: HZ }),
      pitch: sig('pitch', () => 0, { hz: HZ }),
    };
    const setpoint = {
      roll: sig('rsp', () => 0, { hz: HZ, to: 20 }),
      pitch: sig('psp', () => 0, { hz: HZ, to: 20 }),
    };
    assert.ok(Math.max(...Array.from(tiltTrackingError(actual, setpoint, STEADY).t)) <= 20.5);
  });
});

describe('PX4 configured attitude response', () => {
  it('comes from the log parameters, the slower axis bounding it, and falls back to PX4 defaults', () => {
    const r = px4AttitudeResponse(
      new Map([
        ['MC_ROLL_P', 4],
        ['MC_PITCH_P', 5],
        ['MC_ROLLRATE_MAX', 70],
        ['MC_PITCHRATE_MAX', 90],
      ]),
    );
    assert.equal(r.gain, 4);
    assert.ok(Math.abs(r.rateMax / DEG - 70) < 1e-9);
    assert.match(r.source, /log parameters/);
    const d = px4AttitudeResponse(new Map([['MC_ROLL_P', Number.NaN]]));
    assert.equal(d.gain, 6.5);
    assert.ok(Math.abs(d.rateMax / DEG - 220) < 1e-9);
    assert.match(d.source, /PX4 defaults/);
  });
  it('a vehicle answering as configured (MC_ROLL_P 2) passes, though its raw error stays above 10° for 0.55 s per step', () => {
    const s = squareWaveFlight(2, 'px4', [
      ['MC_ROLL_P', 2],
      ['MC_PITCH_P', 2],
    ]);
    assert.ok(
      totalAbove(trackingError(s.attitude.roll!, s.attitudeSetpoint.roll!, STEADY), 10) > 5,
      'the raw comparison would fail',
    );
    const f = attitudeTrackingCheck.run(context(s))[0]!;
    assert.equal(f.status, 'pass', f.reason);
    assert.equal(f.evidence.values.referenceGainPerS, 2);
    assert.ok(f.suppressions.some((x) => x.id === 'configured_response'));
  });
  it('a vehicle four times slower than its configuration warns; one that does not answer ±30° steps fails', () => {
    const params: [string, number][] = [
      ['MC_ROLL_P', 2],
      ['MC_PITCH_P', 2],
    ];
    assert.equal(attitudeTrackingCheck.run(context(squareWaveFlight(0.5, 'px4', params)))[0]!.status, 'warn');
    assert.equal(
      attitudeTrackingCheck.run(context(squareWaveFlight(0, 'px4', params, 30)))[0]!.status,
      'fail',
    );
  });
  it('ArduPilot logs the shaped target, so the same slow answer is judged without a model', () => {
    const f = attitudeTrackingCheck.run(context(squareWaveFlight(2, 'ardupilot')))[0]!;
    assert.equal(f.status, 'fail');
    assert.equal(f.evidence.values.referenceGainPerS, undefined);
  });
});
