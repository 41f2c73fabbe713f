// Messages from real inputs (issue 11, points 6 and 8): pull specs copied with their
// transport, file artifacts from `images` pasted as entries, upper-case hex in an embedded
// digest, and embedded digests of builds from cosa's manifest-list window. The values are
// real: the installer's and ART's RHCOS documents in ../shared/corpus/meta/, the FCOS
// release fixture's digest, the build ids quoted in ../shared/domain.md.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseReference, upgrade, validate } from '../../pkg/node.js';
import { corpus, marked } from './helpers.mjs';

const ART_REPO = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev';
/** RHCOS 410.84.202110140201-0 of the installer's copy (rhcos-amd64@ab3300096). */
const RHCOS_DIGEST = 'sha256:4abee5a8633a29d88af392fa6a509845ba4f71688e7074efb148d4372738046f';
/** FCOS 33.20201201.3.0 of stream-metadata-go's release fixture. */
const FCOS_DIGEST = 'sha256:460576931cf4ce59afe432ea266234f9d34fa77f8ca3087282084bc3a7324632';
const FCOS = 'quay.io/fedora/fedora-coreos';
const ENTRIES =
  'container entries are the top-level keys oscontainer, base-oscontainer, extensions-container and kubevirt, each naming an image pushed to a registry';

/** The corpus document `name`, or the reason it is missing (the test is then skipped). */
function corpusFile(name) {
  const { files, reason } = corpus('meta');
  const found = files?.find(([file]) => file === name);
  return found ? { text: found[1] } : { skip: reason ?? `${name} is not in the corpus` };
}

const rows = (report) => report.diagnostics.map((d) => `${d.code} ${d.severity} ${d.pointer} ${d.line}:${d.column}${d.fixable ? ' fixable' : ''}`);

describe('transport prefixes', () => {
  const pulls = [
    // skopeo
    ['docker://', `${ART_REPO}@${RHCOS_DIGEST}`],
    // rpm-ostree status
    ['ostree-unverified-registry:', `${FCOS}:stable`],
    ['ostree-remote-image:fedora:docker://', `${FCOS}:stable`],
    ['ostree-image-signed:docker://', `${FCOS}:stable`],
    // podman
    ['containers-storage:', `${FCOS}:stable`],
    ['docker-daemon:', `${FCOS}:stable`],
  ];

  test('parseReference: one transport-prefix error at offset 0 showing the reference without it', () => {
    for (const [prefix, rest] of pulls) {
      for (const normalize of [false, true]) {
        assert.throws(
          () => parseReference(`${prefix}${rest}`, { normalize }),
          (error) => {
            assert.ok(!(error instanceof TypeError));
            assert.equal(error.code, 'transport-prefix');
            assert.equal(error.offset, 0);
            assert.equal(error.message, `the transport prefix "${prefix}" is not part of an image reference; drop it: "${rest}"`);
            return true;
          },
          `${prefix}${rest}`,
        );
      }
      // Without the transport it parses.
      assert.equal(parseReference(rest).string, rest);
    }
    assert.throws(
      () => parseReference('oci-archive:/srv/rhcos-413.86.202212021619-0-extensions-container.x86_64.ociarchive'),
      {
        code: 'transport-prefix',
        offset: 0,
        message:
          'the transport prefix "oci-archive:" names a local OCI archive file ("/srv/rhcos-413.86.202212021619-0-extensions-container.x86_64.ociarchive"), not an image in a registry; drop it and write the repository the image was pushed to',
      },
    );
    assert.throws(() => parseReference(`docker://${FCOS.replace('fedora/', 'Fedora/')}`), {
      code: 'transport-prefix',
      message:
        'the transport prefix "docker://" is not part of an image reference; drop it: "quay.io/Fedora/fedora-coreos" (which is not valid either: path component "Fedora" contains upper case; registries require lower-case repository names)',
    });
    // What Go's grammar accepts stays accepted: "oci" with the tag "foo".
    assert.deepEqual([parseReference('oci:foo').name, parseReference('oci:foo').tag], ['oci', 'foo']);
  });

  test('validate: image-invalid says to drop it, at the start of the string', () => {
    for (const [prefix, rest] of pulls) {
      const { text, at } = marked(`{\n    "oscontainer": {\n        "digest": "${RHCOS_DIGEST}",\n        "image": "‸${prefix}${rest}"\n    }\n}\n`);
      const report = validate(text);
      assert.deepEqual(rows(report), [`image-invalid error /oscontainer/image ${at[0].line}:${at[0].column}`]);
      assert.equal(
        report.diagnostics[0].message,
        `image "${prefix}${rest}" is not a valid reference: the transport prefix "${prefix}" is not part of an image reference; drop it: "${rest}"`,
      );
      assert.equal(upgrade(text).changed, false, 'upgrade does not guess');
    }
  });

  test("an installer document's oscontainer, copied with skopeo's transport", (t) => {
    const file = corpusFile('openshift-installer__data_data_rhcos-amd64@ab3300096.json');
    if (file.skip) return t.skip(file.skip);
    const image = `"image": "${ART_REPO}"`;
    assert.ok(file.text.includes(image));
    const report = validate(file.text.replace(image, `"image": "docker://${ART_REPO}"`));
    assert.deepEqual(
      report.diagnostics.map((d) => [d.code, d.pointer, d.message]),
      [
        [
          'image-invalid',
          '/oscontainer/image',
          `image "docker://${ART_REPO}" is not a valid reference: the transport prefix "docker://" is not part of an image reference; drop it: "${ART_REPO}"`,
        ],
      ],
    );
  });
});

