import type {
  AircraftTypeRow, DeliveryRow, DemandRow, EntityRows, FleetAircraftRow, ImportEntity, LocationRow, OfferRow, PartRow, RiskEventRow, StockRow, SupplierRow,
} from '../../supply/import/index.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { TenantClient } from '../db/with-tenant.js';
import { bulkUpsert, type InsertFollowUp, type StageColumn, type StagedRow, type UpsertCounts, type UpsertSpec } from './bulk-upsert.js';
import type { ReferenceResolver } from './reference-resolver.js';
import { uuidV7 } from './uuid-v7.js';

/** What the writers need besides the rows: the tenant, resolved references and the field cipher. */
export interface WriteContext {
  readonly tenantId: string;
  readonly refs: ReferenceResolver;
  readonly cipher: FieldCipher;
  /** The rows' keys are probably all new (a first load): see UpsertOptions.expectNewKeys. */
  readonly expectNewKeys?: boolean;
}

type Col<R> = StageColumn<R, WriteContext>;
const col = <R>(name: string, type: string, value: (r: R, c: WriteContext) => unknown, fields?: readonly string[], compare?: boolean): Col<R> => ({
  name, type, value, ...(fields ? { fields } : {}), ...(compare === false ? { compare } : {}),
});
/** A column filled from the import field of the same name. */
const f = <R>(name: string, type: string, value: (r: R) => unknown): Col<R> => col(name, type, value, [name]);
const ref = (c: WriteContext, entity: 'parts' | 'locations' | 'suppliers' | 'aircraft_types', key: string | null): string | null =>
  key === null ? null : (c.refs.id(entity, key) ?? null);

const aircraftTypes: UpsertSpec<AircraftTypeRow, WriteContext> = {
  table: 'aircraft_types', conflict: ['code'], updatedAt: true,
  columns: [
    col('code', 'text', (r) => r.code), f('name', 'text', (r) => r.name), f('manufacturer', 'text', (r) => r.manufacturer),
    f('aircraft_class', 'text', (r) => r.aircraftClass), f('aog_cost_per_day', 'numeric(14,2)', (r) => r.aogCostPerDay),
    f('aog_cost_source', 'text', (r) => r.aogCostSource),
  ],
};

const locations: UpsertSpec<LocationRow, WriteContext> = {
  table: 'locations', conflict: ['code'], updatedAt: true,
  columns: [
    col('code', 'text', (r) => r.code), f('name', 'text', (r) => r.name), f('kind', 'text', (r) => r.kind), f('country', 'text', (r) => r.country),
    f('region', 'text', (r) => r.region), f('iata_code', 'text', (r) => r.iataCode), f('latitude', 'double precision', (r) => r.latitude),
    f('longitude', 'double precision', (r) => r.longitude),
  ],
};

const fleet: UpsertSpec<FleetAircraftRow, WriteContext> = {
  table: 'fleet_aircraft', conflict: ['registration'], updatedAt: true,
  columns: [
    col('registration', 'text', (r) => r.registration), col('aircraft_type_id', 'uuid', (r, c) => ref(c, 'aircraft_types', r.typeCode), ['type_code']),
    f('serial_number', 'text', (r) => r.serialNumber), col('base_location_id', 'uuid', (r, c) => ref(c, 'locations', r.baseLocationCode), ['base_location_code']),
    f('status', 'text', (r) => r.status), f('in_service_date', 'date', (r) => r.inServiceDate),
  ],
};

/** A new part's id, made here rather than by the column default (see uuid-v7.ts); an existing part keeps its own. */
const PART_ID: Col<PartRow> = { name: 'id', type: 'uuid', value: () => uuidV7(), insertOnly: true };

