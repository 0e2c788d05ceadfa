export * from './import-types.js';
export { readRecords, type RecordChunk } from './record-stream.js';
export { DEFAULT_READER_LIMITS, ImportFileError, MAX_RAW_CHARS, clip, type ReaderLimits } from './reader-limits.js';
export { importPlan, schemaOf, SCHEMAS, RecordValidator, type AcceptedRecord, type RejectedRecord, type ImportPlan } from './import-plan.js';
export type { EntitySchema, FieldSpec, Reference, ReferencedEntity } from './entity-schema.js';
export { RAF_LOCATION } from './raf.mapping.js';
