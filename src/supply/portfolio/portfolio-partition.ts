import type { PortfolioItems } from './portfolio-input.js';

/**
 * Splits items into `parts` slices of about equal size such that all items of one supplier fall in
 * the same slice: each slice then builds the lead times of its own suppliers only, and no supplier's
 * lead time is built twice across threads. Greedy largest-first assignment of suppliers (LPT) keeps
 * the slices within one supplier's item count of each other. Items without a supplier go to
 * the lightest slice. Returns a permutation of item indexes and the slice bounds into it (O(n), no sort of items).
 */
export function partitionBySupplier(
  items: PortfolioItems,
  supplierCount: number,
  parts: number,
  shared = false,
): { order: Int32Array; bounds: number[] } {
  const n = items.count;
  const p = Math.max(1, Math.floor(parts));
  const perSupplier = new Int32Array(supplierCount);
  for (let i = 0; i < n; i++) {
    const s = items.supplier[i]!;
    if (s >= 0) perSupplier[s]!++;
  }
  const suppliers = Array.from({ length: supplierCount }, (_, s) => s).sort(
    (a, b) => perSupplier[b]! - perSupplier[a]!,
  );
  const load = new Float64Array(p);
  const sliceOf = new Int32Array(supplierCount);
  for (const s of suppliers) {
    let best = 0;
    for (let k = 1; k < p; k++) if (load[k]! < load[best]!) best = k;
    sliceOf[s] = best;
    load[best]! += perSupplier[s]!;
  }
  const sliceOfItem = new Int32Array(n);
  const counts = new Int32Array(p);
  for (let i = 0; i < n; i++) {
    const s = items.supplier[i]!;
    let k: number;
    if (s >= 0) k = sliceOf[s]!;
    else {
      // Unsourced items go to the lightest slice so far.
      k = 0;
      for (let j = 1; j < p; j++) if (load[j]! < load[k]!) k = j;
      load[k]!++;
    }
    sliceOfItem[i] = k;
    counts[k]!++;
  }
  const bounds = [0];
  for (let k = 0; k < p; k++) bounds.push(bounds[k]! + counts[k]!);
  const order = shared ? new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4)) : new Int32Array(n);
  const cursor = bounds.slice(0, p);
  for (let i = 0; i < n; i++) order[cursor[sliceOfItem[i]!]!++] = i;
  return { order, bounds };
}
