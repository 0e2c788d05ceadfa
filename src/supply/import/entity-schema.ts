import type { EntityRows, ImportEntity, RowIssue, SourceRecord, ValidRow } from './import-types.js';
import { isBlank, parseField, type FieldType } from './field.rules.js';
import { ImportFileError } from './reader-limits.js';

export interface FieldSpec {
  /** The column name in CSV headers and the key in JSON objects (camelCase keys are accepted too). */
  readonly name: string;
  readonly type: FieldType;
  readonly required?: boolean;
}

/** The entity a reference column points at, resolved by natural key when the row is written. */
export type ReferencedEntity = 'parts' | 'locations' | 'suppliers' | 'aircraft_types';

export interface Reference<R> {
  readonly column: string;
  readonly entity: ReferencedEntity;
  /** The natural keys the row refers to (zero, one or several). */
  readonly keys: (row: R) => readonly string[];
}

/** Parsed field values of one record; absent and blank fields read as null. */
export interface FieldValues {
  str(name: string): string | null;
  num(name: string): number | null;
  bool(name: string): boolean | null;
  list<T = string>(name: string): T[];
  obj(name: string): Record<string, unknown> | null;
  has(name: string): boolean;
}

/**
 * Everything the importer knows about one entity: its fields and their rules, the natural key that
 * must be unique within a file (and that upserts match on), the references to other entities, and
 * `build`, which assembles the typed row and applies the cross-field rules (dates in order,
 * min ≤ max, units), reporting each failure by column.
 */
export interface EntitySchema<E extends ImportEntity> {
  readonly entity: E;
  readonly fields: readonly FieldSpec[];
  readonly keyColumns: readonly string[];
  key(row: EntityRows[E]): string;
  readonly refs: readonly Reference<EntityRows[E]>[];
  build(v: FieldValues, issue: (column: string | null, reason: string) => void): EntityRows[E];
}

export type AnySchema = { [E in ImportEntity]: EntitySchema<E> }[ImportEntity];

const camelToSnake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export type Validation<E extends ImportEntity> =
  | { readonly ok: true; readonly valid: ValidRow<E>; readonly key: string }
  | { readonly ok: false; readonly issues: RowIssue[] };

/**
 * The fields of one schema by position, shared by every record: a record's parsed values live in
 * an array indexed by field position rather than in a Map of its own, because validation runs once
 * per row (millions per file) and per-row Maps and Sets were most of the importer's garbage.
 */
interface FieldTable {
  readonly specs: readonly FieldSpec[];
  readonly index: ReadonlyMap<string, number>;
  /** The `present` set of the last key list seen, reused while records keep the same keys (every CSV row). */
  lastKeys: string[];
  lastPresent: ReadonlySet<string>;
}

/** Field values of one record, read by `build`. A class, not closures: it runs once per row. */
class ParsedValues implements FieldValues {
  constructor(
    private readonly table: FieldTable,
    private readonly parsed: readonly unknown[],
    private readonly present: ReadonlySet<string>,
  ) {}
  private get(n: string): unknown {
    const i = this.table.index.get(n);
    return i === undefined ? undefined : this.parsed[i];
  }
  str(n: string): string | null {
    return (this.get(n) as string | undefined) ?? null;
  }
  num(n: string): number | null {
    return (this.get(n) as number | undefined) ?? null;
  }
  bool(n: string): boolean | null {
    return (this.get(n) as boolean | undefined) ?? null;
  }
  list<T = string>(n: string): T[] {
    return (this.get(n) as T[] | undefined) ?? [];
  }
  obj(n: string): Record<string, unknown> | null {
    return (this.get(n) as Record<string, unknown> | undefined) ?? null;
  }
  has(n: string): boolean {
    return this.present.has(n);
  }
}

