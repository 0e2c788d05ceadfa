import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { createApiKey, rotateApiKey } from '../api/endpoints';
import type { ApiKey, ApiKeyWithSecret } from '../api/types';
import { CopyButton } from '../components/copy-button';
import { Dialog } from '../components/dialog';
import { CheckboxGroup, Field, SelectField } from '../components/field';
import { Icon } from '../components/icons';
import { ErrorBanner } from '../components/ui';
import { formatDateTime } from '../lib/format';

const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: '', label: 'Never' },
] as const;

/**
 * Create an API key. Scopes are offered only from the creator's own permissions: a key can never
 * hold more than the person who made it (the server enforces this too).
 */
export function CreateApiKeyDialog({
  open,
  myPermissions,
  onClose,
  onCreated,
}: {
  open: boolean;
  myPermissions: readonly string[];
  onClose: () => void;
  onCreated: (r: ApiKeyWithSecret) => void;
}) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [expiry, setExpiry] = useState<string>('90');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const options = [...myPermissions].sort();

  const reset = () => {
    setName('');
    setScopes([]);
    setExpiry('90');
    setError(null);
    setFields({});
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = 'Give the key a name that says where it is used.';
    if (scopes.length === 0) local.scopes = 'Choose at least one scope.';
    if (Object.keys(local).length) {
      setFields(local);
      setError('Please correct the highlighted fields.');
      return;
    }
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const res = await createApiKey({
        name: name.trim(),
        scopes,
        ...(expiry ? { expiresInDays: Number(expiry) } : {}),
      });
      reset();
      onCreated(res);
    } catch (err) {
      setError(err);
      setFields(err instanceof ApiError ? err.fieldErrors() : {});
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    reset();
    onClose();
  };

  return (
    <Dialog open={open} title="Create API key" onClose={close} testId="create-api-key-dialog">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <ErrorBanner error={error} />
        <Field
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. ERP inventory sync"
          required
          autoFocus
          error={fields.name}
        />
        <SelectField
          label="Expires after"
          value={expiry}
          onChange={(e) => setExpiry(e.target.value)}
          error={fields.expiresInDays}
        >
          {EXPIRY_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <div className="scope-head">
          <span className="muted small">Scopes are limited to your own permissions.</span>
          <button
            type="button"
            className="btn-link"
            onClick={() => setScopes(scopes.length === options.length ? [] : options)}
          >
            {scopes.length === options.length ? 'Clear all' : 'Select all'}
          </button>
        </div>
        <CheckboxGroup
          legend="Scopes"
          options={options}
          value={scopes}
          onChange={setScopes}
          error={fields.scopes}
          columns={2}
        />
        <div className="form-actions">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const GRACE_CHOICES = [
  { value: '0', label: 'Immediately' },
  { value: '3600', label: 'After 1 hour' },
  { value: '86400', label: 'After 24 hours' },
  { value: '604800', label: 'After 7 days' },
] as const;

export function RotateApiKeyDialog({
  apiKey,
  onClose,
  onRotated,
}: {
  apiKey: ApiKey | null;
  onClose: () => void;
  onRotated: (r: ApiKeyWithSecret) => void;
}) {
  const [grace, setGrace] = useState('86400');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!apiKey) return;
    setBusy(true);
    setError(null);
    try {
      onRotated(await rotateApiKey(apiKey.id, { graceSeconds: Number(grace) }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={apiKey !== null} title={`Rotate “${apiKey?.name ?? ''}”`} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p>
          A new secret is issued now. Update the systems that use this key, then let the old secret lapse.
        </p>
        <ErrorBanner error={error} />
        <SelectField
          label="Old secret stops working"
          value={grace}
          onChange={(e) => setGrace(e.target.value)}
          autoFocus
        >
          {GRACE_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Rotating…' : 'Rotate key'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The one and only view of a new secret. Closing needs an explicit click so it is not lost by accident. */
export function SecretDialog({
  result,
  onClose,
}: {
  result: (ApiKeyWithSecret & { rotated: boolean }) | null;
  onClose: () => void;
}) {
  const inputId = useId();
  return (
    <Dialog
      open={result !== null}
      title={result?.rotated ? 'New secret for rotated key' : 'API key created'}
      onClose={onClose}
      wide
      dismissible={false}
      testId="api-key-secret-dialog"
    >
      {result ? (
        <div className="form">
          <div className="banner banner-warn" role="note">
            <Icon name="alert" />
            <span className="banner-text">
              <strong>Copy this secret now. You will not see it again.</strong> Skyguard stores only a hash of
              it.
            </span>
          </div>
          <div className="field">
            <label htmlFor={inputId}>Secret for “{result.apiKey.name}”</label>
            <div className="secret-row">
              <input
                id={inputId}
                className="secret"
                readOnly
                value={result.secret}
                data-testid="api-key-secret"
                onFocus={(e) => e.currentTarget.select()}
                spellCheck={false}
              />
              <CopyButton text={result.secret} fallbackInputId={inputId} />
            </div>
            <div className="field-hint">
              Send it as <code>Authorization: Bearer &lt;secret&gt;</code>. Key ID{' '}
              <code>{result.apiKey.publicId}</code>
              {result.apiKey.expiresAt ? (
                <> · expires {formatDateTime(result.apiKey.expiresAt)}</>
              ) : (
                <> · does not expire</>
              )}
              .
            </div>
          </div>
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={onClose} autoFocus>
              I have copied the secret
            </button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
