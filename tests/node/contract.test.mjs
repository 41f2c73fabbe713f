// The input contract of the JS API (issue 11, point 7): what each function accepts, and
// the TypeError, word for word, for what it does not. A value that is not a document (a
// forgotten `await`, a Map, a Blob) used to become `{}` and pass as "no entries"; an
// unknown option key used to be ignored.

import assert from 'node:assert/strict';
import { promises as fsp, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import vm from 'node:vm';

import { compareArches, parseReference, releaseView, upgrade, validate } from '../../pkg/node.js';
import { sha256 } from './helpers.mjs';

const D = sha256('ab');
const D2 = sha256('cd');
const encoder = new TextEncoder();

/** An RHCOS-style meta.json whose kubevirt entry has the embedded digest (upgrade changes it). */
const META = [
  '{',
  '    "buildid": "416.94.202405291527-0",',
  '    "coreos-assembler.basearch": "x86_64",',
  '    "kubevirt": {',
  `        "image": "quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}",`,
  '        "tags": ["4.16-kubevirt", "416.94.202405291527-0-kubevirt"]',
  '    }',
  '}',
  '',
].join('\n');

const INPUTS = 'JSON text (a string), UTF-8 bytes (a Uint8Array, ArrayBuffer or other ArrayBufferView) or a JSON value';

/** The bytes, with a space after them when their length is odd (for a Uint16Array). */
function padEven(bytes) {
  const even = new Uint8Array(bytes.length + (bytes.length % 2)).fill(0x20);
  even.set(bytes);
  return even;
}

/** Asserts that `call` throws a TypeError with exactly `message`. */
function throwsTypeError(call, message) {
  assert.throws(call, (error) => {
    assert.equal(error.constructor, TypeError);
    assert.equal(error.message, message);
    return true;
  });
}

class Foo {}

/** Values that are not documents, and how the message names each. */
function notDocuments() {
  return [
    [new Map([['kubevirt', {}]]), 'a Map'],
    [new Set(), 'a Set'],
    [new WeakMap(), 'a WeakMap'],
    [() => META, 'a function'],
    [new Foo(), 'an instance of Foo'],
    [new Date(0), 'a Date'],
    [new Error('x'), 'an Error'],
    [/kubevirt/, 'a RegExp'],
    [new String(META), 'a String'],
    [undefined, 'undefined'],
    [Symbol('meta'), 'a symbol'],
    [10n, 'a BigInt'],
    [new Blob([META]), 'a Blob; read it first: `await blob.text()`'],
    [new Response(META), 'a Response; read its body first: `await response.text()`'],
  ];
}

const THEN = 'a thenable (an object with a then() method)';

for (const [fn, call] of [
  ['validate', (input) => validate(input)],
  ['upgrade', (input) => upgrade(input)],
  ['releaseView', (input) => releaseView(input)],
]) {
  test(`${fn}() throws a TypeError naming what it got instead of a document`, () => {
    for (const [value, what] of notDocuments()) {
      throwsTypeError(() => call(value), `${fn}() expects ${INPUTS}, not ${what}`);
    }
  });

  test(`${fn}() given a Promise or a thenable asks whether an await is missing`, () => {
    throwsTypeError(() => call(Promise.resolve(META)), `${fn}() got a Promise; did you forget \`await\`?`);
    throwsTypeError(() => call({ then: () => {} }), `${fn}() got ${THEN}; did you forget \`await\`?`);
  });
}

test('compareArches() checks each item\'s input as the others check theirs', () => {
  for (const [value, what] of notDocuments()) {
    throwsTypeError(
      () => compareArches([{ input: META }, { arch: 'aarch64', input: value }]),
      `compareArches() expects docs[1].input to be ${INPUTS}, not ${what}`,
    );
  }
  throwsTypeError(
    () => compareArches([{ input: META }, { input: META }, { input: Promise.resolve(META) }]),
    'compareArches() got a Promise as docs[2].input; did you forget `await`?',
  );
  throwsTypeError(() => compareArches([{ arch: 'x86_64' }]), `compareArches() expects docs[0].input to be ${INPUTS}, not undefined`);
});

test('compareArches() takes an array of plain objects, and says what it got instead', () => {
  throwsTypeError(() => compareArches(Promise.resolve([])), 'compareArches() got a Promise; did you forget `await`?');
  throwsTypeError(
    () => compareArches(META),
    'compareArches() expects an array of { arch?, name?, input } objects, one per architecture, not a string',
  );
  throwsTypeError(
    () => compareArches(new Set([{ input: META }])),
    'compareArches() expects an array of { arch?, name?, input } objects, one per architecture, not a Set',
  );
  throwsTypeError(() => compareArches([META]), 'compareArches() expects docs[0] to be an object { arch?, name?, input }, not a string');
  throwsTypeError(
    () => compareArches([{ input: META }, new Map([['input', META]])]),
    'compareArches() expects docs[1] to be an object { arch?, name?, input }, not a Map',
  );
  throwsTypeError(
    () => compareArches([Promise.resolve({ input: META })]),
    'compareArches() got a Promise as docs[0]; did you forget `await`?',
  );
});

test('compareArches() items: an unknown key gets a did-you-mean, arch and name are strings', () => {
  const x86 = { arch: 'x86_64', name: 'builds/x86_64/meta.json', input: META };
  throwsTypeError(
    () => compareArches([x86, x86, { nmae: 'aarch64/meta.json', input: META }]),
    'compareArches(): docs[2] has an unknown key "nmae"; did you mean "name"?',
  );
  throwsTypeError(
    () => compareArches([{ Arch: 'aarch64', input: META }]),
    'compareArches(): docs[0] has an unknown key "Arch"; did you mean "arch"?',
  );
  throwsTypeError(
    () => compareArches([{ input: META, digest: D }]),
    'compareArches(): docs[0] has an unknown key "digest"; the keys are "arch", "name" and "input"',
  );
  throwsTypeError(
    () => compareArches([x86, { name: 3, input: META }]),
    'compareArches() expects docs[1].name to be a string, not a number',
  );
  throwsTypeError(
    () => compareArches([{ name: new URL('file:///builds/aarch64/meta.json'), input: META }]),
    'compareArches() expects docs[0].name to be a string, not a URL',
  );
  throwsTypeError(() => compareArches([{ arch: 64, input: META }]), 'compareArches() expects docs[0].arch to be a string, not a number');
});

test('ArrayBuffer, SharedArrayBuffer, DataView, Int8Array and Buffer are read as the bytes they hold', () => {
  const bytes = encoder.encode(META);
  const expected = { validate: validate(bytes), upgrade: upgrade(bytes), releaseView: releaseView(bytes) };
  assert.equal(expected.upgrade.changed, true);
  assert.deepEqual(
    expected.validate.diagnostics.map((d) => `${d.code} ${d.pointer} ${d.line}:${d.column}`),
    ['image-embedded-digest /kubevirt/image 5:18'],
  );
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  // The document in the middle of a larger buffer: only the view's bytes are read.
  const padded = new ArrayBuffer(bytes.length + 7);
  new Uint8Array(padded).set(bytes, 3);
  new Uint8Array(padded).set(encoder.encode('{"x"'), bytes.length + 3);
  const forms = {
    ArrayBuffer: bytes.slice().buffer,
    SharedArrayBuffer: shared,
    DataView: new DataView(bytes.slice().buffer),
    'DataView of part of a buffer': new DataView(padded, 3, bytes.length),
    Int8Array: new Int8Array(bytes.slice().buffer),
    'Uint16Array over an even length': new Uint16Array(padEven(bytes).buffer),
    Buffer: Buffer.from(META),
    'Uint8Array of another realm': vm.runInNewContext('new Uint8Array(n)', { n: bytes.length }).fill(0),
  };
  forms['Uint8Array of another realm'].set(bytes);
  for (const [name, input] of Object.entries(forms)) {
    const even = name.startsWith('Uint16Array') && bytes.length % 2 === 1;
    assert.deepEqual(validate(input), expected.validate, name);
    assert.deepEqual(releaseView(input), expected.releaseView, name);
    const upgraded = upgrade(input);
    if (even) {
      assert.deepEqual({ ...upgraded, output: upgraded.output.slice(0, -1) }, expected.upgrade, name);
    } else {
      assert.deepEqual(upgraded, expected.upgrade, name);
    }
  }
  const unchanged = encoder.encode(META.replace(`@${D}`, ''));
  const sharedUnchanged = new SharedArrayBuffer(unchanged.length);
  new Uint8Array(sharedUnchanged).set(unchanged);
  assert.equal(upgrade(sharedUnchanged).output, META.replace(`@${D}`, ''), 'an unchanged output is the text of the bytes');
});

test('compareArches() reads an ArrayBuffer or a DataView item as its bytes', () => {
  const arm = META.replace('x86_64', 'aarch64').replace(D, D2);
  const bytes = [encoder.encode(META), encoder.encode(arm)];
  const expected = compareArches(bytes.map((input) => ({ input })));
  assert.deepEqual(compareArches([{ input: bytes[0].buffer }, { input: new DataView(bytes[1].buffer) }]), expected);
  assert.deepEqual(expected.arches, ['x86_64', 'aarch64']);
});

test('a forgotten await on readFile throws, and the awaited bytes are checked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oscontainer-contract-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'meta.json');
  writeFileSync(path, META);
  throwsTypeError(() => validate(fsp.readFile(path)), 'validate() got a Promise; did you forget `await`?');
  throwsTypeError(() => upgrade(fsp.readFile(path, 'utf8')), 'upgrade() got a Promise; did you forget `await`?');
  assert.deepEqual(validate(await fsp.readFile(path)), validate(META));
});

