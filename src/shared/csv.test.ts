import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvDataLine, csvLine } from './csv.js';

test('cells are quoted only when they must be, with quotes doubled', () => {
  assert.equal(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', 1.5, true, null, undefined]), 'a,"b,c","say ""hi""","two\nlines",1.5,true,,\n');
});

test('lists join with a semicolon and objects are JSON', () => {
  assert.equal(csvDataLine([['A320', 'A321'], { k: 1 }]), 'A320;A321,"{""k"":1}"');
});

test('people-facing CSV neutralises formulas but leaves numbers alone', () => {
  assert.equal(csvLine(['=HYPERLINK("x")', '+1+1', '@SUM(A1)', '-2+3*cmd', '-3.5', '-0', 'plain']), `"'=HYPERLINK(""x"")",'+1+1,'@SUM(A1),'-2+3*cmd,-3.5,-0,plain\n`);
});

test('data CSV writes values exactly, formulas included', () => {
  assert.equal(csvDataLine(['=1+1', '-3', '']), '=1+1,-3,');
});
