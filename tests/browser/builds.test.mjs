// The builds view of the reviewer page (issue 15) in real Chromium: a builds folder made
// from real values (the FCOS release fixture's repository and x86_64 digest, the stream
// fixture's kubevirt pair, the installer's RHCOS digests for the other arches) opened
// through the directory picker, the matrix read cell by cell, a cell opened in the editor
// with its finding, and the way back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OUTPUT, assertClean, corpus, dropFile, findings, sessionPerFile, validated,
} from './support.mjs';

const NEW = '33.20201201.3.0';
const OLD = '33.20201116.3.0';
const RELEASE = 'coreos-stream-metadata-go__release_fixtures_fcos-release.json';
const STREAM = 'coreos-stream-metadata-rust__tests_it_fixtures_fcos-stream.json';
const INSTALLER = [
  'openshift-installer__data_data_rhcos-amd64@18d578307.json',
  'openshift-installer__data_data_rhcos-amd64@ab3300096.json',
  'openshift-installer__data_data_rhcos@009e5056c.json',
  'openshift-installer__data_data_rhcos@1ce995b13.json',
];

/** The real values the builds are made of, or null when the corpus is missing (after t.skip). */
async function real(t) {
  const release = corpus('release', t);
  const meta = corpus('meta', t);
  if (!release || !meta) return null;
  const releaseText = await readFile(join(release, RELEASE), 'utf8');
  const [repo, x86] = JSON.parse(releaseText).architectures.x86_64['oci-image']['digest-ref'].split('@');
  const stream = JSON.parse(await readFile(join(release, STREAM), 'utf8'));
  const [kubevirtRepo, kubevirtX86] = stream.architectures.x86_64.images.kubevirt['digest-ref'].split('@');
  const digests = await Promise.all(INSTALLER.map(async (name) => JSON.parse(await readFile(join(meta, name), 'utf8')).oscontainer.digest));
  // The fixture's 2020 kubevirt image, written as cosa writes the pair today.
  const old = `"image": "${kubevirtRepo}@${kubevirtX86}"\n`;
  assert.ok(releaseText.includes(old));
  const releaseToday = releaseText.replace(
    old,
    `"image": "${kubevirtRepo}:stable",\n            "digest-ref": "${kubevirtRepo}@${kubevirtX86}"\n`,
  );
  return { releaseToday, repo, x86, kubevirtRepo, kubevirtX86, digests };
}

/** A meta.json as cosa writes it (4-space indentation); `digest` null leaves it out. */
function meta(build, arch, repo, digest, kubevirt) {
  const doc = {
    buildid: build,
    'coreos-assembler.basearch': arch,
    'base-oscontainer': digest === null ? { image: repo, tags: [build, 'stable'] } : { image: repo, digest, tags: [build, 'stable'] },
  };
  if (kubevirt) doc.kubevirt = { image: kubevirt[0], digest: kubevirt[1], tags: ['stable', build] };
  return `${JSON.stringify(doc, null, 4)}\n`;
}

/**
 * builds/ with builds.json and two builds: NEW on four arches (kubevirt on x86_64 and
 * aarch64; ppc64le listed but its meta.json missing) with the release.json published from
 * it, OLD on two arches, aarch64 without its digest.
 */
async function buildsFolder(v) {
  const root = await mkdtemp(join(tmpdir(), 'oscontainer-builds-'));
  const builds = join(root, 'builds');
  const d = v.digests;
  const files = {
    'builds.json': `${JSON.stringify({
      'schema-version': '1.0.0',
      builds: [
        { id: NEW, arches: ['x86_64', 'aarch64', 's390x', 'ppc64le'] },
        { id: OLD, arches: ['x86_64', 'aarch64'] },
      ],
      timestamp: '2020-12-01T20:12:31Z',
    }, null, 4)}\n`,
    [`${NEW}/x86_64/meta.json`]: meta(NEW, 'x86_64', v.repo, v.x86, [v.kubevirtRepo, v.kubevirtX86]),
    [`${NEW}/aarch64/meta.json`]: meta(NEW, 'aarch64', v.repo, d[0], [v.kubevirtRepo, d[1]]),
    [`${NEW}/s390x/meta.json`]: meta(NEW, 's390x', v.repo, d[2]),
    [`${NEW}/release.json`]: v.releaseToday,
    [`${OLD}/x86_64/meta.json`]: meta(OLD, 'x86_64', v.repo, d[3]),
    [`${OLD}/aarch64/meta.json`]: meta(OLD, 'aarch64', v.repo, null),
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(builds, name, '..'), { recursive: true });
    await writeFile(join(builds, name), text);
  }
  return { root, builds, files };
}

