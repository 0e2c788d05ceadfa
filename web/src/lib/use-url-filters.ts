import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useDebounced } from './use-debounced';

export interface UrlFilters {
  params: URLSearchParams;
  /** A query parameter's value, '' when absent. */
  get(key: string): string;
  /** Sets a query parameter; '' removes it. Each change is a history entry, so Back undoes it. */
  set(key: string, value: string): void;
  /** Removes every query parameter. */
  clear(): void;
}

/** A page's filters, sort and search kept in the query string, so deep links and the back button work. */
export function useUrlFilters(): UrlFilters {
  const [params, setParams] = useSearchParams();
  return {
    params,
    get: (key) => params.get(key) ?? '',
    set: (key, value) =>
      setParams((p) => {
        if (value) p.set(key, value);
        else p.delete(key);
        return p;
      }),
    clear: () => setParams(new URLSearchParams()),
  };
}

/**
 * A search box bound to the `q` query parameter: what is typed goes to the URL once it settles (replacing
 * the history entry rather than adding one per word), and the box follows the URL when it changes from
 * outside (back button, deep link) but not while the user is typing.
 */
export function useUrlSearch(): [search: string, setSearch: (text: string) => void] {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const settled = useDebounced(search.trim());
  useEffect(() => {
    if (settled === q) return;
    setParams(
      (p) => {
        if (settled) p.set('q', settled);
        else p.delete('q');
        return p;
      },
      { replace: true },
    );
  }, [settled]);
  useEffect(() => {
    setSearch((current) => (current.trim() === q ? current : q));
  }, [q]);
  return [search, setSearch];
}
