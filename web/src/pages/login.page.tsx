import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, apiUrl } from '../api/client';
import { getAuthMethods } from '../api/endpoints';
import { useSession } from '../auth/session';
import { ThemeToggle } from '../components/app-frame';
import { Field } from '../components/field';
import { Logo } from '../components/icons';
import { ErrorBanner } from '../components/ui';
import { useTitle } from '../lib/use-async';

const TENANT_KEY = 'skyguard.lastTenant';

/** Only same-app paths are accepted as a post-login destination (no open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

function storedTenant(): string {
  try {
    return localStorage.getItem(TENANT_KEY) ?? '';
  } catch {
    return '';
  }
}

export function LoginPage() {
  useTitle('Sign in');
  const { state, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [tenant, setTenant] = useState(storedTenant);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const firstEmpty = useRef<HTMLInputElement>(null);
  const [sso, setSso] = useState<{ label: string; loginUrl: string } | null>(null);
  // A single sign-on that failed comes back here with the server's code and message.
  const ssoError = params.get('oidcError') ? (params.get('message') ?? params.get('oidcError')) : null;

  useEffect(() => {
    firstEmpty.current?.focus();
    const ctrl = new AbortController();
    getAuthMethods(ctrl.signal).then((m) => setSso(m.oidc), () => setSso(null));
    return () => ctrl.abort();
  }, []);

  if (state.status === 'signed-in' && !busy) return <Navigate to={next} replace />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!tenant.trim()) missing.tenant = 'Enter your organisation ID.';
    if (!email.trim()) missing.email = 'Enter your email address.';
    if (!password) missing.password = 'Enter your password.';
    if (Object.keys(missing).length > 0) {
      setFieldErrors(missing);
      setError('Please fill in all fields.');
      return;
    }
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      await signIn(tenant.trim(), email.trim(), password);
      try {
        localStorage.setItem(TENANT_KEY, tenant.trim());
      } catch {
        /* ignore */
      }
      void navigate(next, { replace: true });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setFieldErrors(err.fieldErrors());
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <div className="login-screen">
      <div className="login-corner">
        <ThemeToggle />
      </div>
      <section className="login-hero" aria-hidden="true">
        <div className="login-hero-inner">
          <Logo size={44} />
          <h2>Skyguard</h2>
          <p>
            Flight safety and supply resilience for aircraft and drone fleets — one view of operational risk.
          </p>
          <ul>
            <li>Explainable safety checks on every flight log</li>
            <li>Spare-parts stockout and AOG exposure</li>
            <li>Tamper-evident audit trail</li>
          </ul>
        </div>
      </section>
      <section className="login-panel">
        <form
          className="login-card"
          onSubmit={(e) => void onSubmit(e)}
          noValidate
          aria-labelledby="login-title"
        >
          <h1 id="login-title">Sign in</h1>
          <p className="muted">Use the organisation ID and account your administrator gave you.</p>
          {params.get('expired') && !error ? (
            <div className="banner banner-info" role="status">
              Your session has ended. Please sign in again.
            </div>
          ) : null}
          <ErrorBanner error={error ?? ssoError} focus />
          {sso ? (
            <>
              <a className="btn btn-block" href={apiUrl(sso.loginUrl, { returnTo: next })}>
                Sign in with {sso.label}
              </a>
              <p className="login-divider muted">or with your Skyguard password</p>
            </>
          ) : null}
          <Field
            label="Organisation"
            name="tenant"
            autoComplete="organization"
            placeholder="e.g. acme-aviation"
            value={tenant}
            onChange={(e) => setTenant(e.target.value)}
            required
            ref={tenant ? undefined : firstEmpty}
            error={fieldErrors.tenant}
          />
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            ref={tenant ? firstEmpty : undefined}
            error={fieldErrors.email}
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            error={fieldErrors.password}
          />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </section>
    </div>
  );
}
