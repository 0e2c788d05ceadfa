/**
 * Behaviour fallback: the vehicle type from flight dynamics alone, for logs without usable metadata.
 * Deliberately conservative — it answers `unknown` rather than guess when the log shows no flight
 * (a bench log, a one-second fragment), and its confidence never exceeds 0.75.
 */
import type { FlightSignals } from '../signals/flight-signals.js';
import type { VehicleEvidence, VehicleReport } from '../report/report.js';
import { round } from '../analysis/series-window.js';
import { behaviourFeatures } from './behaviour-features.js';

const r = (x: number): number | string => round(x, 3) ?? 'n/a';

export function detectVehicleFromBehaviour(s: FlightSignals): VehicleReport {
  const f = behaviourFeatures(s);
  const ev = (source: string, value: string | number | boolean, implies: string, weight: number): VehicleEvidence => ({
    source: `behaviour: ${source}`,
    value,
    implies,
    weight,
  });
  if (f.tiltMedianDeg > 45 || f.throttleMin < -0.05) {
    const evidence: VehicleEvidence[] = [];
    if (f.throttleMin < -0.05) evidence.push(ev('lowest throttle command', r(f.throttleMin), 'reverse thrust: ground or water vehicle', 0.6));
    if (f.tiltMedianDeg > 45) evidence.push(ev('median tilt (deg)', r(f.tiltMedianDeg), 'no aircraft holds this attitude for minutes: ground vehicle or odd board mounting', 0.4));
    return { type: 'rover', confidence: evidence.length > 1 ? 0.7 : 0.55, method: 'behaviour', evidence };
  }
  if (f.liftChannels >= 3) {
    const evidence = [ev('output channels moving together at lift level', f.liftChannels, 'multirotor lift motors', 0.5)];
    if (f.hasAirspeed) {
      evidence.push(ev('airspeed sensor signal', true, 'wing-borne flight expected: VTOL', 0.3));
      return { type: 'vtol', confidence: 0.5, method: 'behaviour', evidence };
    }
    if (f.hoverS >= 10) evidence.push(ev('seconds hovering ≥ 2 m up at < 1.5 m/s', r(f.hoverS), 'multirotor', 0.3));
    const flyingS = (s.flying ?? []).reduce((sum, iv) => sum + iv.end - iv.start, 0);
    if (flyingS >= 10) evidence.push(ev('seconds flying (land detector)', r(flyingS), 'sustained powered flight', 0.2));
    return { type: 'multirotor', rotorCount: f.liftChannels, confidence: evidence.length > 1 ? 0.75 : 0.5, method: 'behaviour', evidence };
  }
  if (f.fastAirborneS >= 30 || f.hasAirspeed) {
    const evidence: VehicleEvidence[] = [];
    if (f.fastAirborneS >= 30) evidence.push(ev('seconds airborne above 8 m/s', r(f.fastAirborneS), 'wing-borne flight', 0.5));
    if (f.hasAirspeed) evidence.push(ev('airspeed sensor signal', true, 'fixed wing', 0.3));
    if (f.liftChannels === 0) evidence.push(ev('lift-motor channels', 0, 'no multirotor lift group', 0.2));
    return { type: 'fixed_wing', confidence: evidence.length > 1 ? 0.7 : 0.55, method: 'behaviour', evidence };
  }
  return {
    type: 'unknown',
    confidence: 0,
    method: 'none',
    evidence: [ev('flight dynamics', `no flight to judge (airborne ${r(f.hoverS + f.fastAirborneS)} s, ${f.liftChannels} moving output channels)`, 'unknown', 0)],
  };
}
