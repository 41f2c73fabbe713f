// Compares builds of the package side by side in one Node process, interleaved, so that
// load on the machine hits every build alike: e.g. the opt-levels, or a scanner change
// against the build before it.
//
//   node --expose-gc bench/compare.mjs [--doc 20k|5m|corpus|empty] [--rounds N] [--cases LIST] \
//        NAME=PKG_DIR NAME=PKG_DIR …
//
// Each PKG_DIR is a complete package (the generated wasm/oscontainer.js and .wasm with the
// hand-written pkg/**/*.js), e.g. pkg/ and a copy of it made before a change. Prints the
// median time per call of each case for each build, the ratio to the first build, and
// each .wasm's size.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { caseFunctions, corpusMeta, docRecord, loadAjv, loadPackage } from './cases.mjs';
import { dataDir, generate } from './generate.mjs';
import { fmtTime, hasGc, int, measure, ratio, sinkValue, table } from './measure.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const which = opt('doc', '20k');
const rounds = Number(opt('rounds', 15));
const cases = opt('cases', 'validate(string),validate(bytes),upgrade(string),validate(string,cosa)').split(/,(?![^(]*\))/);
const builds = args.map((a) => {
  const eq = a.indexOf('=');
  return eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, a];
});
if (builds.length === 0) {
  console.error('usage: node --expose-gc bench/compare.mjs [--doc 20k|5m|corpus|empty] [--rounds N] NAME=PKG_DIR …');
  process.exit(2);
}
if (!hasGc) console.log('note: run with node --expose-gc for a GC before each batch');

generate({ log: () => {} });
const ajv = await loadAjv();
// `empty`: the text "{}", a call's fixed costs (boundary, options, the report's crossing).
const docs =
  which === 'corpus'
    ? (corpusMeta().files ?? []).map(([n, t]) => docRecord(n, t))
    : which === 'empty'
      ? [docRecord('"{}"', '{}')]
      : [docRecord(`meta-${which}.json`, readFileSync(`${dataDir}meta-${which}.json`, 'utf8'))];
if (docs.length === 0) throw new Error('no documents (corpus missing?)');

const fns = {};
for (const [name, dir] of builds) {
  const api = await loadPackage(dir);
  for (const c of cases) {
    // For the corpus, one call of a case is one pass over all its documents.
    const perDoc = docs.map((d) => caseFunctions({ api, ajv }, d)[c]);
    if (perDoc.some((f) => !f)) throw new Error(`unknown case ${c}`);
    fns[`${c} @ ${name}`] = perDoc.length === 1 ? perDoc[0] : () => perDoc.reduce((n, f) => n + (f() ? 1 : 0), 0);
  }
}
const big = which === '5m';
const r = measure(fns, { rounds, targetMs: big ? 1 : 25, warmupMs: big ? 200 : 300 });

const rows = cases.map((c) => {
  const first = r[`${c} @ ${builds[0][0]}`].median;
  return [
    c,
    ...builds.map(([n]) => {
      const s = r[`${c} @ ${n}`];
      return `${fmtTime(s.median)} (${ratio(s.median / first)})`;
    }),
  ];
});
const size = (dir) => {
  const wasm = readFileSync(`${dir.replace(/\/?$/, '/')}wasm/oscontainer_bg.wasm`);
  return `${int(wasm.length)} / ${int(execFileSync('gzip', ['-9', '-c'], { input: wasm, maxBuffer: 1 << 26 }).length)}`;
};
rows.push(['.wasm raw / gzip -9', ...builds.map(([, d]) => size(d))]);
console.log(`\n${docs.length === 1 ? docs[0].name : `corpus (${docs.length} files, one pass)`}; ${rounds} rounds, interleaved; median per call (ratio to ${builds[0][0]})\n`);
console.log(table(['case', ...builds.map(([n]) => n)], rows));
if (sinkValue() === 0.5) console.log('.');
