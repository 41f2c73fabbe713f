// checkBuild and checkRelease through the package (issue 15), on builds made from real
// values: the FCOS release fixture's repository and x86_64 digest, the stream fixture's
// kubevirt pair, and the digests of the installer's RHCOS documents for the other arches.
// The same cases as tests/build.rs; positions are counted here from the texts, not taken
// from the Rust code under test.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { checkBuild, checkRelease } from '../../pkg/node.js';
import { corpus, pkgDir } from './helpers.mjs';

const BUILD = '33.20201201.3.0';
const RELEASE = 'coreos-stream-metadata-go__release_fixtures_fcos-release.json';
const STREAM = 'coreos-stream-metadata-rust__tests_it_fixtures_fcos-stream.json';
const INSTALLER = [
  'openshift-installer__data_data_rhcos-amd64@18d578307.json',
  'openshift-installer__data_data_rhcos-amd64@ab3300096.json',
  'openshift-installer__data_data_rhcos@009e5056c.json',
  'openshift-installer__data_data_rhcos@1ce995b13.json',
];

/** The real values, or the reason the corpus is missing. */
function real() {
  const release = corpus('release');
  const meta = corpus('meta');
  if (!release.files || !meta.files) return { reason: release.reason ?? meta.reason };
  const releases = Object.fromEntries(release.files);
  const metas = Object.fromEntries(meta.files);
  const releaseText = releases[RELEASE];
  const [repo, x86] = JSON.parse(releaseText).architectures.x86_64['oci-image']['digest-ref'].split('@');
  const kubevirt = JSON.parse(releases[STREAM]).architectures.x86_64.images.kubevirt['digest-ref'];
  const [kubevirtRepo, kubevirtX86] = kubevirt.split('@');
  const digests = INSTALLER.map((name) => JSON.parse(metas[name]).oscontainer.digest);
  return { releaseText, repo, x86, kubevirtRepo, kubevirtX86, digests };
}

/** A meta.json as cosa writes it (4-space indentation). */
function meta(build, arch, repo, digest, kubevirt) {
  const doc = {
    buildid: build,
    'coreos-assembler.basearch': arch,
    'base-oscontainer': { image: repo, digest, tags: [build, 'stable'] },
  };
  if (kubevirt) doc.kubevirt = { image: kubevirt[0], digest: kubevirt[1], tags: ['stable', build] };
  return `${JSON.stringify(doc, null, 4)}\n`;
}

const nameOf = (build, arch) => `builds/${build}/${arch}/meta.json`;

/** 1-based line and column, and the end, of `needle` (the `n`th occurrence) in `text`. */
function range(text, needle, n = 1) {
  let at = -1;
  for (let i = 0; i < n; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} in the text`);
  const position = (index) => {
    const before = text.slice(0, index).split('\n');
    return [before.length, before.at(-1).length + 1];
  };
  const [line, column] = position(at);
  const [endLine, endColumn] = position(at + needle.length);
  return { line, column, endLine, endColumn };
}

function rows(diagnostics) {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${d.pointer} ${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.message}`);
}

function at(r) {
  return `${r.line}:${r.column}-${r.endLine}:${r.endColumn}`;
}

/** The fixture with its 2020 kubevirt image written as cosa writes the pair today. */
function releaseToday(v) {
  const old = `"image": "${v.kubevirtRepo}@${v.kubevirtX86}"\n`;
  assert.ok(v.releaseText.includes(old));
  return v.releaseText.replace(
    old,
    `"image": "${v.kubevirtRepo}:stable",\n            "digest-ref": "${v.kubevirtRepo}@${v.kubevirtX86}"\n`,
  );
}

function x86Docs(v, build, digest) {
  return [
    { name: nameOf(build, 'x86_64'), input: meta(build, 'x86_64', v.repo, digest, [v.kubevirtRepo, v.kubevirtX86]) },
  ];
}

