/**
 * PX4 vehicle and firmware facts: the ULog info block (`ver_sw`, `ver_sw_release`, `ver_hw`) and the
 * parameters the vehicle-type detector weighs. Absent parameters stay absent (CA_* exist only from ~1.14).
 */
import type { DecodedLog } from '../formats/decoded-log.js';
import type { VehicleInfo } from './flight-signals.js';
import { findSeries, maxOf, numericColumn } from './signal-series.js';

/** Decodes `ver_sw_release` (0xMMmmppTT): TT 255 release, ≥192 rc, ≥128 beta, ≥64 alpha, else dev. */
export function px4ReleaseVersion(release: number): string | undefined {
  if (!Number.isFinite(release) || release <= 0) return undefined;
  const major = (release >>> 24) & 0xff;
  const minor = (release >>> 16) & 0xff;
  const patch = (release >>> 8) & 0xff;
  const type = release & 0xff;
  const suffix =
    type >= 255 ? '' : type >= 192 ? '-rc' : type >= 128 ? '-beta' : type >= 64 ? '-alpha' : '-dev';
  return `${major}.${minor}.${patch}${suffix}`;
}

/** Firmware, hardware and the airframe the log declares (MAV_TYPE, SYS_AUTOSTART, VT_TYPE, CA_AIRFRAME, is_vtol). */
export function px4VehicleInfo(log: DecodedLog): VehicleInfo {
  const str = (k: string): string | undefined => {
    const v = log.info.get(k);
    return v === undefined ? undefined : String(v);
  };
  const param = (k: string): number | undefined => log.parameters.get(k);
  const status = findSeries(log, 'vehicle_status');
  const isVtolCol = numericColumn(status, 'is_vtol');
  const version = px4ReleaseVersion(Number(log.info.get('ver_sw_release') ?? NaN));
  const declared = {
    ...(param('MAV_TYPE') !== undefined ? { mavType: param('MAV_TYPE') } : {}),
    ...(param('SYS_AUTOSTART') !== undefined ? { sysAutostart: param('SYS_AUTOSTART') } : {}),
    ...(param('VT_TYPE') !== undefined ? { vtType: param('VT_TYPE') } : {}),
    ...(param('CA_AIRFRAME') !== undefined ? { caAirframe: param('CA_AIRFRAME') } : {}),
    ...(isVtolCol ? { isVtol: maxOf(isVtolCol) > 0 } : {}),
  };
  const firmware = [str('ver_sw_branch'), str('ver_sw')].filter(Boolean).join(' ');
  return {
    autopilot: 'px4',
    logFormat: log.format,
    ...(firmware ? { firmware } : {}),
    ...(version ? { firmwareVersion: version } : {}),
    ...(str('ver_hw') ? { hardware: str('ver_hw') } : {}),
    declared,
  };
}
