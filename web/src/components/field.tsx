import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  ref?: Ref<HTMLInputElement> | undefined;
}

/** Labelled input with its hint and its server-side error wired up via aria-describedby. */
export function Field({ label, error, hint, id, className, ...input }: FieldProps) {
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errId = error ? `${inputId}-err` : undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errId].filter(Boolean).join(' ') || undefined}
        {...input}
      />
      {hint ? (
        <div id={hintId} className="field-hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <div id={errId} className="field-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}

interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  error?: string | undefined;
  children: ReactNode;
}

export function SelectField({ label, error, id, children, className, ...select }: SelectFieldProps) {
  const auto = useId();
  const selectId = id ?? auto;
  const errId = error ? `${selectId}-err` : undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={selectId}>{label}</label>
      <select id={selectId} aria-invalid={error ? true : undefined} aria-describedby={errId} {...select}>
        {children}
      </select>
      {error ? (
        <div id={errId} className="field-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** A group of checkboxes (roles, scopes) as one labelled fieldset. */
export function CheckboxGroup({
  legend,
  options,
  value,
  onChange,
  error,
  columns = 2,
  describe,
}: {
  legend: string;
  options: readonly string[];
  value: readonly string[];
  onChange: (next: string[]) => void;
  error?: string | undefined;
  columns?: number;
  describe?: (option: string) => string | undefined;
}) {
  const errId = useId();
  return (
    <fieldset
      className={`field checkbox-group${error ? ' field-invalid' : ''}`}
      aria-describedby={error ? errId : undefined}
    >
      <legend>{legend}</legend>
      <div className="checkbox-grid" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
        {options.map((opt) => {
          const checked = value.includes(opt);
          const description = describe?.(opt);
          return (
            <label key={opt} className="checkbox">
              <input
                type="checkbox"
                value={opt}
                checked={checked}
                onChange={() => onChange(checked ? value.filter((v) => v !== opt) : [...value, opt])}
              />
              <span>
                <code>{opt}</code>
                {description ? <span className="muted small"> — {description}</span> : null}
              </span>
            </label>
          );
        })}
      </div>
      {error ? (
        <div id={errId} className="field-error">
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}