describe('checkBuild', () => {
  test('a normal FCOS build with kubevirt on two of four arches passes', (t) => {
    const v = real();
    if (v.reason) return t.skip(v.reason);
    const d = v.digests;
    const docs = [
      { name: nameOf(BUILD, 'x86_64'), input: meta(BUILD, 'x86_64', v.repo, v.x86, [v.kubevirtRepo, v.kubevirtX86]) },
      { name: nameOf(BUILD, 'aarch64'), input: meta(BUILD, 'aarch64', v.repo, d[0], [v.kubevirtRepo, d[1]]) },
      { name: nameOf(BUILD, 's390x'), input: meta(BUILD, 's390x', v.repo, d[2]) },
      { name: nameOf(BUILD, 'ppc64le'), input: meta(BUILD, 'ppc64le', v.repo, d[3]) },
    ];
    const report = checkBuild(docs);
    assert.equal(report.valid, true);
    assert.equal(report.buildId, BUILD);
    const kubevirtObject = docs[0].input.slice(docs[0].input.indexOf('"kubevirt": ') + 12, -3);
    assert.deepEqual(rows(report.diagnostics), [
      `info arch-entry-subset /kubevirt ${at(range(docs[0].input, kubevirtObject))} kubevirt is on x86_64, aarch64 only (not on s390x, ppc64le); the pipelines build it on some architectures only`,
    ]);
    assert.deepEqual(
      report.arches.map((a) => [a.arch, a.name, a.report.diagnostics.length, a.release.diagnostics.length]),
      docs.map((doc) => [doc.name.split('/')[2], doc.name, 0, 0]),
    );
    assert.deepEqual(Object.keys(report.entries), ['base-oscontainer', 'kubevirt']);
    assert.deepEqual(
      Object.entries(report.entries.kubevirt).map(([arch, cell]) => [arch, cell && cell.shape, cell && cell.severity]),
      [
        ['x86_64', 'tagged', 'info'],
        ['aarch64', 'tagged', null],
        ['s390x', null, null],
        ['ppc64le', null, null],
      ],
    );
    assert.deepEqual(report.entries['base-oscontainer'].s390x.readiness.releaseMetadata, { state: 'ready', reason: null });
    // Byte for byte the release fixture's oci-image, and the stream fixture's kubevirt pair.
    const fixture = JSON.parse(v.releaseText).architectures.x86_64['oci-image'];
    const x86 = report.releaseMetadata.architectures.x86_64;
    assert.equal(JSON.stringify(x86['oci-image'], null, 2), JSON.stringify(fixture, null, 2));
    assert.deepEqual(x86.media.kubevirt.image, {
      image: `${v.kubevirtRepo}:stable`,
      'digest-ref': `${v.kubevirtRepo}@${v.kubevirtX86}`,
    });
    assert.deepEqual(Object.keys(report.releaseMetadata.architectures), ['x86_64', 'aarch64', 's390x', 'ppc64le']);
    assert.deepEqual(report.releaseMetadata.architectures.s390x, {
      'oci-image': { image: `${v.repo}:stable`, 'digest-ref': `${v.repo}@${d[2]}` },
    });
  });

  test('the 2022 shared manifest-list digest is arch-digest-shared on every arch', (t) => {
    const v = real();
    if (v.reason) return t.skip(v.reason);
    const build = '36.20220918.3.0';
    const arches = ['x86_64', 'aarch64', 's390x', 'ppc64le'];
    const docs = arches.map((arch) => ({
      name: nameOf(build, arch),
      input: `${JSON.stringify({ buildid: build, 'coreos-assembler.basearch': arch, 'base-oscontainer': { image: `${v.repo}@${v.x86}` } }, null, 4)}\n`,
    }));
    const report = checkBuild(docs);
    assert.equal(report.valid, false);
    const image = at(range(docs[0].input, `"${v.repo}@${v.x86}"`));
    assert.deepEqual(
      report.diagnostics.map((d) => `${d.arch} ${rows([d])[0]}`),
      arches.map((arch) => {
        const others = arches.filter((a) => a !== arch).join(', ');
        return `${arch} error arch-digest-shared /base-oscontainer/image ${image} base-oscontainer on ${arch} has the same digest as on ${others}; that is the manifest list's digest, not this architecture's own`;
      }),
    );
    for (const cell of Object.values(report.entries['base-oscontainer'])) {
      assert.equal(cell.shape, 'embedded');
      assert.equal(cell.severity, 'error');
    }
    assert.deepEqual(report.releaseMetadata, { architectures: {} });
  });

  test('parsed documents: no positions, the same findings', (t) => {
    const v = real();
    if (v.reason) return t.skip(v.reason);
    const docs = ['x86_64', 'aarch64'].map((arch) => ({
      arch,
      input: { buildid: BUILD, 'base-oscontainer': { image: `${v.repo}@${v.x86}` } },
    }));
    const report = checkBuild(docs);
    assert.deepEqual(
      report.diagnostics.map((d) => [d.arch, d.code, d.line, d.column]),
      [
        ['x86_64', 'arch-digest-shared', null, null],
        ['aarch64', 'arch-digest-shared', null, null],
      ],
    );
    assert.ok(report.arches[0].report.diagnostics.every((d) => d.line === null));
  });
});