/**
 * `line:column` (1-based, UTF-16), counted here, of the first `needle` in `text` after
 * `after` (when given), plus `skip` characters.
 */
function at(text, needle, skip = 0, after = null) {
  const found = text.indexOf(needle, after === null ? 0 : text.indexOf(after));
  assert.ok(found >= 0 && (after === null || text.includes(after)), `${needle} in the text`);
  const index = found + skip;
  const lines = text.slice(0, index).split('\n');
  return `${lines.length}:${lines.at(-1).length + 1}`;
}

/** The matrix as a reviewer reads it: the header row, then each row's cells as shown (innerText). */
async function matrix(page) {
  return page.$$eval('#builds-matrix tr', (rows) => rows.map((row) => [...row.cells].map((cell) => cell.innerText.trim())));
}

/** The matrix of buildsFolder's builds (`files`), as `matrix` reads it. */
function expectedMatrix(files) {
  // Beside each row: its cross-arch findings (where: the arch and line:column in its
  // meta.json) and its release.json's.
  const kubevirt = at(files[`${NEW}/x86_64/meta.json`], '"kubevirt": {', '"kubevirt": '.length);
  const architectures = at(files[`${NEW}/release.json`], '"architectures"');
  return [
    ['Build', 'x86_64', 'aarch64', 's390x', 'ppc64le', 'Cross-arch and release findings'],
    [
      `${NEW}\nInvalid\nrelease.json checked`,
      'base tagged ok\nkv tagged info\nno errors or warnings',
      'base tagged ok\nkv tagged ok\nno errors or warnings',
      'base tagged ok\nkv absent\nno errors or warnings',
      `meta.json missing\nbuilds/${NEW}/ppc64le/meta.json`,
      [
        `info arch-entry-subset x86_64 ${kubevirt} kubevirt is on x86_64, aarch64 only (not on s390x); the pipelines build it on some architectures only`,
        ...['aarch64', 's390x'].map((arch) => `warning release-arch-extra release.json ${architectures} builds/${NEW}/${arch}/meta.json is for ${arch}, which release.json does not list: the release does not offer ${arch}`),
      ].join('\n'),
    ],
    [`${OLD}\nInvalid`, 'base tagged ok\nno errors or warnings', 'base image-only error\n2 errors', 'not built', 'not built', 'none'],
  ];
}

const browser = sessionPerFile();

