/**
 * Rebuilds the committed anomaly-model artefact from the healthy real logs in ../shared/flightlogs.
 * Deterministic: same logs + same options → the same JSON document (a test checks this when the logs
 * are present). Run: `node --import tsx scripts/train-anomaly-model.ts [--check]`
 * (`--check` compares with the committed file instead of writing it, exit 1 on a difference).
 *
 * Training set choice (why each log is in or out) is documented in docs/flight/anomaly-model.md.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { anomalyModelJson } from '../src/flight/anomaly/model-json.js';
import { ANOMALY_MODEL_VERSION } from '../src/flight/anomaly/model-version.js';
import { ANOMALY_TRAINING_SET } from '../src/flight/anomaly/training-set.js';
import {
  DEFAULT_TRAINING,
  fitAnomalyModel,
  type TrainingInput,
} from '../src/flight/anomaly/anomaly-training.js';
import { decodeFlightLog } from '../src/flight/formats/index.js';
import { toFlightSignals } from '../src/flight/signals/index.js';

const sharedDir = process.env.SKYGUARD_SHARED_DIR ?? join(import.meta.dirname, '..', '..', 'shared');
const out = join(
  import.meta.dirname,
  '..',
  'src',
  'flight',
  'anomaly',
  'models',
  `anomaly-model.v${ANOMALY_MODEL_VERSION}.json`,
);

const inputs: TrainingInput[] = ANOMALY_TRAINING_SET.map(({ file, vehicleClass }) => {
  const bytes = readFileSync(join(sharedDir, 'flightlogs', file));
  return {
    name: file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    vehicleClass,
    signals: toFlightSignals(decodeFlightLog(new Uint8Array(bytes))),
  };
});
const json = anomalyModelJson(
  fitAnomalyModel(inputs, { ...DEFAULT_TRAINING, version: ANOMALY_MODEL_VERSION }),
);
if (process.argv.includes('--check')) {
  // Compared as data, not bytes: `npm run format` may re-wrap the committed file.
  const same = JSON.stringify(JSON.parse(readFileSync(out, 'utf8'))) === JSON.stringify(JSON.parse(json));
  console.log(same ? `${out}: identical` : `${out}: DIFFERS from a fresh training run`);
  process.exit(same ? 0 : 1);
}
writeFileSync(out, json);
console.log(`wrote ${out} (${json.length} bytes)`);
