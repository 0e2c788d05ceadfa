/**
 * Record plans shared between decodes. A plan depends only on its layout's fields, its FMTU unit and
 * multiplier ids, and the UNIT/MULT values those ids resolve to; FMT parsing hands out one `fields`
 * array per distinct FMT record (see `parseFmtRecord`), so a log of a firmware already decoded gets
 * the plans built for the first one instead of building them again (building them was about a fifth
 * of the CPU time of decoding a small log). Plans are immutable.
 */
import { buildPlan, type LayoutField, type RecordLayout, type RecordPlan } from './record-layout.compiler.js';

/** Plans per fields array, by what the ids resolve to; cleared when a layout collects this many. */
const MAX_PLANS_PER_LAYOUT = 16;
const plans = new WeakMap<readonly LayoutField[], Map<string, RecordPlan>>();

/** The plan for `layout` with the log's current UNIT and MULT values, built or reused. */
export function planFor(
  layout: RecordLayout,
  units: ReadonlyMap<string, string>,
  mults: ReadonlyMap<string, number>,
): RecordPlan {
  const fields = layout.fields;
  if (fields === undefined) return buildPlan(layout, units, mults); // opaque: nothing to share
  let byKey = plans.get(fields);
  if (byKey === undefined) {
    byKey = new Map();
    plans.set(fields, byKey);
  }
  const key = resolutionKey(layout, units, mults);
  let plan = byKey.get(key);
  if (plan === undefined) {
    if (byKey.size >= MAX_PLANS_PER_LAYOUT) byKey.clear();
    plan = buildPlan(layout, units, mults);
    byKey.set(key, plan);
  }
  return plan;
}

/** The FMTU ids and the log's UNIT and MULT values for each of them (undefined ones included). */
function resolutionKey(
  layout: RecordLayout,
  units: ReadonlyMap<string, string>,
  mults: ReadonlyMap<string, number>,
): string {
  const unitIds = layout.unitIds;
  const multIds = layout.multIds;
  if (unitIds === undefined && multIds === undefined) return '';
  const parts: (string | number | undefined)[] = [unitIds, multIds];
  if (unitIds !== undefined) for (const id of unitIds) parts.push(units.get(id));
  if (multIds !== undefined) for (const id of multIds) parts.push(mults.get(id));
  return JSON.stringify(parts);
}
