import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimateMinMax } from './decimate.js';
import { escapeXml } from './escape.js';
import { formatTick, niceTicks } from './ticks.js';
import { renderLinePlot } from './line-plot.svg.js';

const range = (n: number, f: (i: number) => number): Float64Array => Float64Array.from({ length: n }, (_, i) => f(i));

test('decimation keeps every extreme: a one-sample spike among 100 000 samples survives', () => {
  const n = 100_000;
  const t = range(n, (i) => i / 1000);
  const v = range(n, (i) => Math.sin(i / 500));
  v[12_345] = 50;
  v[87_654] = -40;
  const d = decimateMinMax(t, v, { x0: 0, x1: t[n - 1]!, buckets: 800 });
  assert.ok(d.t.length <= 2 * 800, `at most two points per column, got ${d.t.length}`);
  assert.equal(Math.max(...d.v), 50);
  assert.equal(Math.min(...d.v), -40);
  assert.ok(d.t.includes(t[12_345]!) && d.t.includes(t[87_654]!), 'the extremes keep their own time');
  for (let i = 1; i < d.t.length; i++) assert.ok(d.t[i]! >= d.t[i - 1]!, 'time order kept');
});

test('decimation leaves a short series untouched and drops samples outside the range', () => {
  const t = Float64Array.from([0, 1, 2, 3, 4]);
  const v = Float64Array.from([5, 6, 7, 8, 9]);
  assert.deepEqual(Array.from(decimateMinMax(t, v, { x0: 0, x1: 4, buckets: 100 }).v), [5, 6, 7, 8, 9]);
  assert.deepEqual(Array.from(decimateMinMax(t, v, { x0: 1, x1: 3, buckets: 100 }).v), [6, 7, 8]);
});

test('decimation: NaN samples and dropouts become gaps, never zeros or bridged lines', () => {
  const t = Float64Array.from([0, 0.1, 0.2, 0.3, 0.4, 0.5, 10, 10.1, 10.2]);
  const v = Float64Array.from([1, 1, NaN, NaN, 2, 2, 3, 3, 3]);
  const d = decimateMinMax(t, v, { x0: 0, x1: 10.2, buckets: 1000 });
  const runs = Array.from(d.v).join(',').split('NaN').map((s) => s.split(',').filter(Boolean).map(Number));
  assert.deepEqual(runs, [[1, 1], [2, 2], [3, 3, 3]], 'a NaN gap and a 9.5 s dropout each split the line');
  assert.ok(!Array.from(d.v).includes(0));
});

test('decimation of empty, all-NaN and degenerate input returns nothing drawable', () => {
  assert.equal(decimateMinMax(new Float64Array(), new Float64Array(), { x0: 0, x1: 1, buckets: 10 }).t.length, 0);
  const allNaN = decimateMinMax(Float64Array.from([0, 1]), Float64Array.from([NaN, NaN]), { x0: 0, x1: 1, buckets: 10 });
  assert.ok(Array.from(allNaN.v).every((x) => Number.isNaN(x)));
  assert.equal(decimateMinMax(Float64Array.from([0, 1]), Float64Array.from([1, 2]), { x0: 1, x1: 1, buckets: 10 }).t.length, 0);
});

test('nice ticks: 1/2/2.5/5 steps covering the range, readable labels', () => {
  const a = niceTicks(0, 93.4, 5);
  assert.equal(a.step, 20);
  assert.deepEqual(a.values, [0, 20, 40, 60, 80, 100]);
  const b = niceTicks(-0.13, 0.92, 5);
  assert.ok(b.min <= -0.13 && b.max >= 0.92);
  assert.deepEqual(b.values.map((x) => formatTick(x, b.step)), ['-0.25', '0.00', '0.25', '0.50', '0.75', '1.00']);
  const c = niceTicks(4990, 5120, 5);
  assert.ok(c.values.every((x) => Number.isInteger(x)));
  assert.equal(formatTick(0.1 + 0.2, 0.1), '0.3');
  // Flat and non-finite ranges still give an axis.
  assert.ok(niceTicks(7, 7).values.length >= 2);
  assert.ok(niceTicks(NaN, Infinity).values.length >= 2);
  assert.ok(niceTicks(0, 0).values.includes(0));
});

