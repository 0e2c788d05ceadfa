export { createDemoDataset, DEFAULT_AS_OF, DEFAULT_MONTHS, DEMO_LIMITS, type DemoDataset, type DemoOptions } from './demo.generator.js';
export { parseRafSeries } from './raf-series.parser.js';
export type { DemandProfile, RafSeries } from './demand-profile.model.js';
export type * from './demo-rows.js';
