/**
 * Canonical JSON for hashing: object keys sorted by UTF-16 code unit (as RFC 8785 does), no whitespace,
 * numbers and strings as JSON.stringify writes them (RFC 8785 agrees for the integers, finite doubles and
 * strings we store). `undefined` members are dropped, as JSON would. Non-finite numbers are refused: they
 * do not round-trip through jsonb, so they could never verify.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new Error(`canonicalJson: unsupported ${typeof value}`);
  }
}
