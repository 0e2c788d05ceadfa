export { analyzeFlight, ENGINE_VERSION, type AnalyzeOptions } from './analyze-flight.js';
export { analyzeFlightLog } from './analyze-log.js';
