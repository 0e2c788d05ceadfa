export { renderLinePlot, PALETTE, type LinePlotSpec, type PlotSeries, type PlotBand, type PlotLine, type BandKind } from './line-plot.svg.js';
export { decimateMinMax, type Decimated, type DecimateOptions } from './decimate.js';
export { niceTicks, niceStep, formatTick, stepDecimals, type Ticks } from './ticks.js';
export { escapeXml } from './escape.js';
