/**
 * Orders engine and model versions such as `1.0.0+thresholds.1.2.0`. Semver ignores build metadata, but our
 * thresholds version lives there and a thresholds change must count as newer, so every number in the string
 * is compared in order (then the string itself, for a stable order of non-numeric differences).
 */
export function compareVersions(a: string, b: string): number {
  const na = a.match(/\d+/g)?.map(Number) ?? [];
  const nb = b.match(/\d+/g)?.map(Number) ?? [];
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d !== 0) return Math.sign(d);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether a stored analysis made with `stored` versions should be replaced by one made with `running`: only
 * when something the running worker has is newer (a worker left on an old release during a rolling deploy
 * never overwrites a newer analysis). A missing anomaly model is older than any.
 */
export function isOutdated(
  stored: { engineVersion: string; anomalyModelVersion: string | null },
  running: { engineVersion: string; anomalyModelVersion: string | null },
): boolean {
  const engine = compareVersions(stored.engineVersion, running.engineVersion);
  if (engine !== 0) return engine < 0;
  if (stored.anomalyModelVersion === running.anomalyModelVersion) return false;
  if (running.anomalyModelVersion === null) return false;
  return stored.anomalyModelVersion === null || compareVersions(stored.anomalyModelVersion, running.anomalyModelVersion) < 0;
}
