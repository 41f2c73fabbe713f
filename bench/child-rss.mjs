// One case of the memory measurement, run by run.mjs under `/usr/bin/time -v` (GNU time),
// which reports the peak resident set size of this process. Reads the document the way
// the case needs it, runs the case once, keeps the result alive to the end, and prints
// a one-line summary.
//
// node bench/child-rss.mjs CASE FILE [PKG_DIR]

import { readFileSync } from 'node:fs';
import { caseFunctions, consume, loadAjv, loadPackage } from './cases.mjs';

const [caseName, file, pkgDir] = process.argv.slice(2);
const needsPackage = /validate|upgrade|import/.test(caseName);
const needsAjv = /ajv|cosa/.test(caseName);
const api = needsPackage ? await loadPackage(pkgDir || undefined) : null;
const ajv = needsAjv ? await loadAjv() : null;

let doc;
if (caseName === 'node' || caseName === 'import oscontainer') {
  doc = null;
} else if (caseName === 'read bytes' || caseName === 'validate(bytes)') {
  doc = { bytes: readFileSync(file) };
} else {
  doc = { text: readFileSync(file, 'utf8') };
}

let result = null;
if (doc && !caseName.startsWith('read')) {
  const fn = caseFunctions({ api, ajv }, doc)[caseName];
  if (!fn) throw new Error(`unknown case ${caseName}`);
  result = fn();
}
const summary = result && typeof result === 'object' && 'diagnostics' in result ? result.diagnostics.length : consume(result);
process.stdout.write(`${caseName}: ${summary}\n`);