describe('checkRelease', () => {
  test('a release made from the build passes', (t) => {
    const v = real();
    if (v.reason) return t.skip(v.reason);
    const result = checkRelease(releaseToday(v), x86Docs(v, BUILD, v.x86));
    assert.equal(result.valid, true);
    assert.deepEqual(result.release, { valid: true, release: BUILD, diagnostics: [] });
    assert.equal(result.build.valid, true);
  });

  test('a release arch without its meta.json is release-arch-missing at its key', (t) => {
    const v = real();
    if (v.reason) return t.skip(v.reason);
    const aarch64 = `"architectures": {\n    "aarch64": {\n      "oci-image": {\n        "image": "${v.repo}:stable",\n        "digest-ref": "${v.repo}@${v.digests[0]}"\n      }\n    },\n`;
    const text = releaseToday(v).replace('"architectures": {\n', aarch64);
    const result = checkRelease(text, x86Docs(v, BUILD, v.x86));
    assert.equal(result.valid, false);
    assert.deepEqual(rows(result.release.diagnostics), [
      `error release-arch-missing /architectures/aarch64 ${at(range(text, '"aarch64"'))} release.json lists aarch64, but no meta.json for aarch64 was given (the build's are for x86_64)`,
    ]);
  });

  test('a digest-ref that differs from the meta.json is release-digest-mismatch, related to the digest', (t) => {
    const v = real();
    if (v.reason) return t.skip(v.reason);
    const text = releaseToday(v);
    const other = v.digests[0];
    const docs = x86Docs(v, BUILD, other);
    const result = checkRelease(text, docs);
    assert.equal(result.valid, false);
    const file = nameOf(BUILD, 'x86_64');
    assert.deepEqual(rows(result.release.diagnostics), [
      `error release-digest-mismatch /architectures/x86_64/oci-image/digest-ref ${at(range(text, `"${v.repo}@${v.x86}"`))} oci-image.digest-ref for x86_64 is "${v.repo}@${v.x86}", but ${file}'s base-oscontainer gives "${v.repo}@${other}"`,
    ]);
    assert.deepEqual(result.release.diagnostics[0].related, [
      {
        message: `base-oscontainer.digest in ${file}`,
        pointer: '/base-oscontainer/digest',
        ...range(docs[0].input, `"${other}"`),
        document: 0,
        arch: 'x86_64',
        name: file,
      },
    ]);
  });

  test('a release naming another build is release-build-mismatch at /release', (t) => {
    const v = real();
    if (v.reason) return t.skip(v.reason);
    const text = releaseToday(v);
    const other = '33.20201215.3.0';
    const result = checkRelease(text, x86Docs(v, other, v.x86));
    assert.equal(result.valid, false);
    assert.deepEqual(rows(result.release.diagnostics), [
      `error release-build-mismatch /release ${at(range(text, `"${BUILD}"`))} release.json is release "${BUILD}", but the meta.json files are of build "${other}"`,
    ]);
  });

  test('a release given as a parsed value has no positions; bytes have the same as text', (t) => {
    const v = real();
    if (v.reason) return t.skip(v.reason);
    const text = releaseToday(v);
    const docs = x86Docs(v, '33.20201215.3.0', v.x86);
    const parsed = checkRelease(JSON.parse(text), docs);
    assert.deepEqual(
      parsed.release.diagnostics.map((d) => [d.code, d.line, d.column]),
      [['release-build-mismatch', null, null]],
    );
    const bytes = checkRelease(new TextEncoder().encode(text), docs);
    assert.deepEqual(bytes, checkRelease(text, docs));
  });

  test('bad JSON in the release.json is json-syntax', () => {
    const result = checkRelease('{"release": ', []);
    assert.equal(result.valid, false);
    assert.deepEqual(
      result.release.diagnostics.map((d) => [d.code, d.line]),
      [['json-syntax', 1]],
    );
  });
});

