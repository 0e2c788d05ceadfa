import { useCallback, useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'skyguard.theme';

function readChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

const media = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The theme actually shown, resolving "system" through prefers-color-scheme. */
export function effectiveTheme(choice: ThemeChoice): 'light' | 'dark' {
  return choice === 'system' ? (media().matches ? 'dark' : 'light') : choice;
}

/**
 * Light/dark theme: follows the system until the user picks one; the pick is kept in localStorage
 * and the effective theme is always set as `data-theme` on <html> (public/theme-init.js does the same
 * before first paint), so the CSS palette is written once.
 */
export function useTheme(): {
  choice: ThemeChoice;
  effective: 'light' | 'dark';
  setChoice(c: ThemeChoice): void;
  toggle(): void;
} {
  const [choice, setChoiceState] = useState<ThemeChoice>(readChoice);
  const [systemDark, setSystemDark] = useState(() => media().matches);

  useEffect(() => {
    const m = media();
    const onChange = (e: MediaQueryListEvent) => setSystemDark(e.matches);
    m.addEventListener('change', onChange);
    return () => m.removeEventListener('change', onChange);
  }, []);

  const effective: 'light' | 'dark' = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;

  useEffect(() => {
    document.documentElement.setAttribute('data-theme', effective);
    window.dispatchEvent(new CustomEvent('skyguard:theme'));
  }, [effective]);

  useEffect(() => {
    try {
      if (choice === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }, [choice]);

  const toggle = useCallback(() => setChoiceState(effective === 'dark' ? 'light' : 'dark'), [effective]);
  return { choice, effective, setChoice: setChoiceState, toggle };
}
