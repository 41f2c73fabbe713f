// releaseView, compareArches and the buildId option through the JS API: exact results,
// the three input forms, misuse errors, and the {image, digest-ref} pairs of the corpus's
// release and stream metadata reproduced byte for byte.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compareArches, parseReference, releaseView, upgrade, validate } from '../../pkg/node.js';
import { corpus, marked, positionless, sha256 } from './helpers.mjs';

const D = sha256('ab');
const D2 = sha256('cd');
const D3 = sha256('ef');
const REPO = 'quay.io/fedora/fedora-coreos';

const READY = { state: 'ready', reason: null };
/** Readiness of a sound kubevirt entry: only pulling and release metadata read it. */
const KUBEVIRT_READY = {
  pullByDigest: READY,
  releaseMetadata: READY,
  signing: { state: 'not-applicable', reason: 'cosa sign does not read kubevirt (only base-oscontainer)' },
  garbageCollection: {
    state: 'not-applicable',
    reason: 'cosa prune does not read kubevirt (only base-oscontainer and its additional-images)',
  },
};
const ALL_READY = { pullByDigest: READY, releaseMetadata: READY, signing: READY, garbageCollection: READY };

const CANONICAL = `{
    "buildid": "36.20221014.3.0",
    "base-oscontainer": {
        "image": "${REPO}",
        "digest": "${D}",
        "tags": ["stable", "36.20221014.3.0"]
    },
    "kubevirt": {
        "image": "quay.io/fedora/fedora-coreos-kubevirt",
        "digest": "${D2}",
        "tags": ["36.20221014.3.0", "stable"],
        "additional-images": [{"image": "quay.io/mirror/kubevirt", "digest": "${D2}"}]
    }
}
`;

test('releaseView: each top-level entry as release metadata references it', () => {
  assert.deepEqual(releaseView(CANONICAL), {
    buildId: '36.20221014.3.0',
    entries: [
      {
        pointer: '/base-oscontainer',
        key: 'base-oscontainer',
        released: true,
        readiness: ALL_READY,
        image: `${REPO}:stable`,
        digestRef: `${REPO}@${D}`,
        floatingTag: 'stable',
        buildTags: ['36.20221014.3.0'],
        releaseMetadata: { image: `${REPO}:stable`, 'digest-ref': `${REPO}@${D}` },
        afterUpgrade: null,
      },
      {
        pointer: '/kubevirt',
        key: 'kubevirt',
        released: true,
        readiness: KUBEVIRT_READY,
        image: 'quay.io/fedora/fedora-coreos-kubevirt:stable',
        digestRef: `quay.io/fedora/fedora-coreos-kubevirt@${D2}`,
        floatingTag: 'stable',
        buildTags: ['36.20221014.3.0'],
        releaseMetadata: {
          image: 'quay.io/fedora/fedora-coreos-kubevirt:stable',
          'digest-ref': `quay.io/fedora/fedora-coreos-kubevirt@${D2}`,
        },
        afterUpgrade: null,
      },
    ],
    diagnostics: [],
    valid: true,
  });
  // The pair keeps release.json's key names and order.
  assert.deepEqual(Object.keys(releaseView(CANONICAL).entries[0].releaseMetadata), ['image', 'digest-ref']);
});

test('releaseView: options.buildId overrides the document, and the findings say why', () => {
  const view = releaseView(CANONICAL, { buildId: '37.20230101.3.0' });
  assert.equal(view.buildId, '37.20230101.3.0');
  assert.equal(view.valid, false);
  assert.deepEqual(
    view.entries.map((e) => [e.floatingTag, e.image, e.buildTags, e.releaseMetadata]),
    [
      [null, null, [], null],
      [null, null, [], null],
    ],
  );
  assert.deepEqual(
    view.diagnostics.map((d) => [d.severity, d.code, d.pointer, d.line, d.column, d.message]),
    [
      [
        'error',
        'floating-tag-ambiguous',
        '/base-oscontainer/tags',
        6,
        17,
        '"base-oscontainer": 2 floating tags (stable, 36.20221014.3.0): cosa\'s generate-release-meta raises ValueError, it needs exactly one',
      ],
      [
        'error',
        'floating-tag-ambiguous',
        '/kubevirt/tags',
        11,
        17,
        '"kubevirt": 2 floating tags (36.20221014.3.0, stable): cosa\'s generate-release-meta raises ValueError, it needs exactly one',
      ],
    ],
  );
});

