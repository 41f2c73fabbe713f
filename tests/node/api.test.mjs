// The public API of the Node entry: exports, version, schema(), parseReference, misuse
// errors, and result objects shaped exactly as index.d.ts declares them.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import * as api from '../../pkg/node.js';
import * as glue from '../../pkg/wasm/oscontainer.js';
import { PUBLIC_API, pkgDir, rootDir, sha256 } from './helpers.mjs';

const { validate, upgrade, releaseView, compareArches, parseReference, schema, version } = api;
const D = sha256('ab');
const dts = readFileSync(`${pkgDir}index.d.ts`, 'utf8');

/** The property names of `export interface name` in index.d.ts. */
function declared(name) {
  const body = dts.match(new RegExp(`export interface ${name}(?: extends \\w+)? \\{([^}]*)\\}`))?.[1];
  assert.ok(body, `index.d.ts declares ${name}`);
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]).sort();
}

function keys(value) {
  assert.equal(Object.getPrototypeOf(value), Object.prototype, 'a plain object');
  return Object.keys(value).sort();
}

test('the Node entry exports the contract and nothing else', () => {
  assert.deepEqual(Object.keys(api).sort(), PUBLIC_API);
  assert.equal(api.default, api.init);
});

test('init() resolves at once in Node (the module is loaded at import)', async () => {
  assert.equal(await api.init(), undefined);
});

test('version is the package.json, crate and wasm version', () => {
  const manifest = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8'));
  const cargo = readFileSync(`${rootDir}Cargo.toml`, 'utf8').match(/^version = "([^"]+)"/m)[1];
  assert.equal(version, manifest.version);
  assert.equal(version, cargo);
  assert.equal(version, glue.version());
});

