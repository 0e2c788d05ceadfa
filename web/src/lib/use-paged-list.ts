import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api/types';

export interface PagedList<T> {
  items: T[];
  /** First page is loading (nothing to show yet). */
  loading: boolean;
  /** A further page is loading. */
  loadingMore: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
  /** Replace one item in place after a mutation, without refetching. */
  update(match: (item: T) => boolean, next: T): void;
}

/**
 * Keyset pagination: fetches the first page whenever `key` changes, then each further page by passing
 * the server's `nextCursor` back. Results of superseded queries are dropped, and at most one page
 * request is in flight at a time so a scroll sentinel can call `loadMore` freely.
 */
export function usePagedList<T>(
  key: string,
  fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<Page<T>>,
): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const ctrlRef = useRef<AbortController | null>(null);
  const busy = useRef(false);

  useEffect(() => {
    ctrlRef.current?.abort();
    const ctrl = new AbortController();
    ctrlRef.current = ctrl;
    busy.current = true;
    setLoading(true);
    setLoadingMore(false);
    setError(null);
    fetchRef.current(null, ctrl.signal).then(
      (page) => {
        if (ctrl.signal.aborted) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setHasMore(page.nextCursor !== null);
        setLoading(false);
        busy.current = false;
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setItems([]);
        setHasMore(false);
        setError(err);
        setLoading(false);
        busy.current = false;
      },
    );
    return () => ctrl.abort();
  }, [key, generation]);

  const loadMore = useCallback(() => {
    if (busy.current || !cursor) return;
    const ctrl = ctrlRef.current;
    if (!ctrl) return;
    busy.current = true;
    setLoadingMore(true);
    fetchRef.current(cursor, ctrl.signal).then(
      (page) => {
        if (ctrl.signal.aborted) return;
        setItems((prev) => [...prev, ...page.items]);
        setCursor(page.nextCursor);
        setHasMore(page.nextCursor !== null);
        setLoadingMore(false);
        busy.current = false;
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(err);
        setLoadingMore(false);
        busy.current = false;
      },
    );
  }, [cursor]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const update = useCallback((match: (item: T) => boolean, next: T) => {
    setItems((prev) => prev.map((it) => (match(it) ? next : it)));
  }, []);

  return { items, loading, loadingMore, error, hasMore, loadMore, reload, update };
}
