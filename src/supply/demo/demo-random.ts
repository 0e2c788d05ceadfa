/**
 * Seeded randomness for the demo-data generator. Every entity row draws from its own stream, keyed
 * by (seed, stream name, index), so row i of any entity is the same whatever else was generated,
 * whichever order the entities are written in, and however many parts are asked for. That is what
 * lets the generator stream 500,000 parts without holding them: it re-derives a part's profile on
 * demand instead of remembering it. Not for anything security-related.
 */

/** 32-bit FNV-1a of a string: turns stream names into seeds. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32-style finaliser: spreads nearby inputs (index 1, 2, 3…) over the whole state space. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

export class DemoRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  /** A stream for `(seed, stream, index)`; the same triple always yields the same sequence. */
  static stream(seed: number, stream: string, index = 0): DemoRandom {
    return new DemoRandom(mix((seed >>> 0) ^ fnv1a(stream)), mix(index + 0x9e3779b9), mix(fnv1a(stream) + index), seed >>> 0);
  }

  private constructor(a: number, b: number, c: number, d: number) {
    // sfc32, warmed up so that close seeds diverge.
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d | 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in (0, 1): safe to take the log of. */
  open(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Picks by weight (weights need not sum to 1). */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    let total = 0;
    for (const item of items) total += weight(item);
    let u = this.next() * total;
    for (const item of items) {
      u -= weight(item);
      if (u < 0) return item;
    }
    return items[items.length - 1]!;
  }

  /** k distinct indices from [0, n), in draw order (k ≤ n). */
  distinct(n: number, k: number): number[] {
    const out: number[] = [];
    const seen = new Set<number>();
    while (out.length < Math.min(k, n)) {
      const i = this.int(n);
      if (!seen.has(i)) {
        seen.add(i);
        out.push(i);
      }
    }
    return out;
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return z;
    }
    for (;;) {
      const u = 2 * this.next() - 1;
      const v = 2 * this.next() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * f;
        return u * f;
      }
    }
  }

  /** Log-normal with the given median and log-space standard deviation. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Gamma(shape, scale = 1) by Marsaglia–Tsang (shape < 1 boosted). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.open(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.open();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Poisson(λ): multiplication method for small λ, rounded normal beyond 60 (error there is negligible for demo data). */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Negative binomial with the given mean and variance (Poisson when variance ≤ mean). */
  negBinomial(mean: number, variance: number): number {
    if (!(mean > 0)) return 0;
    if (variance <= mean * 1.0001) return this.poisson(mean);
    const r = (mean * mean) / (variance - mean);
    return this.poisson(this.gamma(r) * (mean / r));
  }
}
