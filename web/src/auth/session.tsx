import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setUnauthorizedListener } from '../api/client';
import { getMe, login as apiLogin, logout as apiLogout } from '../api/endpoints';
import type { Me } from '../api/types';
import { hasPermission } from './permissions';

type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'error'; message: string }
  | { status: 'signed-in'; me: Me };

interface SessionApi {
  state: SessionState;
  signIn(tenant: string, email: string, password: string): Promise<Me>;
  signOut(): Promise<void>;
  retry(): void;
}

const SessionContext = createContext<SessionApi | null>(null);

/**
 * Owns "who is signed in". The server is the only source of truth: the session cookie is httpOnly,
 * so the app asks `GET /v1/me` at start and after login, and forgets the user on any 401.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    getMe(ctrl.signal).then(
      (me) => setState({ status: 'signed-in', me }),
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        const status = (err as { status?: number }).status;
        if (status === 401) setState({ status: 'anonymous', expired: false });
        else
          setState({
            status: 'error',
            message: err instanceof Error ? err.message : 'Cannot load your session.',
          });
      },
    );
    return () => ctrl.abort();
  }, [attempt]);

  useEffect(() => {
    setUnauthorizedListener(() =>
      setState((s) => (s.status === 'signed-in' ? { status: 'anonymous', expired: true } : s)),
    );
    return () => setUnauthorizedListener(null);
  }, []);

  const signIn = useCallback(async (tenant: string, email: string, password: string) => {
    const me = await apiLogin({ tenant, email, password });
    setState({ status: 'signed-in', me });
    return me;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await apiLogout();
    } finally {
      setState({ status: 'anonymous', expired: false });
    }
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut, retry }), [state, signIn, signOut, retry]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in user; only valid below the authenticated frame. */
export function useMe(): Me & { can(perm: string): boolean } {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe without a signed-in user');
  const me = state.me;
  return useMemo(() => ({ ...me, can: (perm: string) => hasPermission(me.permissions, perm) }), [me]);
}
