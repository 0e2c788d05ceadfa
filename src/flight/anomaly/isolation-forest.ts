/**
 * A small isolation forest (Liu, Ting & Zhou 2008) written for this engine rather than taken from
 * npm: the two packages there (`isolation-forest` 0.0.9, `ml-isolation-forest` 0.1.0) are single-
 * release projects without a seed parameter, missing-value handling, per-feature attribution or a
 * stable serialised form — the four things the anomaly model needs to be auditable.
 *
 * Invariants:
 * - Deterministic: the same rows, options and seed give the same forest, bit for bit (thresholds are
 *   rounded to 6 significant digits at fit time, so the JSON form round-trips exactly).
 * - Missing values are `NaN`. At a split on a feature the row does not have, the path continues down
 *   both children, weighted by the share of training rows that went each way (the expected path
 *   length over the feature's unknown value). A missing feature therefore neither isolates a row nor
 *   hides it, and it can never receive an attribution.
 * - Attribution is by occlusion: a feature's contribution is how much the anomaly score drops when
 *   that feature is marginalised out as if missing (score units, can be negative).
 */

/** mulberry32: tiny, fast and reproducible from a 32-bit seed (not for security). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SplitNode {
  readonly feature: number;
  readonly threshold: number;
  /** Share of training rows (with the feature present) that went left: the weight for a missing value. */
  readonly leftShare: number;
  /** Range of the split feature over the node's training rows (for out-of-range isolation). */
  readonly min: number;
  readonly max: number;
  readonly left: TreeNode;
  readonly right: TreeNode;
}
export interface LeafNode {
  readonly size: number;
}
export type TreeNode = SplitNode | LeafNode;

export interface IsolationForest {
  readonly featureCount: number;
  readonly sampleSize: number;
  readonly trees: readonly TreeNode[];
}

export interface ForestOptions {
  readonly trees: number;
  readonly sampleSize: number;
  readonly seed: number;
}

const EULER_GAMMA = 0.5772156649;

/** c(n) for the leaf sizes a forest has (n ≤ its sample size), computed once: scoring reads it per leaf. */
const AVERAGE_PATH_LENGTHS = Float64Array.from({ length: 4096 }, (_, n) => averagePathLengthOf(n));

/** Average path length of an unsuccessful BST search over n points: the depth normaliser c(n). */
export function averagePathLength(n: number): number {
  return Number.isInteger(n) && n >= 0 && n < AVERAGE_PATH_LENGTHS.length ? AVERAGE_PATH_LENGTHS[n]! : averagePathLengthOf(n);
}

