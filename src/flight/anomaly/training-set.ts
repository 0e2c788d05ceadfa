/**
 * Which real logs the committed model is fitted on, per vehicle class. Only flights that
 * ../shared/flightlogs/SOURCES.md and our own reading call benign are used; faulty flights are kept
 * out so they stay available as positives (see docs/flight/anomaly-model.md for each decision).
 */
import type { AnomalyVehicleClass } from './anomaly-model.js';

export interface TrainingLog {
  readonly file: string;
  readonly vehicleClass: AnomalyVehicleClass;
}

export const ANOMALY_TRAINING_SET: readonly TrainingLog[] = [
  { file: 'ardupilot_copter_4.1.3_good_prop_hover_1.BIN', vehicleClass: 'multirotor' },
  { file: 'px4_esc_status_log_mission_rtl.ulg', vehicleClass: 'multirotor' },
  { file: 'px4_quadrotor_local_lowbatt_failsafe.ulg', vehicleClass: 'multirotor' },
  { file: 'ardupilot_plane_erle_05_12_2014_E.BIN', vehicleClass: 'fixed_wing' },
  { file: 'ardupilot_rover_erle_61.BIN', vehicleClass: 'rover' },
];
