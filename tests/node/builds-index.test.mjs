// readBuildsIndex (src/builds_index.rs): builds.json through the package, and the same
// findings in checkBuildsDir's results (pkg/fs.js reads builds.json with it). The
// malformed files are tests/cases/builds-index.json, which the page's browser test
// (tests/browser/builds-index.test.mjs) reads too, so the CLI and the page are held to
// one list of findings.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { checkBuildsDir } from '../../pkg/fs.js';
import { readBuildsIndex } from '../../pkg/node.js';
import { cleanUp, tree } from './builds-fixture.mjs';

after(cleanUp);

const FILE = JSON.parse(readFileSync(new URL('../cases/builds-index.json', import.meta.url), 'utf8'));

/** Each finding as the fixture writes it. */
const rows = (diagnostics) => diagnostics.map(({ code, pointer, message }) => ({ code, pointer, message }));

/** The case's builds directory: its builds.json and the meta.json files beside it. */
function folder(testCase, text) {
  const files = { 'builds/builds.json': text };
  for (const path of testCase.meta) {
    const [id, arch] = path.split('/');
    files[`builds/${path}`] = JSON.stringify({ buildid: id, 'coreos-assembler.basearch': arch });
  }
  return join(tree(files), 'builds');
}

for (const testCase of FILE.cases) {
  const text = testCase.text.join('\n');

  test(`${testCase.name}: readBuildsIndex gives the case's findings and builds`, () => {
    const index = readBuildsIndex(text);
    assert.deepEqual(rows(index.diagnostics), testCase.findings);
    assert.deepEqual(index.builds.map((b) => b.id), testCase.builds);
    assert.equal(index.valid, false);
    // The file's bytes are read the same, and so is any other view of them.
    const bytes = new TextEncoder().encode(text);
    assert.deepEqual(readBuildsIndex(bytes), index);
    assert.deepEqual(readBuildsIndex(bytes.buffer), index);
    assert.deepEqual(readBuildsIndex(new DataView(bytes.buffer)), index);
  });

  test(`${testCase.name}: checkBuildsDir's results carry the same findings`, async () => {
    const results = [];
    for await (const result of checkBuildsDir(folder(testCase, text))) results.push(result);
    const problems = results.filter((r) => r.id === null).map((r) => r.error);
    assert.deepEqual(
      problems.map(({ code, pointer, message }) => ({ code, pointer: pointer ?? '', message })),
      testCase.findings,
    );
    assert.deepEqual(results.filter((r) => r.id !== null).map((r) => r.id), testCase.builds);
  });
}

test('a refused schema version is one result, and no build is read', async () => {
  const text = '{"schema-version": "2.0.0", "builds": [{"id": "50.1", "arches": ["x86_64"]}]}';
  const index = readBuildsIndex(text);
  assert.deepEqual(
    index.diagnostics.map(({ code, pointer, line, column }) => ({ code, pointer, line, column })),
    [{ code: 'builds-schema-unsupported', pointer: '/schema-version', line: 1, column: 20 }],
  );
  assert.equal(index.usable, false);
  const results = [];
  for await (const result of checkBuildsDir(join(tree({ 'builds/builds.json': text, 'builds/50.1/x86_64/meta.json': '{}' }), 'builds'))) results.push(result);
  assert.deepEqual(results.map((r) => [r.id, r.error?.code]), [[null, 'builds-schema-unsupported']]);
  assert.equal(results[0].error.message, index.diagnostics[0].message);
});

test('the legacy layout: ids alone, no schema-version', () => {
  const index = readBuildsIndex('{"builds": ["30.1", "29.9"]}');
  assert.deepEqual([index.layout, index.schemaVersion, index.valid], ['legacy', null, true]);
  assert.deepEqual(index.builds.map((b) => [b.id, b.arches]), [['30.1', null], ['29.9', null]]);
});

test('readBuildsIndex takes text or bytes only', () => {
  for (const [input, what] of [
    [{ builds: [] }, 'a parsed JSON value'],
    [[], 'a parsed JSON value'],
    [undefined, 'undefined'],
    [3, 'a number'],
    [new Map(), 'a Map'],
  ]) {
    assert.throws(() => readBuildsIndex(input), {
      name: 'TypeError',
      message: `readBuildsIndex() expects builds.json as text (a string) or bytes (a Uint8Array, ArrayBuffer or other ArrayBufferView), not ${what}`,
    });
  }
  assert.throws(() => readBuildsIndex(Promise.resolve('{}')), { name: 'TypeError', message: 'readBuildsIndex() got a Promise; did you forget `await`?' });
});