test('schema() is the embedded JSON Schema, a fresh copy each time', () => {
  const fromFile = JSON.parse(readFileSync(`${pkgDir}oscontainer.schema.json`, 'utf8'));
  const first = schema();
  assert.deepEqual(first, fromFile);
  assert.equal(first.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.deepEqual(Object.keys(first.properties), ['oscontainer', 'base-oscontainer', 'extensions-container', 'kubevirt']);
  first.properties = null;
  assert.deepEqual(schema(), fromFile);
});

const REFERENCES = [
  [
    'quay.io/fedora/fedora-coreos:stable',
    false,
    { domain: 'quay.io', path: 'fedora/fedora-coreos', name: 'quay.io/fedora/fedora-coreos', tag: 'stable', digest: null, string: 'quay.io/fedora/fedora-coreos:stable' },
  ],
  ['fedora', false, { domain: null, path: 'fedora', name: 'fedora', tag: null, digest: null, string: 'fedora' }],
  ['fedora', true, { domain: 'docker.io', path: 'library/fedora', name: 'docker.io/library/fedora', tag: null, digest: null, string: 'docker.io/library/fedora' }],
  [
    'index.docker.io/library/fedora:36',
    true,
    { domain: 'docker.io', path: 'library/fedora', name: 'docker.io/library/fedora', tag: '36', digest: null, string: 'docker.io/library/fedora:36' },
  ],
  [
    `localhost:5000/x/y@${D}`,
    false,
    { domain: 'localhost:5000', path: 'x/y', name: 'localhost:5000/x/y', tag: null, digest: D, string: `localhost:5000/x/y@${D}` },
  ],
  ['name:5000', false, { domain: null, path: 'name', name: 'name', tag: '5000', digest: null, string: 'name:5000' }],
  ['[::1]:5000/a/b:t', false, { domain: '[::1]:5000', path: 'a/b', name: '[::1]:5000/a/b', tag: 't', digest: null, string: '[::1]:5000/a/b:t' }],
];

test('parseReference: strict and normalised', () => {
  for (const [ref, normalize, expected] of REFERENCES) {
    const parsed = parseReference(ref, { normalize });
    assert.deepEqual(parsed, expected, `${ref} normalize=${normalize}`);
    assert.deepEqual(keys(parsed), declared('Reference'));
  }
  assert.deepEqual(parseReference('fedora'), parseReference('fedora', { normalize: false }));
});

test('parseReference throws an Error with the grammar error code and offset', () => {
  const cases = [
    ['', false, 'name-empty', 0, /empty/],
    ['quay.io/fedora/Fedora-coreos', false, 'name-contains-uppercase', 15, /"Fedora-coreos" contains upper case/],
    ['quay.io/a:-x', false, 'tag-invalid', 10, /"-x"/],
    ['quay.io/a@sha256:12', false, 'digest-invalid-length', 19, /sha256 needs exactly 64/],
    ['quay.io/a@md5:12', false, 'digest-unsupported', 10, /"md5"/],
    ['a'.repeat(256), false, 'name-too-long', 255, /256 characters/],
    ['quay.io/x/😀y', false, 'invalid-format', 10, /"😀"/],
    ['ab'.repeat(32), true, 'invalid-format', 0, /image ID/],
  ];
  for (const [ref, normalize, code, offset, message] of cases) {
    assert.throws(
      () => parseReference(ref, { normalize }),
      (error) => {
        assert.ok(error instanceof Error);
        assert.ok(!(error instanceof TypeError), 'a bad reference is not API misuse');
        assert.equal(error.code, code, ref);
        assert.equal(error.offset, offset, ref);
        assert.match(error.message, message);
        return true;
      },
    );
  }
});

test('misuse throws a TypeError that says what is wrong', () => {
  const cases = [
    [() => validate('{}', { profile: 'strict' }), /^options\.profile "strict" is not a profile; expected "canonical" or "compat"$/],
    [() => upgrade('{}', { profile: 'Canonical' }), /"Canonical" is not a profile/],
    [() => validate('{}', { profile: 1 }), /^options\.profile must be a string$/],
    [() => validate('{}', { schema: { type: 12 } }), /^options\.schema cannot be used: the schema cannot be compiled/],
    [() => validate('{}', { schema: '{"type": ' }), /^options\.schema cannot be used: the schema is not valid JSON/],
    [() => validate(undefined), /^validate\(\) expects JSON text \(a string\), UTF-8 bytes \(a Uint8Array, ArrayBuffer or other ArrayBufferView\) or a JSON value, not undefined$/],
    [() => upgrade(() => 1), /^upgrade\(\) expects .* not a function$/],
    [() => validate(1n), /BigInt/],
    [() => parseReference(42), /^parseReference\(\) expects the reference as a string, not a number$/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (error) => {
      assert.equal(error.constructor, TypeError);
      assert.match(error.message, message);
      return true;
    });
  }
});

test('bad data never throws: it is a diagnostic', () => {
  for (const input of ['', '{', 'null', '\u0000', '{"kubevirt": []}', new Uint8Array([0xff]), [], {}]) {
    assert.equal(typeof validate(input).valid, 'boolean');
    assert.equal(typeof upgrade(input).output, 'string');
  }
});

test('results are plain objects and arrays shaped as index.d.ts declares', () => {
  const text = `{"buildid": "36.1", "base-oscontainer": {"image": "quay.io/a/b:stable@${D}", "tags": ["x"], "digets": 1}}`;
  const report = validate(text);
  assert.deepEqual(keys(report), declared('Report'));
  assert.ok(Array.isArray(report.diagnostics) && Array.isArray(report.entries));
  assert.ok(report.diagnostics.length >= 3);
  for (const d of report.diagnostics) assert.deepEqual(keys(d), declared('Diagnostic'));
  const [entry] = report.entries;
  assert.deepEqual(keys(entry), declared('Entry'));
  assert.ok(Array.isArray(entry.tags));
  assert.deepEqual(keys(entry.readiness), declared('Readiness'));
  for (const ready of Object.values(entry.readiness)) assert.deepEqual(keys(ready), declared('Ready'));

  const result = upgrade(text);
  assert.deepEqual(keys(result), declared('UpgradeResult'));
  assert.ok(result.changes.length >= 2);
  for (const change of result.changes) assert.deepEqual(keys(change), declared('Change'));
});

test('release views and arch reports are shaped as index.d.ts declares', () => {
  const text = `{"buildid": "36.1", "coreos-assembler.basearch": "x86_64", "kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["stable", "36.1", "next"]}}`;
  const view = releaseView(text);
  assert.deepEqual(keys(view), declared('ReleaseView'));
  assert.equal(view.entries.length, 1);
  assert.deepEqual(keys(view.entries[0]), declared('ReleaseEntry'));
  assert.equal(view.diagnostics.length, 1);
  assert.deepEqual(keys(view.diagnostics[0]), declared('Diagnostic'));
  const complete = releaseView(text, { buildId: 'next' }).entries[0];
  assert.equal(complete.floatingTag, null, 'two tags lack "next"');
  assert.deepEqual(keys(releaseView(text.replace(', "next"', '')).entries[0].releaseMetadata), ['digest-ref', 'image']);

  const report = compareArches([{ input: text }, { input: text }]);
  assert.deepEqual(keys(report), declared('ArchReport'));
  assert.ok(report.diagnostics.length >= 1);
  for (const d of report.diagnostics) {
    assert.deepEqual(keys(d), [...declared('Diagnostic'), ...declared('ArchDiagnostic')].sort());
  }
});

test('an entry as the API reports it', () => {
  const report = validate(`{"buildid": "36.20221014.3.0", "base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "digest": "${D}", "tags": ["stable", "36.20221014.3.0"]}}`);
  assert.equal(report.valid, true);
  const { readiness, ...entry } = report.entries[0];
  assert.deepEqual(entry, {
    pointer: '/base-oscontainer',
    key: 'base-oscontainer',
    shape: 'tagged',
    image: 'quay.io/fedora/fedora-coreos',
    digest: D,
    tags: ['stable', '36.20221014.3.0'],
    manifestListDigest: null,
    pullSpec: `quay.io/fedora/fedora-coreos@${D}`,
    repository: 'quay.io/fedora/fedora-coreos',
  });
  assert.deepEqual(readiness.releaseMetadata, { state: 'ready', reason: null });
});

test('the shipped glue has no test hooks and has the reset function the wrapper needs', () => {
  assert.equal(glue.__panicForTest, undefined);
  assert.equal(glue.__callsForTest, undefined);
  assert.equal(typeof glue.__wbg_reset_state, 'function');
});
