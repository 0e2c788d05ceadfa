import type { EntityRows, ImportEntity, ImportType, RowIssue, SourceRecord, ValidRow } from './import-types.js';
import { checkCsvHeader, validateRecord, type EntitySchema } from './entity-schema.js';
import { aircraftTypeSchema, fleetSchema, locationSchema, partSchema } from './catalog.schemas.js';
import { deliverySchema, demandSchema, offerSchema, riskEventSchema, stockSchema, supplierSchema } from './supply-chain.schemas.js';
import { KeySet } from './key-set.js';
import { rafPlan } from './raf.mapping.js';
import { cyportPlan } from './cyport.mapping.js';

export const SCHEMAS: { readonly [E in ImportEntity]: EntitySchema<E> } = {
  aircraft_types: aircraftTypeSchema,
  fleet: fleetSchema,
  locations: locationSchema,
  parts: partSchema,
  stock: stockSchema,
  suppliers: supplierSchema,
  offers: offerSchema,
  demand: demandSchema,
  deliveries: deliverySchema,
  risk_events: riskEventSchema,
};

export const schemaOf = <E extends ImportEntity>(entity: E): EntitySchema<E> => SCHEMAS[entity];

/** What one source record became: rows to write (with their natural keys) or the reasons it was refused. */
export type Mapped = { readonly rows: readonly { readonly valid: ValidRow; readonly key: string }[] } | { readonly issues: readonly RowIssue[] };

/**
 * How one import type turns source records into entity rows. Plain entity imports map a record to
 * one row of that entity; source mappings (RAF, CyPort) map one record to rows of several entities.
 */
export interface ImportPlan {
  readonly type: ImportType;
  /** The entities written, parents first (the order rows of one batch are written in). */
  readonly entities: readonly ImportEntity[];
  /** Refuses a CSV header that lacks required columns or has unknown ones. */
  checkHeader(columns: readonly string[]): void;
  /** Rows written before the first batch of every run (e.g. the location RAF demand is booked to). */
  readonly setupRows: readonly ValidRow[];
  map(record: SourceRecord): Mapped;
}

function entityPlan(entity: ImportEntity): ImportPlan {
  const schema = SCHEMAS[entity];
  return {
    type: entity,
    entities: [entity],
    checkHeader: (columns) => checkCsvHeader(schema, columns),
    setupRows: [],
    map(record) {
      const r = validateRecord(schema as EntitySchema<ImportEntity>, record);
      return r.ok ? { rows: [{ valid: r.valid, key: r.key }] } : { issues: r.issues };
    },
  };
}

export function importPlan(type: ImportType): ImportPlan {
  if (type === 'raf') return rafPlan();
  if (type === 'cyport') return cyportPlan();
  return entityPlan(type);
}

/** A record the validator accepted, kept with its row number for reference errors found later. */
export interface AcceptedRecord {
  readonly row: number;
  readonly raw: string;
  readonly rows: readonly ValidRow[];
}

export interface RejectedRecord {
  readonly row: number;
  readonly raw: string;
  readonly issues: readonly RowIssue[];
}

/**
 * Validates records in file order and refuses a natural key seen earlier in the same file (naming
 * the earlier row). Stateful across batches: replaying already-committed records on resume rebuilds
 * the same key state, so a resumed import refuses exactly what an uninterrupted one would.
 */
export class RecordValidator {
  private readonly seen = new Map<ImportEntity, KeySet>();
  private headerChecked = false;

  constructor(readonly plan: ImportPlan) {}

  /** Checks the CSV header once (JSON formats pass null). */
  header(columns: readonly string[] | null): void {
    if (this.headerChecked || columns === null) return;
    this.plan.checkHeader(columns);
    this.headerChecked = true;
  }

  validate(record: SourceRecord): { accepted: AcceptedRecord } | { rejected: RejectedRecord } {
    const m = this.plan.map(record);
    if ('issues' in m) return { rejected: { row: record.row, raw: record.raw, issues: m.issues } };
    const issues: RowIssue[] = [];
    for (const { valid, key } of m.rows) {
      let set = this.seen.get(valid.entity);
      if (!set) this.seen.set(valid.entity, (set = new KeySet()));
      const first = set.addOrGet(key, record.row);
      if (first !== undefined && first !== record.row) {
        const cols = SCHEMAS[valid.entity].keyColumns.join(', ');
        issues.push({ column: SCHEMAS[valid.entity].keyColumns[0] ?? null, reason: `duplicates row ${first} of this file (same ${cols})` });
      }
    }
    if (issues.length > 0) return { rejected: { row: record.row, raw: record.raw, issues } };
    return { accepted: { row: record.row, raw: record.raw, rows: m.rows.map((r) => r.valid) } };
  }
}

export type RowOf<E extends ImportEntity> = EntityRows[E];
