// Verdicts a release engineer can trust (issue 11), through the package and the CLI:
// the release view judges only what cosa's generate-release-meta reads and shows the
// strings it would join; readiness is three-valued; compareArches names files, takes the
// architecture from the path, and follows the pipelines' per-arch presence.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';

import { compareArches, releaseView, validate } from '../../pkg/node.js';
import { corpus, pkgDir } from './helpers.mjs';

const CLI = join(pkgDir, 'cli/main.js');
const REPO = 'quay.io/fedora/fedora-coreos';
const BUILD = '36.20221014.3.0';
const X86 = 'sha256:0c6a2a1a9f2a6a4f1d1b5c8fcb1b5bd2b44de2a4d01d9a4dc6a3c1f6e1d2b7a1';
const ARM = 'sha256:7b2f3e8d6a5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a';
const S390 = 'sha256:9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c';
const PPC = 'sha256:3a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f';
/** The installer's copy of an RHCOS 4.10 build: a split oscontainer entry. */
const RHCOS_410 = 'openshift-installer__data_data_rhcos-amd64@ab3300096.json';

const temporary = [];
after(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function tree(files) {
  const dir = mkdtempSync(join(tmpdir(), 'oscontainer-consumers-'));
  temporary.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function run(args, cwd) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A normal FCOS meta.json of `arch`; kubevirt when its digest is given. */
function fcos(arch, digest, kubevirt) {
  const doc = {
    buildid: BUILD,
    'coreos-assembler.basearch': arch,
    'base-oscontainer': {
      image: REPO,
      digest,
      tags: ['stable', BUILD],
      'manifest-list-digest': `sha256:${'e'.repeat(64)}`,
    },
  };
  if (kubevirt) {
    doc.kubevirt = { image: 'quay.io/fedora/fedora-coreos-kubevirt', digest: kubevirt, tags: ['stable', BUILD] };
  }
  return `${JSON.stringify(doc, null, 4)}\n`;
}

/** The four arches of one FCOS build, kubevirt on x86_64 and aarch64 only. */
function fcosBuild() {
  return {
    [`${BUILD}/x86_64/meta.json`]: fcos('x86_64', X86, X86.replace(/0/g, '1')),
    [`${BUILD}/aarch64/meta.json`]: fcos('aarch64', ARM, ARM.replace(/0/g, '1')),
    [`${BUILD}/s390x/meta.json`]: fcos('s390x', S390),
    [`${BUILD}/ppc64le/meta.json`]: fcos('ppc64le', PPC),
  };
}

function rows(diagnostics) {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${d.pointer} ${d.line}:${d.column}`);
}

describe('releaseView by consumer', () => {
  test('an RHCOS 4.10 build: oscontainer is listed, not released, and the view is valid', (t) => {
    const { files, reason } = corpus('meta');
    if (!files) return t.skip(reason);
    const text = Object.fromEntries(files)[RHCOS_410];
    const view = releaseView(text);
    assert.equal(view.valid, true);
    assert.deepEqual(view.diagnostics, []);
    assert.equal(view.entries.length, 1);
    const [entry] = view.entries;
    assert.equal(entry.key, 'oscontainer');
    assert.equal(entry.released, false);
    assert.equal(entry.releaseMetadata, null);
    assert.deepEqual(entry.readiness.releaseMetadata, {
      state: 'not-applicable',
      reason: 'cosa does not make release metadata from oscontainer (only from base-oscontainer and kubevirt)',
    });
    assert.deepEqual(entry.readiness.pullByDigest, { state: 'ready', reason: null });
  });

  test('no digest: valid false with the KeyError that cosa raises', () => {
    const view = releaseView({ 'base-oscontainer': { image: REPO, tags: ['stable', '40.1'] } }, { buildId: '40.1' });
    assert.equal(view.valid, false);
    assert.deepEqual(view.diagnostics, [
      {
        severity: 'error',
        code: 'release-field-missing',
        message: '"base-oscontainer": cosa\'s generate-release-meta raises KeyError: no "digest"',
        pointer: '/base-oscontainer',
        line: null,
        column: null,
        endLine: null,
        endColumn: null,
        fixable: false,
        hint: 'record "digest": the architecture-specific manifest digest that was pushed',
        related: [],
        fix: null,
      },
    ]);
  });

  test('the strings cosa joins, wrong ones included, and what upgrade makes of them', () => {
    const text = `{"buildid": "${BUILD}", "base-oscontainer": {"image": "${REPO}@${X86}", "digest": "${X86}", "tags": ["stable", "${BUILD}"]}}`;
    const view = releaseView(text);
    assert.equal(view.valid, false);
    assert.deepEqual(rows(view.diagnostics), ['error release-reference-invalid /base-oscontainer/image 1:62']);
    assert.equal(
      view.diagnostics[0].message,
      `"base-oscontainer": image "${REPO}@${X86}" already carries a digest, so cosa would write "${REPO}@${X86}:stable" and "${REPO}@${X86}@${X86}"`,
    );
    assert.equal(view.diagnostics[0].hint, `run \`oscontainer upgrade\`: cosa then writes "${REPO}:stable" and "${REPO}@${X86}"`);
    const [entry] = view.entries;
    assert.equal(entry.image, `${REPO}@${X86}:stable`);
    assert.equal(entry.digestRef, `${REPO}@${X86}@${X86}`);
    assert.equal(entry.releaseMetadata, null);
    assert.deepEqual(entry.afterUpgrade, { image: `${REPO}:stable`, 'digest-ref': `${REPO}@${X86}` });

    const tagged = releaseView(
      `{"buildid": "${BUILD}", "kubevirt": {"image": "${REPO}:stable", "digest": "${X86}", "tags": ["stable", "${BUILD}"]}}`,
    );
    assert.equal(tagged.entries[0].image, `${REPO}:stable:stable`);
    assert.deepEqual(rows(tagged.diagnostics), ['error release-reference-invalid /kubevirt/image 1:54']);
  });

  test('a healthy FCOS entry gives the release.json pair and is ready everywhere', () => {
    const view = releaseView(fcos('x86_64', X86));
    assert.equal(view.valid, true);
    assert.deepEqual(view.entries[0].releaseMetadata, { image: `${REPO}:stable`, 'digest-ref': `${REPO}@${X86}` });
    const states = Object.values(validate(fcos('x86_64', X86)).entries[0].readiness).map((r) => r.state);
    assert.deepEqual(states, ['ready', 'ready', 'ready', 'ready']);
  });

  test('duplicate keys are reported as validate reports them', () => {
    const text = `{"buildid": "${BUILD}", "kubevirt": {"image": "${REPO}", "digest": "${X86}", "digest": "${ARM}", "tags": ["stable", "${BUILD}"]}}`;
    const fromValidate = validate(text).diagnostics.filter((d) => d.code === 'duplicate-key');
    assert.equal(fromValidate.length, 1);
    assert.deepEqual(
      releaseView(text).diagnostics.filter((d) => d.code === 'duplicate-key'),
      fromValidate,
    );
  });
});