test('parsed JSON values are accepted: null-prototype objects, arrays, scalars, another realm\'s objects', () => {
  const value = JSON.parse(META);
  const expected = validate(value);
  assert.deepEqual(expected.entries.map((e) => e.pointer), ['/kubevirt']);
  assert.deepEqual(validate(Object.assign(Object.create(null), value)), expected);
  assert.deepEqual(validate(vm.runInNewContext(`(${META})`)), expected);
  assert.deepEqual(upgrade(Object.assign(Object.create(null), value)), upgrade(value));
  for (const input of [null, true, 12, [], [value]]) {
    assert.deepEqual(
      validate(input).diagnostics.map((d) => d.code),
      validate(JSON.stringify(input)).diagnostics.map((d) => d.code),
      JSON.stringify(input),
    );
  }
});

test('only the top level is checked; what JSON.stringify cannot write deeper down is a TypeError', () => {
  throwsTypeError(
    () => validate({ kubevirt: { image: 'quay.io/a/b', size: 1n } }),
    'validate() cannot write its input as JSON: Do not know how to serialize a BigInt',
  );
  const cycle = { kubevirt: {} };
  cycle.kubevirt.self = cycle;
  assert.throws(() => upgrade(cycle), (error) => {
    assert.equal(error.constructor, TypeError);
    assert.match(error.message, /^upgrade\(\) cannot write its input as JSON: Converting circular structure to JSON/);
    return true;
  });
  throwsTypeError(
    () => compareArches([{ input: META }, { input: { toJSON: () => undefined } }]),
    'compareArches() cannot write docs[1].input as JSON: JSON.stringify gives undefined',
  );
});