test('releaseView: no build id anywhere', () => {
  const { text, at } = marked(`‸{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["stable"]}}`);
  const view = releaseView(text);
  assert.equal(view.buildId, null);
  assert.deepEqual(view.diagnostics.map((d) => [d.code, d.pointer, d.line, d.column, d.hint]), [
    ['build-id-missing', '', at[0].line, at[0].column, 'pass the build id, or validate the whole meta.json'],
  ]);
  assert.deepEqual(view.entries[0].buildTags, []);
  assert.equal(view.entries[0].floatingTag, null);
  // cosa cannot run without the build id: it writes nothing.
  assert.equal(view.entries[0].digestRef, null);
  // Given the build id, the same text is complete.
  const given = releaseView(text, { buildId: '36.1' });
  assert.equal(given.valid, true);
  assert.deepEqual(given.entries[0].releaseMetadata, { image: 'quay.io/a/b:stable', 'digest-ref': `quay.io/a/b@${D}` });
});

test('releaseView: the embedded shape without tags is cosa\'s KeyError, at the entry', () => {
  const { text, at } = marked(`{"buildid": "36.1", "base-oscontainer": ‸{"image": "${REPO}@${D}"}}`);
  const view = releaseView(text);
  assert.deepEqual(
    { ...view.entries[0], readiness: undefined },
    {
      pointer: '/base-oscontainer',
      key: 'base-oscontainer',
      released: true,
      readiness: undefined,
      image: null,
      digestRef: null,
      floatingTag: null,
      buildTags: [],
      releaseMetadata: null,
      // Upgrade moves the digest, but there are still no tags to pick from.
      afterUpgrade: null,
    },
  );
  assert.deepEqual(view.diagnostics.map((d) => [d.code, d.pointer, d.line, d.column, d.message, d.hint]), [
    [
      'release-field-missing',
      '/base-oscontainer',
      at[0].line,
      at[0].column,
      '"base-oscontainer": cosa\'s generate-release-meta raises KeyError: no "tags"',
      'record "tags": every tag that was pushed, exactly one of them without the build id (e.g. "stable")',
    ],
  ]);
});

test('releaseView: bytes and parsed values; document-level problems; bad UTF-8', () => {
  const bytes = new TextEncoder().encode(CANONICAL);
  assert.deepEqual(releaseView(bytes), releaseView(CANONICAL));
  assert.deepEqual(releaseView(Buffer.from(bytes)), releaseView(CANONICAL));
  const bad = releaseView(`{"buildid": "1", "kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["1"]}}`);
  assert.equal(bad.diagnostics[0].line, 1);
  const parsed = releaseView(JSON.parse(`{"buildid": "1", "kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["1"]}}`));
  assert.deepEqual(parsed, { ...bad, diagnostics: positionless(bad.diagnostics) });

  assert.deepEqual(
    releaseView('{"buildid": "1", "kubevirt": ').diagnostics.map((d) => [d.code, d.line, d.column]),
    [['json-syntax', 1, 30]],
  );
  assert.deepEqual(releaseView('[1]').diagnostics.map((d) => d.code), ['not-an-object']);
  const none = releaseView('{"buildid": "1"}');
  assert.deepEqual([none.valid, none.entries, none.diagnostics.map((d) => [d.code, d.severity])], [true, [], [['no-entries', 'info']]]);

  const notUtf8 = new Uint8Array([...new TextEncoder().encode('{"buildid": "caf'), 0xe9, ...new TextEncoder().encode('"}')]);
  const view = releaseView(notUtf8, { buildId: '1' });
  assert.deepEqual(view, {
    buildId: '1',
    entries: [],
    diagnostics: validate(notUtf8).diagnostics,
    valid: false,
  });
  assert.deepEqual(view.diagnostics.map((d) => [d.code, d.line, d.column]), [['json-syntax', 1, 17]]);
});

test('validate and upgrade take options.buildId for readiness', () => {
  const text = `{"buildid": "36.1", "kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["stable", "37.5"]}}`;
  const ready = (options) => validate(text, options).entries[0].readiness.releaseMetadata;
  assert.deepEqual(ready(), {
    state: 'not-ready',
    reason: "2 floating tags (stable, 37.5): cosa's generate-release-meta raises ValueError, it needs exactly one",
  });
  assert.deepEqual(ready({ buildId: '37.5' }), READY);
  assert.deepEqual(ready({ buildId: undefined }), ready());
  assert.deepEqual(ready({ buildId: null }), ready());
  const upgraded = upgrade(`{"kubevirt": {"image": "quay.io/a/b:stable@${D}"}}`, { buildId: '36.1' });
  assert.equal(upgraded.changed, true);
  assert.deepEqual(validate(upgraded.output, { buildId: '36.1' }).entries[0].readiness, KUBEVIRT_READY);
});

