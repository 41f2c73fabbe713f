// How a string reaches the module: the wrapper writes it as UTF-8 straight into the
// module's memory (pkg/api.js, `stage`), sized for ASCII first and grown when the text
// is not ASCII. Whatever the mix of one-, two-, three- and four-byte characters, and
// wherever the first non-ASCII one is, Rust must see exactly the bytes that
// TextEncoder.encode would give, and nothing of an earlier, longer call.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { releaseView, upgrade, validate } from '../../pkg/node.js';
import { sha256 } from './helpers.mjs';

const D = sha256('ab');
const encoder = new TextEncoder();

/** A meta.json whose kubevirt entry has the embedded digest, with `name` and `comment` as given. */
function meta(name, comment) {
  return [
    '{',
    `    "name": ${JSON.stringify(name)},`,
    '    "buildid": "4.16.20240101-0",',
    '    "kubevirt": {',
    `        "comment": ${JSON.stringify(comment)},`,
    `        "image": "quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}",`,
    '        "tags": ["4.16-kubevirt", "4.16.20240101-0-kubevirt"]',
    '    }',
    '}',
  ].join('\n');
}

const texts = {
  ascii: meta('rhcos', 'plain'),
  'non-ASCII at the start': meta('café', 'plain'),
  'non-ASCII at the end only': meta('rhcos', 'plain').replace(/\n}$/, ',\n    "z": "ü"\n}'),
  'two-byte characters': meta('ü'.repeat(300), 'ö'),
  'three-byte characters throughout': meta('日本語'.repeat(400), '説明'),
  'surrogate pairs': meta('😀'.repeat(500), '🚀 build'),
  'a lone surrogate': meta('rhcos', 'broken \ud800 tag'),
  empty: '',
};

for (const [name, text] of Object.entries(texts)) {
  test(`a string and its UTF-8 bytes give the same report: ${name}`, () => {
    const bytes = encoder.encode(text);
    assert.deepEqual(validate(text), validate(bytes));
    assert.deepEqual(releaseView(text), releaseView(bytes));
    const fromText = upgrade(text);
    const fromBytes = upgrade(bytes);
    assert.deepEqual(fromText, fromBytes);
    if (text !== '') {
      assert.equal(fromText.changed, true);
      assert.deepEqual(
        fromText.changes.map((c) => `${c.code} ${c.pointer}`),
        ['image-embedded-digest /kubevirt/image'],
      );
    }
  });
}

test('the upgraded text keeps every non-ASCII character as written', () => {
  const text = meta('😀 café 日本', 'ü \u2028 🚀');
  const { output } = upgrade(text);
  assert.equal(
    output,
    text.replace(
      `"image": "quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}",`,
      // The entry's keys are sorted, so the digest goes where sorting puts it.
      `"digest": "${D}",\n        "image": "quay.io/openshift-release-dev/ocp-v4.0-art-dev",`,
    ),
  );
});

test('positions count UTF-16 units after characters of every width', () => {
  // Line 6 is the image; before it on line 2: 2 + 1 + 1 four-byte, three-byte, two-byte.
  const text = meta('😀日ü', 'x');
  const [finding] = validate(text).diagnostics;
  assert.deepEqual([finding.code, finding.pointer, finding.line, finding.column], [
    'image-embedded-digest',
    '/kubevirt/image',
    6,
    18,
  ]);
});

test('a short document after a long one is read alone', () => {
  const long = meta('日本語'.repeat(5000), 'x');
  assert.equal(validate(long).entries.length, 1);
  // Were the bytes of the long text left behind the short one, this would not be JSON.
  const short = '{"kubevirt": 1}';
  assert.deepEqual(
    validate(short).diagnostics.map((d) => `${d.code} ${d.pointer} ${d.line}:${d.column}`),
    ['entry-not-object /kubevirt 1:14'],
  );
  const shortNonAscii = '{"é": 1}';
  assert.deepEqual(validate(shortNonAscii).diagnostics.map((d) => d.code), ['no-entries']);
});

test('a JS value is upgraded from the text JSON.stringify gives, and returned as that text when unchanged', () => {
  const value = { name: 'café', oscontainer: { image: 'quay.io/a/b', digest: D } };
  const result = upgrade(value);
  assert.equal(result.changed, false);
  assert.equal(result.output, JSON.stringify(value, null, 4));
});

test('upgrade applies its edits at JS string indices: after astral characters, and after a kept BOM in bytes', () => {
  const before = `\ufeff{"x": "é😀", "kubevirt": {"image": "quay.io/a/b@${D}"}, "y": "😀"}`;
  const after = `\ufeff{"x": "é😀", "kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}, "y": "😀"}`;
  // The BOM is reported (json-syntax) but the entry is still upgraded, and kept as written.
  assert.equal(upgrade(before).output, after);
  assert.equal(upgrade(encoder.encode(before)).output, after);
  const plain = before.slice(1);
  assert.equal(upgrade(encoder.encode(plain)).output, after.slice(1));
  // Nothing to change: the caller's own string comes back.
  assert.equal(upgrade(after.slice(1)).output, after.slice(1));
  assert.equal(upgrade(after.slice(1)).changed, false);
});
