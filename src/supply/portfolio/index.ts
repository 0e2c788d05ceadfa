/** Whole-portfolio risk scoring: typed (array) inputs, the bulk kernel, summaries and alert decisions. */
export {
  PortfolioItemsBuilder,
  buildSuppliers,
  SUPPLY_RISK_ENGINE_VERSION,
  DEFAULT_LEAD_TIME,
  DEFAULT_SPREAD_RATIO,
  type PortfolioInput,
  type PortfolioItems,
  type PortfolioOptions,
  type PortfolioSuppliers,
} from './portfolio-input.js';
export { quantizeOffer, checkEvents, LeadTimeTable, type LeadTimeEntry } from './lead-time-table.js';
export {
  allocateScores,
  prepareRun,
  scoreSlice,
  scorePortfolio,
  settingsDigest,
  itemRiskInput,
  itemLeadTime,
  itemDemand,
  type ItemError,
  type PortfolioScores,
  type ScoringRun,
  type SliceReport,
} from './portfolio-scorer.js';
export { partitionBySupplier } from './portfolio-partition.js';
export {
  summarizePortfolio,
  fleetCaps,
  PORTFOLIO_ASSUMPTIONS,
  type GroupDimension,
  type GroupTotals,
  type ExposureTotals,
  type PortfolioSummary,
} from './portfolio-summary.js';
export { decideTransitions, suppliersTouchedBy, itemsOfSuppliers, type LevelTransition } from './portfolio-alerts.js';
