import { RISK_LEVELS, type RiskLevel } from '../../supply/risk/risk-score.js';

/** No stored row (level state) or no level (a refused item). */
export const NO_LEVEL = 255;

/**
 * What `risk_scores` holds for each loaded item, index-aligned with the items: the loader reads it in
 * its own query (a LEFT JOIN), so a run compares new digests with the stored ones byte by byte in
 * item order — no per-item key string, Map or hex digest (those were ≈ 15 s of a 500k-item run).
 */
export interface StoredScores {
  /** Index into RISK_LEVELS of the stored hysteresis state; {@link NO_LEVEL} = never stored. */
  readonly levelState: Uint8Array;
  /** 32 bytes per item: the stored input digest (zeros when never stored). */
  readonly digest: Uint8Array;
  /** 1 when the stored row was computed by the engine version the loader was given. */
  readonly sameEngine: Uint8Array;
  /** What the last history row shows: score (NaN when refused), level ({@link NO_LEVEL} when refused), … */
  readonly score: Float64Array;
  readonly level: Uint8Array;
  readonly stockoutProbability: Float64Array;
  readonly expectedExposure: Float64Array;
}

/** The columns {@link readStoredScores} reads, selected from `risk_scores rs`; `engineVersion` is a query parameter. */
export const storedScoreColumns = (engineVersion: string): string =>
  `rs.level_state AS stored_state, encode(rs.input_digest, 'hex') AS stored_digest, rs.engine_version = ${engineVersion} AS stored_same_engine,
   rs.score AS stored_score, rs.level AS stored_level, rs.stockout_probability AS stored_p, rs.expected_exposure AS stored_exposure`;

export interface StoredScoreRow {
  stored_state: string | null;
  stored_digest: string | null;
  stored_same_engine: boolean | null;
  stored_score: number | null;
  stored_level: string | null;
  stored_p: number | null;
  stored_exposure: number | null;
}

const levelIndex = (level: string | null): number => (level === null ? NO_LEVEL : RISK_LEVELS.indexOf(level as RiskLevel));

export function readStoredScores(rows: readonly StoredScoreRow[]): StoredScores {
  const n = rows.length;
  const s = {
    levelState: new Uint8Array(n),
    digest: new Uint8Array(n * 32),
    sameEngine: new Uint8Array(n),
    score: new Float64Array(n),
    level: new Uint8Array(n),
    stockoutProbability: new Float64Array(n),
    expectedExposure: new Float64Array(n),
  };
  const digestBytes = Buffer.from(s.digest.buffer);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    s.levelState[i] = levelIndex(r.stored_state);
    // Hex straight into the item's slot: no Buffer per row.
    if (r.stored_digest !== null) digestBytes.write(r.stored_digest, i * 32, 32, 'hex');
    s.sameEngine[i] = r.stored_same_engine === true ? 1 : 0;
    s.score[i] = r.stored_score ?? Number.NaN;
    s.level[i] = levelIndex(r.stored_level);
    s.stockoutProbability[i] = r.stored_p ?? Number.NaN;
    s.expectedExposure[i] = r.stored_exposure ?? Number.NaN;
  }
  return s;
}

/**
 * Whether item `i` needs a new score row: never stored, stored by another engine version, or computed
 * from other inputs (`digest` holds 32 bytes per item, like {@link StoredScores.digest}).
 */
export function inputsChanged(stored: StoredScores, i: number, digest: Uint8Array): boolean {
  if (stored.levelState[i] === NO_LEVEL || stored.sameEngine[i] === 0) return true;
  const at = i * 32;
  for (let b = 0; b < 32; b++) if (stored.digest[at + b] !== digest[at + b]) return true;
  return false;
}

/**
 * Whether a new score differs from the stored one in what the history shows: level, engine version,
 * or score / stockout probability / expected exposure beyond their display precision (0.01 points,
 * 1e-6, half a dollar). A one-unit movement on a well-stocked item changes the input digest but
 * none of these (migration 0010).
 */
export function materiallyChanged(
  stored: StoredScores,
  i: number,
  next: { score: number; level: number; stockoutProbability: number; expectedExposure: number },
): boolean {
  if (stored.levelState[i] === NO_LEVEL || stored.sameEngine[i] === 0 || Number.isNaN(stored.score[i]!) || stored.level[i] !== next.level) return true;
  return Math.abs(stored.score[i]! - next.score) >= 0.005 || Math.abs(stored.stockoutProbability[i]! - next.stockoutProbability) >= 5e-7
    || Math.abs(stored.expectedExposure[i]! - next.expectedExposure) >= 0.5;
}
