// Every diagnostic code reachable from JS, with severity per profile, pointer, fixable
// and the exact line/column of a mark (‸) in the pasted text; then the same cases as
// bytes and as parsed values.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { compareArches, releaseView, upgrade, validate } from '../../pkg/node.js';
import { marked, sha256 } from './helpers.mjs';

const D = sha256('ab');
const D2 = sha256('cd');
const D3 = sha256('ef');
const D4 = sha256('12');

/**
 * [canonical, compat] severity of every code: the contract, written from src/diagnostic.rs
 * by `make codes` (as are docs/diagnostics.md's tables and index.d.ts's union).
 */
const CODES = JSON.parse(readFileSync(new URL('./codes.generated.json', import.meta.url), 'utf8'));
const SEVERITY = Object.fromEntries(CODES.map(({ code, canonical, compat }) => [code, [canonical, compat]]));

const BUILDID_SCHEMA = { type: 'object', properties: { buildid: { type: 'string' } } };

/**
 * Each case: the pasted text with one mark per expected diagnostic, in document order,
 * and per diagnostic [code, pointer, fixable, message pattern?, hint?].
 */
const CASES = [
  {
    name: 'json-syntax: trailing comma',
    text: `{\n    "kubevirt": {\n        "image": "quay.io/a/b",\n        "digest": "${D}"‸,\n    }\n}\n`,
    expect: [['json-syntax', '', false, /trailing comma/]],
  },
  { name: 'json-syntax: empty input', text: `‸`, expect: [['json-syntax', '', false, /empty/]] },
  {
    name: 'json-syntax: a comment',
    text: `{\n    ‸// built by cosa\n    "kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}\n}`,
    expect: [['json-syntax', '', false]],
  },
  {
    name: 'json-syntax: byte-order mark',
    text: `‸\ufeff{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}}`,
    expect: [['json-syntax', '', false, /byte-order mark/, 'save the file as UTF-8 without BOM']],
  },
  {
    name: 'nesting-too-deep',
    text: `${'['.repeat(128)}‸${'['.repeat(472)}${']'.repeat(600)}`,
    expect: [['nesting-too-deep', '', false, /128/]],
  },
  { name: 'not-an-object: array', text: `‸[1, 2]`, expect: [['not-an-object', '', false, /an array/]] },
  // A string input is always JSON text, so a parsed string cannot be given as a value.
  { name: 'not-an-object: string', text: `  ‸"quay.io/a/b"`, expect: [['not-an-object', '', false, /a string/]] },
  {
    name: 'duplicate-key',
    text: `{\n    "kubevirt": {\n        "image": "quay.io/a/b",\n        "digest": "${D}",\n        ‸"image": "quay.io/a/c"\n    }\n}`,
    expect: [['duplicate-key', '/kubevirt/image', false, /"image" appears more than once .*first on line 3/]],
  },
  {
    name: 'number-out-of-range',
    text: `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}"},\n "size": ‸1e999}`,
    expect: [
      [
        'number-out-of-range',
        '/size',
        false,
        /^the number 1e999 is beyond the range of a double: JSON\.parse and Python read it as infinity/,
        'write the value it stands for, or make it a string',
      ],
    ],
  },
  {
    name: 'lone-surrogate (a JS value keeps it: JSON.stringify writes the escape)',
    text: `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "comment": "broken ‸\\ud800 text"}}`,
    expect: [['lone-surrogate', '/kubevirt/comment', false, /^\\ud800 is half of a UTF-16 surrogate pair, alone/]],
  },
  {
    name: 'no-entries: images.* are artifacts, not entries',
    text: `‸{"buildid": "36.1", "images": {"legacy-oscontainer": {"path": "x.ociarchive", "sha256": "${'ab'.repeat(32)}"}}}`,
    expect: [['no-entries', '', false]],
  },
  {
    name: 'no-entries: a file artifact pasted alone says what it is',
    text: `‸{"path": "rhcos-413.86.202212021619-0-legacy-oscontainer.x86_64.ociarchive", "sha256": "63e17f149e9ca2585b33a7a7d394b9d9c33f1e250f0e30b2b86537e5af104d35", "size": 1395326464}`,
    expect: [['no-entries', '', false, /^the document is a file artifact \(path, sha256, size\) as listed under "images" in meta\.json, not a container entry;/]],
  },
  {
    name: 'entry-is-artifact: images.extensions-container pasted as the entry',
    text: `{\n    "buildid": "413.86.202212021619-0",\n    "extensions-container": ‸{\n        "path": "rhcos-413.86.202212021619-0-extensions-container.x86_64.ociarchive",\n        "sha256": "6942598ce94ef7e27a88a4c6ea5d5129600c64088203a04b2a732c5162c7df8d",\n        "size": 311401984,\n        "skip-compression": true\n    }\n}`,
    expect: [
      [
        'entry-is-artifact',
        '/extensions-container',
        false,
        /^"extensions-container" is a file artifact \(path, sha256, size\) as listed under "images", not a container entry;/,
        'file artifacts stay under "images"; write here the image that was pushed, or remove the key',
      ],
    ],
  },
  {
    name: 'entry-not-object',
    text: `{\n  "buildid": "1",\n  "kubevirt": ‸"quay.io/a/b"\n}`,
    expect: [['entry-not-object', '/kubevirt', false, /"kubevirt" must be an object/]],
  },
  {
    name: 'image-missing: entry and additional image',
    text: `{"kubevirt": ‸{"digest": "${D}", "additional-images": [‸{"digest": "${D}"}]}}`,
    expect: [
      ['image-missing', '/kubevirt', false],
      ['image-missing', '/kubevirt/additional-images/0', false],
    ],
  },
  {
    name: 'image-not-string',
    text: `{"kubevirt": {"image": ‸42, "digest": "${D}"}}`,
    expect: [['image-not-string', '/kubevirt/image', false, /a number/]],
  },
  {
    name: 'image-invalid: upper case in the path, pointed at the letter',
    text: `{"kubevirt": {"image": "quay.io/‸Fedora/x", "digest": "${D}"}}`,
    expect: [['image-invalid', '/kubevirt/image', false, /"quay\.io\/Fedora\/x".*upper case/]],
  },
  {
    name: 'image-invalid: a pull spec with a transport (skopeo) says to drop it',
    text: `{"oscontainer": {"image": "‸docker://quay.io/openshift-release-dev/ocp-v4.0-art-dev", "digest": "${D}"}}`,
    expect: [
      [
        'image-invalid',
        '/oscontainer/image',
        false,
        /: the transport prefix "docker:\/\/" is not part of an image reference; drop it: "quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev"$/,
      ],
    ],
  },
  {
    name: 'image-embedded-digest (fixable)',
    text: `{"base-oscontainer": {"image": ‸"quay.io/fedora/fedora-coreos@${D}", "tags": ["stable"]}}`,
    expect: [['image-embedded-digest', '/base-oscontainer/image', true]],
  },
  {
    name: 'image-has-tag (fixable)',
    text: `{"base-oscontainer": {"image": ‸"quay.io/fedora/fedora-coreos:stable", "digest": "${D}"}}`,
    expect: [['image-has-tag', '/base-oscontainer/image', true, /"stable"/]],
  },
  {
    name: 'image-not-qualified',
    text: `{"kubevirt": {"image": ‸"fedora", "digest": "${D}"}}`,
    expect: [['image-not-qualified', '/kubevirt/image', false, /"fedora"/, 'write it in full, e.g. "docker.io/library/fedora"']],
  },
  {
    name: 'digest-missing',
    text: `{"kubevirt": ‸{"image": "quay.io/a/b", "tags": ["x"]}}`,
    expect: [['digest-missing', '/kubevirt', false]],
  },
  {
    name: 'digest-invalid: upper-case hex and bare hex are fixable, md5 is not',
    text: `{\n "oscontainer": {"image": "quay.io/a/b", "digest": "sha256:‸${'AB'.repeat(32)}"},\n "kubevirt": {"image": "quay.io/a/c", "digest": "‸${'ab'.repeat(32)}"},\n "base-oscontainer": {"image": "quay.io/a/d", "digest": "‸md5:0123"}\n}`,
    expect: [
      ['digest-invalid', '/oscontainer/digest', true, /upper-case/],
      ['digest-invalid', '/kubevirt/digest', true, /"sha256:" prefix/],
      ['digest-invalid', '/base-oscontainer/digest', false, /"md5"/],
    ],
  },
  {
    name: 'digest-invalid: upper-case hex embedded in image is fixable (lower-cased and moved)',
    text: `{"oscontainer": {"image": ‸"quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:4‸ABEE5A8633A29D88AF392FA6A509845BA4F71688E7074EFB148D4372738046F"}}`,
    expect: [
      ['image-embedded-digest', '/oscontainer/image', true],
      ['digest-invalid', '/oscontainer/image', true, /^the digest "sha256:4ABEE5A8.*" embedded in image has upper-case hex; digests are lower-case$/],
    ],
  },
  {
    name: 'digest-maybe-manifest-list: an embedded digest of the window is not moved',
    text: `{\n    "buildid": "36.20220918.3.0",\n    "base-oscontainer": {\n        "image": ‸‸"quay.io/fedora/fedora-coreos@sha256:460576931cf4ce59afe432ea266234f9d34fa77f8ca3087282084bc3a7324632"\n    }\n}`,
    expect: [
      ['image-embedded-digest', '/base-oscontainer/image', false, /embeds the digest/, 'upgrade does not move this digest into "digest": the build is from cosa\'s manifest-list window, so it is most likely the manifest list\'s (see digest-maybe-manifest-list)'],
      [
        'digest-maybe-manifest-list',
        '/base-oscontainer/image',
        false,
        /^the digest embedded in image is most likely the manifest list's, not this architecture's: build "36\.20220918\.3\.0" is dated 2022-09-18, inside the window 2022-09-13 to 2022-10-21 when cosa wrote the manifest list's digest into image$/,
        'confirm with `oscontainer arches` over the build\'s meta.json files (compareArches: the same digest on every architecture is the list\'s) or with the registry; then write this architecture\'s digest into "digest"',
      ],
    ],
  },
  {
    name: 'digest-conflict (nothing is fixed when the digests disagree)',
    text: `{"kubevirt": {"image": ‸"quay.io/a/b@${D}", "digest": ‸"${D2}"}}`,
    expect: [
      ['image-embedded-digest', '/kubevirt/image', false],
      ['digest-conflict', '/kubevirt/digest', false, new RegExp(`"${D2}" differs`)],
    ],
  },
  {
    name: 'tags-not-array: a string is fixable, a number is not',
    text: `{\n "kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ‸"stable"},\n "oscontainer": {"image": "quay.io/a/c", "digest": "${D}", "tags": ‸3}\n}`,
    expect: [
      ['tags-not-array', '/kubevirt/tags', true, /a string/, 'write it as a one-element array'],
      ['tags-not-array', '/oscontainer/tags', false, /a number/],
    ],
  },
  {
    name: 'tag-invalid',
    text: `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["ok", "‸-bad", ‸7]}}`,
    expect: [
      ['tag-invalid', '/kubevirt/tags/1', false, /"-bad"/],
      ['tag-invalid', '/kubevirt/tags/2', false, /a number/],
    ],
  },
  {
    name: 'tag-duplicate (fixable)',
    text: `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["a", "b", ‸"a"]}}`,
    expect: [['tag-duplicate', '/kubevirt/tags/2', true, /"a"/]],
  },
  {
    name: 'manifest-list-digest-invalid',
    text: `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "manifest-list-digest": "sha256:123‸"}}`,
    expect: [['manifest-list-digest-invalid', '/kubevirt/manifest-list-digest', false]],
  },
  {
    name: 'digest-equals-manifest-list',
    text: `{"kubevirt": {"image": "quay.io/a/b", "digest": ‸"${D}", "manifest-list-digest": "${D}"}}`,
    expect: [['digest-equals-manifest-list', '/kubevirt/digest', false]],
  },
  {
    name: 'additional-images-not-array',
    text: `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "additional-images": ‸{}}}`,
    expect: [['additional-images-not-array', '/kubevirt/additional-images', false, /an object/]],
  },
  {
    name: 'additional-image-not-object, and checks inside additional images',
    text: `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "additional-images": [\n    {"image": "quay.io/c/d", "digest": "sha256:‸${'EF'.repeat(32)}"},\n    ‸"quay.io/e/f"\n]}}`,
    expect: [
      ['digest-invalid', '/kubevirt/additional-images/0/digest', true],
      ['additional-image-not-object', '/kubevirt/additional-images/1', false, /a string/],
    ],
  },
  {
    name: 'comment-not-string',
    text: `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "comment": ‸["x"]}}`,
    expect: [['comment-not-string', '/kubevirt/comment', false, /an array/]],
  },
  {
    name: 'unknown-field with a did-you-mean hint',
    text: `{"kubevirt": ‸{"image": "quay.io/a/b", ‸"digets": "${D}"}}`,
    expect: [
      ['digest-missing', '/kubevirt', false],
      ['unknown-field', '/kubevirt/digets', false, /"digets"/, 'did you mean "digest"?'],
    ],
  },
  {
    name: 'schema-violation from options.schema',
    options: { schema: BUILDID_SCHEMA },
    text: `{\n    "buildid": ‸36,\n    "kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}\n}`,
    expect: [['schema-violation', '/buildid', false, /must be a string/]],
  },
  {
    name: 'a fragment pasted from an issue: positions are in the pasted text',
    text: `    "base-oscontainer": {\n        "image": "quay.io/fedora/‸Fedora-coreos",\n        "digest": "${D}"\n    },`,
    expect: [['image-invalid', '/base-oscontainer/image', false]],
  },
  {
    name: 'a bare entry',
    text: `‸{"image": "quay.io/a/b", "tags": ["x", ‸"x"]}`,
    expect: [
      ['digest-missing', '', false],
      ['tag-duplicate', '/tags/1', true],
    ],
  },
  {
    name: 'columns count UTF-16 units; CRLF line breaks',
    text: `{\r\n  "name": "rhcos 😀 café",\r\n  "kubevirt": {"comment": "ü 😀", "image": ‸["x"], "digest": "${D}"}\r\n}`,
    expect: [
      ['image-not-string', '/kubevirt/image', false],
    ],
  },
  {
    name: 'lone CR line breaks count as lines (as CodeMirror does)',
    text: `{\r"buildid": "1",\r"kubevirt": ‸7\r}`,
    expect: [['entry-not-object', '/kubevirt', false]],
  },
  {
    name: 'a valid canonical entry has no diagnostics',
    text: `{"base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "digest": "${D}", "tags": ["stable", "36.20221014.3.0"], "manifest-list-digest": "${D2}", "comment": "ok", "additional-images": [{"image": "quay.io/a/b", "digest": "${D}"}]}}`,
    expect: [],
  },
];