const parts: UpsertSpec<PartRow, WriteContext> = {
  table: 'parts', conflict: ['part_number'], updatedAt: true,
  columns: [
    PART_ID,
    col('part_number', 'text', (r) => r.partNumber), f('description', 'text', (r) => r.description), f('category', 'text', (r) => r.category),
    f('criticality', 'text', (r) => r.criticality), f('unit_of_measure', 'text', (r) => r.unitOfMeasure), f('unit_cost', 'numeric(14,4)', (r) => r.unitCost),
    f('currency', 'text', (r) => r.currency), f('aog_cost', 'numeric(14,2)', (r) => r.aogCost), f('aog_cost_unit', 'text', (r) => r.aogCostUnit),
    f('aog_cost_source', 'text', (r) => r.aogCostSource), col('lead_time_days', 'double precision', (r) => r.leadTimeDays, ['lead_time']),
    f('external_ref', 'text', (r) => r.externalRef),
  ],
};

/** Staged-only column: the part's aircraft type ids, turned into part_aircraft_types rows after the upsert. */
const PART_TYPE_IDS = col<PartRow>('sg_type_ids', 'uuid[]', (r, c) => r.aircraftTypes.map((t) => c.refs.id('aircraft_types', t)!), ['aircraft_types']);

/**
 * Links of the parts inserted by this batch, written by the insert statement itself from its
 * RETURNING rows (no second lookup of the parts by part number, see bulkUpsert's InsertFollowUp),
 * matched to their staged rows by the id the writer gave them (a uuid join, not a text sort).
 */
const newPartLinks = (bit: number): InsertFollowUp => ({
  returning: ['id', 'criticality'],
  sql: `INSERT INTO part_aircraft_types (tenant_id, part_id, aircraft_type_id, essentiality)
        SELECT $1, ins.id, unnest(s.sg_type_ids), ins.criticality FROM ins JOIN sg_stage s ON s.id = ins.id
        WHERE ins.criticality <> 'non_essential' AND (s.sg_mask & ${bit}::bigint) <> 0`,
});

/**
 * Replaces the aircraft-type links of every staged part whose file provided `aircraft_types`. Runs
 * only when some staged parts existed already: links of new parts came with their insert.
 */
async function replacePartLinks(db: TenantClient, tenantId: string, bit: number, allNew: boolean): Promise<void> {
  if (allNew) return;
  const src = `SELECT p.id AS part_id, p.criticality, s.sg_type_ids FROM sg_stage s JOIN parts p ON p.tenant_id = $1 AND p.part_number = s.part_number
               WHERE (s.sg_mask & ${bit}::bigint) <> 0`;
  await db.query(
    `DELETE FROM part_aircraft_types l USING (${src}) x WHERE l.tenant_id = $1 AND l.part_id = x.part_id AND NOT (l.aircraft_type_id = ANY (x.sg_type_ids))`,
    [tenantId],
  );
  await db.query(
    `INSERT INTO part_aircraft_types (tenant_id, part_id, aircraft_type_id, essentiality)
     SELECT $1, x.part_id, unnest(x.sg_type_ids), x.criticality FROM (${src}) x WHERE x.criticality <> 'non_essential'
     ON CONFLICT (tenant_id, part_id, aircraft_type_id) DO UPDATE SET essentiality = EXCLUDED.essentiality
     WHERE part_aircraft_types.essentiality IS DISTINCT FROM EXCLUDED.essentiality`,
    [tenantId],
  );
}

const stock: UpsertSpec<StockRow, WriteContext> = {
  table: 'stock_levels', conflict: ['part_id', 'location_id'], updatedAt: true,
  columns: [
    col('part_id', 'uuid', (r, c) => ref(c, 'parts', r.partNumber)), col('location_id', 'uuid', (r, c) => ref(c, 'locations', r.locationCode)),
    f('on_hand', 'integer', (r) => r.onHand), f('reserved', 'integer', (r) => r.reserved), f('on_order', 'integer', (r) => r.onOrder),
    f('safety_stock', 'integer', (r) => r.safetyStock), f('reorder_point', 'integer', (r) => r.reorderPoint), f('min_qty', 'integer', (r) => r.minQty),
    f('max_qty', 'integer', (r) => r.maxQty),
  ],
};

