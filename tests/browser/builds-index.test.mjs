// The page's builds view reads builds.json with readBuildsIndex, as checkBuildsDir does
// (issue 21): each malformed builds.json of tests/cases/builds-index.json, opened through
// the directory picker in real Chromium, shows the case's findings in the builds panel,
// and they are the findings the package gives in Node (tests/node/builds-index.test.mjs
// holds checkBuildsDir to the same list).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readBuildsIndex } from '../../pkg/node.js';
import { OUTPUT, assertClean, sessionPerFile } from './support.mjs';

const FILE = JSON.parse(await readFile(new URL('../cases/builds-index.json', import.meta.url), 'utf8'));

const browser = sessionPerFile();

/** The case's builds folder on disk: builds.json and the meta.json files beside it. */
async function folder(testCase, text) {
  const root = await mkdtemp(join(tmpdir(), 'oscontainer-builds-index-'));
  const builds = join(root, 'builds');
  const files = { 'builds.json': text };
  for (const path of testCase.meta) {
    const [id, arch] = path.split('/');
    files[path] = `${JSON.stringify({ buildid: id, 'coreos-assembler.basearch': arch }, null, 4)}\n`;
  }
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(builds, name, '..'), { recursive: true });
    await writeFile(join(builds, name), content);
  }
  return { root, builds };
}

/** builds.json's findings as the builds panel lists them. */
async function shown(page) {
  return page.$$eval('#builds-json-findings li', (items) => items.map((item) => ({
    severity: item.querySelector('.severity').textContent,
    code: item.querySelector('.code').textContent,
    where: item.querySelector('.where').textContent,
    pointer: item.dataset.pointer,
    message: item.querySelector('.message').textContent,
  })));
}

for (const testCase of FILE.cases) {
  test(`${testCase.name}: the builds panel lists builds.json's findings, as readBuildsIndex gives them`, async (t) => {
    const text = testCase.text.join('\n');
    const { root, builds } = await folder(testCase, text);
    t.after(() => rm(root, { recursive: true, force: true }));
    const page = await browser.pageFor(t);

    await page.setInputFiles('#builds-input', builds);
    await page.waitForSelector('#builds-status:has-text("valid")');

    const list = await shown(page);
    assert.deepEqual(list.map(({ code, pointer, message }) => ({ code, pointer, message })), testCase.findings);
    // The same findings, places and all, as the package in Node (and so checkBuildsDir).
    const index = readBuildsIndex(text);
    assert.deepEqual(
      list,
      index.diagnostics.map((d) => ({ severity: d.severity, code: d.code, where: `builds.json ${d.line}:${d.column}`, pointer: d.pointer, message: d.message })),
    );
    assert.equal(await page.isVisible('#builds-json-findings'), true);
    await page.screenshot({ path: join(OUTPUT, `builds-json-findings-${FILE.cases.indexOf(testCase) + 1}.png`) });
    // The builds are builds.json's, or the folder's when it cannot be used.
    const rows = await page.$$eval('#builds-body tr', (trs) => trs.map((tr) => tr.dataset.build));
    assert.deepEqual(rows, index.usable ? testCase.builds : testCase.meta.map((path) => path.split('/')[0]));
    await assertClean(page, assert);
  });
}

test('a sound builds.json: no findings list', async (t) => {
  const testCase = { meta: ['36.20220918.3.0/x86_64/meta.json'] };
  const text = JSON.stringify({ 'schema-version': '1.0.0', builds: [{ id: '36.20220918.3.0', arches: ['x86_64'] }] });
  const { root, builds } = await folder(testCase, text);
  t.after(() => rm(root, { recursive: true, force: true }));
  const page = await browser.pageFor(t);
  await page.setInputFiles('#builds-input', builds);
  await page.waitForSelector('#builds-status:has-text("valid")');
  assert.deepEqual(await shown(page), []);
  assert.equal(await page.isVisible('#builds-json-findings'), false);
  await assertClean(page, assert);
});
