// upgrade() through the package: exact output text for text, bytes and parsed input,
// both profiles, what is left alone, and idempotence.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { upgrade, validate } from '../../pkg/node.js';
import { marked, sha256 } from './helpers.mjs';

const D = sha256('ab');
const D2 = sha256('cd');
const REPO = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev';
const BUILD = '413.86.202212021619-0';

// A 4-space indented meta.json with CRLF line breaks, numbers and escapes that a
// parse-and-reserialise would change.
const BEFORE = [
  '{',
  `    "buildid": "${BUILD}",`,
  '    "base-oscontainer": {',
  `        "image": "${REPO}:${BUILD}@${D}",`,
  '        "tags": [',
  '            "4.13"',
  '        ]',
  '    },',
  '    "kubevirt": {',
  `        "image": "${REPO}@${D}",`,
  '        "comment": "container disk"',
  '    },',
  '    "size": 1.0,',
  '    "big": 123456789012345678901234567890,',
  '    "esc": "\\u00e9\\n"',
  '}',
  '',
].join('\r\n');

const AFTER = [
  '{',
  `    "buildid": "${BUILD}",`,
  '    "base-oscontainer": {',
  `        "image": "${REPO}",`,
  `        "digest": "${D}",`,
  '        "tags": [',
  '            "4.13",',
  `            "${BUILD}"`,
  '        ]',
  '    },',
  '    "kubevirt": {',
  `        "image": "${REPO}",`,
  `        "digest": "${D}",`,
  '        "comment": "container disk"',
  '    },',
  '    "size": 1.0,',
  '    "big": 123456789012345678901234567890,',
  '    "esc": "\\u00e9\\n"',
  '}',
  '',
].join('\r\n');

const CHANGES = [
  { pointer: '/base-oscontainer/image', code: 'image-has-tag', message: `moved the tag "${BUILD}" from image into tags` },
  { pointer: '/base-oscontainer/image', code: 'image-embedded-digest', message: `moved the digest "${D}" from image into digest` },
  { pointer: '/kubevirt/image', code: 'image-embedded-digest', message: `moved the digest "${D}" from image into digest` },
];

test('a 4-space CRLF document: only the entry lines change', () => {
  const result = upgrade(BEFORE);
  assert.equal(result.output, AFTER);
  assert.equal(result.changed, true);
  assert.deepEqual(result.changes, CHANGES);
  assert.deepEqual(result.diagnostics, []);
  assert.equal(result.valid, true);
  assert.equal(result.profile, 'canonical');
});

test('bytes give the same upgrade as text', () => {
  assert.deepEqual(upgrade(new TextEncoder().encode(BEFORE)), upgrade(BEFORE));
  assert.deepEqual(upgrade(Buffer.from(BEFORE)), upgrade(BEFORE));
});

test('a parsed value comes back as JSON with 4-space indentation, as cosa writes', () => {
  const result = upgrade(JSON.parse(BEFORE));
  const expected = JSON.parse(AFTER);
  assert.equal(result.output, JSON.stringify(expected, null, 4));
  assert.ok(result.output.startsWith(`{\n    "buildid": "${BUILD}",\n    "base-oscontainer": {\n        "image": "${REPO}",\n        "digest": "${D}",\n        "tags": [\n            "4.13",\n`));
  assert.deepEqual(result.changes, CHANGES);
  assert.equal(result.changed, true);
  assert.equal(result.valid, true);
});