/** A supplier row with its contact sealed: ciphertext and fingerprint are computed once per row. */
interface SealedSupplier extends SupplierRow {
  readonly sealed: { readonly ciphertext: Buffer; readonly fingerprint: Buffer } | null;
}
const CONTACT_FIELDS = ['contact_name', 'contact_email', 'contact_phone'];
const suppliers: UpsertSpec<SealedSupplier, WriteContext> = {
  table: 'suppliers', conflict: ['code'], updatedAt: true,
  columns: [
    col('code', 'text', (r) => r.code), f('name', 'text', (r) => r.name), f('country', 'text', (r) => r.country), f('region', 'text', (r) => r.region),
    f('ports_of_origin', 'text[]', (r) => r.portsOfOrigin), f('active', 'boolean', (r) => r.active),
    col('contact_ciphertext', 'bytea', (r) => r.sealed?.ciphertext ?? null, CONTACT_FIELDS, false),
    col('contact_key_id', 'text', (r, c) => (r.sealed ? c.cipher.keyId : null), CONTACT_FIELDS, false),
    col('contact_fingerprint', 'bytea', (r) => r.sealed?.fingerprint ?? null, CONTACT_FIELDS),
  ],
};
/** The associated data a supplier's contact ciphertext is bound to (tenant and supplier code). */
export const supplierContactAad = (tenantId: string, code: string): string => `${tenantId}/suppliers/${code}`;

const offers: UpsertSpec<OfferRow, WriteContext> = {
  table: 'supplier_offers', conflict: ['supplier_id', 'part_id'], updatedAt: true,
  columns: [
    col('supplier_id', 'uuid', (r, c) => ref(c, 'suppliers', r.supplierCode)), col('part_id', 'uuid', (r, c) => ref(c, 'parts', r.partNumber)),
    f('price', 'numeric(14,4)', (r) => r.price), f('currency', 'text', (r) => r.currency), f('moq', 'integer', (r) => r.moq),
    col('lead_time_mean_days', 'double precision', (r) => r.leadTimeMeanDays, ['lead_time_mean']),
    col('lead_time_sd_days', 'double precision', (r) => r.leadTimeSdDays, ['lead_time_sd']),
    col('lead_time_samples_days', 'double precision[]', (r) => r.leadTimeSamplesDays, ['lead_time_samples']),
    f('preferred', 'boolean', (r) => r.preferred), f('valid_from', 'date', (r) => r.validFrom), f('valid_to', 'date', (r) => r.validTo),
  ],
};

const demand: UpsertSpec<DemandRow, WriteContext> = {
  table: 'demand_history', conflict: ['part_id', 'location_id', 'period'], updatedAt: false,
  columns: [
    col('part_id', 'uuid', (r, c) => ref(c, 'parts', r.partNumber)), col('location_id', 'uuid', (r, c) => ref(c, 'locations', r.locationCode)),
    col('period', 'date', (r) => r.period), f('quantity', 'integer', (r) => r.quantity), f('returns', 'integer', (r) => r.returns),
    f('adjustments', 'integer', (r) => r.adjustments),
  ],
};

const deliveries: UpsertSpec<DeliveryRow, WriteContext> = {
  table: 'supplier_deliveries', conflict: ['supplier_id', 'reference'], updatedAt: true,
  columns: [
    col('supplier_id', 'uuid', (r, c) => ref(c, 'suppliers', r.supplierCode)), col('reference', 'text', (r) => r.reference),
    col('part_id', 'uuid', (r, c) => ref(c, 'parts', r.partNumber), ['part_number']),
    col('location_id', 'uuid', (r, c) => ref(c, 'locations', r.locationCode), ['location_code']), f('quantity', 'integer', (r) => r.quantity),
    f('ordered_date', 'date', (r) => r.orderedDate), f('promised_date', 'date', (r) => r.promisedDate), f('actual_date', 'date', (r) => r.actualDate),
  ],
};

