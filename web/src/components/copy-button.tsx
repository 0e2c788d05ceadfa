import { useEffect, useState } from 'react';
import { Icon } from './icons';

/** Copies text to the clipboard, falling back to selecting a target input when the API is blocked. */
export function CopyButton({
  text,
  label = 'Copy',
  fallbackInputId,
}: {
  text: string;
  label?: string;
  fallbackInputId?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(t);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      const el = fallbackInputId ? document.getElementById(fallbackInputId) : null;
      if (el instanceof HTMLInputElement) {
        el.focus();
        el.select();
      }
      setState('failed');
    }
  };

  return (
    <button type="button" className="btn" onClick={() => void copy()} aria-live="polite">
      <Icon name={state === 'copied' ? 'check' : 'copy'} />
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Press Ctrl+C to copy' : label}
    </button>
  );
}