describe('compareArches by file', () => {
  test('a normal FCOS build with kubevirt on two of four arches is valid, with one note', () => {
    const build = fcosBuild();
    const report = compareArches(Object.entries(build).map(([name, input]) => ({ name, input })));
    assert.equal(report.valid, true);
    assert.deepEqual(report.arches, ['x86_64', 'aarch64', 's390x', 'ppc64le']);
    assert.deepEqual(
      report.diagnostics.map((d) => [d.name, d.code, d.severity, d.message]),
      [
        [
          `${BUILD}/x86_64/meta.json`,
          'arch-entry-subset',
          'info',
          'kubevirt is on x86_64, aarch64 only (not on s390x, ppc64le); the pipelines build it on some architectures only',
        ],
      ],
    );
  });

  test('options.presence makes kubevirt required; a bad rule is a TypeError', () => {
    const docs = Object.entries(fcosBuild()).map(([name, input]) => ({ name, input }));
    const report = compareArches(docs, { presence: { kubevirt: 'all' } });
    assert.equal(report.valid, false);
    assert.deepEqual(
      report.diagnostics.map((d) => `${d.name} ${d.code} ${d.pointer}`),
      [`${BUILD}/s390x/meta.json arch-entry-missing /kubevirt`, `${BUILD}/ppc64le/meta.json arch-entry-missing /kubevirt`],
    );
    assert.throws(() => compareArches(docs, { presence: { kubvirt: 'all' } }), {
      name: 'TypeError',
      message:
        'options.presence: "kubvirt" is not an entry key (expected one of oscontainer, base-oscontainer, extensions-container, kubevirt); did you mean "kubevirt"?',
    });
  });

  test('the architecture comes from the path when the document does not record it', () => {
    const bare = `{"buildid": "${BUILD}"}`;
    const report = compareArches([
      { name: 'builds/x/s390x/meta.json', input: bare },
      { name: 'data/rhcos-amd64.json', input: bare },
      { name: 'notes.json', input: bare },
    ]);
    assert.deepEqual(report.arches, ['s390x', 'x86_64', null]);
    assert.deepEqual(
      report.diagnostics.map((d) => d.message),
      ['no architecture is known for notes.json: it records no "coreos-assembler.basearch", none was given, and its name does not say'],
    );
  });
});