const riskEvents: UpsertSpec<RiskEventRow, WriteContext> = {
  table: 'risk_events', conflict: ['source', 'source_id'], updatedAt: true,
  columns: [
    col('source', 'text', (r) => r.source), col('source_id', 'text', (r) => r.sourceId), f('type', 'text', (r) => r.type), f('title', 'text', (r) => r.title),
    f('description', 'text', (r) => r.description), f('countries', 'text[]', (r) => r.countries), f('regions', 'text[]', (r) => r.regions),
    f('ports', 'text[]', (r) => r.ports), col('supplier_ids', 'uuid[]', (r, c) => r.supplierCodes.map((s) => c.refs.id('suppliers', s)!), ['supplier_codes']),
    f('starts_at', 'timestamptz', (r) => r.startsAt), f('expected_end_at', 'timestamptz', (r) => r.expectedEndAt),
    f('actual_end_at', 'timestamptz', (r) => r.actualEndAt), f('severity', 'double precision', (r) => r.severity),
    f('probability', 'double precision', (r) => r.probability), f('details', 'jsonb', (r) => r.details),
  ],
};

const SPECS: { readonly [E in ImportEntity]: UpsertSpec<EntityRows[E], WriteContext> | UpsertSpec<SealedSupplier, WriteContext> } = {
  aircraft_types: aircraftTypes, fleet, locations, parts, stock, suppliers, offers, demand, deliveries, risk_events: riskEvents,
};

/** The table each entity is stored in. */
export const ENTITY_TABLES: Readonly<Record<ImportEntity, string>> = Object.fromEntries(
  Object.entries(SPECS).map(([e, s]) => [e, s.table]),
) as Record<ImportEntity, string>;

/**
 * Upserts rows of one entity by natural key inside the caller's transaction, the COPY way (see
 * {@link bulkUpsert}). References must already be loaded into `ctx.refs` and resolve (the import
 * runner rejects rows whose references do not). Supplier contacts are encrypted here, so plaintext
 * never reaches the database. Other writers (demo generator, event consumers) may call this too.
 */
export async function writeEntityRows<E extends ImportEntity>(
  db: TenantClient,
  entity: E,
  rows: readonly StagedRow<EntityRows[E]>[],
  ctx: WriteContext,
): Promise<UpsertCounts> {
  if (entity === 'suppliers') {
    const sealed = (rows as readonly StagedRow<SupplierRow>[]).map(({ row, present }) => {
      const aad = supplierContactAad(ctx.tenantId, row.code);
      const text = row.contact === null ? null : JSON.stringify(row.contact);
      const s = text === null ? null : { ciphertext: ctx.cipher.encrypt(text, aad), fingerprint: ctx.cipher.fingerprint(text, aad) };
      return { row: { ...row, sealed: s }, present };
    });
    return bulkUpsert(db, ctx.tenantId, suppliers, sealed, ctx, { expectNewKeys: ctx.expectNewKeys });
  }
  if (entity === 'parts') {
    const spec: UpsertSpec<PartRow, WriteContext> = { ...parts, columns: [...parts.columns, PART_TYPE_IDS], stageOnly: ['sg_type_ids'] };
    const bit = 2 ** parts.columns.length;
    return bulkUpsert(db, ctx.tenantId, spec, rows as readonly StagedRow<PartRow>[], ctx, {
      after: (allNew) => replacePartLinks(db, ctx.tenantId, bit, allNew), withInserted: newPartLinks(bit), expectNewKeys: ctx.expectNewKeys,
    });
  }
  return bulkUpsert(db, ctx.tenantId, SPECS[entity] as UpsertSpec<EntityRows[E], WriteContext>, rows, ctx, { expectNewKeys: ctx.expectNewKeys });
}