describe('file artifacts from images', () => {
  const DOOZER = 'openshift-eng-art-tools__doozer_tests_resources_rhcos2_4.13-meta.json';

  test('images.extensions-container pasted as the entry: one entry-is-artifact error', (t) => {
    const file = corpusFile(DOOZER);
    if (file.skip) return t.skip(file.skip);
    const artifact = JSON.stringify(JSON.parse(file.text).images['extensions-container'], null, 4);
    // The real document has no container entry; give it the artifact as one, first.
    const { text, at } = marked(file.text.replace(/^\{\n/, `{\n    "extensions-container": ‸${artifact.replace(/\n/g, '\n    ')},\n`));
    for (const profile of ['canonical', 'compat']) {
      const report = validate(text, { profile });
      assert.deepEqual(rows(report), [`entry-is-artifact error /extensions-container ${at[0].line}:${at[0].column}`]);
      assert.equal(
        report.diagnostics[0].message,
        '"extensions-container" is a file artifact (path, sha256, size) as listed under "images", not a container entry; a container entry names an image pushed to a registry: {"image": repository, "digest": "sha256:…", "tags": […]}',
      );
      assert.deepEqual(
        report.entries.map((e) => [e.pointer, e.shape]),
        [['/extensions-container', 'invalid']],
      );
    }
    assert.equal(upgrade(text).changed, false);
  });

  test('pasted alone, an artifact, a fragment of images or images itself is named in no-entries', (t) => {
    const file = corpusFile(DOOZER);
    if (file.skip) return t.skip(file.skip);
    // The lines as the document writes them.
    const lines = file.text.split('\n');
    const start = lines.findIndex((l) => l.trim() === '"legacy-oscontainer": {');
    const fragment = `${lines.slice(start, start + 6).join('\n')}\n`;
    assert.match(fragment, /"skip-compression": true\n\s+},\n$/);
    const images = JSON.stringify({ images: JSON.parse(file.text).images }, null, 4);
    const cases = [
      [
        fragment,
        `"legacy-oscontainer" is a file artifact (path, sha256, size) as listed under "images" in meta.json, not a container entry; ${ENTRIES}`,
        'the image pushed from images.legacy-oscontainer is described by the top-level "oscontainer"',
      ],
      [
        JSON.stringify(JSON.parse(file.text).images['legacy-oscontainer']),
        `the document is a file artifact (path, sha256, size) as listed under "images" in meta.json, not a container entry; ${ENTRIES}`,
        null,
      ],
      [images, `"images" lists file artifacts (path, sha256, size), not container entries; ${ENTRIES}`, null],
      // The whole document: nothing was pasted, the plain message.
      [file.text, 'the document has no container entry (oscontainer, base-oscontainer, extensions-container or kubevirt)', null],
    ];
    for (const [text, message, hint] of cases) {
      const report = validate(text);
      // The first token's first character: the fragment starts with its indentation.
      const column = text.search(/\S/) + 1;
      assert.deepEqual(
        report.diagnostics.map((d) => [d.code, d.severity, d.pointer, d.line, d.column, d.endLine, d.endColumn, d.message, d.hint]),
        [['no-entries', 'info', '', 1, column, 1, column + 1, message, hint]],
        text.slice(0, 60),
      );
      assert.equal(report.valid, true);
    }
  });
});

