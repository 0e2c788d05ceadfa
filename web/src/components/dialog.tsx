import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Icon } from './icons';

interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Buttons row; forms usually render their own inside `children`. */
  footer?: ReactNode;
  variant?: 'modal' | 'drawer';
  /** Wider modal for tables/JSON. */
  wide?: boolean;
  /** Block Escape/backdrop close, e.g. while a secret is shown and not yet acknowledged. */
  dismissible?: boolean;
  testId?: string;
}

/**
 * Modal dialog or side drawer on the native <dialog> element: the browser gives focus trapping,
 * Escape to close, inert background and focus return for free, which keeps this accessible and tiny.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  footer,
  variant = 'modal',
  wide,
  dismissible = true,
  testId,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${variant}${wide ? ' dialog-wide' : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        if (dismissible) onClose();
      }}
      onClick={(e) => {
        // A click on the backdrop lands on the <dialog> itself.
        if (dismissible && e.target === ref.current) onClose();
      }}
    >
      {open ? (
        <div className="dialog-inner">
          <header className="dialog-header">
            <h2 id={titleId}>{title}</h2>
            {dismissible ? (
              <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
                <Icon name="close" />
              </button>
            ) : null}
          </header>
          <div className="dialog-body">{children}</div>
          {footer ? <footer className="dialog-footer">{footer}</footer> : null}
        </div>
      ) : null}
    </dialog>
  );
}

/** Yes/no confirmation for destructive actions. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger,
  busy,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
            onClick={onConfirm}
            disabled={busy}
            autoFocus
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