function averagePathLengthOf(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

const round6 = (v: number): number => Number(v.toPrecision(6));

/** Fits a forest on rows of equal length (`NaN` = missing). Throws on an empty or ragged matrix. */
export function fitIsolationForest(rows: readonly Float64Array[], options: ForestOptions): IsolationForest {
  const featureCount = rows[0]?.length ?? 0;
  if (rows.length === 0 || featureCount === 0)
    throw new RangeError('isolation forest needs at least one row and one feature');
  if (rows.some((r) => r.length !== featureCount))
    throw new RangeError('isolation forest rows differ in length');
  const rand = seededRandom(options.seed);
  const sampleSize = Math.max(2, Math.min(options.sampleSize, rows.length));
  const maxDepth = Math.ceil(Math.log2(sampleSize));
  const trees: TreeNode[] = [];
  for (let t = 0; t < options.trees; t++) {
    const sample = sampleWithoutReplacement(rows.length, sampleSize, rand).map((i) => rows[i]!);
    trees.push(buildTree(sample, 0, maxDepth, featureCount, rand));
  }
  return { featureCount, sampleSize, trees };
}

function sampleWithoutReplacement(n: number, k: number, rand: () => number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (n - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, k);
}

function buildTree(
  rows: Float64Array[],
  depth: number,
  maxDepth: number,
  featureCount: number,
  rand: () => number,
): TreeNode {
  if (depth >= maxDepth || rows.length <= 1) return { size: rows.length };
  const candidates: { feature: number; min: number; max: number }[] = [];
  for (let f = 0; f < featureCount; f++) {
    let min = Infinity;
    let max = -Infinity;
    for (const r of rows) {
      const v = r[f]!;
      if (Number.isNaN(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (max > min) candidates.push({ feature: f, min, max });
  }
  if (candidates.length === 0) return { size: rows.length };
  const c = candidates[Math.floor(rand() * candidates.length)]!;
  let threshold = round6(c.min + rand() * (c.max - c.min));
  if (!(threshold > c.min && threshold <= c.max)) threshold = c.max;
  const left: Float64Array[] = [];
  const right: Float64Array[] = [];
  const missing: Float64Array[] = [];
  for (const r of rows) {
    const v = r[c.feature]!;
    if (Number.isNaN(v)) missing.push(r);
    else if (v < threshold) left.push(r);
    else right.push(r);
  }
  const leftShare = round6(left.length / (left.length + right.length));
  for (const r of missing) (rand() < leftShare ? left : right).push(r);
  return {
    feature: c.feature,
    threshold,
    leftShare,
    // Rounded outwards only (exact where rounding would cut into the range), so min < threshold ≤ max holds.
    min: round6(c.min) <= c.min ? round6(c.min) : c.min,
    max: round6(c.max) >= c.max ? round6(c.max) : c.max,
    left: buildTree(left, depth + 1, maxDepth, featureCount, rand),
    right: buildTree(right, depth + 1, maxDepth, featureCount, rand),
  };
}

const isLeaf = (n: TreeNode): n is LeafNode => (n as SplitNode).left === undefined;

/**
 * A forest's trees in flat preorder arrays (a split's left child is the next node), built once per
 * forest for scoring: walking typed arrays instead of node objects, with each leaf's c(size) stored.
 * The arithmetic is the tree walk's, in the same order, so scores are bit-identical.
 */
interface FlatForest {
  readonly roots: Int32Array;
  /** Split feature, or -1 for a leaf. */
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly leftShare: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** Index of a split's right child. */
  readonly right: Int32Array;
  /** A leaf's averagePathLength(size). */
  readonly leafDepth: Float64Array;
}

const flatForests = new WeakMap<IsolationForest, FlatForest>();

/** Out-of-range probabilities along the current path (a tree is at most 64 deep, see deserialiseForest). */
const PATH_PS = new Float64Array(1024);

function flatten(forest: IsolationForest): FlatForest {
  let nodes = 0;
  const count = (node: TreeNode): void => {
    nodes++;
    if (!isLeaf(node)) {
      count(node.left);
      count(node.right);
    }
  };
  forest.trees.forEach(count);
  const flat: FlatForest = {
    roots: new Int32Array(forest.trees.length),
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    leftShare: new Float64Array(nodes),
    min: new Float64Array(nodes),
    max: new Float64Array(nodes),
    right: new Int32Array(nodes),
    leafDepth: new Float64Array(nodes),
  };
  let at = 0;
  const put = (node: TreeNode): void => {
    const i = at++;
    if (isLeaf(node)) {
      flat.feature[i] = -1;
      flat.leafDepth[i] = averagePathLength(node.size);
      return;
    }
    flat.feature[i] = node.feature;
    flat.threshold[i] = node.threshold;
    flat.leftShare[i] = node.leftShare;
    flat.min[i] = node.min;
    flat.max[i] = node.max;
    put(node.left);
    flat.right[i] = at;
    put(node.right);
  };
  forest.trees.forEach((tree, t) => {
    flat.roots[t] = at;
    put(tree);
  });
  return flat;
}

/**
 * Expected path length of `row` from node `i` at `depth`; `masked` marks a feature to treat as missing.
 *
 * A value outside the node's training range [min, max] would have been cut off by a random
 * threshold drawn over the range that includes it with probability `p = distance / widened range`;
 * with that probability the row is isolated right below this node. Plain isolation forests send such
 * a value down with the most extreme training row, so every value beyond the range scores alike and
 * a fault in one of many features barely registers; this keeps the score growing with the distance.
 */
function pathLength(f: FlatForest, i: number, row: Float64Array, depth: number, masked: number, stack: number): number {
  // Descend while the row has the split feature, keeping each level's out-of-range probability;
  // then fold p·(depth + 1) + (1 − p)·below from the bottom up — the recursion's arithmetic, in its order.
  const ps = PATH_PS;
  let top = stack;
  let node = i;
  let d = depth;
  let below: number;
  for (;;) {
    const feature = f.feature[node]!;
    if (feature < 0) {
      below = d + f.leafDepth[node]!;
      break;
    }
    const v = feature === masked ? NaN : row[feature]!;
    if (Number.isNaN(v)) {
      const share = f.leftShare[node]!;
      below =
        share * pathLength(f, node + 1, row, d + 1, masked, top) +
        (1 - share) * pathLength(f, f.right[node]!, row, d + 1, masked, top);
      break;
    }
    const min = f.min[node]!;
    const max = f.max[node]!;
    ps[top++] = v < min ? (min - v) / (max - v) : v > max ? (v - max) / (v - min) : 0;
    node = v < f.threshold[node]! ? node + 1 : f.right[node]!;
    d++;
  }
  while (top > stack) {
    const p = ps[--top]!;
    d--;
    below = p * (d + 1) + (1 - p) * below;
  }
  return below;
}

function scoreMasked(forest: IsolationForest, row: Float64Array, masked: number): number {
  let flat = flatForests.get(forest);
  if (!flat) flatForests.set(forest, (flat = flatten(forest)));
  let sum = 0;
  for (let t = 0; t < flat.roots.length; t++) sum += pathLength(flat, flat.roots[t]!, row, 0, masked, 0);
  const mean = sum / forest.trees.length;
  return 2 ** (-mean / averagePathLength(forest.sampleSize));
}

/** Anomaly score in (0, 1): ~0.5 ordinary, towards 1 isolated quickly (unusual). */
export function anomalyScore(forest: IsolationForest, row: Float64Array): number {
  if (row.length !== forest.featureCount) throw new RangeError('row length differs from the forest');
  return scoreMasked(forest, row, -1);
}

/**
 * Per-feature occlusion attribution: `score(row) − score(row with feature f missing)`. Positive means
 * the feature's actual value made the row more isolated; missing features get exactly 0.
 */
export function featureContributions(forest: IsolationForest, row: Float64Array): Float64Array {
  const base = anomalyScore(forest, row);
  const out = new Float64Array(forest.featureCount);
  for (let f = 0; f < forest.featureCount; f++)
    out[f] = Number.isNaN(row[f]!) ? 0 : base - scoreMasked(forest, row, f);
  return out;
}

// ---- serialisation: one flat preorder number array per tree (split: f, threshold, leftShare, min, max; leaf: -1, size)

export interface SerialisedForest {
  readonly featureCount: number;
  readonly sampleSize: number;
  readonly trees: readonly (readonly number[])[];
}

export function serialiseForest(forest: IsolationForest): SerialisedForest {
  const encode = (node: TreeNode, out: number[]): void => {
    if (isLeaf(node)) {
      out.push(-1, node.size);
      return;
    }
    out.push(node.feature, node.threshold, node.leftShare, node.min, node.max);
    encode(node.left, out);
    encode(node.right, out);
  };
  return {
    featureCount: forest.featureCount,
    sampleSize: forest.sampleSize,
    trees: forest.trees.map((t) => {
      const out: number[] = [];
      encode(t, out);
      return out;
    }),
  };
}

/** Rebuilds a forest; throws RangeError on any structural inconsistency (hand-edited or corrupt JSON). */
export function deserialiseForest(s: SerialisedForest): IsolationForest {
  if (typeof s !== 'object' || s === null) throw new RangeError('forest is not an object');
  const { featureCount, sampleSize } = s;
  if (!Number.isInteger(featureCount) || featureCount < 1 || !Number.isInteger(sampleSize) || sampleSize < 2)
    throw new RangeError('forest header is invalid');
  if (!Array.isArray(s.trees) || s.trees.length === 0) throw new RangeError('forest has no trees');
  const trees = s.trees.map((tree: unknown, ti) => {
    if (!Array.isArray(tree)) throw new RangeError(`tree ${ti} is not an array`);
    const flat: readonly unknown[] = tree;
    let pos = 0;
    const read = (): number => {
      const v = flat[pos++];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new RangeError(`tree ${ti} is truncated or holds a non-number`);
      return v;
    };
    const decode = (depth: number): TreeNode => {
      if (depth > 64) throw new RangeError(`tree ${ti} is too deep`);
      const tag = read();
      if (tag === -1) return { size: read() };
      if (!Number.isInteger(tag) || tag < 0 || tag >= featureCount)
        throw new RangeError(`tree ${ti} names feature ${tag}`);
      const threshold = read();
      const leftShare = read();
      const min = read();
      const max = read();
      if (leftShare < 0 || leftShare > 1) throw new RangeError(`tree ${ti} has a share outside 0..1`);
      if (!(min < max && threshold > min && threshold <= max))
        throw new RangeError(`tree ${ti} has a threshold outside its range`);
      const left = decode(depth + 1);
      const right = decode(depth + 1);
      return { feature: tag, threshold, leftShare, min, max, left, right };
    };
    const root = decode(0);
    if (pos !== flat.length) throw new RangeError(`tree ${ti} has trailing values`);
    return root;
  });
  return { featureCount, sampleSize, trees };
}
