import type { ReactNode } from 'react';
import type { PagedList } from '../lib/use-paged-list';
import { LoadingBlock, PageError, ScrollSentinel, Spinner } from './ui';

/**
 * A keyset-paged list in its four states: an error before anything loaded (a 403 becomes "No access"),
 * the first page loading, nothing found (`empty`), or the items followed by the footer.
 *
 * The footer loads further pages by infinite scroll, with a button for keyboards and for when the
 * sentinel stays in view; an error loading a further page shows above it, and once every page is
 * loaded the footer shows `count` (if given).
 *
 * By default the children are a `<table>`, shown in a scrolling `.table-wrap`. With `ul` they are the
 * `<li>`s of a list with those attributes, and the footer is its last item.
 */
export function PagedListView<T>({
  list,
  noun,
  what = noun,
  loadingLabel = `Loading ${noun}…`,
  empty,
  count,
  moreLabels = { idle: 'Load more', busy: 'Loading…' },
  ul,
  children,
}: {
  list: PagedList<T>;
  /** The items in the plural, for the messages: "users" → "Loading users…", no access to "users". */
  noun: string;
  /** What a 403 says the user may not view, when not the noun (e.g. "the audit log"). */
  what?: string;
  loadingLabel?: string;
  /** Shown when there is nothing to list, usually an `<EmptyState>`. */
  empty: ReactNode;
  /** The footer once the last page is loaded, from the number of items loaded. */
  count?: (n: number) => ReactNode;
  moreLabels?: { idle: string; busy: string };
  ul?: { className: string; testId?: string };
  children: ReactNode;
}) {
  if (list.error && list.items.length === 0) {
    return <PageError error={list.error} what={what} onRetry={list.reload} />;
  }
  if (list.loading) return <LoadingBlock label={loadingLabel} />;
  if (list.items.length === 0) return <>{empty}</>;

  const error = list.error ? <PageError error={list.error} what={what} /> : null;
  const loadMore = list.hasMore ? (
    <>
      <ScrollSentinel onVisible={list.loadMore} resetKey={list.items.length} />
      <button type="button" className="btn" onClick={list.loadMore} disabled={list.loadingMore}>
        {list.loadingMore ? moreLabels.busy : moreLabels.idle}
      </button>
    </>
  ) : null;
  const end = !list.hasMore && count ? count(list.items.length) : null;

  if (ul) {
    return (
      <ul className={ul.className} data-testid={ul.testId}>
        {children}
        {error ? <li>{error}</li> : null}
        {loadMore ? <li className="load-more">{loadMore}</li> : null}
        {end ? <li className="table-foot muted small">{end}</li> : null}
      </ul>
    );
  }
  return (
    <div className="table-wrap">
      {children}
      {error}
      {loadMore ? <div className="load-more">{loadMore}</div> : null}
      {end ? <p className="table-foot muted small">{end}</p> : null}
    </div>
  );
}

/** For the toolbar: a new query is loading while the previous results are still on the page. */
export function ListUpdating({ list }: { list: PagedList<unknown> }) {
  return list.loading && list.items.length > 0 ? <Spinner label="Updating…" /> : null;
}
