import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputsChanged, materiallyChanged, NO_LEVEL, readStoredScores, type StoredScoreRow } from './stored-scores.js';

const digestHex = (byte: number): string => byte.toString(16).padStart(2, '0').repeat(32);
const row = (over: Partial<StoredScoreRow> = {}): StoredScoreRow => ({
  stored_state: 'high', stored_digest: digestHex(7), stored_same_engine: true, stored_score: 62.5, stored_level: 'high',
  stored_p: 0.4, stored_exposure: 1200, ...over,
});
const none: StoredScoreRow = {
  stored_state: null, stored_digest: null, stored_same_engine: null, stored_score: null, stored_level: null, stored_p: null, stored_exposure: null,
};
/** New digests for items 0..n-1, item k filled with byte `bytes[k]`. */
const digests = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes.flatMap((b) => Array<number>(32).fill(b)));

test('rows are read in item order; an item never stored has no level state', () => {
  const s = readStoredScores([row(), none, row({ stored_state: 'low', stored_digest: digestHex(9) })]);
  assert.deepEqual([...s.levelState], [2, NO_LEVEL, 0]);
  assert.deepEqual([...s.digest.subarray(64, 96)], Array(32).fill(9));
  assert.deepEqual([...s.digest.subarray(32, 64)], Array(32).fill(0));
});

test('inputs changed: never stored, another engine version, or any digest byte differs', () => {
  const s = readStoredScores([row(), none, row({ stored_same_engine: false }), row()]);
  const next = digests(7, 7, 7, 7);
  next[3 * 32 + 31] = 8;
  assert.deepEqual([0, 1, 2, 3].map((i) => inputsChanged(s, i, next)), [false, true, true, true]);
});

test('materially changed: beyond display precision, a new level, a refused or missing previous score', () => {
  const s = readStoredScores([row(), row({ stored_score: null, stored_level: null, stored_p: null, stored_exposure: null }), none]);
  const same = { score: 62.504, level: 2, stockoutProbability: 0.4000004, expectedExposure: 1200.4 };
  assert.equal(materiallyChanged(s, 0, same), false);
  assert.equal(materiallyChanged(s, 0, { ...same, score: 62.49 }), true);
  assert.equal(materiallyChanged(s, 0, { ...same, stockoutProbability: 0.401 }), true);
  assert.equal(materiallyChanged(s, 0, { ...same, expectedExposure: 1201 }), true);
  assert.equal(materiallyChanged(s, 0, { ...same, level: 3 }), true);
  assert.equal(materiallyChanged(s, 1, same), true, 'the item was refused before');
  assert.equal(materiallyChanged(s, 2, same), true, 'never stored');
});
