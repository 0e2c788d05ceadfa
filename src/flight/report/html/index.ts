export { renderReportHtml, type ReportHtmlOptions } from './report.html.js';
export { buildPlotSections, type PlotSection, type PlotFigure, type SectionId } from './report-plots.js';
