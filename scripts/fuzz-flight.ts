// Longer fuzz campaign over the flight-log decoders (the unit test runs a fixed 10,000-case campaign).
//   node --import tsx scripts/fuzz-flight.ts --cases 200000 --seed 42 [--workers 2]
//   node --import tsx scripts/fuzz-flight.ts --seed 42 --replay 1234 [--dump case.bin]
// Prints every failing seed + case; --replay runs one case in this process with the full stack.
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { buildCorpus } from '../src/flight/formats/fuzz/corpus.js';
import { describeFailure, runCampaign } from '../src/flight/formats/fuzz/fuzz-campaign.js';
import { prepareCase, runCase } from '../src/flight/formats/fuzz/fuzz-case.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    workers: { type: 'string', default: String(availableParallelism()) },
    replay: { type: 'string' },
    dump: { type: 'string' },
  },
});
const seed = Number(values.seed);

if (values.replay !== undefined) {
  const corpus = buildCorpus();
  const prepared = prepareCase(corpus.entries, seed, Number(values.replay));
  console.log(
    `seed ${seed} case ${prepared.index}: ${prepared.entry.name}; ${prepared.mutation}; ${prepared.bytes.length} bytes; chunk ${prepared.chunkSize}`,
  );
  if (values.dump) {
    writeFileSync(values.dump, prepared.bytes);
    console.log(`mutated input written to ${values.dump}`);
  }
  const started = performance.now();
  const outcome = runCase(prepared);
  console.log(
    `${outcome.result} ${outcome.completeness ?? ''} in ${(performance.now() - started).toFixed(1)} ms`,
  );
  if (outcome.failure) console.log(outcome.failure);
  process.exitCode = outcome.result === 'failed' ? 1 : 0;
} else {
  const cases = Number(values.cases);
  let lastShown = 0;
  const report = await runCampaign({
    seed,
    cases,
    workers: Number(values.workers),
    onProgress: (done, total) => {
      if (done - lastShown >= 10000 || done === total) {
        lastShown = done;
        process.stderr.write(`  ${done}/${total}\n`);
      }
    },
  });
  if (report.missing.length > 0)
    console.log(`shared logs missing (generated inputs only): ${report.missing.join(', ')}`);
  console.log(
    `seed ${seed}: ${report.cases} cases in ${(report.durationMs / 1000).toFixed(1)} s over ${report.corpus.length} inputs`,
  );
  for (const [key, count] of [...report.outcomes].sort()) console.log(`  ${key}: ${count}`);
  console.log(`failures: ${report.failures.length}`);
  for (const f of report.failures) console.log(describeFailure(seed, f));
  process.exitCode = report.failures.length > 0 ? 1 : 0;
}
