/**
 * Vehicle type from what the log declares (strongest first: PX4 `vehicle_status.is_vtol`,
 * `MAV_TYPE`, `CA_AIRFRAME`, `SYS_AUTOSTART`; ArduPilot firmware family, `Q_ENABLE`, `FRAME_CLASS`,
 * Q-modes and transition messages), falling back to behaviour when nothing is declared.
 *
 * Each fact votes for a type with a weight; the type with most weight wins and the confidence is its
 * share of all weight, scaled by how strong the strongest fact is — so agreeing metadata gives ≈ 0.95+
 * and a lone weak hint stays low. Conflicts stay visible in `evidence`.
 */
import type { FlightSignals } from '../signals/flight-signals.js';
import type { VehicleEvidence, VehicleReport, VehicleType } from '../report/report.js';
import {
  AP_COPTER_FRAME_CLASS,
  AP_FRAME_TYPE,
  AP_ROVER_FRAME_CLASS,
  autostartKind,
  CA_AIRFRAME,
  FRAME_TEXT_ROTORS,
  MAV_TYPE,
  VT_TYPE,
  type AirframeKind,
} from './airframe-codes.table.js';
import { detectVehicleFromBehaviour } from './vehicle-behaviour.detector.js';

interface Vote extends VehicleEvidence {
  readonly kind: AirframeKind;
}

const Q_MODES = /^(QSTABILIZE|QHOVER|QLOITER|QLAND|QRTL|QAUTOTUNE|QACRO|LOITER_ALT_QLAND)$/;

function metadataVotes(s: FlightSignals): Vote[] {
  const d = s.vehicle.declared;
  const votes: Vote[] = [];
  const vote = (source: string, value: string | number | boolean, kind: AirframeKind | undefined, weight: number): void => {
    if (kind) votes.push({ source, value, kind, weight, implies: [kind.type, kind.subtype].filter(Boolean).join(' / ') });
  };
  if (d.isVtol) vote('vehicle_status.is_vtol', true, { type: 'vtol' }, 0.95);
  if (d.mavType !== undefined) vote('MAV_TYPE', d.mavType, MAV_TYPE[d.mavType], 0.9);
  if (d.caAirframe !== undefined) vote('param CA_AIRFRAME', d.caAirframe, CA_AIRFRAME[d.caAirframe], 0.9);
  if (d.sysAutostart !== undefined && d.sysAutostart > 0) vote('param SYS_AUTOSTART', d.sysAutostart, autostartKind(d.sysAutostart), 0.7);
  const fam = s.vehicle.ardupilotFamily;
  const fw = s.vehicle.firmware ?? fam ?? '';
  const p = s.parameters;
  if (fam === 'copter') {
    const fc = d.frameClass !== undefined ? AP_COPTER_FRAME_CLASS[d.frameClass] : undefined;
    vote('firmware string', fw, fc?.type === 'helicopter' ? fc : { type: 'multirotor' }, 0.9);
    if (fc) vote('param FRAME_CLASS', d.frameClass!, fc, 0.9);
    const text = d.frameText?.split('/')[0]?.toUpperCase();
    if (text && FRAME_TEXT_ROTORS[text]) vote('"Frame:" message', d.frameText!, FRAME_TEXT_ROTORS[text], 0.8);
  }
  if (fam === 'plane') {
    const q = d.qEnable ?? 0;
    const qModes = s.modes.filter((m) => Q_MODES.test(m.name));
    const transitions = s.messages.filter((m) => /transition/i.test(m.text));
    if (q >= 1 || qModes.length || transitions.length) {
      const sub = p.get('Q_TAILSIT_ENABLE') ? 'tailsitter' : p.get('Q_TILT_ENABLE') || p.get('Q_TILT_MASK') ? 'tiltrotor' : 'standard';
      vote('firmware string', fw, { type: 'fixed_wing' }, 0.5);
      if (q >= 1) vote('param Q_ENABLE', q, { type: 'vtol', subtype: sub }, 0.95);
      if (qModes.length) vote('Q-modes flown', qModes[0]!.name, { type: 'vtol', subtype: sub }, 0.9);
      if (transitions.length) vote('transition messages', transitions[0]!.text, { type: 'vtol', subtype: sub }, 0.8);
    } else {
      vote('firmware string', fw, { type: 'fixed_wing', subtype: 'plane' }, 0.9);
      if (d.qEnable === 0) vote('param Q_ENABLE', 0, { type: 'fixed_wing', subtype: 'plane' }, 0.5);
    }
  }
  if (fam === 'rover') {
    const fc = d.frameClass !== undefined ? AP_ROVER_FRAME_CLASS[d.frameClass] : undefined;
    vote('firmware string', fw, fc ?? { type: 'rover', subtype: 'ground_rover' }, 0.9);
  }
  if (fam === 'sub') vote('firmware string', fw, { type: 'boat', subtype: 'submarine' }, 0.9);
  if (fam === 'blimp') vote('firmware string', fw, { type: 'unknown', subtype: 'blimp' }, 0.9);
  if (d.sysidSwType !== undefined) {
    const kind: AirframeKind | undefined = { 0: { type: 'fixed_wing' as VehicleType }, 10: { type: 'multirotor' as VehicleType }, 20: { type: 'rover' as VehicleType } }[d.sysidSwType];
    if (!(fam === 'plane' && votes.some((v) => v.kind.type === 'vtol'))) vote('param SYSID_SW_TYPE', d.sysidSwType, kind, 0.5);
  }
  return votes;
}

