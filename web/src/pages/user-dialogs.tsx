import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { createUser, updateUser } from '../api/endpoints';
import type { RoleInfo, User } from '../api/types';
import { Dialog } from '../components/dialog';
import { CheckboxGroup, Field } from '../components/field';
import { ErrorBanner } from '../components/ui';

function useFormErrors() {
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  return {
    error,
    fields,
    clear() {
      setError(null);
      setFields({});
    },
    set(err: unknown) {
      setError(err);
      setFields(err instanceof ApiError ? err.fieldErrors() : {});
    },
  };
}

export function CreateUserDialog({
  open,
  roles,
  onClose,
  onCreated,
}: {
  open: boolean;
  roles: RoleInfo[];
  onClose: () => void;
  onCreated: (u: User) => void;
}) {
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors();

  const reset = () => {
    setEmail('');
    setDisplayName('');
    setPassword('');
    setSelected([]);
    errors.clear();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      const user = await createUser({
        email: email.trim(),
        displayName: displayName.trim(),
        password,
        roles: selected,
      });
      reset();
      onCreated(user);
    } catch (err) {
      errors.set(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      title="New user"
      onClose={() => {
        reset();
        onClose();
      }}
    >
      <form onSubmit={(e) => void submit(e)} className="form" noValidate>
        <ErrorBanner error={errors.error} />
        <Field
          label="Email"
          type="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
          autoFocus
          error={errors.fields.email}
        />
        <Field
          label="Display name"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          required
          error={errors.fields.displayName}
        />
        <Field
          label="Initial password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          hint="Share it with the person through a secure channel; they can change it after signing in."
          error={errors.fields.password}
        />
        <CheckboxGroup
          legend="Roles"
          options={roles.map((r) => r.role)}
          value={selected}
          onChange={setSelected}
          error={errors.fields.roles}
          describe={(r) => roles.find((x) => x.role === r)?.description || undefined}
          columns={1}
        />
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => (reset(), onClose())}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create user'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function EditUserDialog({
  user,
  roles,
  isSelf,
  onClose,
  onSaved,
}: {
  user: User | null;
  roles: RoleInfo[];
  isSelf: boolean;
  onClose: () => void;
  onSaved: (u: User) => void;
}) {
  return (
    <Dialog
      open={user !== null}
      title={user ? `Edit ${user.displayName || user.email}` : 'Edit user'}
      onClose={onClose}
    >
      {user ? (
        <EditUserForm
          key={user.id}
          user={user}
          roles={roles}
          isSelf={isSelf}
          onClose={onClose}
          onSaved={onSaved}
        />
      ) : null}
    </Dialog>
  );
}

function EditUserForm({
  user,
  roles,
  isSelf,
  onClose,
  onSaved,
}: {
  user: User;
  roles: RoleInfo[];
  isSelf: boolean;
  onClose: () => void;
  onSaved: (u: User) => void;
}) {
  const [displayName, setDisplayName] = useState(user.displayName);
  const [selected, setSelected] = useState<string[]>(user.roles);
  const [disabled, setDisabled] = useState(user.disabled);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors();

  const sameRoles = selected.length === user.roles.length && selected.every((r) => user.roles.includes(r));
  const patch = {
    ...(displayName.trim() !== user.displayName ? { displayName: displayName.trim() } : {}),
    ...(!sameRoles ? { roles: selected } : {}),
    ...(disabled !== user.disabled ? { disabled } : {}),
  };
  const dirty = Object.keys(patch).length > 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!dirty) return onClose();
    setBusy(true);
    errors.clear();
    try {
      onSaved(await updateUser(user.id, patch));
    } catch (err) {
      errors.set(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="form" noValidate>
      <ErrorBanner error={errors.error} />
      <div className="field">
        <span className="label">Email</span>
        <div className="readonly">{user.email}</div>
      </div>
      <Field
        label="Display name"
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        required
        autoFocus
        error={errors.fields.displayName}
      />
      <CheckboxGroup
        legend="Roles"
        options={roles.map((r) => r.role)}
        value={selected}
        onChange={setSelected}
        error={errors.fields.roles}
        describe={(r) => roles.find((x) => x.role === r)?.description || undefined}
        columns={1}
      />
      <label className="checkbox switch-row">
        <input
          type="checkbox"
          checked={disabled}
          onChange={(e) => setDisabled(e.target.checked)}
          disabled={isSelf && !user.disabled}
        />
        <span>
          <strong>Disable account</strong>
          <span className="muted small block">
            {isSelf ? 'You cannot disable your own account.' : 'A disabled user can no longer sign in.'}
          </span>
        </span>
      </label>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy || !dirty}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}
