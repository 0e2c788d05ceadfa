import { createHash } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import { appendAuditEvents } from './audit-chain.js';

/** One model output, as every engine reports it (anomaly model, risk scores, forecasts, LLM text). */
export interface PredictionRecord {
  readonly tenantId: string;
  readonly model: string;
  readonly version: string;
  /** SHA-256 of the exact input, so an auditor can prove which input produced the output. */
  readonly inputDigest: string;
  /** A small human-readable summary of the input (never the raw input). */
  readonly inputSummary: Readonly<Record<string, unknown>>;
  readonly output: Readonly<Record<string, unknown>>;
  readonly target?: string;
}

/** The port engines receive: record a prediction in the caller's transaction. */
export type RecordPrediction = (db: Queryable, prediction: PredictionRecord, at: Date) => Promise<void>;

export const digestOf = (input: Uint8Array | string): string => createHash('sha256').update(input).digest('hex');

/** Model outputs go through the same hash-chained trail as every API call (action `model.prediction`). */
export const recordPrediction: RecordPrediction = async (db, p, at) => {
  await appendAuditEvents(db, p.tenantId, [
    {
      tenantId: p.tenantId,
      occurredAt: at,
      actorType: 'system',
      actorId: `model:${p.model}`,
      actorLabel: `${p.model}@${p.version}`,
      action: 'model.prediction',
      target: p.target ?? null,
      details: { model: p.model, version: p.version, inputDigest: p.inputDigest, inputSummary: p.inputSummary, output: p.output },
    },
  ]);
};
