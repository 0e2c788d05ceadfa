/** Intermittent-demand forecasting: classification, point forecasts and fitted demand distributions. */
export { classifyDemand, ADI_CUTOFF, CV2_CUTOFF, type DemandClass, type DemandClassification } from './classify.js';
export {
  FORECAST_METHODS,
  AUTO_DEFAULTS,
  ALPHA,
  SEASON,
  autoMethodFor,
  fitDemandDistribution,
  flatForecast,
  observed,
  pointForecast,
  seasonalNaive,
  type BaseMethod,
  type ForecastMethod,
  type ForecastOptions,
} from './methods.js';
export { adida, croston, crostonState, optimalSesAlpha, roundHalfEven, sba, sesLevel, sesSse, tsb } from './smoothing.js';
export { MomentDemandDistribution, quantileUnits, type PmfQuantile } from './distributions.js';
export { BootstrapDemandDistribution, fitBootstrap, type BootstrapOptions } from './bootstrap.js';
export { selectMethodByBacktest, type MethodSelection } from './select.js';
