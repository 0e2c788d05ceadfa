/**
 * Runs a range of fuzz cases in a worker thread so the campaign can stop a case that hangs or
 * exhausts memory (the parent terminates this thread) and carry on with the next one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildCorpus } from './corpus.js';
import { prepareCase, runCase } from './fuzz-case.js';

export interface WorkerInput {
  readonly seed: number;
  readonly start: number;
  readonly end: number;
}

export type WorkerMessage =
  | { readonly type: 'ready'; readonly corpus: readonly string[]; readonly missing: readonly string[] }
  | {
      readonly type: 'start';
      readonly index: number;
      readonly bytes: number;
      readonly input: string;
      readonly mutation: string;
      readonly at: number;
    }
  | { readonly type: 'done'; readonly outcome: ReturnType<typeof runCase> }
  | { readonly type: 'finished' };

const port = parentPort;
if (port) {
  const input = workerData as WorkerInput;
  const corpus = buildCorpus();
  const send = (message: WorkerMessage): void => port.postMessage(message);
  send({ type: 'ready', corpus: corpus.entries.map((e) => e.name), missing: corpus.missing });
  for (let index = input.start; index < input.end; index++) {
    const prepared = prepareCase(corpus.entries, input.seed, index);
    send({
      type: 'start',
      index,
      bytes: prepared.bytes.length,
      input: prepared.entry.name,
      mutation: prepared.mutation,
      at: Date.now(),
    });
    const outcome = runCase(prepared);
    send({ type: 'done', outcome: outcome.result === 'failed' ? outcome : { ...outcome, mutation: '' } });
  }
  send({ type: 'finished' });
}