describe('upper-case hex in an embedded digest', () => {
  const upper = `sha256:${RHCOS_DIGEST.slice(7).toUpperCase()}`;

  test('is a fixable digest-invalid at the image, and upgrade moves it lower-cased', () => {
    const { text, at } = marked(`{\n    "oscontainer": {\n        "image": ‸"${ART_REPO}@sha256:4‸${upper.slice(8)}"\n    }\n}\n`);
    const report = validate(text);
    assert.deepEqual(rows(report), [
      `image-embedded-digest error /oscontainer/image ${at[0].line}:${at[0].column} fixable`,
      `digest-invalid error /oscontainer/image ${at[1].line}:${at[1].column} fixable`,
    ]);
    assert.equal(report.diagnostics[1].message, `the digest "${upper}" embedded in image has upper-case hex; digests are lower-case`);
    assert.equal(report.entries[0].pullSpec, `${ART_REPO}@${RHCOS_DIGEST}`);

    const result = upgrade(text);
    assert.equal(result.output, `{\n    "oscontainer": {\n        "image": "${ART_REPO}",\n        "digest": "${RHCOS_DIGEST}"\n    }\n}\n`);
    assert.deepEqual(
      result.changes.map((c) => [c.pointer, c.code, c.message]),
      [
        ['/oscontainer/image', 'digest-invalid', `rewrote the digest embedded in image as "${RHCOS_DIGEST}"`],
        ['/oscontainer/image', 'image-embedded-digest', `moved the digest "${RHCOS_DIGEST}" from image into digest`],
      ],
    );
    assert.deepEqual(result.diagnostics, []);
    assert.equal(upgrade(result.output).changed, false);
  });

  test("the installer's split oscontainer, written embedded in upper case, upgrades back", (t) => {
    const file = corpusFile('openshift-installer__data_data_rhcos-amd64@ab3300096.json');
    if (file.skip) return t.skip(file.skip);
    const meta = JSON.parse(file.text);
    assert.deepEqual(meta.oscontainer, { digest: RHCOS_DIGEST, image: ART_REPO });
    const embedded = { ...meta, oscontainer: { image: `${ART_REPO}@${upper}` } };
    const result = upgrade(JSON.stringify(embedded, null, 4));
    assert.deepEqual(JSON.parse(result.output).oscontainer, { image: ART_REPO, digest: RHCOS_DIGEST });
    assert.equal(result.valid, true);
  });
});

describe("cosa's manifest-list window", () => {
  const fcos = (buildId, digest = FCOS_DIGEST) =>
    `{\n    "buildid": "${buildId}",\n    "base-oscontainer": {\n        "image": "${FCOS}@${digest}"\n    }\n}\n`;

  test('inside the window (both ends included): a warning, and upgrade leaves the digest in image', () => {
    for (const [buildId, date] of [
      ['36.20220913.3.0', '2022-09-13'],
      ['36.20220918.3.0', '2022-09-18'],
      ['36.20221021.3.0', '2022-10-21'],
      ['412.86.202209180000-0', '2022-09-18'],
    ]) {
      const text = fcos(buildId);
      const report = validate(text, { profile: 'compat' });
      assert.deepEqual(rows(report), [
        'image-embedded-digest warning /base-oscontainer/image 4:18',
        'digest-maybe-manifest-list warning /base-oscontainer/image 4:18',
      ]);
      assert.equal(
        report.diagnostics[1].message,
        `the digest embedded in image is most likely the manifest list's, not this architecture's: build "${buildId}" is dated ${date}, inside the window 2022-09-13 to 2022-10-21 when cosa wrote the manifest list's digest into image`,
      );
      const result = upgrade(text);
      assert.equal(result.changed, false, buildId);
      assert.equal(result.output, text);
      assert.deepEqual(result.changes, []);
    }
  });

  test('outside the window nothing changes', () => {
    for (const buildId of ['36.20220912.3.0', '36.20221022.3.0', '412.86.202210220000-0']) {
      assert.deepEqual(rows(validate(fcos(buildId))), ['image-embedded-digest error /base-oscontainer/image 4:18 fixable']);
      assert.equal(
        upgrade(fcos(buildId)).output,
        `{\n    "buildid": "${buildId}",\n    "base-oscontainer": {\n        "image": "${FCOS}",\n        "digest": "${FCOS_DIGEST}"\n    }\n}\n`,
      );
    }
  });

  test('options.buildId is the build id when given', () => {
    const outside = fcos('36.20221106.3.0');
    assert.deepEqual(rows(validate(outside, { buildId: '36.20220918.3.0' })), [
      'image-embedded-digest error /base-oscontainer/image 4:18',
      'digest-maybe-manifest-list warning /base-oscontainer/image 4:18',
    ]);
    assert.equal(upgrade(outside, { buildId: '36.20220918.3.0' }).changed, false);
    assert.equal(upgrade(fcos('36.20220918.3.0'), { buildId: '36.20221106.3.0' }).changed, true);
  });

  test('upper case inside the window: lower-cased where it is, not moved', () => {
    const upper = `sha256:${FCOS_DIGEST.slice(7).toUpperCase()}`;
    const result = upgrade(fcos('36.20220918.3.0', upper));
    assert.equal(result.output, fcos('36.20220918.3.0'));
    assert.deepEqual(
      result.changes.map((c) => c.code),
      ['digest-invalid'],
    );
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.fixable]),
      [
        ['image-embedded-digest', false],
        ['digest-maybe-manifest-list', false],
      ],
    );
  });
});
