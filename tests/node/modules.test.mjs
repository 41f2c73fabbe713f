// Two modules (issue 13): the core everyone loads has no JSON Schema validator, and the
// one with jsonschema is read only when a call passes a schema. Checked on copies of the
// package from which a module's .wasm is removed, each in a fresh Node process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import * as glue from '../../pkg/wasm/oscontainer.js';
import { validate } from '../../pkg/node.js';
import { pkgDir } from './helpers.mjs';

const temporary = [];
after(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A copy of pkg/ without `missing`. */
function packageWithout(missing) {
  const dir = mkdtempSync(join(tmpdir(), 'oscontainer-modules-'));
  temporary.push(dir);
  cpSync(pkgDir, dir, { recursive: true, filter: (path) => !path.endsWith(`/${missing}`) && !path.endsWith('.tgz') });
  return dir;
}

/** Runs `script` (an ES module body) with `pkg` bound to the package at `dir`. */
function run(dir, script) {
  const body = `const pkg = await import(${JSON.stringify(join(dir, 'node.js'))});\n${script}`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', body], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const META = '{"buildid": "1", "kubevirt": {"image": "quay.io/a/b"}}';

test('the core has no JSON Schema support of its own', () => {
  // The lean build's registerSchema says so; only the second module compiles schemas.
  assert.throws(() => glue.registerSchema('{"type": "object"}'), {
    name: 'TypeError',
    message: 'options.schema cannot be used: this build has no JSON Schema support (the cargo feature "schema")',
  });
  // Through the API the same call runs in the schema module.
  assert.deepEqual(
    validate(META, { schema: { required: ['x'] } }).diagnostics.map((d) => d.code),
    ['schema-violation', 'digest-missing'],
  );
});

test('without a schema the schema module is never read', () => {
  const dir = packageWithout('oscontainer_schema_bg.wasm');
  const result = run(dir, `console.log(pkg.validate(${JSON.stringify(META)}).valid, pkg.upgrade('{}').changed);`);
  assert.deepEqual(result, { status: 0, stdout: 'false false\n', stderr: '' });
  // The first call with a schema reads it, and says what to do when it is not there.
  const withSchema = run(dir, `try { pkg.validate('{}', { schema: {} }); } catch (e) { console.log(e.message); }`);
  assert.equal(withSchema.status, 0);
  assert.match(
    withSchema.stdout,
    /^oscontainer: cannot read .*\/oscontainer_schema_bg\.wasm \(ENOENT\)\. In a checkout of oscontainer, run `make pkg`/,
  );
});

test('loadSchemaSupport() resolves at once in Node, and the core keeps working after a schema call', async () => {
  const dir = packageWithout('nothing-at-all');
  const result = run(
    dir,
    `await pkg.loadSchemaSupport();
const schema = { type: 'object', properties: { buildid: { type: 'number' } } };
console.log(pkg.validate(${JSON.stringify(META)}, { schema }).diagnostics.map((d) => d.code).join(' '));
console.log(pkg.validate(${JSON.stringify(META)}).diagnostics.map((d) => d.code).join(' '));`,
  );
  assert.deepEqual(result, { status: 0, stdout: 'schema-violation digest-missing\ndigest-missing\n', stderr: '' });
});