test('the compat profile fixes the same things; diagnostics describe the output', () => {
  const result = upgrade(BEFORE, { profile: 'compat' });
  assert.equal(result.output, AFTER);
  assert.equal(result.profile, 'compat');
  assert.deepEqual(result.changes, CHANGES);

  // What upgrade cannot fix stays, reported with its position in the output.
  const { text, at } = marked(`{"kubevirt": {"image": "quay.io/a/b", "tags": ["x", "x"]}, "oscontainer": {"image": ‸"quay.io/a/c@${D}", "digest": ‸"${D2}"}}`);
  const fixed = upgrade(text, { profile: 'compat' });
  assert.equal(fixed.output, text.replace('"tags": ["x", "x"]', '"tags": ["x"]'));
  assert.deepEqual(fixed.changes, [{ pointer: '/kubevirt/tags/1', code: 'tag-duplicate', message: 'removed the repeated tag "x"' }]);
  const shift = '"tags": ["x", "x"]'.length - '"tags": ["x"]'.length;
  assert.deepEqual(
    fixed.diagnostics.map(({ code, severity, pointer, line, column }) => ({ code, severity, pointer, line, column })),
    [
      { code: 'digest-missing', severity: 'warning', pointer: '/kubevirt', line: 1, column: 14 },
      { code: 'image-embedded-digest', severity: 'warning', pointer: '/oscontainer/image', line: 1, column: at[0].column - shift },
      { code: 'digest-conflict', severity: 'error', pointer: '/oscontainer/digest', line: 1, column: at[1].column - shift },
    ],
  );
  assert.equal(fixed.valid, false);
  assert.deepEqual(fixed.diagnostics, validate(fixed.output, { profile: 'compat' }).diagnostics);
});

test('value fixes in a compact document keep it compact', () => {
  const text = `{"kubevirt":{"image":"quay.io/a/b","digest":"sha256:${'AB'.repeat(32)}","tags":"stable"}}`;
  const result = upgrade(text);
  assert.equal(result.output, `{"kubevirt":{"image":"quay.io/a/b","digest":"${D}","tags":["stable"]}}`);
  assert.deepEqual(
    result.changes.map(({ pointer, code }) => ({ pointer, code })),
    [
      { pointer: '/kubevirt/digest', code: 'digest-invalid' },
      { pointer: '/kubevirt/tags', code: 'tags-not-array' },
    ],
  );
});

test('a pasted fragment stays a fragment', () => {
  const text = `"base-oscontainer": {"image": "quay.io/fedora/fedora-coreos:stable", "digest": "${D}"}`;
  const result = upgrade(text);
  // A new member goes right after "image".
  assert.equal(result.output, `"base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "tags": ["stable"], "digest": "${D}"}`);
  assert.equal(result.valid, true);
});

test('nothing to fix: the output is the input, byte for byte', () => {
  const text = `{ "kubevirt" : {"image":"quay.io/a/b",   "digest": "${D}"} , "n": 1e400 }\n`;
  const result = upgrade(text);
  assert.equal(result.output, text);
  assert.equal(result.changed, false);
  assert.deepEqual(result.changes, []);
  assert.equal(result.valid, true);
});

test('a conflict is left as it is and reported', () => {
  const text = `{"kubevirt": {"image": "quay.io/a/b@${D}", "digest": "${D2}"}}`;
  const result = upgrade(text);
  assert.equal(result.output, text);
  assert.equal(result.changed, false);
  assert.deepEqual(result.diagnostics.map((d) => d.code), ['image-embedded-digest', 'digest-conflict']);
  assert.equal(result.valid, false);
});

test('bytes that are not UTF-8 come back unchanged (decoded) with their json-syntax', () => {
  const result = upgrade(new Uint8Array([0x7b, 0x0a, 0xff, 0x7d]));
  assert.equal(result.output, '{\n\ufffd}');
  assert.equal(result.changed, false);
  assert.deepEqual(
    result.diagnostics.map(({ code, line, column }) => ({ code, line, column })),
    [{ code: 'json-syntax', line: 2, column: 1 }],
  );
});

test('upgrade is idempotent', () => {
  for (const input of [BEFORE, JSON.parse(BEFORE)]) {
    const once = upgrade(input);
    const twice = upgrade(once.output);
    assert.equal(twice.output, once.output);
    assert.equal(twice.changed, false);
    assert.deepEqual(twice.changes, []);
  }
});
