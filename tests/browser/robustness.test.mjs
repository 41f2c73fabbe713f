// Robustness of the reviewer page in real Chromium, with the package's test-hooks build
// (target/pkg-test, built by `make node-test`) in the page's own worker:
//
// - a real WebAssembly trap (a Rust panic, `unreachable`) while validating: the page
//   shows the package's internal-error message, the package re-instantiates, and the next
//   edit is checked by a fresh instance;
// - while the worker is busy with a long validation (held for 3 s on purpose, of the
//   sample and of a 5 MB paste), the editor keeps taking keystrokes: validation is off
//   the main thread;
// - Upgrade clicked while such a check of a newer text is held (the button still shows the
//   older text's count) opens no diff when the newer text has nothing to upgrade.
//
// The page's worker bundle (www/src/worker.js, unchanged) is rebuilt here with esbuild
// against a shim of the package: the test-hooks package, except that `validate` traps on a
// text containing TRAP-NOW and spins first on one containing SLOW-NOW. The page is served
// as built; only worker.js and oscontainer_bg.wasm are answered by the test (page.route).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT, SAMPLE, findings, paste, settled, startSession } from './support.mjs';

const TEST_PKG = join(ROOT, 'target/pkg-test');
const rowsOf = (list) => list.map((f) => [f.severity, f.code, f.position, f.pointer]);
const SAMPLE_FINDING = [['error', 'image-embedded-digest', '20:18', '/base-oscontainer/image']];

const SHIM = `
import init, * as real from ${JSON.stringify(join(TEST_PKG, 'browser.js'))};
import { guarded } from ${JSON.stringify(join(TEST_PKG, 'api.js'))};
import * as glue from ${JSON.stringify(join(TEST_PKG, 'wasm/oscontainer.js'))};

export default init;
export const upgrade = real.upgrade;
export const parseReference = real.parseReference;
export const loadSchemaSupport = real.loadSchemaSupport;
export const checkBuild = real.checkBuild;
export const checkRelease = real.checkRelease;
export const readBuildsIndex = real.readBuildsIndex;
// Counts calls in a static of the instance: 1 again means a fresh instance.
self.__callsForTest = () => glue.__callsForTest();
export function validate(text, options) {
  if (typeof text === 'string' && text.includes('TRAP-NOW')) {
    return guarded('validate', () => glue.__panicForTest('trap from the browser test'));
  }
  if (typeof text === 'string' && text.includes('SLOW-NOW')) {
    const until = Date.now() + 3000;
    while (Date.now() < until);
  }
  return real.validate(text, options);
}
`;

async function workerBundle() {
  const result = await build({
    entryPoints: [join(ROOT, 'www/src/worker.js')],
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'oscontainer-test-hooks',
        setup(esbuild) {
          esbuild.onResolve({ filter: /^oscontainer$/ }, () => ({ path: 'oscontainer-shim', namespace: 'shim' }));
          esbuild.onLoad({ filter: /.*/, namespace: 'shim' }, () => ({ contents: SHIM, resolveDir: ROOT, loader: 'js' }));
        },
      },
    ],
  });
  return result.outputFiles[0].text;
}

let session;
let bundle;
before(async () => {
  assert.ok(existsSync(join(TEST_PKG, 'wasm/oscontainer_bg.wasm')), 'target/pkg-test is built (make node-test)');
  bundle = await workerBundle();
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** The page with the test-hooks worker; console errors other than the panic are kept. */
async function hookedPage(t) {
  const context = await session.browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.after(() => context.close());
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.origin });
  await context.route('**/worker.js', (route) => route.fulfill({ body: bundle, contentType: 'text/javascript' }));
  await context.route('**/oscontainer_bg.wasm', (route) =>
    route.fulfill({ path: join(TEST_PKG, 'wasm/oscontainer_bg.wasm'), contentType: 'application/wasm' }));
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`uncaught: ${error.message}`));
  await page.goto(session.url);
  await settled(page);
  const [worker] = page.workers();
  return { page, worker };
}

test('a real trap in the worker: the banner says so, and the next edit is checked by a fresh instance', async (t) => {
  const { page, worker } = await hookedPage(t);
  assert.deepEqual(rowsOf(await findings(page)), SAMPLE_FINDING);
  const calls = await worker.evaluate(() => self.__callsForTest());
  assert.ok(calls >= 1);
  assert.equal(await worker.evaluate(() => self.__callsForTest()), calls + 1, 'the same instance counts on');

  await paste(page, '{"TRAP-NOW": 1}');
  assert.equal(await page.isVisible('#banner'), true);
  assert.match(
    await page.textContent('#banner-text'),
    /^Could not validate: oscontainer: the WebAssembly instance crashed in validate\(\) \(RuntimeError: unreachable\); it has been restarted and the next call will work\./,
  );
  assert.equal(await page.textContent('#status'), 'Not checked');
  assert.deepEqual(await findings(page), []);
  assert.equal(await worker.evaluate(() => self.__callsForTest()), 1, 'statics start over: a new instance');

  await paste(page, SAMPLE);
  assert.equal(await page.isVisible('#banner'), false);
  assert.deepEqual(rowsOf(await findings(page)), SAMPLE_FINDING);
  // Twice in a row works too.
  await paste(page, '{"TRAP-NOW": 2}');
  assert.equal(await page.isVisible('#banner'), true);
  await paste(page, SAMPLE.replace('"buildid"', '"buildid" ').replace('{', '{\n'));
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'image-embedded-digest', '21:18', '/base-oscontainer/image']]);
  assert.deepEqual(page.problems, []);
});

