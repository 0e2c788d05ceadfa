/**
 * A scoring thread of the portfolio worker pool: receives a slice of a portfolio (typed arrays in
 * SharedArrayBuffers, so nothing is copied), scores it with the pure kernel into the shared result
 * arrays and replies with the slice report.
 */
import { parentPort } from 'node:worker_threads';
import { prepareRun, scoreSlice, type PortfolioScores, type SliceReport } from '../../supply/portfolio/portfolio-scorer.js';
import type { PortfolioInput, PortfolioOptions } from '../../supply/portfolio/portfolio-input.js';

export interface SliceRequest {
  readonly id: number;
  readonly input: PortfolioInput;
  readonly options: PortfolioOptions;
  readonly order: Int32Array;
  readonly from: number;
  readonly to: number;
  readonly out: PortfolioScores;
}

export type SliceResponse =
  | { readonly id: number; readonly ok: true; readonly report: SliceReport }
  | { readonly id: number; readonly ok: false; readonly message: string };

const port = parentPort;
if (port) {
  port.on('message', (req: SliceRequest) => {
    try {
      const run = prepareRun(req.input, req.options);
      const report = scoreSlice(req.input, run, req.order, req.from, req.to, req.out);
      port.postMessage({ id: req.id, ok: true, report } satisfies SliceResponse);
    } catch (err) {
      port.postMessage({ id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies SliceResponse);
    }
  });
}
