import { Suspense, useState } from 'react';
import { FLIGHT_PERM } from '../api/flights';
import { SUPPLY_PERM } from '../api/supply';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useMe, useSession } from '../auth/session';
import { PERM } from '../auth/permissions';
import { useTheme } from '../lib/theme';
import { Icon, Logo, type IconName } from './icons';
import { LoadingBlock } from './ui';

/** Engine-area glyphs (24×24 stroke paths) kept here so the shared icon set stays unchanged. */
const GLYPHS = {
  flights: 'M2 16l20-7-20-7 4 7zm4-7h8',
  aircraft: 'M12 2v20M5 9h14M7 20h10M9 5h6',
  fleet: 'M3 20h18M6 16v-5m5 5V7m5 9v-7m4 7V4',
  supply: 'M21 8l-9-5-9 5v8l9 5 9-5zM3 8l9 5 9-5M12 13v8',
  bell: 'M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0',
} as const;

function Glyph({ d }: { d: string }) {
  return (
    <svg
      width={18}
      height={18}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={d} />
    </svg>
  );
}

interface NavItem {
  to: string;
  label: string;
  icon: IconName;
  /** Drawn instead of `icon` in the sidebar (pages that only list `icon` still work). */
  glyph?: keyof typeof GLYPHS;
  /** Permission needed to see the item; none means every signed-in user. */
  perm?: string;
}

/** Navigation, in order. An item is shown only when the user's permissions allow it. */
export const NAV: readonly NavItem[] = [
  { to: '/', label: 'Overview', icon: 'overview' },
  { to: '/flights', label: 'Flights', icon: 'inbox', glyph: 'flights', perm: FLIGHT_PERM.flightsRead },
  { to: '/fleet', label: 'Fleet risk', icon: 'overview', glyph: 'fleet', perm: FLIGHT_PERM.flightsRead },
  { to: '/aircraft', label: 'Aircraft', icon: 'roles', glyph: 'aircraft', perm: FLIGHT_PERM.aircraftRead },
  { to: '/supply', label: 'Supply risk', icon: 'overview', glyph: 'supply', perm: SUPPLY_PERM.supplyRead },
  { to: '/supply/alerts', label: 'Alerts', icon: 'alert', glyph: 'bell', perm: SUPPLY_PERM.alertsRead },
  { to: '/users', label: 'Users', icon: 'users', perm: PERM.usersRead },
  { to: '/roles', label: 'Roles', icon: 'roles', perm: PERM.rolesRead },
  { to: '/api-keys', label: 'API keys', icon: 'key', perm: PERM.apiKeysRead },
  { to: '/audit', label: 'Audit log', icon: 'audit', perm: PERM.auditRead },
  { to: '/profile', label: 'Profile & sessions', icon: 'profile' },
];

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (
    ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase() ||
    '?'
  );
}

export function ThemeToggle() {
  const theme = useTheme();
  const next = theme.effective === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="icon-btn"
      onClick={theme.toggle}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      data-testid="theme-toggle"
    >
      <Icon name={theme.effective === 'dark' ? 'sun' : 'moon'} />
    </button>
  );
}

/** The signed-in layout: sidebar navigation filtered by permission, top bar, and the routed page. */
export function AppFrame() {
  const me = useMe();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const items = NAV.filter((i) => !i.perm || me.can(i.perm));

  const onSignOut = async () => {
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      setSigningOut(false);
      void navigate('/login', { replace: true });
    }
  };

  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <Logo />
          <div>
            <div className="brand-name">Skyguard</div>
            <div className="brand-sub">Operational risk</div>
          </div>
        </div>
        <nav aria-label="Main" className="nav">
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <NavLink
                  to={item.to}
                  end={item.to === '/' || item.to === '/supply'}
                  className={({ isActive }) => `nav-link${isActive ? ' active' : ''}`}
                >
                  {item.glyph ? <Glyph d={GLYPHS[item.glyph]} /> : <Icon name={item.icon} />}
                  <span>{item.label}</span>
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-foot muted small">
          Tenant <strong>{me.user.tenantSlug}</strong>
        </div>
      </aside>
      <div className="main-col">
        <header className="topbar">
          <div className="topbar-spacer" />
          <ThemeToggle />
          <NavLink to="/profile" className="user-chip" title="Profile and sessions">
            <span className="avatar" aria-hidden="true">
              {initials(me.user.displayName || me.user.email)}
            </span>
            <span className="user-chip-text">
              <span className="user-name">{me.user.displayName || me.user.email}</span>
              <span className="user-role">{me.user.roles.join(', ') || 'no role'}</span>
            </span>
          </NavLink>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => void onSignOut()}
            disabled={signingOut}
          >
            <Icon name="logout" />
            {signingOut ? 'Signing out…' : 'Sign out'}
          </button>
        </header>
        <main id="main" className="content" tabIndex={-1}>
          <Suspense fallback={<LoadingBlock />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
