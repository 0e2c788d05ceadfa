import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFailure, runCampaign } from './fuzz-campaign.js';
import { mutate } from './mutators.js';
import { Prng } from './prng.js';

/** Fixed seed and count so CI replays the same 10,000 cases; override with FUZZ_CASES / FUZZ_SEED. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_601);
const CASES = Number(process.env.FUZZ_CASES ?? 10_000);

describe('fuzz harness', () => {
  it('is deterministic for a seed', () => {
    const input = Uint8Array.from({ length: 500 }, (_, i) => i & 0xff);
    const a = mutate(input, new Prng(99));
    const b = mutate(input, new Prng(99));
    assert.equal(a.description, b.description);
    assert.deepEqual(a.bytes, b.bytes);
  });
});

describe('flight-log decoders under fuzzing', () => {
  it(
    `decode or throw FlightDecodeError on ${CASES} mutated inputs (seed ${SEED})`,
    { timeout: 15 * 60_000 },
    async () => {
      const report = await runCampaign({ seed: SEED, cases: CASES, workers: 2 });
      if (report.missing.length > 0) {
        console.log(
          `fuzz: shared logs missing, generated inputs only (${report.missing.length} files skipped)`,
        );
      }
      console.log(
        `fuzz: ${report.cases} cases in ${(report.durationMs / 1000).toFixed(1)} s, ${report.decoded} decoded, ${report.rejected} rejected, ${report.failures.length} failed`,
      );
      const lines = report.failures.slice(0, 30).map((f) => describeFailure(SEED, f));
      assert.equal(
        report.failures.length,
        0,
        `failing cases (replay: node --import tsx scripts/fuzz-flight.ts --seed ${SEED} --replay <case>):\n${lines.join('\n')}`,
      );
      assert.equal(report.decoded + report.rejected, CASES);
    },
  );
});
