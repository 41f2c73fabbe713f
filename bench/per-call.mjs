// The per-call cost of two builds of the package, measured side by side in one process:
// rounds alternate between them, so that whatever else the machine is doing weighs on both
// alike. The calls are the ones docs/performance.md tracks across boundary changes:
// validate("{}") (the floor: the crossing and the options), the same with options, and
// validate of the 20 KB document (bench/data/meta-20k.json, `node bench/generate.mjs`).
//
// Usage: node --expose-gc bench/per-call.mjs --before DIR --after DIR [--rounds N]
//   DIR is a built package folder (pkg/ after `make pkg`, or a copy of an older one).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { dataDir, generate } from './generate.mjs';

const { values } = parseArgs({
  options: { before: { type: 'string' }, after: { type: 'string' }, rounds: { type: 'string', default: '15' } },
});
if (!values.before || !values.after) {
  console.error('usage: node --expose-gc bench/per-call.mjs --before DIR --after DIR [--rounds N]');
  process.exit(2);
}

generate({ log: () => {} });
const doc20k = readFileSync(`${dataDir}meta-20k.json`, 'utf8');

const load = (dir) => import(pathToFileURL(resolve(dir, 'node.js')).href);
const builds = { before: await load(values.before), after: await load(values.after) };

const CASES = {
  'validate("{}")': (api) => api.validate('{}'),
  'validate("{}", {profile, buildId})': (api) => api.validate('{}', { profile: 'compat', buildId: '40.20240515.1.0' }),
  'validate(20 KB)': (api) => api.validate(doc20k),
  'upgrade(20 KB)': (api) => api.upgrade(doc20k),
};

/** Nanoseconds per call of `fn` over a batch long enough to time (~50 ms). */
function perCall(fn) {
  let n = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const ns = Number(process.hrtime.bigint() - start);
    if (ns > 50e6) return ns / n;
    n *= 2;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const fmt = (ns) => (ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);

const rounds = Number(values.rounds);
console.log(`| call | before (${values.before}) | after (${values.after}) | after / before |`);
console.log('| --- | ---: | ---: | ---: |');
for (const [name, call] of Object.entries(CASES)) {
  const samples = { before: [], after: [] };
  for (const api of Object.values(builds)) perCall(() => call(api)); // warm up both
  for (let r = 0; r < rounds; r++) {
    for (const key of r % 2 === 0 ? ['before', 'after'] : ['after', 'before']) {
      globalThis.gc?.();
      samples[key].push(perCall(() => call(builds[key])));
    }
  }
  const before = median(samples.before);
  const after = median(samples.after);
  console.log(`| ${name} | ${fmt(before)} | ${fmt(after)} | ${(after / before).toFixed(2)}x |`);
}