/** The diagnostics without what depends on the input form (positions). */
function positionless(diagnostics) {
  return diagnostics.map((d) => ({ ...d, line: null, column: null }));
}

const seen = new Set();

for (const testCase of CASES) {
  const { text, at } = marked(testCase.text);
  assert.equal(at.length, testCase.expect.length, `${testCase.name}: one mark per diagnostic`);
  describe(testCase.name, () => {
    for (const [index, profile] of ['canonical', 'compat'].entries()) {
      test(`${profile} profile`, () => {
        const report = validate(text, { ...testCase.options, profile });
        const expected = testCase.expect.map(([code, pointer, fixable], i) => ({
          code,
          severity: SEVERITY[code][index],
          pointer,
          line: at[i].line,
          column: at[i].column,
          fixable,
        }));
        const actual = report.diagnostics.map(({ code, severity, pointer, line, column, fixable }) => ({
          code,
          severity,
          pointer,
          line,
          column,
          fixable,
        }));
        assert.deepEqual(actual, expected);
        assert.equal(report.profile, profile);
        assert.equal(report.valid, !expected.some((d) => d.severity === 'error'));
        testCase.expect.forEach(([code, , , pattern, hint], i) => {
          seen.add(code);
          const d = report.diagnostics[i];
          assert.equal(typeof d.message, 'string');
          if (pattern) assert.match(d.message, pattern);
          if (hint !== undefined) assert.equal(d.hint, hint);
          for (const key of ['severity', 'code', 'message', 'pointer', 'line', 'column', 'fixable', 'hint']) {
            assert.ok(key in d, `diagnostic has ${key}`);
          }
        });
      });
    }

    test('UTF-8 bytes give the same report', () => {
      const bytes = new TextEncoder().encode(text);
      assert.deepEqual(validate(bytes, testCase.options), validate(text, testCase.options));
      assert.deepEqual(validate(Buffer.from(bytes), testCase.options), validate(text, testCase.options));
    });

    let value;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    // JSON.parse keeps only the last of duplicate keys, and makes 1e999 Infinity (written
    // back as null): what is reported is then gone from the value.
    const lostInParsing = ['duplicate-key', 'number-out-of-range'];
    const sameAsParsed =
      value !== undefined && typeof value !== 'string' && !testCase.expect.some(([code]) => lostInParsing.includes(code));
    test('a parsed value gives the same diagnostics without positions', { skip: !sameAsParsed && 'not JSON.parse-able as is' }, () => {
      const fromText = validate(text, testCase.options);
      const fromValue = validate(value, testCase.options);
      assert.deepEqual(fromValue, { ...fromText, diagnostics: positionless(fromText.diagnostics) });
      for (const d of fromValue.diagnostics) {
        assert.equal(d.line, null);
        assert.equal(d.column, null);
      }
    });

    test('upgrade fixes exactly the fixable diagnostics', () => {
      const before = validate(text, testCase.options);
      const result = upgrade(text, testCase.options);
      const fixable = before.diagnostics.filter((d) => d.fixable).map((d) => d.code).sort();
      assert.deepEqual(result.changes.map((c) => c.code).sort(), fixable);
      assert.equal(result.changed, fixable.length > 0);
      if (!result.changed) assert.equal(result.output, text);
      assert.ok(!result.diagnostics.some((d) => d.fixable), 'nothing fixable remains');
      assert.deepEqual(upgrade(result.output, testCase.options).changed, false, 'idempotent');
    });
  });
}

