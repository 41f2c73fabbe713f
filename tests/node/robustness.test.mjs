// Hostile input through the WebAssembly build (the Rust side has the full catalogue in
// tests/bad_input.rs): deep nesting must be a finding, not a stack overflow of the wasm
// stack (which is smaller than a native thread's), also with a user schema, where the
// whole document is converted and validated; big inputs and lone surrogates.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { upgrade, validate } from '../../pkg/node.js';
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