function frameName(s: FlightSignals, kind: VehicleType): string | undefined {
  const d = s.vehicle.declared;
  if (kind !== 'multirotor') return d.sysAutostart ? `px4_airframe_${d.sysAutostart}` : undefined;
  const layout = d.frameType ?? d.frame;
  if (layout !== undefined && AP_FRAME_TYPE[layout]) return AP_FRAME_TYPE[layout];
  return d.sysAutostart ? `px4_airframe_${d.sysAutostart}` : undefined;
}

export function detectVehicleType(s: FlightSignals): VehicleReport {
  const votes = metadataVotes(s);
  if (votes.length === 0) return detectVehicleFromBehaviour(s);
  const byType = new Map<VehicleType, number>();
  for (const v of votes) byType.set(v.kind.type, (byType.get(v.kind.type) ?? 0) + v.weight);
  const [type, weight] = [...byType.entries()].sort((a, b) => b[1] - a[1])[0]!;
  const total = votes.reduce((sum, v) => sum + v.weight, 0);
  const strongest = Math.max(...votes.filter((v) => v.kind.type === type).map((v) => v.weight));
  const confidence = Math.min(0.99, Number(((weight / total) * (0.6 + 0.4 * strongest) + (votes.length > 1 ? 0.05 : 0)).toFixed(2)));
  const agreeing = votes.filter((v) => v.kind.type === type);
  let subtype = agreeing.find((v) => v.kind.subtype)?.kind.subtype;
  if (type === 'vtol' && s.vehicle.declared.vtType !== undefined) subtype = VT_TYPE[s.vehicle.declared.vtType] ?? subtype;
  const rotorCount = type === 'multirotor' ? agreeing.find((v) => v.kind.rotorCount)?.kind.rotorCount : undefined;
  const frame = frameName(s, type);
  const evidence = [...votes]
    .sort((a, b) => b.weight - a.weight)
    .map(({ source, value, implies, weight: w }) => ({ source, value, implies, weight: w }));
  return {
    type,
    ...(subtype ? { subtype } : {}),
    ...(frame ? { frame } : {}),
    ...(rotorCount ? { rotorCount } : {}),
    confidence,
    method: 'metadata',
    evidence,
  };
}

/** The same signals with everything that declares the airframe removed: for testing the fallback. */
export function stripVehicleMetadata(s: FlightSignals): FlightSignals {
  return {
    ...s,
    vehicle: { autopilot: 'unknown', logFormat: s.vehicle.logFormat, declared: {} },
    parameters: new Map(),
    messages: [],
    modes: [],
    system: s.system ? { ...s.system, vtolState: undefined } : undefined,
  };
}
