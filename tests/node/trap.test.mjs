// Trap recovery, with the build that has the test hooks (target/pkg-test, feature
// `test-hooks`): a panic traps the instance; the wrapper replaces it with a fresh one
// from the same compiled module, throws a clear error for that call, and the next call
// works.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { validate as shippedValidate } from '../../pkg/node.js';
import { sha256, testPkgDir } from './helpers.mjs';

const { validate, upgrade, parseReference } = await import(`${testPkgDir}node.js`);
const { guarded } = await import(`${testPkgDir}api.js`);
const glue = await import(`${testPkgDir}wasm/oscontainer.js`);

const D = sha256('ab');
const text = `{"kubevirt": {"image": "quay.io/a/b@${D}"}}`;
const schema = { type: 'object', required: ['buildid'] };

/** Runs `call` with console.error captured (the panic hook writes there). */
function capturingConsole(call) {
  const original = console.error;
  const lines = [];
  console.error = (...args) => lines.push(args.join(' '));
  try {
    call();
  } finally {
    console.error = original;
  }
  return lines.join('\n');
}

function expectCrash(call, name) {
  let thrown;
  const logged = capturingConsole(() => {
    try {
      call();
    } catch (error) {
      thrown = error;
    }
  });
  assert.ok(thrown instanceof Error, 'the call throws');
  assert.equal(thrown.code, 'internal-error');
  assert.match(
    thrown.message,
    new RegExp(`^oscontainer: the WebAssembly instance crashed in ${name}\\(\\) \\(RuntimeError: unreachable\\); it has been restarted and the next call will work\\.`),
  );
  assert.ok(thrown.cause instanceof WebAssembly.RuntimeError);
  return logged;
}

test('the test build is the shipped package plus the hooks', () => {
  assert.equal(typeof glue.__panicForTest, 'function');
  assert.deepEqual(validate(text, { schema }), shippedValidate(text, { schema }));
});

test('a panic becomes one clear error; the next call runs on a fresh instance', () => {
  const before = validate(text, { schema });
  assert.equal(glue.__callsForTest(), 1);
  assert.equal(glue.__callsForTest(), 2);

  const logged = expectCrash(() => guarded('validate', () => glue.__panicForTest('boom from the test')), 'validate');
  // console_error_panic_hook says what panicked and where.
  assert.match(logged, /panicked at src\/js\.rs:\d+:\d+:\nboom from the test/);

  assert.equal(glue.__callsForTest(), 1, 'statics start over: a new instance');
  assert.deepEqual(validate(text, { schema }), before);
  assert.equal(upgrade(text).output, `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}}`);
  assert.equal(parseReference('fedora', { normalize: true }).name, 'docker.io/library/fedora');

  // Again: the new instance installed the panic hook too.
  const again = expectCrash(() => guarded('upgrade', () => glue.__panicForTest('second')), 'upgrade');
  assert.match(again, /panicked at src\/js\.rs:\d+:\d+:\nsecond/);
  assert.deepEqual(validate(text, { schema }), before);
});

test('errors that are not traps leave the instance alone', () => {
  const n = glue.__callsForTest();
  assert.throws(() => validate(text, { profile: 'strict' }), TypeError);
  assert.throws(() => parseReference('Quay.io/A'), { code: 'name-contains-uppercase' });
  assert.equal(glue.__callsForTest(), n + 1);
});

test('the published package does not contain the hooks', () => {
  const shipped = readFileSync(new URL('../../pkg/wasm/oscontainer.js', import.meta.url), 'utf8');
  assert.ok(!shipped.includes('__panicForTest'));
  assert.ok(readFileSync(`${testPkgDir}wasm/oscontainer.js`, 'utf8').includes('__panicForTest'));
});
