import { useUrlSearch } from '../lib/use-url-filters';

/** The toolbar's search box, bound to the `q` query parameter (see `useUrlSearch`). */
export function SearchField({ id, placeholder }: { id: string; placeholder: string }) {
  const [search, setSearch] = useUrlSearch();
  return (
    <div className="field inline grow">
      <label htmlFor={id}>Search</label>
      <input
        id={id}
        type="search"
        placeholder={placeholder}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
    </div>
  );
}