test('readiness: each reason, exactly', () => {
  const text = `{"buildid": "36.1",
 "base-oscontainer": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["36.1"]},
 "kubevirt": {"image": "quay.io/c/d@${D}"},
 "oscontainer": {"image": "quay.io/e/f:latest"},
 "extensions-container": {"image": "quay.io/g/h", "digest": "${D}", "tags": ["stable", "next"]}}`;
  const readiness = validate(text).entries.map((e) => [e.pointer, e.readiness]);
  const noDigest = { state: 'not-ready', reason: 'cosa oc-adm-release and ART\'s release assembly raise KeyError: no "digest"' };
  const notRead = (key) => ({
    releaseMetadata: {
      state: 'not-applicable',
      reason: `cosa does not make release metadata from ${key} (only from base-oscontainer and kubevirt)`,
    },
    signing: { state: 'not-applicable', reason: `cosa sign does not read ${key} (only base-oscontainer)` },
    garbageCollection: {
      state: 'not-applicable',
      reason: `cosa prune does not read ${key} (only base-oscontainer and its additional-images)`,
    },
  });
  assert.deepEqual(readiness, [
    [
      '/base-oscontainer',
      {
        pullByDigest: READY,
        releaseMetadata: {
          state: 'not-ready',
          reason: "no floating tag: every tag contains the build id 36.1, so cosa's generate-release-meta raises ValueError",
        },
        signing: READY,
        garbageCollection: READY,
      },
    ],
    [
      '/kubevirt',
      {
        ...KUBEVIRT_READY,
        // ART's get_container_pullspec would take the embedded image as it is; release
        // assembly and oc-adm-release join image + "@" + digest and need the key.
        pullByDigest: noDigest,
        releaseMetadata: { state: 'not-ready', reason: 'cosa\'s generate-release-meta raises KeyError: no "tags"' },
      },
    ],
    ['/oscontainer', { pullByDigest: noDigest, ...notRead('oscontainer') }],
    // Two floating tags would fail cosa's release step, but cosa never reads this key.
    ['/extensions-container', { pullByDigest: READY, ...notRead('extensions-container') }],
  ]);
});

test('misuse of the new functions and options throws a TypeError', () => {
  const cases = [
    [() => releaseView('{}', { buildId: 36 }), /^options\.buildId must be a string$/],
    [() => validate('{}', { buildId: ['36.1'] }), /^options\.buildId must be a string$/],
    [() => upgrade('{}', { buildId: {} }), /^options\.buildId must be a string$/],
    [() => releaseView('{}', { profile: 'strict' }), /^options\.profile "strict" is not a profile/],
    [() => releaseView(undefined), /^releaseView\(\) expects JSON text .* not undefined$/],
    [() => compareArches('{}'), /^compareArches\(\) expects an array of \{ arch\?, name\?, input \} objects/],
    [() => compareArches(undefined), /^compareArches\(\) expects an array/],
    [() => compareArches(['{}']), /^compareArches\(\) expects docs\[0\] to be an object \{ arch\?, name\?, input \}, not a string$/],
    [() => compareArches([{ input: '{}' }, null]), /^compareArches\(\) expects docs\[1\] to be an object/],
    [() => compareArches([{ arch: 64, input: '{}' }]), /^compareArches\(\) expects docs\[0\]\.arch to be a string, not a number$/],
    [() => compareArches([{ arch: 'x86_64' }]), /^compareArches\(\) expects docs\[0\]\.input to be JSON text .* not undefined$/],
    [() => compareArches([{ input: () => 1 }]), /^compareArches\(\) expects docs\[0\]\.input to be JSON text .* not a function$/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (error) => {
      assert.equal(error.constructor, TypeError);
      assert.match(error.message, message);
      return true;
    });
  }
});

/** One meta.json of build `build` for `arch`, with `entry` as base-oscontainer. */
function archDoc(arch, build, entry) {
  return `{\n    "buildid": "${build}",\n    "coreos-assembler.basearch": "${arch}",\n    "base-oscontainer": ${entry}\n}\n`;
}