test('while the worker is busy for 3 s, typing reaches the editor at once', async (t) => {
  const { page } = await hookedPage(t);
  const slow = SAMPLE.replace('"buildid"', '"SLOW-NOW": 1,\n    "buildid"');
  // Paste without waiting for the result: the worker now spins for 3 s.
  await page.evaluate((value) => navigator.clipboard.writeText(value), slow);
  await page.locator('#editor .cm-content').focus();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+v');
  await page.waitForSelector('#findings-section[aria-busy="true"]');
  const started = Date.now();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('xyz');
  // The keystrokes are in the editor while the validation is still running.
  const shown = (await page.locator('#editor .cm-content').textContent()).endsWith('xyz');
  const typedIn = Date.now() - started;
  assert.equal(shown, true);
  assert.equal(await page.getAttribute('#findings-section', 'aria-busy'), 'true', 'the slow validation is still running');
  assert.ok(typedIn < 2500, `typing took ${typedIn} ms while the worker was busy`);
  // Then the text with the typed characters is checked.
  await settled(page);
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'json-syntax', '30:1', '/']]);
});

test('a 5 MB paste: while the worker checks it, typing reaches the editor at once', async (t) => {
  const { page } = await hookedPage(t);
  const lines = SAMPLE.split('\n');
  const filler = Array.from({ length: 110000 }, (_, i) => `        "package-${String(i).padStart(5, '0')}-with-a-long-name.x86_64",`);
  filler[filler.length - 1] = filler[filler.length - 1].slice(0, -1);
  const big = [lines[0], '    "SLOW-NOW": 1,', '    "pkglist": [', ...filler, '    ],', ...lines.slice(1)].join('\n');
  assert.ok(big.length > 5_000_000, `${big.length} characters`);
  await page.evaluate((value) => navigator.clipboard.writeText(value), big);
  await page.locator('#editor .cm-content').focus();
  await page.keyboard.press('Control+a');
  const pasted = Date.now();
  await page.keyboard.press('Control+v');
  await page.waitForSelector('#findings-section[aria-busy="true"]');
  await page.keyboard.press('Control+End');
  const started = Date.now();
  await page.keyboard.type('xyz');
  const shown = (await page.locator('#editor .cm-content').textContent()).endsWith('xyz');
  const typedIn = Date.now() - started;
  assert.equal(shown, true);
  assert.equal(await page.getAttribute('#findings-section', 'aria-busy'), 'true', 'the check of the paste is still running');
  assert.ok(typedIn < 2500, `typing took ${typedIn} ms while the worker checked 5 MB`);
  await settled(page);
  t.diagnostic(`paste to findings: ${Date.now() - pasted} ms; three keystrokes shown in ${typedIn} ms`);
  // The text ends with a line break, so "xyz" is alone on the last line.
  const lastLine = big.split('\n').length;
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'json-syntax', `${lastLine}:1`, '/']]);
});

test('Upgrade clicked while a newer text is still being checked opens no diff of equal sides', async (t) => {
  const { page } = await hookedPage(t);
  assert.equal(await page.textContent('#upgrade'), 'Upgrade: 1 fix');
  // A text with nothing to fix, whose check the worker holds for 3 s: until it ends, the
  // button still shows the sample's count.
  const unfixable = '{"SLOW-NOW": 1, "oscontainer": {"image": "quay.io/x"}}';
  await page.evaluate((value) => navigator.clipboard.writeText(value), unfixable);
  await page.locator('#editor .cm-content').focus();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+v');
  await page.waitForSelector('#findings-section[aria-busy="true"]');
  assert.equal(await page.isEnabled('#upgrade'), true);
  await page.click('#upgrade');
  await page.waitForSelector('#toast:has-text("Nothing to upgrade")');
  assert.equal(await page.textContent('#toast'), 'Nothing to upgrade: Upgrade would change nothing in this document.');
  assert.equal(await page.isVisible('#diff-panel'), false);
  assert.equal(await page.isVisible('#editor-panel'), true);
  await settled(page);
  assert.deepEqual(rowsOf(await findings(page)), [['error', 'digest-missing', '1:32', '/oscontainer']]);
  assert.equal(await page.isDisabled('#upgrade'), true);
  assert.deepEqual(page.problems, []);
});