const fieldTables = new WeakMap<object, FieldTable>();
function fieldTable(schema: EntitySchema<ImportEntity>): FieldTable {
  let t = fieldTables.get(schema);
  if (!t) {
    t = { specs: schema.fields, index: new Map(schema.fields.map((f, i) => [f.name, i])), lastKeys: [], lastPresent: new Set() };
    fieldTables.set(schema, t);
  }
  return t;
}

/**
 * Validates one source record against a schema. For CSV, `columns` is the header (already checked
 * by {@link checkCsvHeader}); for JSON every object's keys are checked here, unknown keys being a
 * row error. The result carries the set of provided fields (see ValidRow.present): records with
 * the same keys share one read-only set.
 */
export function validateRecord<E extends ImportEntity>(schema: EntitySchema<E>, record: SourceRecord): Validation<E> {
  if (record.error) return { ok: false, issues: [record.error] };
  const raw = record.values ?? {};
  const table = fieldTable(schema as unknown as EntitySchema<ImportEntity>);
  const parsed = new Array<unknown>(table.specs.length);
  let issues: RowIssue[] | undefined;
  // The field names in record order, compared with the last record's as they come; a list of its
  // own is only made for a record whose keys differ.
  let names: string[] | undefined;
  let count = 0;
  for (const k0 in raw) {
    const value = raw[k0];
    let k = k0;
    let i = table.index.get(k0);
    if (i === undefined) {
      k = camelToSnake(k0);
      i = table.index.get(k);
    }
    if (i === undefined) {
      (issues ??= []).push({ column: k0, reason: 'is not a field of this entity' });
      continue;
    }
    if (names) names.push(k);
    else if (table.lastKeys[count] !== k) (names = table.lastKeys.slice(0, count)).push(k);
    count++;
    if (isBlank(value)) continue;
    const r = parseField(table.specs[i]!.type, value);
    if (r.ok) parsed[i] = r.value;
    else (issues ??= []).push({ column: k, reason: r.reason });
  }
  for (let i = 0; i < table.specs.length; i++) {
    const f = table.specs[i]!;
    if (f.required && parsed[i] === undefined && !issues?.some((x) => x.column === f.name)) (issues ??= []).push({ column: f.name, reason: 'is required' });
  }
  if (issues) return { ok: false, issues };
  if (names || count !== table.lastKeys.length) {
    table.lastKeys = names ?? table.lastKeys.slice(0, count);
    table.lastPresent = new Set(table.lastKeys);
  }
  const present = table.lastPresent;
  const found: RowIssue[] = [];
  const row = schema.build(new ParsedValues(table, parsed, present), (column, reason) => found.push({ column, reason }));
  if (found.length > 0) return { ok: false, issues: found };
  return { ok: true, valid: { entity: schema.entity, row, present }, key: schema.key(row) };
}

/** A CSV header must name only fields of the entity and every required one. */
export function checkCsvHeader(schema: AnySchema, columns: readonly string[]): void {
  const names = new Set<string>(schema.fields.map((f) => f.name));
  const unknown = columns.filter((c) => !names.has(c) && !names.has(camelToSnake(c)));
  if (unknown.length > 0) {
    throw new ImportFileError(
      `unknown column(s) for ${schema.entity}: ${unknown.slice(0, 10).join(', ')}; the columns are ${[...names].join(', ')}`,
      'header',
    );
  }
  const given = new Set(columns.map((c) => (names.has(c) ? c : camelToSnake(c))));
  const missing = schema.fields.filter((f) => f.required && !given.has(f.name)).map((f) => f.name);
  if (missing.length > 0) throw new ImportFileError(`missing required column(s) for ${schema.entity}: ${missing.join(', ')}`, 'header');
}

/** Lead-time units accepted by `lead_time_unit` and how many days each is. */
export const LEAD_TIME_UNIT_DAYS: Readonly<Record<string, number>> = Object.freeze({ days: 1, weeks: 7, months: 365.2425 / 12 });

/** Rounds a converted quantity so that repeated imports produce byte-identical values. */
export const round4 = (n: number): number => Math.round(n * 1e4) / 1e4;
