/**
 * The demo generator emits exactly the typed rows the importers validate into and the bulk writers
 * store (src/supply/import/import-types.ts), so generated data can be written straight into a tenant
 * or serialised to import files without a mapping of its own.
 */
import type {
  AircraftTypeRow, DeliveryRow, DemandRow, FleetAircraftRow, LocationRow, OfferRow, PartRow, RiskEventRow, StockRow, SupplierRow,
} from '../import/import-types.js';

export type {
  AircraftTypeRow, DeliveryRow, DemandRow, FleetAircraftRow, LocationRow, OfferRow, PartRow, RiskEventRow, StockRow, SupplierRow,
};

/** Everything generated for one part: it is produced and streamed as one unit. */
export interface DemoPartBundle {
  readonly part: PartRow;
  readonly stock: readonly StockRow[];
  readonly offers: readonly OfferRow[];
  readonly demand: readonly DemandRow[];
  readonly deliveries: readonly DeliveryRow[];
  /** Total monthly demand over all locations, oldest first (for tests and class checks). */
  readonly monthlyDemand: Int32Array;
}