/** The property names of `export interface name` in index.d.ts (as api.test.mjs reads them). */
function declared(name) {
  const dts = readFileSync(`${pkgDir}index.d.ts`, 'utf8');
  const body = dts.match(new RegExp(`export interface ${name}(?: extends \\w+)? \\{([^}]*)\\}`))?.[1];
  assert.ok(body, `index.d.ts declares ${name}`);
  return [...body.matchAll(/^ {2}'?([\w-]+)'?\??:/gm)].map((m) => m[1]).sort();
}

function keys(value) {
  assert.equal(Object.getPrototypeOf(value), Object.prototype, 'a plain object');
  return Object.keys(value).sort();
}

test('results are shaped as index.d.ts declares', (t) => {
  const v = real();
  if (v.reason) return t.skip(v.reason);
  const docs = [
    ...x86Docs(v, BUILD, v.digests[0]),
    { name: nameOf(BUILD, 'aarch64'), input: meta(BUILD, 'aarch64', v.repo, v.digests[1]) },
  ];
  const result = checkRelease(releaseToday(v), docs);
  assert.deepEqual(keys(result), declared('ReleaseCheck'));
  assert.deepEqual(keys(result.release), declared('ReleaseFindings'));
  assert.equal(result.release.diagnostics.length, 2);
  const report = result.build;
  assert.deepEqual(keys(report), declared('BuildReport'));
  assert.ok(report.diagnostics.length >= 1);
  for (const arch of report.arches) assert.deepEqual(keys(arch), declared('BuildArch'));
  for (const row of Object.values(report.entries)) {
    for (const cell of Object.values(row)) if (cell) assert.deepEqual(keys(cell), declared('EntryState'));
  }
  assert.deepEqual(keys(report.releaseMetadata), declared('BuildReleaseMetadata'));
  const x86 = report.releaseMetadata.architectures.x86_64;
  assert.deepEqual(keys(x86), declared('ArchReleaseMetadata'));
  assert.deepEqual(keys(x86.media), declared('ReleaseMedia'));
  assert.deepEqual(keys(x86.media.kubevirt), declared('KubevirtMedia'));
  assert.deepEqual(keys(report.releaseMetadata.architectures.aarch64), ['oci-image']);
});

describe('misuse throws a TypeError', () => {
  const doc = { arch: 'x86_64', input: '{}' };
  const cases = [
    [() => checkBuild('{}'), 'checkBuild() expects an array of { arch?, name?, input } objects, one per architecture, not a string'],
    [() => checkBuild([doc], { presense: {} }), 'checkBuild(): unknown option "presense"; did you mean "presence"?'],
    [() => checkBuild([doc], { profile: 'strict' }), 'options.profile "strict" is not a profile; expected "canonical" or "compat"'],
    [() => checkBuild([doc], { presence: new Map() }), 'options.presence must be an object of entry keys to "all", "any" or a list of architectures, not a Map'],
    [() => checkBuild([{ arch: 1, input: '{}' }]), 'checkBuild() expects docs[0].arch to be a string, not a number'],
    [() => checkBuild([{ arhc: 'x86_64', input: '{}' }]), 'checkBuild(): docs[0] has an unknown key "arhc"; did you mean "arch"?'],
    [() => checkBuild(Promise.resolve([])), 'checkBuild() got a Promise; did you forget `await`?'],
    [() => checkRelease(new Map(), [doc]), 'checkRelease() expects release to be JSON text (a string), UTF-8 bytes (a Uint8Array, ArrayBuffer or other ArrayBufferView) or a JSON value, not a Map'],
    [() => checkRelease('{}', [doc, { input: new Map() }]), 'checkRelease() expects docs[1].input to be JSON text (a string), UTF-8 bytes (a Uint8Array, ArrayBuffer or other ArrayBufferView) or a JSON value, not a Map'],
    [() => checkBuild([doc], { buildId: 36 }), 'options.buildId must be a string'],
    [() => checkRelease('{}', {}), 'checkRelease() expects an array of { arch?, name?, input } objects, one per architecture, not an Object'],
    [() => checkRelease('{}', [doc], { schema: {} }), 'checkRelease(): unknown option "schema"; the options are "profile", "buildId" and "presence"'],
    [() => checkRelease('{}', [doc], { presence: { kubvirt: 'any' } }), 'options.presence: "kubvirt" is not an entry key (expected one of oscontainer, base-oscontainer, extensions-container, kubevirt); did you mean "kubevirt"?'],
  ];
  for (const [call, message] of cases) {
    test(message, () => {
      assert.throws(call, (error) => error instanceof TypeError && error.message === message);
    });
  }
});
