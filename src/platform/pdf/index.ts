export type { PdfRenderer } from './pdf-renderer.js';
export { createChromiumPdfRenderer, DEFAULT_CHROMIUM_PATH, type ChromiumPdfOptions } from './chromium-pdf.renderer.js';
