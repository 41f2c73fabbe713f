// Shared set-up for the browser tests: Debian's Chromium through playwright-core, the
// page's own static server on a free port, and readers for what the page shows.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer } from '../../www/serve.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const OUTPUT = join(ROOT, 'test-output');
export const SAMPLE = readFileSync(join(ROOT, 'www/src/sample.json'), 'utf8');

// Without these switches Chromium opens connections of its own (updates, sync, field
// trials) that this machine's closed network refuses.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

/** The corpus folder beside the checkout, or null (after saying why) when it is missing outside CI. */
export function corpus(sub, t) {
  const dir = resolve(ROOT, '../shared/corpus', sub);
  if (existsSync(dir)) return dir;
  const reason = `corpus folder ${dir} is missing`;
  if (process.env.CI) throw new Error(`${reason} and CI is set`);
  console.log(`skipped: ${reason}`);
  t.skip(reason);
  return null;
}

/** Starts the server and the browser; every request any page makes is kept in `requests`. */
export async function startSession() {
  const served = [];
  const { server, url } = await startServer({ port: 0 });
  server.on('request', (request) => served.push(request.url));
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const session = {
    url,
    origin: new URL(url).origin,
    browser,
    requests: [],
    served,
    async close() {
      await browser.close();
      await new Promise((done) => server.close(done));
    },
  };
  return session;
}

/**
 * A fresh context and page with clipboard access, recording requests, console errors,
 * uncaught errors, dialogs and CSP violations for the assertions in `assertClean`.
 */
export async function openPage(session, { path = '', colorScheme = 'light', viewport = { width: 1280, height: 800 } } = {}) {
  const context = await session.browser.newContext({ viewport, colorScheme, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.origin });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const problems = [];
  context.on('request', (request) => session.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
  page.problems = problems;
  await page.goto(session.url + path);
  await settled(page);
  return { context, page };
}

export async function assertClean(page, assert) {
  const violations = await page.evaluate(() => window.__cspViolations);
  assert.deepEqual(violations, [], 'no CSP violations');
  assert.deepEqual(page.problems, [], 'no console errors, uncaught errors or dialogs');
}

/** Waits until the findings describe the current text (no validation pending). */
export async function settled(page) {
  await page.waitForSelector('#findings-section[aria-busy="false"]');
}

/** Runs `action` and waits until a validation that started after it has been shown. */
export async function validated(page, action) {
  const before = await page.getAttribute('#findings-section', 'data-validations');
  await action();
  await page.waitForFunction((previous) => {
    const section = document.querySelector('#findings-section');
    return section.dataset.validations !== previous && section.getAttribute('aria-busy') === 'false';
  }, before);
}

export async function findings(page) {
  return page.$$eval('#findings button.finding', (rows) => rows.map((row) => ({
    severity: [...row.classList].find((c) => c.startsWith('severity-')).slice('severity-'.length),
    code: row.querySelector('.code').textContent,
    position: row.querySelector('.position').textContent,
    pointer: row.querySelector('.pointer')?.textContent ?? null,
    message: row.querySelector('.message').textContent,
    hint: row.querySelector('.hint')?.textContent ?? null,
  })));
}

export async function entries(page) {
  return page.$$eval('#entries-body tr', (rows) => rows.map((row) => [...row.cells].map((cell) => cell.querySelector('code')?.textContent ?? cell.textContent)));
}

export async function clipboard(page) {
  return page.evaluate(() => navigator.clipboard.readText());
}

/** The editor's whole text, read the way a user would: select all and copy. */
export async function editorText(page) {
  await page.locator('#editor .cm-content').focus();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+c');
  return clipboard(page);
}

/** Replaces the editor's text by pasting, as a user would. */
export async function paste(page, text) {
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await page.locator('#editor .cm-content').focus();
  await page.keyboard.press('Control+a');
  await validated(page, () => page.keyboard.press('Control+v'));
}

/** Drops a file on `selector` the way the browser delivers a drag from the desktop. */
export async function dropFile(page, selector, name, text) {
  const dataTransfer = await page.evaluateHandle(({ name, text }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, { type: 'application/json' }));
    return transfer;
  }, { name, text });
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  const overlayShown = await page.locator('#drop-overlay').isVisible();
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
  return overlayShown;
}

/**
 * One browser session for a test file, started before its first test and closed after its
 * last (with test-output/ made for screenshots), and `pageFor(t, options)`, a page that
 * closes with test `t`. `session` is there once the file's tests run.
 */
export function sessionPerFile() {
  const file = {
    /** @type {Awaited<ReturnType<typeof startSession>> | null} */
    session: null,
    async pageFor(t, options) {
      const { context, page } = await openPage(file.session, options);
      t.after(() => context.close());
      return page;
    },
  };
  before(async () => {
    file.session = await startSession();
    mkdirSync(OUTPUT, { recursive: true });
  });
  after(async () => {
    await file.session?.close();
  });
  return file;
}
