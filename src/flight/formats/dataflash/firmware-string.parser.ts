/**
 * Recognises the banner strings ArduPilot writes into MSG at log start, which are the only reliable
 * place old (2014) logs name the vehicle family: "ArduCopter V4.1.3 (2fb939a1)",
 * "ArduPlane V3.1.2beta1 (834f90e8)", "ArduRover v2.46beta2 (d01fa3bf)", "APM:Copter V3.2", and the
 * "Frame: QUAD/X" line.
 */

export interface FirmwareBanner {
  /** The whole banner, e.g. `ArduCopter V4.1.3 (2fb939a1)`. */
  readonly firmware: string;
  /** The vehicle string as written, e.g. `ArduCopter`, `APM:Plane`, `Rover`. */
  readonly vehicle: string;
  /** Normalised family: copter, plane, rover, sub, tracker, blimp. */
  readonly vehicleType: string;
  /** Version without the leading V, e.g. `4.1.3`, `3.1.2beta1`. */
  readonly version: string;
  /** Git hash in parentheses when present. */
  readonly gitHash?: string;
}

const BANNER =
  /^(ArduCopter|ArduPlane|ArduRover|ArduSub|AntennaTracker|Blimp|APM:Copter|APM:Plane|APM:Rover|ArduTracker|Rover|Copter|Plane|Sub)\s+[Vv]?(\d[\w.+-]*)(?:\s*\(([0-9a-fA-F]+)\))?/;

function familyOf(vehicle: string): string {
  const v = vehicle.toLowerCase();
  if (v.includes('copter')) return 'copter';
  if (v.includes('plane')) return 'plane';
  if (v.includes('rover')) return 'rover';
  if (v.includes('sub')) return 'sub';
  if (v.includes('tracker')) return 'tracker';
  return 'blimp';
}

/** Returns the parsed banner, or undefined when the text is not a firmware banner. */
export function parseFirmwareBanner(text: string): FirmwareBanner | undefined {
  const m = BANNER.exec(text.trim());
  if (!m) return undefined;
  const vehicle = m[1]!;
  const banner: FirmwareBanner = {
    firmware: text.trim(),
    vehicle,
    vehicleType: familyOf(vehicle),
    version: m[2]!,
  };
  return m[3] === undefined ? banner : { ...banner, gitHash: m[3] };
}

/** "Frame: QUAD/X" → "QUAD/X"; undefined for other text. */
export function parseFrameBanner(text: string): string | undefined {
  const m = /^Frame:\s*(.+)$/.exec(text.trim());
  return m ? m[1]!.trim() : undefined;
}
