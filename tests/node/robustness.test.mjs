// Hostile input through the WebAssembly build (the Rust side has the full catalogue in
// tests/bad_input.rs): deep nesting must be a finding, not a stack overflow of the wasm
// stack (which is smaller than a native thread's), also with a user schema, where the
// whole document is converted and validated; big inputs and lone surrogates; and that
// `valid: false` always comes with an error saying why, in every function.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compareArches, releaseView, upgrade, validate } from '../../pkg/node.js';
import { sha256 } from './helpers.mjs';

const D = sha256('ab');
const rows = (report) => report.diagnostics.map((d) => `${d.code} ${d.pointer || '""'} ${d.line}:${d.column}`);
const deep = (open, inner, close, n) => open.repeat(n) + inner + close.repeat(n);
// Recursive: the validator descends through every level of the document.
const schema = {
  type: 'object',
  required: ['buildid'],
  additionalProperties: { $ref: '#/$defs/v' },
  $defs: {
    v: {
      anyOf: [
        { type: 'array', items: { $ref: '#/$defs/v' } },
        { type: 'object', additionalProperties: { $ref: '#/$defs/v' } },
        { type: ['number', 'string', 'boolean', 'null'] },
      ],
    },
  },
};

test('10,000 nested arrays and objects are nesting-too-deep, in validate and upgrade', () => {
  for (const [text, at] of [
    [deep('[', '', ']', 10_000), '1:129'],
    [deep('{"a":', '1', '}', 10_000), '1:641'],
    [`{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "comment": ${deep('[', '1', ']', 10_000)}}}`, '1:261'],
  ]) {
    assert.deepEqual(rows(validate(text)), [`nesting-too-deep "" ${at}`]);
    const result = upgrade(text);
    assert.equal(result.changed, false);
    assert.equal(result.output, text);
    assert.deepEqual(rows(result), [`nesting-too-deep "" ${at}`]);
    // As bytes too.
    assert.deepEqual(rows(validate(new TextEncoder().encode(text))), [`nesting-too-deep "" ${at}`]);
  }
});

test('nesting at the limit, with a user schema, does not overflow the wasm stack', () => {
  const atLimit = `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}, "x": ${deep('[', '{"y": 1}', ']', 126)}}`;
  assert.deepEqual(rows(validate(atLimit)), []);
  assert.deepEqual(rows(validate(atLimit, { schema })), ['schema-violation "" 1:1']);
  assert.deepEqual(rows(upgrade(atLimit, { schema })), ['schema-violation "" 1:1']);
  const tooDeep = deep('{"a":', '1', '}', 10_000);
  assert.deepEqual(rows(validate(tooDeep, { schema })), ['nesting-too-deep "" 1:641']);
  // And the instance still works afterwards.
  assert.equal(validate(`{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}}`).valid, true);
});

const nested = (n) => {
  let value = 1;
  for (let i = 0; i < n; i++) value = [value];
  return { kubevirt: { image: 'quay.io/a/b', digest: D }, x: value };
};

test('a parsed value nested 3,000 deep is a finding', () => {
  assert.deepEqual(rows(validate(nested(3_000))), ['nesting-too-deep "" null:null']);
});

// JSON.stringify overflows V8's stack on 10,000 levels; pkg/api.js turns that into the
// same finding as for text (it threw a RangeError before this test).
test('a parsed value nested 10,000 deep is a finding too', () => {
  assert.deepEqual(rows(validate(nested(10_000))), ['nesting-too-deep "" null:null']);
});

test('a 1 MB string and a 100,000-member object', () => {
  const mb = 'x'.repeat(1 << 20);
  assert.deepEqual(rows(validate(`{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "comment": "${mb}"}}`)), []);
  const members = Array.from({ length: 100_000 }, (_, i) => `    "k${i}": ${i},\n`).join('');
  const big = `{\n${members}    "k5": 0,\n    "kubevirt": {"image": "quay.io/a/b@${D}"},\n    "a": 0\n}\n`;
  assert.deepEqual(rows(validate(big)), ['duplicate-key /k5 100002:5', 'image-embedded-digest /kubevirt/image 100003:27']);
  const result = upgrade(big);
  assert.equal(result.output, big.replace(`b@${D}"}`, `b", "digest": "${D}"}`));
});

