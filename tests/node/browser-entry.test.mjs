// The browser/bundler entry (the "default" export condition), run in Node: nothing
// works before init(), a failed load can be retried, and once loaded it is the same API.
// This file imports only browser.js, so the Node entry does not load the module for it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import * as browser from '../../pkg/browser.js';
import { PUBLIC_API, pkgDir, sha256 } from './helpers.mjs';

const D = sha256('ab');
const text = `{"kubevirt": {"image": "quay.io/a/b@${D}"}}`;

test('the browser entry exports the same API as the Node entry', () => {
  assert.deepEqual(Object.keys(browser).sort(), PUBLIC_API);
  assert.equal(browser.default, browser.init);
});

test('calls before init() throw an Error that says to await init()', () => {
  const calls = [
    () => browser.validate(text),
    () => browser.upgrade(text),
    () => browser.releaseView(text),
    () => browser.compareArches([{ input: text }]),
    () => browser.parseReference('fedora'),
    () => browser.schema(),
  ];
  for (const call of calls) {
    assert.throws(call, /^Error: oscontainer: \w+\(\) was called before the module was loaded; await init\(\) first$/);
  }
  assert.equal(browser.version, '0.1.0', 'version needs no module');
});

test('a failed load rejects and can be retried; then the API works', async () => {
  // Node's fetch cannot read file: URLs, so the default location fails here.
  await assert.rejects(browser.init());
  const bytes = readFileSync(`${pkgDir}wasm/oscontainer_bg.wasm`);
  const loading = browser.init(bytes);
  assert.equal(browser.init(bytes), loading, 'one load at a time');
  assert.equal(await loading, undefined);
  assert.equal(browser.init(), loading, 'loaded once');

  const report = browser.validate(text);
  assert.deepEqual(
    report.diagnostics.map(({ code, pointer, line, column, fixable }) => ({ code, pointer, line, column, fixable })),
    [{ code: 'image-embedded-digest', pointer: '/kubevirt/image', line: 1, column: 24, fixable: true }],
  );
  assert.equal(browser.upgrade(text).output, `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}}`);
  assert.equal(browser.parseReference('fedora', { normalize: true }).string, 'docker.io/library/fedora');
  // No digest key, no tags: cosa's release step raises KeyError, and the view says so.
  assert.deepEqual(
    browser.releaseView(text, { buildId: '1' }).diagnostics.map((d) => d.code),
    ['release-field-missing'],
  );
  assert.deepEqual(browser.compareArches([{ arch: 'x86_64', input: text }]).arches, ['x86_64']);
  assert.equal(browser.schema().$schema, 'https://json-schema.org/draft/2020-12/schema');
});

test('a schema needs loadSchemaSupport(): a TypeError that says so, then the second module', async () => {
  const schema = { type: 'object', required: ['buildid'] };
  assert.throws(() => browser.validate(text, { schema }), {
    name: 'TypeError',
    message:
      'validate(): options.schema needs the schema module, which is loaded on request: `await loadSchemaSupport()` once first',
  });
  // Node's fetch cannot read file: URLs, so the default location fails; a retry works.
  await assert.rejects(browser.loadSchemaSupport());
  const bytes = readFileSync(`${pkgDir}wasm/oscontainer_schema_bg.wasm`);
  await browser.loadSchemaSupport(bytes);
  assert.deepEqual(
    browser.validate(text, { schema }).diagnostics.map(({ code, pointer, message }) => ({ code, pointer, message })),
    [
      { code: 'schema-violation', pointer: '', message: 'the document is missing the required property "buildid"' },
      { code: 'image-embedded-digest', pointer: '/kubevirt/image', message: validate1(text) },
    ],
  );
  // Calls without a schema stay on the core.
  assert.equal(browser.validate(text).diagnostics.length, 1);
});

/** The core's message for the one finding of `text`. */
function validate1(input) {
  return browser.validate(input).diagnostics[0].message;
}
