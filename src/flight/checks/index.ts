/** The check catalogue, in report order. One file per family; each check always returns a finding. */
import type { FlightCheck } from './check.js';
import { attitudeTrackingCheck } from './attitude.check.js';
import { batteryCheck } from './battery.check.js';
import { compassCheck } from './compass.check.js';
import { crashCheck } from './crash.check.js';
import { estimatorSwitchCheck, innovationCheck } from './estimator.check.js';
import { failsafeCheck } from './failsafe.check.js';
import { neverFlewCheck } from './flight.check.js';
import { gpsGlitchCheck, gpsQualityCheck } from './gps.check.js';
import { loggingHealthCheck } from './logging.check.js';
import { motorFailureCheck, motorImbalanceCheck, motorSaturationCheck } from './motors.check.js';
import { boardPowerCheck } from './power.check.js';
import { rcLossCheck } from './rc.check.js';
import { spectralCheck } from './spectral.check.js';
import { thrustMarginCheck } from './thrust.check.js';
import { truncationCheck } from './truncation.check.js';
import { clippingCheck, vibrationLevelCheck } from './vibration.check.js';

export const CHECKS: readonly FlightCheck[] = [
  neverFlewCheck,
  crashCheck,
  truncationCheck,
  vibrationLevelCheck,
  clippingCheck,
  spectralCheck,
  batteryCheck,
  boardPowerCheck,
  gpsQualityCheck,
  gpsGlitchCheck,
  innovationCheck,
  estimatorSwitchCheck,
  compassCheck,
  motorImbalanceCheck,
  motorSaturationCheck,
  motorFailureCheck,
  thrustMarginCheck,
  attitudeTrackingCheck,
  rcLossCheck,
  failsafeCheck,
  loggingHealthCheck,
];

export type { FlightCheck, CheckContext, LogFacts } from './check.js';
export { THRESHOLDS, THRESHOLDS_VERSION, thresholdFor, vehicleClassOf } from './thresholds.table.js';
