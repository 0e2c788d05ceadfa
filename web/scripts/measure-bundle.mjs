#!/usr/bin/env node
// Prints the gzip size of what the browser downloads on first load of the dashboard shell:
// index.html, every script/stylesheet it references, and (through Vite's manifest) every chunk the
// entry imports statically. Lazy chunks (pages, charts) are listed separately and not counted.
// Usage: npm run build && node scripts/measure-bundle.mjs [--max-kb 300]
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const maxArg = process.argv.indexOf('--max-kb');
const maxKb = maxArg > 0 ? Number(process.argv[maxArg + 1]) : 300;

if (!existsSync(join(dist, 'index.html'))) {
  console.error('web/dist/index.html not found: run `npm run build` first.');
  process.exit(2);
}

const gz = (file) => {
  const buf = readFileSync(join(dist, file));
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
};

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set(['index.html']);
for (const m of html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="\/?([^"?#]+)"[^>]*>/g)) {
  const tag = m[0];
  const file = m[1];
  if (/^https?:/.test(file)) continue;
  if (tag.startsWith('<link') && !/rel="(stylesheet|modulepreload)"/.test(tag)) continue;
  if (existsSync(join(dist, file))) initial.add(file);
}

const manifestPath = join(dist, '.vite', 'manifest.json');
const lazy = new Set();
if (existsSync(manifestPath)) {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) return;
    initial.add(chunk.file);
    for (const css of chunk.css ?? []) initial.add(css);
    for (const imp of chunk.imports ?? []) visit(imp);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  for (const chunk of Object.values(manifest)) {
    if (!initial.has(chunk.file)) lazy.add(chunk.file);
    for (const css of chunk.css ?? []) if (!initial.has(css)) lazy.add(css);
  }
} else {
  console.warn('warning: no .vite/manifest.json; counting only files named in index.html');
}

const row = (f, s) =>
  `  ${f.padEnd(48)} ${(s.raw / 1024).toFixed(1).padStart(8)} KB ${(s.gzip / 1024).toFixed(1).padStart(8)} KB gzip`;
let total = 0;
console.log('Initial load (shell):');
for (const f of [...initial].sort()) {
  const s = gz(f);
  total += s.gzip;
  console.log(row(f, s));
}
console.log(`  ${'TOTAL'.padEnd(48)} ${''.padStart(11)} ${(total / 1024).toFixed(1).padStart(8)} KB gzip`);
if (lazy.size) {
  console.log('\nLazy chunks (loaded on demand, not counted):');
  for (const f of [...lazy].sort()) console.log(row(f, gz(f)));
}
const ok = total / 1024 < maxKb;
console.log(
  `\nshell first-load: ${(total / 1024).toFixed(1)} KB gzip (budget ${maxKb} KB) ${ok ? 'OK' : 'OVER BUDGET'}`,
);
process.exit(ok ? 0 : 1);