test('Open builds folder…: the matrix, a cell opened in the editor with its finding, and back', async (t) => {
  const v = await real(t);
  if (!v) return;
  const { root, builds, files } = await buildsFolder(v);
  t.after(() => rm(root, { recursive: true, force: true }));
  const page = await browser.pageFor(t);
  const before = browser.session.requests.length;

  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open builds folder…' }).click()]);
  await chooser.setFiles(builds);
  await page.waitForSelector('#builds-status:has-text("all valid"), #builds-status:has-text("invalid")');

  assert.equal(await page.isVisible('#editor-panel'), false, 'the matrix takes the editor\'s place');
  assert.equal(await page.textContent('#builds-title'), 'Builds: builds');
  assert.equal(await page.textContent('#builds-status'), '2 builds, 4 arches · 2 invalid');
  const rows = await matrix(page);
  assert.deepEqual(rows, expectedMatrix(files));
  await page.screenshot({ path: join(OUTPUT, 'builds-matrix.png') });

  // The matrix is a table with headers; state is in words, not colour alone.
  assert.equal(await page.locator('#builds-matrix th[scope="col"]').count(), 6);
  assert.equal(await page.locator('#builds-matrix th[scope="row"]').count(), 2);

  // A cell opens its meta.json in the editor, named by its path, with its findings.
  const cell = page.getByRole('button', { name: new RegExp(`^aarch64 of ${OLD.replaceAll('.', '\\.')}: `) });
  assert.equal(
    await cell.getAttribute('aria-label'),
    `aarch64 of ${OLD}: base-oscontainer image-only, error; 2 errors. Open builds/${OLD}/aarch64/meta.json`,
  );
  await validated(page, () => cell.click());
  assert.equal(await page.isVisible('#editor-panel'), true);
  assert.equal(await page.isVisible('#builds-panel'), false);
  assert.equal(await page.textContent('#doc-name'), `builds/${OLD}/aarch64/meta.json`);
  const text = files[`${OLD}/aarch64/meta.json`];
  const object = at(text, '{\n        "image"');
  const list = await findings(page);
  assert.deepEqual(list.map((f) => [f.severity, f.code, f.pointer, f.position]), [['error', 'digest-missing', '/base-oscontainer', object]]);
  // The cell's other error is its release view's (cosa's release step), which the editor's
  // findings do not list: the bar above the editor does.
  assert.equal(await page.innerText('#builds-context'), [
    `aarch64 of build ${OLD} · also found by the build check (release view, other arches): 1 finding`,
    `error release-field-missing release view ${object} "base-oscontainer": cosa's generate-release-meta raises KeyError: no "digest"`,
  ].join('\n'));

  // Back to builds: the same matrix (kept, not checked again), focus on the cell.
  const validations = await page.getAttribute('#findings-section', 'data-validations');
  await page.getByRole('button', { name: 'Back to builds' }).click();
  assert.equal(await page.isVisible('#builds-panel'), true);
  assert.equal(await page.isVisible('#editor-panel'), false);
  assert.deepEqual(await matrix(page), rows);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), await cell.getAttribute('aria-label'));
  assert.equal(await page.getAttribute('#findings-section', 'data-validations'), validations);

  // Nothing left the origin: the files were read in the page.
  const origin = browser.session.origin;
  const foreign = browser.session.requests.slice(before).filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith(`blob:${origin}/`));
  assert.deepEqual(foreign, []);
  await assertClean(page, assert);
});

test('one build\'s directory; a dropped release.json naming another build; the compat profile', async (t) => {
  const v = await real(t);
  if (!v) return;
  const { root, builds, files } = await buildsFolder(v);
  t.after(() => rm(root, { recursive: true, force: true }));
  const page = await browser.pageFor(t);

  await page.setInputFiles('#builds-input', join(builds, OLD));
  await page.waitForSelector('#builds-status:has-text("invalid")');
  assert.equal(await page.textContent('#builds-title'), `Builds: ${OLD}`);
  assert.deepEqual(await matrix(page), [
    ['Build', 'aarch64', 'x86_64', 'Cross-arch and release findings'],
    [`${OLD}\nInvalid`, 'base image-only error\n2 errors', 'base tagged ok\nno errors or warnings', 'none'],
  ]);

  // NEW's release.json dropped on the view: the only build here is checked against it.
  const release = files[`${NEW}/release.json`];
  await dropFile(page, '#builds-panel', 'release.json', release);
  await page.waitForSelector('#builds-matrix th[scope="row"]:has-text("release.json checked") >> text=Invalid');
  await page.waitForSelector('#builds-status:has-text("invalid")');
  const [, row] = await matrix(page);
  const meta = (arch) => `${OLD}/${arch}/meta.json`;
  assert.deepEqual(row[3].split('\n'), [
    `error release-build-mismatch release.json ${at(release, `"${NEW}"`)} release.json is release "${NEW}", but the meta.json files are of build "${OLD}"`,
    `warning release-arch-extra release.json ${at(release, '"architectures"')} ${meta('aarch64')} is for aarch64, which release.json does not list: the release does not offer aarch64`,
    `error release-image-mismatch release.json ${at(release, '"image": {', '"image": '.length, '"kubevirt"')} release.json has media.kubevirt.image for x86_64, but ${meta('x86_64')} gives none (it has no kubevirt)`,
    `error release-digest-mismatch release.json ${at(release, `"digest-ref": "${v.repo}@`, '"digest-ref": '.length)} oci-image.digest-ref for x86_64 is "${v.repo}@${v.x86}", but ${meta('x86_64')}'s base-oscontainer gives "${v.repo}@${v.digests[3]}"`,
  ]);
  assert.equal(await page.isVisible('#editor-panel'), false, 'the drop stayed in the builds view');

  // The compat profile, chosen while a cell is open in the editor: the missing digest is a
  // warning there, and the builds are checked again; the entry stays an error, as cosa's
  // release step still has no digest. Back to builds finds the cell in the new table.
  await validated(page, () => page.getByRole('button', { name: new RegExp(`^aarch64 of ${OLD.replaceAll('.', '\\.')}: `) }).click());
  await validated(page, () => page.getByLabel('compat').check());
  assert.deepEqual((await findings(page)).map((f) => [f.severity, f.code]), [['warning', 'digest-missing']]);
  await page.getByRole('button', { name: 'Back to builds' }).click();
  await page.waitForSelector('#builds-status:has-text("invalid")');
  assert.deepEqual((await matrix(page))[1].slice(0, 3), [`${OLD}\nInvalid\nrelease.json checked`, 'base image-only error\n1 error, 1 warning', 'base tagged ok\nno errors or warnings']);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.arch), 'aarch64');
  await assertClean(page, assert);
});