test('options may be left out, undefined or null: the same report as none', () => {
  const expected = validate(META);
  assert.deepEqual(validate(META, undefined), expected);
  assert.deepEqual(validate(META, null), expected);
  assert.deepEqual(upgrade(META, null), upgrade(META));
  assert.deepEqual(releaseView(META, null), releaseView(META));
  assert.deepEqual(compareArches([{ input: META }], null), compareArches([{ input: META }]));
  assert.deepEqual(parseReference('fedora', null), parseReference('fedora'));
  assert.deepEqual(validate(META, Object.assign(Object.create(null), { profile: 'compat' })), validate(META, { profile: 'compat' }));
});

test('options that are not a plain object throw a TypeError naming what they are', () => {
  throwsTypeError(() => validate(META, 'compat'), 'validate() expects options to be an object { profile?, schema?, buildId? }, not a string');
  throwsTypeError(() => upgrade(META, ['compat']), 'upgrade() expects options to be an object { profile?, schema?, buildId? }, not an array');
  throwsTypeError(
    () => releaseView(META, new Map([['profile', 'compat']])),
    'releaseView() expects options to be an object { profile?, buildId? }, not a Map',
  );
  throwsTypeError(
    () => compareArches([{ input: META }], true),
    'compareArches() expects options to be an object { profile?, buildId?, presence? }, not a boolean',
  );
  throwsTypeError(() => parseReference('fedora', new Foo()), 'parseReference() expects options to be an object { normalize? }, not an instance of Foo');
  throwsTypeError(() => validate(META, Promise.resolve({})), 'validate() got a Promise as options; did you forget `await`?');
});

test('an unknown option key throws a TypeError with a did-you-mean, or the known keys', () => {
  const cases = [
    [() => validate(META, { buildid: '36.1' }), 'validate(): unknown option "buildid"; did you mean "buildId"?'],
    [() => validate(META, { profil: 'compat' }), 'validate(): unknown option "profil"; did you mean "profile"?'],
    [() => validate(META, { build_id: '36.1' }), 'validate(): unknown option "build_id"; did you mean "buildId"?'],
    [() => validate(META, { colour: 'red' }), 'validate(): unknown option "colour"; the options are "profile", "schema" and "buildId"'],
    [() => upgrade(META, { shcema: {} }), 'upgrade(): unknown option "shcema"; did you mean "schema"?'],
    [() => upgrade(META, { write: true }), 'upgrade(): unknown option "write"; the options are "profile", "schema" and "buildId"'],
    [() => releaseView(META, { buildid: '36.1' }), 'releaseView(): unknown option "buildid"; did you mean "buildId"?'],
    [() => releaseView(META, { schema: {} }), 'releaseView(): unknown option "schema"; the options are "profile" and "buildId"'],
    [() => compareArches([{ input: META }], { presense: { kubevirt: 'any' } }), 'compareArches(): unknown option "presense"; did you mean "presence"?'],
    [() => compareArches([{ input: META }], { schema: {} }), 'compareArches(): unknown option "schema"; the options are "profile", "buildId" and "presence"'],
    [() => parseReference('fedora', { normalise: true }), 'parseReference(): unknown option "normalise"; did you mean "normalize"?'],
    [() => parseReference('fedora', { strict: true }), 'parseReference(): unknown option "strict"; the only option is "normalize"'],
    // A key whose value is undefined is still a misspelt key.
    [() => validate(META, { buildid: undefined }), 'validate(): unknown option "buildid"; did you mean "buildId"?'],
  ];
  for (const [call, message] of cases) throwsTypeError(call, message);
});