test('plot: axes with units, legend with every series, phase strip and shaded finding ranges', () => {
  const t = range(600, (i) => 100 + i / 10);
  const svg = renderLinePlot({
    title: 'Altitude',
    yLabel: 'altitude (m)',
    xOffset: 100,
    series: [
      { label: 'altitude', t, v: range(600, (i) => i / 20) },
      { label: 'setpoint', t, v: range(600, (i) => i / 25), dashed: true },
    ],
    bands: [
      { start: 105, end: 150, kind: 'flying' },
      { start: 110, end: 120, kind: 'fail', label: 'Crash' },
      { start: 130, end: 131, kind: 'anomaly' },
    ],
    lines: [{ y: 20, kind: 'warn', label: 'warn 20 m' }],
  });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, />altitude \(m\)</);
  assert.match(svg, />time since log start \(s\)</);
  for (const label of ['altitude', 'setpoint', 'warn 20 m', 'flying', 'failure range', 'unusual vs reference flights']) assert.ok(svg.includes(`>${label}<`), label);
  assert.equal((svg.match(/<path /g) ?? []).length, 2);
  assert.match(svg, /stroke-dasharray="5 3"/);
  assert.match(svg, /<title>Crash<\/title>/);
  // x axis reads seconds since xOffset: 0 … 60, not 100 … 160.
  assert.match(svg, />0<\/text>/);
  assert.doesNotMatch(svg, />160<\/text>/);
  assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
});

test('plot: NaN gaps split the path; a lone valid sample is drawn as a dot', () => {
  const svg = renderLinePlot({
    title: 'g',
    yLabel: 'm',
    series: [{ label: 's', t: Float64Array.from([0, 1, 2, 3, 4, 5, 6]), v: Float64Array.from([1, 2, NaN, 3, NaN, 4, 5]) }],
  });
  const paths = [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);
  assert.equal(paths.length, 2, 'one line path and one dot path');
  assert.equal((paths[0]!.match(/M/g) ?? []).length, 2, 'two line runs');
  assert.match(paths[1]!, /^M[\d.]+ [\d.]+l0\.01 0$/);
  assert.doesNotMatch(svg, /NaN/);
});

test('plot: empty or all-NaN series say "no data", never bare axes', () => {
  for (const series of [[], [{ label: 'x', t: new Float64Array(), v: new Float64Array() }], [{ label: 'x', t: Float64Array.from([0, 1]), v: Float64Array.from([NaN, NaN]) }]]) {
    const svg = renderLinePlot({ title: 'empty', yLabel: 'm', series });
    assert.match(svg, /no data in this range/);
    assert.doesNotMatch(svg, /<path |<line /);
  }
});

test('plot: a flat series on a fixed floor gets a usable axis', () => {
  const svg = renderLinePlot({ title: 'clip', yLabel: 'count', yMin: 0, series: [{ label: 'c', t: Float64Array.from([0, 1, 2]), v: Float64Array.from([0, 0, 0]) }] });
  assert.doesNotMatch(svg, />-1</, 'no negative ticks below a floor of 0');
  assert.match(svg, />1(\.0)?</);
});

test('plot: hostile labels are escaped and cannot close the svg', () => {
  const evil = `</svg><script>alert("x")</script><img src=x onerror='y'>&`;
  const svg = renderLinePlot({
    title: evil,
    yLabel: evil,
    series: [{ label: evil, t: Float64Array.from([0, 1]), v: Float64Array.from([0, 1]) }],
    bands: [{ start: 0, end: 1, kind: 'warn', label: evil }],
    lines: [{ y: 0.5, kind: 'ref', label: evil }],
  });
  assert.equal(svg.indexOf('</svg>'), svg.length - '</svg>'.length, 'the only </svg> is the closing tag');
  assert.doesNotMatch(svg, /<script|<img|onerror='/);
  assert.match(svg, /&lt;\/svg&gt;&lt;script&gt;alert\(&quot;x&quot;\)/);
  assert.equal(escapeXml('a\u0000b\u001bc'), 'a\ufffdb\ufffdc', 'control characters cannot break XML');
});