test('lone surrogates in a JS string reach Rust as U+FFFD (TextEncoder), escaped ones as escapes', () => {
  // A raw lone surrogate in the JS string: TextEncoder writes U+FFFD, so the tag is
  // reported with the replacement character, at its UTF-16 column.
  const raw = `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["v\ud800"]}}`;
  const report = validate(raw);
  assert.deepEqual(rows(report), ['tag-invalid /kubevirt/tags/0 1:135']);
  assert.match(report.diagnostics[0].message, /\uFFFD/);
  // The escape, as written in a file: the tag is invalid, and the escape itself is
  // reported where it is.
  const escaped = `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["v\\ud800"]}}`;
  assert.deepEqual(rows(validate(escaped)), ['tag-invalid /kubevirt/tags/0 1:133', 'lone-surrogate /kubevirt/tags/0 1:135']);
});

// ---- valid: false always says why (issue 11) ------------------------------------------
//
// The rule of tests/robust/invariants.rs (check_verdict), over the JS functions: `valid` is
// exactly "no diagnostic is an error", so an invalid result always carries an error with a
// code and a message. Checked on a catalogue of broken inputs, each also cut at every
// character (truncated downloads), as text, as bytes and (where it is JSON) parsed.

const ERROR_CODE = /^[a-z]+(-[a-z]+)*$/;

/** The verdict rule for one report; `what` names the call. */
function checkVerdict(what, report) {
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  if (report.valid) {
    assert.deepEqual(errors, [], `${what}: valid with errors`);
    return;
  }
  assert.ok(errors.length > 0, `${what}: valid is false but no diagnostic is an error: ${JSON.stringify(report.diagnostics)}`);
  for (const d of errors) {
    assert.match(d.code, ERROR_CODE, `${what}: an error without a code`);
    assert.ok(d.message.length > 0, `${what}: ${d.code} has no message`);
  }
}

/** One meta.json every function passes (validate, releaseView, compareArches alone). */
const HEALTHY = `{
    "buildid": "40.1",
    "coreos-assembler.basearch": "aarch64",
    "base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "digest": "${sha256('ce')}", "tags": ["stable", "40.1"]}
}
`;

/** Broken and odd inputs, named; each is invalid for at least one of the functions. */
const BROKEN = {
  'empty text': '',
  'whitespace only': ' \n',
  'a syntax error': `{"kubevirt": {"image": "quay.io/a/b"},}`,
  'not an object': '[1, 2]',
  'a bare string': '"quay.io/a/b"',
  'a duplicate key': `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}, "kubevirt": 1}`,
  'no digest, tags with the build id (issue 11)': `{"base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "tags": ["stable", "40.1"]}}`,
  'an embedded digest': `{"buildid": "40.1", "base-oscontainer": {"image": "quay.io/fedora/fedora-coreos@${D}"}}`,
  'a tagged image with a digest': `{"buildid": "40.1", "base-oscontainer": {"image": "quay.io/fedora/fedora-coreos:stable", "digest": "${D}", "tags": ["stable"]}}`,
  'a split RHCOS 4.10 oscontainer': `{"buildid": "410.84.202205191234-0", "oscontainer": {"digest": "${D}", "image": "quay.io/openshift-release-dev/ocp-v4.0-art-dev"}}`,
  'every tag is a build tag': `{"buildid": "40.1", "base-oscontainer": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["40.1"]}}`,
  'two floating tags': `{"buildid": "40.1", "kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["stable", "next", "40.1"]}}`,
  'no build id': `{"base-oscontainer": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["stable"]}}`,
  'a broken digest': `{"buildid": "40.1", "base-oscontainer": {"image": "quay.io/a/b", "digest": "sha256:abcd", "tags": ["stable", "40.1"]}}`,
  'image not a string': `{"base-oscontainer": {"image": 1, "digest": "${D}"}}`,
  'entry not an object': `{"buildid": "40.1", "base-oscontainer": "quay.io/a/b", "kubevirt": null}`,
  'a fragment': `"base-oscontainer": {"image": "quay.io/a/b@${D}"},`,
  'a file artifact pasted as an entry': `{"kubevirt": {"path": "x.ociarchive", "sha256": "${D.slice(7)}", "size": 5}}`,
  'a transport prefix': `{"kubevirt": {"image": "docker://quay.io/a/b", "digest": "${D}"}}`,
  'a lone surrogate and a huge number': `{"a": "\\ud800", "b": 1e999, "kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["stable"]}}`,
  'deep nesting': `${'['.repeat(200)}${']'.repeat(200)}`,
  'the healthy document on its own': HEALTHY,
};