test('the known options still work after the check', () => {
  const build = '416.94.202405291527-0';
  assert.equal(releaseView(META, { profile: 'compat', buildId: build }).buildId, build);
  assert.equal(validate(META, { profile: 'compat', schema: { type: 'object' }, buildId: build }).profile, 'compat');
  assert.equal(upgrade(META, { profile: undefined }).changed, true);
  assert.equal(parseReference('fedora', { normalize: true }).string, 'docker.io/library/fedora');
});

test('parseReference() takes the reference as a string and says what it got instead', () => {
  throwsTypeError(() => parseReference(42), 'parseReference() expects the reference as a string, not a number');
  throwsTypeError(() => parseReference(undefined), 'parseReference() expects the reference as a string, not undefined');
  throwsTypeError(() => parseReference(Promise.resolve('fedora')), 'parseReference() got a Promise; did you forget `await`?');
});

/** One FCOS meta.json for `arch` (written into the document when `basearch`), kubevirt when `kubevirt`. */
function fcos(arch, digest, { basearch = true, kubevirt = true } = {}) {
  const build = '40.20240701.3.0';
  const entry = (image) => ({ image, digest, tags: ['stable', build] });
  return JSON.stringify(
    {
      buildid: build,
      ...(basearch ? { 'coreos-assembler.basearch': arch } : {}),
      'base-oscontainer': entry('quay.io/fedora/fedora-coreos'),
      ...(kubevirt ? { kubevirt: entry('quay.io/fedora/fedora-coreos-kubevirt') } : {}),
    },
    null,
    4,
  );
}

test('compareArches() passes each name to Rust, which takes the arch from it', () => {
  const report = compareArches([
    { name: 'builds/40.20240701.3.0/x86_64/meta.json', input: fcos('x86_64', D, { basearch: false }) },
    { name: 'builds/40.20240701.3.0/aarch64/meta.json', arch: null, input: fcos('aarch64', D2, { basearch: false, kubevirt: false }) },
  ]);
  assert.deepEqual(report.arches, ['x86_64', 'aarch64']);
  assert.deepEqual(
    report.diagnostics.map((d) => `${d.severity} ${d.code} ${d.pointer} ${d.name}`),
    ['info arch-entry-subset /kubevirt builds/40.20240701.3.0/x86_64/meta.json'],
  );
});

test('compareArches() options: presence, profile and buildId reach Rust', () => {
  const docs = [{ input: fcos('x86_64', D) }, { input: fcos('aarch64', D2, { kubevirt: false }) }];
  assert.deepEqual(compareArches(docs).diagnostics.map((d) => `${d.severity} ${d.code}`), ['info arch-entry-subset']);
  assert.deepEqual(compareArches(docs, { presence: null }), compareArches(docs), 'null presence is no presence');
  const required = compareArches(docs, { profile: 'compat', buildId: '40.20240701.3.0', presence: { kubevirt: 'all' } });
  assert.equal(required.valid, false);
  assert.deepEqual(
    required.diagnostics.map((d) => `${d.severity} ${d.code} ${d.pointer} ${d.arch}`),
    ['error arch-entry-missing /kubevirt aarch64'],
  );
  assert.equal(compareArches(docs, { presence: { kubevirt: ['x86_64'] } }).valid, true);
  // Rust judges the values; the wrapper refuses what would reach it as `{}` or nothing.
  throwsTypeError(
    () => compareArches(docs, { presence: { kubevirt: 'some' } }),
    'options.presence.kubevirt must be "all", "any" or a list of architectures, not "some"',
  );
  throwsTypeError(() => compareArches(docs, { profile: 'strict' }), 'options.profile "strict" is not a profile; expected "canonical" or "compat"');
  throwsTypeError(() => compareArches(docs, { buildId: 40 }), 'options.buildId must be a string');
  const PRESENCE = 'options.presence must be an object of entry keys to "all", "any" or a list of architectures';
  throwsTypeError(() => compareArches(docs, { presence: () => 'all' }), `${PRESENCE}, not a function`);
  throwsTypeError(() => compareArches(docs, { presence: new Map([['kubevirt', 'all']]) }), `${PRESENCE}, not a Map`);
  throwsTypeError(() => compareArches(docs, { presence: 'all' }), `${PRESENCE}, not a string`);
});