test('a dropped folder, with a release.json dropped beside it', async (t) => {
  const v = await real(t);
  if (!v) return;
  const { root, files } = await buildsFolder(v);
  t.after(() => rm(root, { recursive: true, force: true }));
  const page = await browser.pageFor(t);

  // Playwright cannot drag a folder from the desktop: the drop event is given the entries
  // Chromium would (FileSystemDirectoryEntry's createReader/readEntries in batches until an
  // empty one, FileSystemFileEntry's file()), with NEW's release.json outside the folder.
  const dropped = Object.entries(files).filter(([name]) => name !== `${NEW}/release.json`);
  await page.evaluate(({ dropped, release }) => {
    const fileEntry = (fullPath, text) => ({
      isFile: true, isDirectory: false, name: fullPath.split('/').at(-1), fullPath,
      file: (done) => setTimeout(() => done(new File([text], fullPath.split('/').at(-1), { type: 'application/json' }))),
    });
    const dirEntry = (fullPath) => {
      const children = [];
      return {
        isFile: false, isDirectory: true, name: fullPath.split('/').at(-1), fullPath, children,
        createReader() {
          const batches = [children.slice(0, 2), children.slice(2), []];
          return { readEntries: (done) => setTimeout(() => done(batches.shift() ?? [])) };
        },
      };
    };
    const top = dirEntry('/builds');
    const dirs = new Map([['/builds', top]]);
    for (const [name, text] of dropped) {
      const parts = `builds/${name}`.split('/');
      for (let i = 2; i < parts.length; i++) {
        const path = `/${parts.slice(0, i).join('/')}`;
        if (!dirs.has(path)) {
          const dir = dirEntry(path);
          dirs.get(path.slice(0, path.lastIndexOf('/'))).children.push(dir);
          dirs.set(path, dir);
        }
      }
      dirs.get(`/${parts.slice(0, -1).join('/')}`).children.push(fileEntry(`/${parts.join('/')}`, text));
    }
    const releaseEntry = fileEntry('/release.json', release);
    const event = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', {
      value: {
        types: ['Files'],
        items: [top, releaseEntry].map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry, getAsFile: () => null })),
        files: [new File([], 'builds'), new File([release], 'release.json')],
      },
    });
    document.querySelector('#editor').dispatchEvent(event);
  }, { dropped, release: files[`${NEW}/release.json`] });

  await page.waitForSelector('#builds-status:has-text("invalid")');
  assert.equal(await page.textContent('#builds-title'), 'Builds: builds');
  assert.deepEqual(await matrix(page), expectedMatrix(files));
  // The page's own drop handler left the editor alone.
  assert.equal(await page.textContent('#doc-name'), 'Sample meta.json');
  await assertClean(page, assert);
});

test('a narrow, dark window: the table scrolls in its panel, the page does not scroll sideways', async (t) => {
  const v = await real(t);
  if (!v) return;
  const { root, builds, files } = await buildsFolder(v);
  t.after(() => rm(root, { recursive: true, force: true }));
  const page = await browser.pageFor(t, { colorScheme: 'dark', viewport: { width: 420, height: 860 } });
  await page.setInputFiles('#builds-input', builds);
  await page.waitForSelector('#builds-status:has-text("invalid")');
  assert.deepEqual(await matrix(page), expectedMatrix(files));
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  await page.screenshot({ path: join(OUTPUT, 'builds-matrix-narrow-dark.png'), fullPage: true });
  await assertClean(page, assert);
});