test('invalid UTF-8 bytes: json-syntax at the byte', () => {
  const bytes = new Uint8Array([...new TextEncoder().encode('{\n  "name": "caf'), 0xe9, ...new TextEncoder().encode('"\n}')]);
  const report = validate(bytes);
  assert.equal(report.valid, false);
  assert.deepEqual(
    report.diagnostics.map(({ code, pointer, line, column }) => ({ code, pointer, line, column })),
    [{ code: 'json-syntax', pointer: '', line: 2, column: 15 }],
  );
  assert.match(report.diagnostics[0].message, /0xE9/);
});

test('a JSON value that is not an object, given parsed', () => {
  for (const value of [null, 42, true, []]) {
    const report = validate(value);
    assert.deepEqual(
      report.diagnostics.map(({ code, line, column }) => ({ code, line, column })),
      [{ code: 'not-an-object', line: null, column: null }],
      JSON.stringify(value),
    );
  }
});

test('options.schema as an object and as JSON text give the same diagnostics', () => {
  const text = `{"buildid": 36, "kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}}`;
  const asObject = validate(text, { schema: BUILDID_SCHEMA });
  assert.deepEqual(validate(text, { schema: JSON.stringify(BUILDID_SCHEMA) }), asObject);
  assert.deepEqual(asObject.diagnostics.map((d) => [d.code, d.pointer, d.column]), [['schema-violation', '/buildid', 13]]);
  // A boolean schema is a schema too: `false` rejects everything.
  assert.deepEqual(validate(text, { schema: false }).diagnostics.map((d) => d.code), ['schema-violation']);
  assert.deepEqual(validate(text, { schema: true }).diagnostics, []);
  // Absent options behave like the defaults.
  for (const options of [undefined, {}, { profile: undefined, schema: null }]) {
    assert.deepEqual(validate(text, options), validate(text, { profile: 'canonical' }));
  }
});

