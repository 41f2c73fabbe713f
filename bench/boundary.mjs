// serde-wasm-bindgen against the JSON-text boundary, in one module: the build with the
// feature boundary-bench (`make bench-boundary` builds it into target/pkg-boundary and
// runs this), whose extra exports do the same work as the shipped ones but let values
// cross through serde-wasm-bindgen. Three questions (issue 13, docs/performance.md):
//
//   options   one `from_value` of `{profile, buildId, schema}` against today's three
//             separate arguments;
//   reports   `to_value(&report)` (json_compatible: `null` for absent values, maps as
//             plain objects) against JSON text + `JSON.parse`, the conversion alone on a
//             kept report and the whole validate call;
//   objects   a parsed JS value read by `from_value` into a serde_json::Value (then
//             written as text and validated) against `JSON.stringify` in JS and the
//             staged-bytes path.
//
//   node --expose-gc bench/boundary.mjs [--pkg DIR] [--rounds N] [--only options,reports,objects]
//        [--docs empty,corpus,20k,5m,findings]
//
// Same method as bench/measure.mjs (its `measure`): cases interleaved, rotated each
// round, a GC before every batch. Every pair is checked to give equal results first.

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { corpusRoot, rootDir } from './cases.mjs';
import { dataDir, generate } from './generate.mjs';
import { fmtTime, hasGc, measure, ratio, sinkValue, table } from './measure.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const pkgDir = opt('pkg', `${rootDir}target/pkg-boundary`).replace(/\/?$/, '/');
const rounds = Number(opt('rounds', 15));
const only = opt('only', 'options,reports,objects').split(',');
const docKeys = opt('docs', 'empty,corpus,20k,5m,findings').split(',');
if (!hasGc) console.log('note: run with node --expose-gc for a GC before each batch');

const glue = await import(pathToFileURL(`${pkgDir}oscontainer.js`).href);
glue.initSync({ module: new WebAssembly.Module(readFileSync(`${pkgDir}oscontainer_bg.wasm`)) });
if (typeof glue.__benchReportValue !== 'function') {
  throw new Error(`${pkgDir} is not a boundary-bench build (make bench-boundary builds one)`);
}

// ---- staging, as pkg/api.js's Engine.stage does it for a string ----------------------

const encoder = new TextEncoder();
let memory = null;
function bytesAt(at, length) {
  if (memory === null || memory.buffer.byteLength === 0) memory = glue.wasmMemory();
  return new Uint8Array(memory.buffer, at, length);
}
function stage(text) {
  let at = glue.stageInput(text.length);
  let { read, written } = encoder.encodeInto(text, bytesAt(at, text.length));
  if (read < text.length) {
    const length = written + (text.length - read) * 3;
    at = glue.stageInput(length);
    written += encoder.encodeInto(text.slice(read), bytesAt(at + written, length - written)).written;
  }
  return written;
}

// ---- documents --------------------------------------------------------------------------

generate({ log: () => {} });
const corpusFile = `${corpusRoot}meta/openshift-installer__data_data_rhcos@009e5056c.json`;

/** A report of many findings: 500 additional images with the digest inside `image`. */
function manyFindings(n) {
  const hex = (i) => i.toString(16).padStart(64, '0');
  const extra = Array.from({ length: n }, (_, i) => ({ image: `quay.io/example/image-${i}@sha256:${hex(i)}` }));
  const doc = {
    buildid: '40.20240515.1.0',
    'base-oscontainer': { image: 'quay.io/fedora/fedora-coreos', digest: `sha256:${hex(1)}`, 'additional-images': extra },
  };
  return JSON.stringify(doc, null, 4);
}

const allDocs = {
  empty: () => ({ name: '"{}"', text: '{}' }),
  corpus: () => ({ name: 'corpus rhcos@009e5056c', text: readFileSync(corpusFile, 'utf8') }),
  '20k': () => ({ name: 'meta-20k.json', text: readFileSync(`${dataDir}meta-20k.json`, 'utf8') }),
  '5m': () => ({ name: 'meta-5m.json', text: readFileSync(`${dataDir}meta-5m.json`, 'utf8'), big: true }),
  findings: () => ({ name: '500 findings (synthetic)', text: manyFindings(500), reportOnly: true }),
};
const docs = docKeys.map((key) => {
  if (!allDocs[key]) throw new Error(`--docs: unknown ${key}; known: ${Object.keys(allDocs).join(', ')}`);
  return allDocs[key]();
});
for (const d of docs) {
  d.size = Buffer.byteLength(d.text);
  d.obj = JSON.parse(d.text);
}

// ---- running ------------------------------------------------------------------------------

const log = (s = '') => console.log(s);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const startLoad = load();

