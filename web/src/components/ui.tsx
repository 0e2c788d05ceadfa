import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import { errorMessage, isForbidden } from '../api/client';
import { Icon, type IconName } from './icons';

export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p className="muted">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <span className="spinner-wrap" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </span>
  );
}

export function LoadingBlock({ label }: { label?: string }) {
  return (
    <div className="state-block">
      <Spinner label={label} />
    </div>
  );
}

export function EmptyState({
  icon = 'inbox',
  title,
  children,
}: {
  icon?: IconName;
  title: string;
  children?: ReactNode;
}) {
  return (
    <div className="state-block empty">
      <Icon name={icon} size={28} />
      <strong>{title}</strong>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

/** An error the user can read; moves focus to itself when it appears so screen readers announce it. */
export function ErrorBanner({
  error,
  onRetry,
  focus = false,
}: {
  error: unknown;
  onRetry?: () => void;
  focus?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus, error]);
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert" tabIndex={-1} ref={ref}>
      <Icon name="alert" />
      <span className="banner-text">{typeof error === 'string' ? error : errorMessage(error)}</span>
      {onRetry ? (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** A confirmation ("Key revoked.") the user may dismiss; announced politely to screen readers. */
export function NoticeBanner({ notice, onDismiss }: { notice: string | null; onDismiss?: () => void }) {
  if (!notice) return null;
  return (
    <div className="banner banner-ok" role="status">
      <Icon name="check" />
      <span className="banner-text">{notice}</span>
      {onDismiss ? (
        <button type="button" className="icon-btn" aria-label="Dismiss" onClick={onDismiss}>
          <Icon name="close" size={16} />
        </button>
      ) : null}
    </div>
  );
}

export function NoAccess({ what }: { what: string }) {
  return (
    <div className="state-block no-access" data-testid="no-access">
      <Icon name="lock" size={32} />
      <h2>No access</h2>
      <p className="muted">
        Your role does not allow you to view {what}. If you need it, ask an administrator of your
        organisation.
      </p>
      <Link className="btn" to="/">
        Back to overview
      </Link>
    </div>
  );
}

/** An API error on a page: a 403 becomes the "no access" state, anything else a retryable banner. */
export function PageError({ error, what, onRetry }: { error: unknown; what: string; onRetry?: () => void }) {
  if (isForbidden(error)) return <NoAccess what={what} />;
  return <ErrorBanner error={error} onRetry={onRetry} />;
}

export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: 'neutral' | 'ok' | 'warn' | 'danger' | 'info';
  children: ReactNode;
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Role chips: show what a user is at a glance. */
export function RoleList({ roles }: { roles: readonly string[] }) {
  if (roles.length === 0) return <span className="muted">none</span>;
  return (
    <span className="chips">
      {roles.map((r) => (
        <span key={r} className="chip">
          {r}
        </span>
      ))}
    </span>
  );
}

/** Calls `onVisible` when scrolled into view: drives infinite scroll over keyset pages. */
/** `resetKey` (e.g. the item count) re-arms the observer so a still-visible sentinel fires again. */
export function ScrollSentinel({
  onVisible,
  disabled,
  resetKey,
}: {
  onVisible: () => void;
  disabled?: boolean;
  resetKey?: unknown;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const cb = useRef(onVisible);
  cb.current = onVisible;
  useEffect(() => {
    const el = ref.current;
    if (!el || disabled) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && cb.current(), {
      rootMargin: '300px',
    });
    io.observe(el);
    return () => io.disconnect();
  }, [disabled, resetKey]);
  return <div ref={ref} className="sentinel" aria-hidden="true" />;
}