describe('the CLI on the same cases', () => {
  test('release and arches exit 0 on an RHCOS 4.10 document', (t) => {
    const { files, reason } = corpus('meta');
    if (!files) return t.skip(reason);
    const dir = tree({ 'rhcos-amd64.json': Object.fromEntries(files)[RHCOS_410] });
    const release = run(['release', '--format', 'json', 'rhcos-amd64.json'], dir);
    assert.equal(release.stderr, 'rhcos-amd64.json: no released entries (cosa makes release metadata from base-oscontainer and kubevirt only); no problems\n');
    assert.equal(release.status, 0);
    assert.equal(JSON.parse(release.stdout).entries[0].released, false);
    assert.match(run(['release', 'rhcos-amd64.json'], dir).stdout, /^rhcos-amd64\.json: build .*\noscontainer: not released: cosa does not make release metadata from oscontainer /);
    assert.deepEqual(run(['arches', 'rhcos-amd64.json'], dir), {
      status: 0,
      stdout: '',
      stderr: 'compared 1 file (x86_64): no problems\n',
    });
  });

  test('arches exits 0 on an FCOS build with kubevirt on two of four arches, 1 when told kubevirt is required', () => {
    const dir = tree(fcosBuild());
    const files = ['x86_64', 'aarch64', 's390x', 'ppc64le'].map((arch) => `${BUILD}/${arch}/meta.json`);
    const ok = run(['arches', ...files], dir);
    assert.equal(ok.status, 0);
    assert.equal(
      ok.stdout,
      `${BUILD}/x86_64/meta.json:13:17: info[arch-entry-subset]: kubevirt is on x86_64, aarch64 only (not on s390x, ppc64le); the pipelines build it on some architectures only\n`,
    );
    const required = run(['arches', '--presence', 'kubevirt=all', ...files], dir);
    assert.equal(required.status, 1);
    assert.match(required.stdout, /^36\.20221014\.3\.0\/s390x\/meta\.json:\d+:\d+: error\[arch-entry-missing\]: kubevirt is missing on s390x/m);
    const typo = run(['arches', '--presence', 'kubvirt=all', ...files], dir);
    assert.equal(typo.status, 2);
    assert.equal(
      typo.stderr,
      'oscontainer arches: --presence: "kubvirt" is not an entry key (expected one of oscontainer, base-oscontainer, extensions-container, kubevirt); did you mean "kubevirt"?\n',
    );
  });

  test('release exits 1 and prints the reason on each broken case', () => {
    const cases = {
      'no-digest.json': [`{"buildid": "40.1", "base-oscontainer": {"image": "${REPO}", "tags": ["stable", "40.1"]}}`, 'release-field-missing'],
      'digest-twice.json': [
        `{"buildid": "${BUILD}", "base-oscontainer": {"image": "${REPO}@${X86}", "digest": "${X86}", "tags": ["stable", "${BUILD}"]}}`,
        'release-reference-invalid',
      ],
      'tag-twice.json': [
        `{"buildid": "${BUILD}", "base-oscontainer": {"image": "${REPO}:stable", "digest": "${X86}", "tags": ["stable", "${BUILD}"]}}`,
        'release-reference-invalid',
      ],
    };
    const dir = tree(Object.fromEntries(Object.entries(cases).map(([name, [text]]) => [name, text])));
    for (const [name, [, code]] of Object.entries(cases)) {
      const result = run(['release', name], dir);
      assert.equal(result.status, 1, name);
      assert.match(result.stdout, new RegExp(`^${name.replace('.', '\\.')}:1:\\d+: error\\[${code}\\]: `, 'm'), name);
      assert.match(result.stderr, new RegExp(`^${name.replace('.', '\\.')}: cosa writes right release metadata for 0 of 1 released entry; 1 problem \\(1 error, 0 warnings\\)\n$`), name);
    }
  });
});
