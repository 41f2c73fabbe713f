// `make lint` type-checks the hand-written JavaScript against hand-written declarations of
// the generated glue (pkg/wasm/oscontainer.d.ts; wasm-bindgen runs with --no-typescript). A
// declaration that lags behind src/js.rs would let a call to a renamed or new export pass
// the check unseen, so the declared names are held to what the built glue exports.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import * as glue from '../../pkg/wasm/oscontainer.js';
import * as schemaGlue from '../../pkg/wasm/oscontainer_schema.js';
import { pkgDir } from './helpers.mjs';

/** The names `export function NAME` and `export default function` declare in `file`. */
function declared(file) {
  const text = readFileSync(`${pkgDir}${file}`, 'utf8');
  const names = [...text.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]);
  if (/^export default function /m.test(text)) names.push('default');
  return names.sort();
}

test('pkg/wasm/oscontainer.d.ts declares exactly the functions the generated glue exports', () => {
  assert.deepEqual(declared('wasm/oscontainer.d.ts'), Object.keys(glue).sort());
});

test('pkg/wasm/oscontainer_schema.d.ts re-exports them, and the schema glue exports the same', () => {
  assert.equal(
    readFileSync(`${pkgDir}wasm/oscontainer_schema.d.ts`, 'utf8').replace(/^\/\/.*\n/gm, ''),
    "export * from './oscontainer.js';\nexport { default } from './oscontainer.js';\n",
  );
  assert.deepEqual(Object.keys(schemaGlue).sort(), Object.keys(glue).sort());
});