/** Every function, under both profiles, checked with the verdict rule. */
function checkEverything(name, input) {
  for (const profile of ['canonical', 'compat']) {
    const at = `${name} (${profile})`;
    checkVerdict(`validate: ${at}`, validate(input, { profile }));
    checkVerdict(`upgrade: ${at}`, upgrade(input, { profile }));
    for (const buildId of [undefined, '40.1']) {
      checkVerdict(`releaseView, build id ${buildId}: ${at}`, releaseView(input, { profile, buildId }));
    }
    for (const [set, docs] of [
      ['alone', [{ input }]],
      ['twice', [{ input }, { input }]],
      ['beside a healthy document', [{ input, name: 'x86_64/meta.json' }, { input: HEALTHY }]],
      ['after a healthy document, arches given', [{ input: HEALTHY, arch: 'aarch64' }, { input, arch: 'x86_64' }]],
    ]) {
      const report = compareArches(docs, { profile });
      checkVerdict(`compareArches ${set}: ${at}`, report);
      assert.ok(report.diagnostics.every((d) => d.document >= 0 && d.document < docs.length), `compareArches ${set}: ${at}`);
    }
  }
}

test('valid: false comes with an error, in validate, upgrade, releaseView and compareArches: the catalogue', () => {
  const invalid = { validate: 0, upgrade: 0, releaseView: 0, compareArches: 0 };
  for (const [name, text] of Object.entries(BROKEN)) {
    checkEverything(name, text);
    checkEverything(`${name}, as bytes`, new TextEncoder().encode(text));
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: text and bytes only.
    }
    if (parsed !== undefined) checkEverything(`${name}, parsed`, parsed);
    invalid.validate += Number(!validate(text).valid);
    invalid.upgrade += Number(!upgrade(text).valid);
    invalid.releaseView += Number(!releaseView(text, { buildId: '40.1' }).valid);
    invalid.compareArches += Number(!compareArches([{ input: text }, { input: HEALTHY }]).valid);
  }
  // Bytes that are not UTF-8.
  checkEverything('a byte that is not UTF-8', Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
  // The catalogue is not passing on valid inputs only: each function says "invalid" often.
  for (const [fn, n] of Object.entries(invalid)) assert.ok(n >= 8, `${fn}: only ${n} invalid inputs`);
  // The case, exactly: the release view is invalid and says why, at the entry.
  const view = releaseView(BROKEN['no digest, tags with the build id (issue 11)'], { buildId: '40.1' });
  assert.equal(view.valid, false);
  assert.ok(view.diagnostics.some((d) => d.severity === 'error' && d.pointer.startsWith('/base-oscontainer')), JSON.stringify(view));
});

test('valid: false comes with an error: every cut of the catalogue documents', () => {
  for (const [name, text] of Object.entries(BROKEN)) {
    if (text.length > 400) continue;
    for (let cut = 0; cut < text.length; cut++) {
      const part = text.slice(0, cut);
      const at = `${name}, cut at ${cut}`;
      checkVerdict(`validate: ${at}`, validate(part));
      checkVerdict(`upgrade: ${at}`, upgrade(part));
      checkVerdict(`releaseView: ${at}`, releaseView(part, { buildId: '40.1' }));
      checkVerdict(`compareArches: ${at}`, compareArches([{ input: part }, { input: HEALTHY }]));
    }
  }
});

test('the healthy document the catalogue is compared with has no finding', () => {
  assert.deepEqual(validate(HEALTHY).diagnostics, []);
  const view = releaseView(HEALTHY);
  assert.deepEqual([view.valid, view.diagnostics], [true, []]);
  const report = compareArches([{ input: HEALTHY }]);
  assert.deepEqual([report.valid, report.diagnostics, report.arches], [true, [], ['aarch64']]);
});

test('the verdict check rejects an invalid report that does not say why', () => {
  const warning = { severity: 'warning', code: 'unknown-field', message: 'm' };
  const error = { severity: 'error', code: 'digest-missing', message: 'm' };
  checkVerdict('x', { valid: false, diagnostics: [warning, error] });
  checkVerdict('x', { valid: true, diagnostics: [warning] });
  for (const report of [
    { valid: false, diagnostics: [] },
    { valid: false, diagnostics: [warning] },
    { valid: true, diagnostics: [error] },
    { valid: false, diagnostics: [{ ...error, message: '' }] },
  ]) {
    assert.throws(() => checkVerdict('x', report), assert.AssertionError, JSON.stringify(report));
  }
});
