import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { NoAccess } from '../components/ui';
import { useMe, useSession } from './session';
import { LoadingBlock, ErrorBanner } from '../components/ui';

/** Renders children for a signed-in user; otherwise sends to /login, remembering where to return. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state, retry } = useSession();
  const location = useLocation();
  if (state.status === 'loading') {
    return (
      <div className="center-screen">
        <LoadingBlock label="Loading Skyguard…" />
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="center-screen">
        <div className="card narrow">
          <h1>Skyguard is unavailable</h1>
          <ErrorBanner error={state.message} onRetry={retry} />
        </div>
      </div>
    );
  }
  if (state.status === 'anonymous') {
    const next = location.pathname + location.search;
    const params = new URLSearchParams();
    if (next !== '/') params.set('next', next);
    if (state.expired) params.set('expired', '1');
    const qs = params.toString();
    return <Navigate to={`/login${qs ? `?${qs}` : ''}`} replace />;
  }
  return <>{children}</>;
}

/**
 * Guards a page by permission so a deep link never shows a broken page: without the permission
 * the user sees a clear "no access" state (the API would answer 403 anyway).
 */
export function RequirePermission({
  perm,
  what,
  children,
}: {
  perm: string;
  what: string;
  children: ReactNode;
}) {
  const me = useMe();
  if (!me.can(perm)) return <NoAccess what={what} />;
  return <>{children}</>;
}
