import { Icon } from './icons';

export type SortOrder = 'ascending' | 'descending';

/** A column header that sorts the table: a button with the direction icon, and `aria-sort` for screen readers. */
export function SortableTh({
  label,
  order,
  onSort,
  num,
}: {
  label: string;
  /** How the table is sorted by this column; null when it is sorted by another. */
  order: SortOrder | null;
  onSort: () => void;
  /** A numeric column (right-aligned). */
  num?: boolean;
}) {
  return (
    <th scope="col" className={num ? 'num' : undefined} aria-sort={order ?? 'none'}>
      <button type="button" className="th-sort" onClick={onSort}>
        {label}
        <Icon name={order === 'ascending' ? 'up' : order === 'descending' ? 'down' : 'sort'} size={14} />
      </button>
    </th>
  );
}

/**
 * A column of a server-side sort written `field` (ascending) or `-field` (descending), as the list
 * endpoints take it: a click sorts by the column ascending, or flips it when it already is.
 */
export function FieldSortTh({
  label,
  field,
  sort,
  onSort,
  num,
}: {
  label: string;
  field: string;
  sort: string;
  onSort: (sort: string) => void;
  num?: boolean;
}) {
  const order = sort === field ? 'ascending' : sort === `-${field}` ? 'descending' : null;
  return (
    <SortableTh
      label={label}
      order={order}
      num={num}
      onSort={() => onSort(order === 'ascending' ? `-${field}` : field)}
    />
  );
}
