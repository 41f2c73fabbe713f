// One cold start, run by run.mjs in a new Node process each time: the time from the
// import of the package (or of ajv, for the anchor) to the first result on the 20 KB
// document. The document is read before the clock starts. Prints one JSON line.
//
// node bench/child-cold.mjs ours|ajv|steps FILE [PKG_DIR]
//
// `steps` does what the package's node.js does, one step at a time, and times each: the
// import of the generated glue, reading the .wasm, compiling it, instantiating it, the
// first validate and a second one (the first pays for one-time set-up inside the module).

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { benchDir, defaultPkgDir } from './cases.mjs';

const [which, file, pkgDir = defaultPkgDir] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
const schemaText = which === 'ajv' ? readFileSync(`${benchDir}ajv-schema.json`, 'utf8') : null;
const entry = pathToFileURL(`${pkgDir.replace(/\/?$/, '/')}node.js`).href;
const started = performance.now();
let imported;
let result;
if (which === 'steps') {
  const dir = pkgDir.replace(/\/?$/, '/');
  const t = [performance.now()];
  const glue = await import(pathToFileURL(`${dir}wasm/oscontainer.js`).href);
  const { markReady, validate } = await import(pathToFileURL(`${dir}api.js`).href);
  t.push(performance.now());
  const bytes = readFileSync(`${dir}wasm/oscontainer_bg.wasm`);
  t.push(performance.now());
  const module = new WebAssembly.Module(bytes);
  t.push(performance.now());
  glue.initSync({ module });
  markReady();
  t.push(performance.now());
  validate(text);
  t.push(performance.now());
  validate(text);
  t.push(performance.now());
  const names = ['importGlue', 'readWasm', 'compile', 'instantiate', 'firstValidate', 'secondValidate'];
  process.stdout.write(`${JSON.stringify(Object.fromEntries(names.map((n, i) => [n, t[i + 1] - t[i]])))}\n`);
  process.exit(0);
}
if (which === 'ours') {
  const api = await import(entry);
  imported = performance.now();
  result = api.validate(text).diagnostics.length;
} else {
  const { default: Ajv } = await import('ajv');
  const validate = new Ajv({ allErrors: true }).compile(JSON.parse(schemaText));
  imported = performance.now();
  result = validate(JSON.parse(text)) ? 0 : validate.errors.length;
}
const done = performance.now();
process.stdout.write(
  `${JSON.stringify({ importMs: imported - started, firstResultMs: done - started, sinceProcessStartMs: done, result })}\n`,
);