/** A report with its lists in pointer order, for results that differ only in order. */
function sorted(report) {
  const byPointer = (a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0);
  return { ...report, diagnostics: [...report.diagnostics].sort(byPointer), entries: [...report.entries].sort(byPointer) };
}

/**
 * Checks that each pair gives equal results (`anyOrder`: equal once sorted, and says so
 * when only the order differs), then measures all cases interleaved.
 */
function run(title, cases, pairs, big, checked = pairs, anyOrder = false) {
  for (const [a, b] of checked) {
    let x = cases[a]();
    let y = cases[b]();
    if (anyOrder && !isDeepStrictEqual(x, y)) {
      log(`\nnote: "${b}" lists diagnostics or entries in another order than "${a}" (the document's order)`);
      x = sorted(x);
      y = sorted(y);
    }
    if (!isDeepStrictEqual(x, y)) {
      throw new Error(`${title}: "${a}" and "${b}" differ:\n${JSON.stringify(x).slice(0, 400)}\n${JSON.stringify(y).slice(0, 400)}`);
    }
  }
  const r = measure(cases, {
    rounds: big ? Math.min(rounds, 9) : rounds,
    targetMs: big ? 1 : 25,
    warmupMs: big ? 200 : 300,
  });
  const rows = pairs.map(([a, b]) => [
    a,
    fmtTime(r[a].median),
    `${fmtTime(r[a].q1)} – ${fmtTime(r[a].q3)}`,
    b,
    fmtTime(r[b].median),
    `${fmtTime(r[b].q1)} – ${fmtTime(r[b].q3)}`,
    ratio(r[b].median / r[a].median),
  ]);
  log(`\n${title}`);
  log();
  log(table(['JSON text (today)', 'median', 'IQR', 'serde-wasm-bindgen', 'median', 'IQR', 'swb / JSON'], rows, ['l', 'r', 'r', 'l', 'r', 'r', 'r']));
  return r;
}

log(`boundary benchmark: ${pkgDir}, Node ${process.version}, ${rounds} rounds (9 on 5 MB), load average ${startLoad}`);

if (only.includes('options')) {
  const variants = [
    ['none', undefined],
    ['{profile}', { profile: 'compat' }],
    ['{profile, buildId}', { profile: 'compat', buildId: '40.20240515.1.0' }],
  ];
  const cases = {};
  const pairs = [];
  for (const [name, o] of variants) {
    // Shipped: the wrapper sends the object's JSON text (nothing for no options).
    cases[`JSON text ${name}`] = () => glue.__benchOptionsJson(o === undefined ? undefined : JSON.stringify(o));
    cases[`object ${name}`] = () => glue.__benchOptionsValue(o);
    pairs.push([`JSON text ${name}`, `object ${name}`]);
  }
  run('Options: reading them in Rust, per call', cases, pairs, false);
}

if (only.includes('reports')) {
  for (const d of docs) {
    const parts = glue.__benchKeepReport(stage(d.text));
    const cases = {
      'report: to_json + JSON.parse': () => JSON.parse(glue.__benchReportJson()),
      'report: to_value': () => glue.__benchReportValue(),
      'validate: JSON text': () =>
        JSON.parse(glue.validateStaged(stage(d.text), true, undefined)),
      'validate: to_value': () => glue.__benchValidateStagedValue(stage(d.text), true),
    };
    const json = glue.__benchReportJson();
    run(
      `Reports, ${d.name} (${d.size.toLocaleString('en-US')} bytes; report: ${parts} diagnostics + entries, ${json.length.toLocaleString('en-US')} bytes as JSON)`,
      cases,
      [
        ['report: to_json + JSON.parse', 'report: to_value'],
        ['validate: JSON text', 'validate: to_value'],
      ],
      d.big,
    );
  }
}

if (only.includes('objects')) {
  for (const d of docs.filter((x) => !x.reportOnly)) {
    const { obj } = d;
    const cases = {
      'JSON.stringify + staged bytes': () =>
        JSON.parse(glue.validateStaged(stage(JSON.stringify(obj)), false, undefined)),
      'from_value + to_string': () => JSON.parse(glue.__benchValidateObject(obj)),
      'step: JSON.stringify': () => JSON.stringify(obj).length,
      'step: from_value': () => glue.__benchFromValue(obj),
    };
    const pairs = [
      ['JSON.stringify + staged bytes', 'from_value + to_string'],
      ['step: JSON.stringify', 'step: from_value'],
    ];
    // The first steps give different things (text, a count): only the reports are compared.
    run(`Parsed-object input, ${d.name} (${d.size.toLocaleString('en-US')} bytes as text)`, cases, pairs, d.big, [pairs[0]], true);
  }
}

log(`\nload average: ${startLoad} at the start, ${load()} at the end (1, 5, 15 min)`);
if (sinkValue() === 0.5) console.log('.');