test('compareArches: consistent arches pass and report what they read', () => {
  const x86 = archDoc('x86_64', '36.1', `{"image": "quay.io/a/b", "digest": "${D}", "tags": ["stable", "36.1"], "manifest-list-digest": "${D3}"}`);
  const arm = archDoc('aarch64', '36.1', `{"image": "quay.io/a/b", "digest": "${D2}", "tags": ["36.1", "stable"], "manifest-list-digest": "${D3}"}`);
  assert.deepEqual(compareArches([{ input: x86 }, { input: arm }]), {
    valid: true,
    arches: ['x86_64', 'aarch64'],
    buildIds: ['36.1', '36.1'],
    diagnostics: [],
  });
  // What the document records wins over the arch given (cosa wrote it); the three input
  // forms are equivalent.
  const forms = compareArches([
    { arch: 'ppc64le', input: new TextEncoder().encode(x86) },
    { arch: null, input: JSON.parse(arm) },
  ]);
  assert.deepEqual(forms.arches, ['x86_64', 'aarch64']);
  assert.equal(forms.valid, true);
  assert.deepEqual(compareArches([]), { valid: true, arches: [], buildIds: [], diagnostics: [] });
});

test('compareArches: every rule, with arch, document and position', () => {
  const x86 = marked(archDoc('x86_64', '36.1', `{"image": ‸"quay.io/a/b@${D}", "tags": ["stable"]}`));
  const arm = marked(
    `{\n    "buildid": ‸"36.2",\n    "coreos-assembler.basearch": "aarch64",\n    "base-oscontainer": {"image": ‸‸"quay.io/a/c@${D}", "tags": ‸["next"], "manifest-list-digest": ‸"${D3}"}\n}\n`,
  );
  const s390 = marked(`‸{"buildid": "36.1", "kubevirt": ‸{"image": "quay.io/k/v"}}`);
  const again = marked(archDoc('x86_64', '36.1', `{"image": "quay.io/a/b", "digest": "${D2}", "tags": ["stable"]}`).replace('"x86_64"', '‸"x86_64"'));
  const report = compareArches([
    { input: x86.text },
    { input: arm.text },
    { arch: 's390x', input: s390.text },
    { input: again.text },
  ]);
  const rows = report.diagnostics.map((d) => [d.document, d.arch, d.code, d.pointer, d.line, d.column]);
  const at = (m, i) => [m.at[i].line, m.at[i].column];
  const root = [1, 1];
  assert.deepEqual(rows, [
    [0, 'x86_64', 'arch-digest-shared', '/base-oscontainer/image', ...at(x86, 0)],
    [1, 'aarch64', 'arch-build-mismatch', '/buildid', ...at(arm, 0)],
    [1, 'aarch64', 'arch-image-mismatch', '/base-oscontainer/image', ...at(arm, 1)],
    [1, 'aarch64', 'arch-digest-shared', '/base-oscontainer/image', ...at(arm, 2)],
    [1, 'aarch64', 'arch-tags-mismatch', '/base-oscontainer/tags', ...at(arm, 3)],
    [1, 'aarch64', 'arch-manifest-list-mismatch', '/base-oscontainer/manifest-list-digest', ...at(arm, 4)],
    [2, 's390x', 'arch-entry-missing', '/base-oscontainer', ...at(s390, 0)],
    // kubevirt on a subset of the arches is how FCOS builds it: a note where it is.
    [2, 's390x', 'arch-entry-subset', '/kubevirt', ...at(s390, 1)],
    [3, 'x86_64', 'arch-duplicate', '/coreos-assembler.basearch', ...at(again, 0)],
  ]);
  assert.ok(report.diagnostics.every((d) => d.severity === (d.code === 'arch-entry-subset' ? 'info' : 'error') && !d.fixable));
  assert.equal(report.valid, false);
  assert.deepEqual(report.buildIds, ['36.1', '36.2', '36.1', '36.1']);
  const message = (code, document) => report.diagnostics.find((d) => d.code === code && d.document === document).message;
  assert.equal(
    message('arch-digest-shared', 0),
    "base-oscontainer on x86_64 has the same digest as on aarch64; that is the manifest list's digest, not this architecture's own",
  );
  assert.equal(message('arch-build-mismatch', 1), 'build 36.2 on aarch64 differs from build 36.1 on x86_64; these documents are not one build');
  assert.equal(message('arch-duplicate', 3), 'input 1 and input 4 are both for x86_64; a build has exactly one meta.json per architecture');
  // Each architecture named once, though two documents are for x86_64.
  assert.equal(
    message('arch-entry-missing', 2),
    'base-oscontainer is missing on s390x, but present on x86_64, aarch64; it is expected on every architecture of a build',
  );
  assert.equal(
    message('arch-entry-subset', 2),
    'kubevirt is on s390x only (not on x86_64, aarch64); the pipelines build it on some architectures only',
  );
});

