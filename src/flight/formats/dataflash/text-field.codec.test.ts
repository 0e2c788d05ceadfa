import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeTextField } from './text-field.codec.js';

/** `text` as a NUL-padded field of `size` bytes, at offset 3 of a larger buffer. */
function field(text: string | number[], size = 16): { bytes: Uint8Array; start: number } {
  const raw = typeof text === 'string' ? [...text].map((c) => c.charCodeAt(0)) : text;
  const bytes = new Uint8Array(size + 6).fill(0x41);
  bytes.fill(0, 3, 3 + size);
  bytes.set(raw.slice(0, size), 3);
  return { bytes, start: 3 };
}

const decode = (text: string | number[], size = 16): string => {
  const { bytes, start } = field(text, size);
  return decodeTextField(bytes, start, size);
};

describe('DataFlash text fields', () => {
  it('stops at the first NUL and at the field size', () => {
    assert.equal(decode('RLL2SRV_P'), 'RLL2SRV_P');
    assert.equal(decode([0x41, 0x42, 0, 0x43]), 'AB');
    assert.equal(decode('ABCDEFGH', 4), 'ABCD');
    assert.equal(decode([]), '');
  });

  it('turns invalid UTF-8 into U+FFFD and keeps valid UTF-8', () => {
    assert.equal(decode([0x41, 0xff, 0x42]), 'A\uFFFDB');
    assert.equal(decode([0xc3, 0xa9, 0x74, 0xc3, 0xa9]), 'été');
  });

  it('gives the same text for the same bytes, however often and wherever they occur', () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(decode('THR_MAX'), 'THR_MAX');
      assert.equal(decode('THR_MAX', 64), 'THR_MAX');
      assert.equal(decode('THR_MIN'), 'THR_MIN');
    }
  });

  it('tells apart texts whose bytes hash alike (FNV-1a collisions)', () => {
    for (const [a, b] of [
      ['costarring', 'liquid'],
      ['declinate', 'macallums'],
    ] as const) {
      for (let i = 0; i < 3; i++) {
        assert.equal(decode(a), a);
        assert.equal(decode(b), b);
      }
    }
  });

  it('tells apart long texts that differ only after the bytes it hashes', () => {
    const prefix = 'vehicle_local_position:uint64_t timestamp;float x;float y;float z;';
    const a = `${prefix}float vx;float vy`;
    const b = `${prefix}float vx;float vz`;
    for (let i = 0; i < 3; i++) {
      assert.equal(decode(a, 200), a);
      assert.equal(decode(b, 200), b);
    }
    // Non-ASCII after the hashed bytes still goes through the UTF-8 decoder.
    assert.equal(decode([...prefix].map((c) => c.charCodeAt(0)).concat([0xc3, 0xa9, 0xff]), 200), `${prefix}é\uFFFD`);
  });

  it('stays correct when more distinct texts pass than it keeps', () => {
    const names = Array.from({ length: 40_000 }, (_, i) => `P${i.toString(36)}`);
    for (const name of names) assert.equal(decode(name), name);
    for (const name of names.slice(0, 100)) assert.equal(decode(name), name);
  });
});
