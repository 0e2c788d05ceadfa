import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import type { Criticality, RiskLevel } from '../../api/supply';
import { Badge } from '../../components/ui';

/** Display helpers and the tab strip shared by the supply pages. */

// narrowSymbol: "$12" in every locale (en-GB would otherwise print "US$12" next to "$1.2M").
const usd0 = new Intl.NumberFormat(undefined, {
  style: 'currency',
  currency: 'USD',
  currencyDisplay: 'narrowSymbol',
  maximumFractionDigits: 0,
});
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** $1.2M for headlines, $12,345 below a hundred thousand. */
export function money(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Math.abs(n) >= 100_000 ? `$${compact.format(n)}` : usd0.format(n);
}
export const pct = (p: number | null | undefined, digits = 1) =>
  p === null || p === undefined || !Number.isFinite(p) ? '—' : `${(p * 100).toFixed(digits)} %`;
export const num = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : Number(n.toFixed(digits)).toLocaleString();

export const LEVEL_TONE: Record<RiskLevel, 'ok' | 'warn' | 'danger' | 'info'> = {
  low: 'ok',
  moderate: 'warn',
  high: 'danger',
  critical: 'danger',
};
export function LevelBadge({ level }: { level: RiskLevel | null | undefined }) {
  if (!level) return <span className="muted">—</span>;
  return (
    <span className={`level level-${level}`} data-level={level}>
      <Badge tone={LEVEL_TONE[level]}>{level}</Badge>
    </span>
  );
}

export const CRITICALITY_LABEL: Record<Criticality, string> = {
  no_go: 'No-go',
  go_if: 'Go-if',
  go: 'Go',
  non_essential: 'Non-essential',
};
export const criticalityLabel = (c: string | null | undefined) =>
  c ? (CRITICALITY_LABEL[c as Criticality] ?? c) : '—';

/** Level colours for charts (the palette's danger plus fixed warm tones that read in both themes). */
export const LEVEL_COLOR: Record<RiskLevel, string> = {
  critical: '#b91c1c',
  high: '#ea580c',
  moderate: '#d97706',
  low: '#16a34a',
};

const TABS: readonly { to: string; label: string; end?: boolean }[] = [
  { to: '/supply', label: 'Overview', end: true },
  { to: '/supply/risk', label: 'Risk ranking' },
  { to: '/supply/alerts', label: 'Alerts' },
  { to: '/supply/parts', label: 'Inventory' },
  { to: '/supply/suppliers', label: 'Suppliers' },
  { to: '/supply/risk-events', label: 'Risk events' },
  { to: '/supply/imports', label: 'Imports' },
];

/** Second-level navigation inside Supply. */
export function SupplyTabs({ extra }: { extra?: ReactNode }) {
  return (
    <nav className="supply-tabs" aria-label="Supply">
      {TABS.map((t) => (
        <NavLink
          key={t.to}
          to={t.to}
          end={t.end}
          className={({ isActive }) => `supply-tab${isActive ? ' active' : ''}`}
        >
          {t.label}
        </NavLink>
      ))}
      {extra}
    </nav>
  );
}
