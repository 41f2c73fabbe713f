// The rooms of pkg/ and what may import what (ARCHITECTURE.md, "The package's rooms"), read
// from the hand-written sources, as tests/modules.rs does for src/:
//
//   cli/ -> sources/ -> api.js (through node.js) -> wasm/
//
// sources/ never imports cli/; nothing but cli/ imports cli/; only api.js calls into wasm/
// (node.js and browser.js import it to instantiate it, nothing else does); only net/
// calls fetch; options.js and public.js sit below everything but api.js.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';

import { pkgDir } from './helpers.mjs';

const manifest = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8'));

/** The hand-written .js files of pkg/, relative to it (`cli/main.js`); wasm/ is generated. */
const sources = readdirSync(pkgDir, { recursive: true })
  .map(String)
  .filter((name) => name.endsWith('.js') && !name.startsWith('wasm/') && !name.startsWith('node_modules/'))
  .sort();

/** What `file` loads of the package: static and dynamic imports and worker URLs, resolved (`api.js`, `wasm/oscontainer.js`). */
function loads(file) {
  const text = readFileSync(join(pkgDir, file), 'utf8');
  const found = [...text.matchAll(/(?:from\s+|import\s*\(\s*|new URL\(\s*)'(\.\.?\/[^']+)'/g)];
  return found.map(([, target]) => normalize(join(dirname(file), target)));
}

const room = (file) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file);

test('the rooms are cli/, sources/, net/ and wasm/, beside the API and its entries', () => {
  assert.deepEqual([...new Set(sources.map((file) => (file.includes('/') ? `${room(file)}/` : 'top')))].sort(), ['cli/', 'sources/', 'top']);
  assert.deepEqual(readdirSync(join(pkgDir, 'net')), ['README.md'], 'net/ holds only its README until the HTTP layer comes');
  assert.ok(!manifest.files.some((name) => name.startsWith('net/')), 'an empty net/ is not published');
});

test('every hand-written module is published, and the bin is the CLI entry', () => {
  for (const file of sources) assert.ok(manifest.files.includes(file), `${file} is in "files"`);
  assert.deepEqual(manifest.bin, { oscontainer: './cli/main.js' });
});

test('what may import what: cli -> sources -> api -> wasm', () => {
  for (const file of sources) {
    for (const target of loads(file)) {
      if (room(target) === 'cli') assert.equal(room(file), 'cli', `${file} imports ${target}: only cli/ imports cli/`);
      if (room(target) === 'wasm') {
        assert.ok(['api.js', 'node.js', 'browser.js'].includes(file), `${file} imports ${target}: only api.js (and the entries, to instantiate it) import wasm/`);
      }
      if (room(target) === 'sources') assert.ok(['cli', 'sources', 'fs.js'].includes(room(file)), `${file} imports ${target}: sources/ is below cli/ only`);
    }
  }
  // The layers below: options.js imports nothing; api.js only options.js and the glue.
  assert.deepEqual(loads('options.js'), []);
  assert.deepEqual(loads('api.js').sort(), ['options.js', 'wasm/oscontainer.js']);
});

test('the entries instantiate the glue and call nothing else of it; only api.js calls it', () => {
  // node.js: initSync and the schema glue's namespace (for initSync); browser.js: the
  // default export (init) and the schema glue, loaded on request.
  assert.match(readFileSync(`${pkgDir}node.js`, 'utf8'), /^import \{ initSync \} from '\.\/wasm\/oscontainer\.js';$/m);
  assert.match(readFileSync(`${pkgDir}browser.js`, 'utf8'), /^import initWasm from '\.\/wasm\/oscontainer\.js';$/m);
});

test('only net/ calls fetch', () => {
  for (const file of sources) {
    if (room(file) === 'net') continue;
    assert.doesNotMatch(readFileSync(join(pkgDir, file), 'utf8'), /\bfetch\s*\(/, `${file} calls fetch`);
  }
});