test('compareArches: unknown arch, broken documents, parsed values without positions', () => {
  const notUtf8 = new Uint8Array([...new TextEncoder().encode('{\n  "buildid": "caf'), 0xe9, ...new TextEncoder().encode('"\n}')]);
  const report = compareArches([
    { input: '{"buildid": "1"}' },
    { arch: 'ppc64le', input: '{' },
    { arch: 's390x', input: notUtf8 },
    { input: { buildid: '2', 'coreos-assembler.basearch': 'aarch64' } },
  ]);
  assert.deepEqual(
    report.diagnostics.map((d) => [d.document, d.arch, d.code, d.line, d.column]),
    [
      [0, null, 'arch-unknown', 1, 1],
      [1, 'ppc64le', 'json-syntax', 1, 2],
      [2, 's390x', 'json-syntax', 2, 18],
      [3, 'aarch64', 'arch-build-mismatch', null, null],
    ],
  );
  assert.equal(report.diagnostics[2].message, validate(notUtf8).diagnostics[0].message);
  assert.deepEqual(report.arches, [null, 'ppc64le', 's390x', 'aarch64']);
  assert.deepEqual(report.buildIds, ['1', null, null, '2']);
});

/**
 * Every {image, digest-ref} object in `value`, with the build it belongs to (the nearest
 * `release` or `version` around it) and the key it sits under.
 */
function pairs(value, build = null, key = null, found = []) {
  if (Array.isArray(value)) {
    for (const item of value) pairs(item, build, key, found);
  } else if (value !== null && typeof value === 'object') {
    const here = typeof value.release === 'string' ? value.release : typeof value.version === 'string' ? value.version : build;
    if (typeof value.image === 'string' && typeof value['digest-ref'] === 'string') {
      found.push({ image: value.image, digestRef: value['digest-ref'], build: here, key });
    }
    for (const [k, v] of Object.entries(value)) pairs(v, here, k, found);
  }
  return found;
}

test('releaseView reproduces the {image, digest-ref} pairs of the corpus release and stream metadata byte for byte', (t) => {
  const { files, reason } = corpus('release');
  if (!files) {
    t.skip(reason);
    return;
  }
  let checked = 0;
  for (const [name, text] of files) {
    for (const pair of pairs(JSON.parse(text))) {
      assert.ok(pair.build, `${name}: a build for ${pair.image}`);
      const tagged = parseReference(pair.image);
      const pinned = parseReference(pair.digestRef);
      assert.equal(tagged.name, pinned.name, `${name}: one repository`);
      // The meta.json that build would have: the floating tag and a build tag pushed.
      const key = pair.key === 'kubevirt' ? 'kubevirt' : 'base-oscontainer';
      const meta = JSON.stringify(
        {
          buildid: pair.build,
          [key]: { image: tagged.name, digest: pinned.digest, tags: [pair.build, tagged.tag] },
        },
        null,
        4,
      );
      const view = releaseView(meta);
      assert.deepEqual(view.diagnostics, [], `${name}: ${pair.image}`);
      const [entry] = view.entries;
      assert.equal(entry.floatingTag, tagged.tag);
      assert.deepEqual(entry.buildTags, [pair.build]);
      assert.deepEqual(validate(meta).entries[0].readiness.releaseMetadata, READY);
      // The pair as the corpus file writes it: its two lines, with the file's indentation.
      const line = text.split('\n').find((l) => l.includes(`"digest-ref": ${JSON.stringify(pair.digestRef)}`));
      const indent = line.match(/^\s*/)[0];
      const written = Object.entries(entry.releaseMetadata)
        .map(([k, v]) => `${indent}${JSON.stringify(k)}: ${JSON.stringify(v)}`)
        .join(',\n');
      assert.ok(text.includes(`${written}\n`), `${name}: the corpus has\n${written}`);
      checked += 1;
    }
  }
  // release.json's oci-image, releases.json's oci-images and two streams' kubevirt.
  assert.equal(checked, 4, 'pairs found in the corpus');
  console.log(`# ${checked} {image, digest-ref} pairs from ${files.length} files reproduced`);
});