/**
 * The release and cross-arch codes: per case, the texts (one for releaseView, several for
 * compareArches, each `[arch, text]`) with one mark per expected diagnostic, and per
 * diagnostic [document, code, pointer, message pattern].
 */
const RELEASE_CASES = [
  {
    name: 'floating-tag-missing',
    release: `{"buildid": "36.1", "base-oscontainer": {"image": "quay.io/a/b", "digest": "${D}", "tags": ‸["36.1", "x-36.1"]}}`,
    expect: [[0, 'floating-tag-missing', '/base-oscontainer/tags', /^"base-oscontainer": no floating tag: every tag contains the build id 36\.1, so cosa's generate-release-meta raises ValueError$/]],
  },
  {
    name: 'floating-tag-ambiguous',
    release: `{"buildid": "36.1",\n "kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ‸["stable", "next"]}}`,
    expect: [[0, 'floating-tag-ambiguous', '/kubevirt/tags', /^"kubevirt": 2 floating tags \(stable, next\): cosa's generate-release-meta raises ValueError/]],
  },
  {
    name: 'release-field-missing',
    release: `{"buildid": "36.1", "base-oscontainer": ‸{"image": "quay.io/a/b", "tags": ["stable", "36.1"]}}`,
    expect: [[0, 'release-field-missing', '/base-oscontainer', /^"base-oscontainer": cosa's generate-release-meta raises KeyError: no "digest"$/]],
  },
  {
    name: 'release-field-invalid',
    release: `{"buildid": "36.1", "kubevirt": {"image": "quay.io/a/b", "digest": ‸5, "tags": ["stable", "36.1"]}}`,
    expect: [[0, 'release-field-invalid', '/kubevirt/digest', /^"kubevirt": cosa's generate-release-meta raises TypeError: "digest" is a number, not a string$/]],
  },
  {
    name: 'release-reference-invalid',
    release: `{"buildid": "36.1", "kubevirt": {"image": ‸"quay.io/a/b:stable", "digest": "${D}", "tags": ["stable", "36.1"]}}`,
    expect: [[0, 'release-reference-invalid', '/kubevirt/image', /already carries a tag, so cosa would write "quay\.io\/a\/b:stable:stable" and/]],
  },
  {
    name: 'build-id-missing',
    release: `  ‸{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["stable"]}}`,
    expect: [[0, 'build-id-missing', '', /no build id is known/]],
  },
  {
    name: 'arch-digest-shared, arch-tags-mismatch',
    arches: [
      ['x86_64', `{"buildid": "1", "kubevirt": {"image": "quay.io/a/b", "digest": ‸"${D}", "tags": ["a"]}}`],
      ['aarch64', `{"buildid": "1", "kubevirt": {"image": "quay.io/a/b", "digest": ‸"${D}", "tags": ‸["b"]}}`],
    ],
    expect: [
      [0, 'arch-digest-shared', '/kubevirt/digest', /same digest as on aarch64/],
      [1, 'arch-digest-shared', '/kubevirt/digest', /same digest as on x86_64/],
      [1, 'arch-tags-mismatch', '/kubevirt/tags', /tags \[b\] on aarch64 differ from \[a\] on x86_64/],
    ],
  },
  {
    name: 'arch-entry-missing, arch-image-mismatch',
    arches: [
      ['x86_64', `‸{"buildid": "1", "kubevirt": ‸{"image": "quay.io/a/b", "digest": "${D}"}}`],
      ['aarch64', `{"buildid": "1", "oscontainer": {"image": "quay.io/a/b", "digest": "${D2}"}}`],
      ['s390x', `{"buildid": "1", "oscontainer": {"image": ‸"quay.io/a/c", "digest": "${D3}"}, "kubevirt": {"image": ‸"quay.io/a/c", "digest": "${D4}"}}`],
    ],
    expect: [
      [0, 'arch-entry-missing', '/oscontainer', /^oscontainer is missing on x86_64, but present on aarch64, s390x; it is expected on every architecture of a build$/],
      // kubevirt is built on some arches only: a note, not an error.
      [0, 'arch-entry-subset', '/kubevirt', /^kubevirt is on x86_64, s390x only \(not on aarch64\); the pipelines build it on some architectures only$/],
      [2, 'arch-image-mismatch', '/oscontainer/image', /"quay\.io\/a\/c" on s390x differs from "quay\.io\/a\/b" on aarch64/],
      [2, 'arch-image-mismatch', '/kubevirt/image', /kubevirt image/],
    ],
  },
  {
    name: 'arch-manifest-list-mismatch, arch-build-mismatch, arch-duplicate, arch-unknown',
    arches: [
      ['x86_64', `{"buildid": "1", "oscontainer": {"image": "quay.io/a/b", "digest": "${D}", "manifest-list-digest": "${D3}"}}`],
      ['aarch64', `{"buildid": ‸"2", "oscontainer": {"image": "quay.io/a/b", "digest": "${D2}", "manifest-list-digest": ‸"${D4}"}}`],
      ['x86_64', `‸‸{"buildid": "1"}`],
      [undefined, `‸‸{}`],
    ],
    expect: [
      [1, 'arch-build-mismatch', '/buildid', /build 2 on aarch64 differs from build 1 on x86_64/],
      [1, 'arch-manifest-list-mismatch', '/oscontainer/manifest-list-digest', /all architectures share one manifest list/],
      [2, 'arch-duplicate', '', /^input 1 and input 3 are both for x86_64; a build has exactly one meta\.json per architecture$/],
      [2, 'arch-entry-missing', '/oscontainer', /missing on x86_64/],
      [3, 'arch-unknown', '', /^no architecture is known for input 4: it records no "coreos-assembler\.basearch" and none was given$/],
      [3, 'arch-entry-missing', '/oscontainer', /^oscontainer is missing on input 4, but present on x86_64, aarch64; it is expected on every architecture of a build$/],
    ],
  },
];


describe('release and cross-arch codes', () => {
  for (const testCase of RELEASE_CASES) {
    for (const [index, profile] of ['canonical', 'compat'].entries()) {
      test(`${testCase.name} (${profile})`, () => {
        const docs = testCase.release !== undefined ? [[undefined, testCase.release]] : testCase.arches;
        const texts = docs.map(([, source]) => marked(source));
        const marks = texts.flatMap(({ at }, document) => at.map((position) => ({ document, ...position })));
        assert.equal(marks.length, testCase.expect.length, 'one mark per diagnostic');
        let diagnostics;
        if (testCase.release !== undefined) {
          const view = releaseView(texts[0].text, { profile });
          diagnostics = view.diagnostics.map((d) => ({ ...d, document: 0 }));
          assert.equal(view.valid, false);
        } else {
          const report = compareArches(docs.map(([arch], i) => ({ arch, input: texts[i].text })));
          diagnostics = report.diagnostics;
          assert.equal(report.valid, false);
        }
        assert.deepEqual(
          diagnostics.map(({ document, code, severity, pointer, line, column, fixable }) => ({ document, code, severity, pointer, line, column, fixable })),
          testCase.expect.map(([document, code, pointer], i) => ({
            document,
            code,
            severity: SEVERITY[code][index],
            pointer,
            line: marks[i].line,
            column: marks[i].column,
            fixable: false,
          })),
        );
        testCase.expect.forEach(([, code, , pattern], i) => {
          seen.add(code);
          assert.match(diagnostics[i].message, pattern);
        });
      });
    }
  }
});

// Runs last (top-level tests run in order): every code was produced above.
test('every diagnostic code is reached', () => {
  assert.deepEqual([...seen].sort(), Object.keys(SEVERITY).sort(), 'every diagnostic code is reached from JS');
});
