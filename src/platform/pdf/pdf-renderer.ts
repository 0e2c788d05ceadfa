/**
 * Port for turning a self-contained HTML document into a PDF. The flight report is printed this way
 * (`renderReportHtml` → PDF) by the CLI and, later, the `/report.pdf` route; the adapter today is
 * headless Chromium (`createChromiumPdfRenderer`), chosen because it prints exactly what the HTML
 * report shows (inline SVG, print CSS for A4) without a new npm dependency.
 */
export interface PdfRenderer {
  /**
   * The PDF bytes (starting with `%PDF-`). Fails with an `AppError`: `PDF_RENDERER_UNAVAILABLE` (503)
   * when the renderer is not installed, `PDF_RENDER_TIMEOUT` (504), `PDF_RENDER_FAILED` (502) with
   * the renderer's own output.
   */
  renderPdf(html: string): Promise<Uint8Array>;
}
