/** Backtests of the forecasting engine: CSV parsing, accuracy and achieved service level. */
export {
  parseSeriesCsv,
  SeriesCsvError,
  MAX_ABS_DEMAND,
  type DemandSeries,
  type ParseSeriesOptions,
  type SeriesCsvErrorCode,
  type SeriesSet,
} from './series-csv.js';
export {
  runBacktest,
  formatBacktestTable,
  scoreMethods,
  methodForecasters,
  countClasses,
  type BacktestOptions,
  type BacktestReport,
  type Forecaster,
  type ReportScores,
} from './backtest.js';
export { scoreSeries, type MethodScores, type SeriesScore } from './metrics.js';
export {
  serviceLevelBacktest,
  formatServiceLevelTable,
  defaultLeadTime,
  type ServiceCell,
  type ServiceLevelOptions,
  type ServiceLevelReport,
} from './service-level.js';
