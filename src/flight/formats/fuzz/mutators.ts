/**
 * Byte-level mutations a real flight log suffers (bit rot, torn writes, SD-card sector loss, a
 * logger restarted mid-record) plus hostile ones (length fields set to extremes). Each mutation is
 * described in words so a failing case can be understood without a debugger.
 */
import type { Prng } from './prng.js';

export interface Mutation {
  readonly bytes: Uint8Array;
  readonly description: string;
}

type Mutator = (bytes: Uint8Array, rng: Prng) => Mutation;

const HOSTILE_VALUES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xffff, 0x7fff, 0x8000, 0xfffe, 0xffffffff, 0x7fffffff];

const bitFlips: Mutator = (bytes, rng) => {
  const out = bytes.slice();
  const n = rng.range(1, 8);
  for (let i = 0; i < n && out.length > 0; i++) {
    const at = rng.int(out.length);
    out[at] = out[at]! ^ (1 << rng.int(8));
  }
  return { bytes: out, description: `${n} bit flips` };
};

const overwrite: Mutator = (bytes, rng) => {
  const out = bytes.slice();
  const at = rng.int(Math.max(1, out.length));
  const span = rng.range(1, 64);
  out.set(rng.bytes(span).subarray(0, Math.max(0, out.length - at)), at);
  return { bytes: out, description: `overwrote ${span} bytes at ${at}` };
};

const insert: Mutator = (bytes, rng) => {
  const at = rng.int(bytes.length + 1);
  const span = rng.chance(0.5) ? rng.range(1, 16) : rng.range(17, 2048);
  const filler = rng.chance(0.3)
    ? new Uint8Array(span).fill(rng.pick([0x00, 0xff, 0xa3, 0xfe, 0x55]))
    : rng.bytes(span);
  return { bytes: splice(bytes, at, 0, filler), description: `inserted ${span} bytes at ${at}` };
};

const remove: Mutator = (bytes, rng) => {
  const at = rng.int(bytes.length + 1);
  const span = Math.min(bytes.length - at, rng.chance(0.5) ? rng.range(1, 16) : rng.range(17, 4096));
  return { bytes: splice(bytes, at, span, new Uint8Array(0)), description: `deleted ${span} bytes at ${at}` };
};

const duplicate: Mutator = (bytes, rng) => {
  const from = rng.int(bytes.length + 1);
  const span = Math.min(bytes.length - from, rng.range(1, 4096));
  const to = rng.int(bytes.length + 1);
  return {
    bytes: splice(bytes, to, 0, bytes.slice(from, from + span)),
    description: `duplicated ${span} bytes from ${from} to ${to}`,
  };
};

const truncate: Mutator = (bytes, rng) => {
  const at = rng.int(bytes.length + 1);
  return { bytes: bytes.slice(0, at), description: `truncated at ${at}` };
};

const hostileLength: Mutator = (bytes, rng) => {
  const out = bytes.slice();
  const at = rng.int(Math.max(1, out.length));
  const value = rng.pick(HOSTILE_VALUES);
  const width = rng.pick([1, 2, 4]);
  for (let i = 0; i < width && at + i < out.length; i++) out[at + i] = (value >>> (8 * i)) & 0xff;
  return { bytes: out, description: `wrote ${width}-byte LE 0x${value.toString(16)} at ${at}` };
};

const MUTATORS: ReadonlyArray<[Mutator, number]> = [
  [bitFlips, 3],
  [overwrite, 2],
  [insert, 2],
  [remove, 2],
  [duplicate, 2],
  [truncate, 1],
  [hostileLength, 3],
];
const TOTAL_WEIGHT = MUTATORS.reduce((n, [, w]) => n + w, 0);

/** Applies 0–4 random mutations (none in about 5% of cases, as a healthy control). */
export function mutate(input: Uint8Array, rng: Prng): Mutation {
  if (rng.chance(0.05)) return { bytes: input, description: 'unmodified' };
  let bytes = input;
  const steps: string[] = [];
  const count = rng.range(1, 4);
  for (let i = 0; i < count; i++) {
    let pick = rng.int(TOTAL_WEIGHT);
    let chosen = MUTATORS[0]![0];
    for (const [mutator, weight] of MUTATORS) {
      if (pick < weight) {
        chosen = mutator;
        break;
      }
      pick -= weight;
    }
    const result = chosen(bytes, rng);
    bytes = result.bytes;
    steps.push(result.description);
  }
  return { bytes, description: steps.join('; ') };
}

function splice(bytes: Uint8Array, at: number, deleteCount: number, insertBytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - deleteCount + insertBytes.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insertBytes, at);
  out.set(bytes.subarray(at + deleteCount), at + insertBytes.length);
  return out;
}
