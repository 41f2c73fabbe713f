// The reviewer page's start in Chromium, for run.mjs (`--only page`): from navigation to
// the first findings shown, and the bytes the page downloads on the way. www/dist is
// served by www/serve.mjs on a free loopback port and opened in Debian's Chromium through
// playwright-core, with the browser tests' own set-up (tests/browser/support.mjs).
//
// Each run is a new browser context, so nothing is cached between runs (HTTP cache, the
// compiled .wasm): every run is a first visit. One run before them is not counted (the
// browser process's own first-time work). Times are the page's own clock, whose zero is
// the navigation start (performance.timeOrigin):
// - "findings shown": the first animation frame callback after the findings list holds
//   exactly the sample's findings (their codes, in order), i.e. the rendering step that
//   paints them; a MutationObserver installed before any page script notices the change.
// - DOMContentLoaded, load and first contentful paint from the navigation and paint timing.
// Bytes: every response the server sent for the page (the worker's fetches included,
// which the page's resource timing does not see), as the body sizes of the files it
// served (www/serve.mjs sends files whole and uncompressed), and what gzip -9 would make
// of each.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { rootDir } from './cases.mjs';

const dist = `${rootDir}www/dist/`;

function gzipSize(bytes) {
  try {
    return execFileSync('gzip', ['-9', '-c'], { input: bytes, maxBuffer: 1 << 26 }).length;
  } catch {
    return gzipSync(bytes, { level: 9 }).length;
  }
}

/** The file www/serve.mjs sent for a URL path, or null (a 404). */
function servedFile(urlPath) {
  const path = new URL(urlPath, 'http://localhost').pathname;
  const file = `${dist}${(path.endsWith('/') ? `${path}index.html` : path).replace(/^\/+/, '')}`;
  return existsSync(file) ? file : null;
}

/**
 * Measures `runs` page starts. `expectedCodes` are the codes of the sample's findings in
 * the order the page lists them (the package's own verdict on www/src/sample.json).
 * Returns { runs: [...], files: [...] } or { skipped: reason }.
 */
export async function measurePage({ runs, expectedCodes, log = () => {} }) {
  if (!existsSync(`${dist}index.html`)) return { skipped: 'www/dist is not built (make www)' };
  let support;
  try {
    support = await import('../tests/browser/support.mjs');
  } catch (error) {
    return { skipped: `cannot load the browser set-up (${error.message})` };
  }
  let session;
  try {
    session = await support.startSession();
  } catch (error) {
    return { skipped: `cannot start Chromium (${error.message.split('\n')[0]}); make bench installs it` };
  }
  try {
    const measured = [];
    for (let i = -1; i < runs; i++) {
      const context = await session.browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript((codes) => {
        const want = JSON.stringify(codes);
        const observer = new MutationObserver(() => {
          const rows = document.querySelectorAll('#findings button.finding .code');
          if (rows.length !== codes.length) return;
          if (JSON.stringify([...rows].map((r) => r.textContent)) !== want) return;
          observer.disconnect();
          window.__findingsInDom = performance.now();
          // Not the callback's argument: that is the frame's begin time, which can
          // precede the change it paints.
          requestAnimationFrame(() => {
            window.__findingsShown = performance.now();
          });
        });
        observer.observe(document, { childList: true, subtree: true, characterData: true });
      }, expectedCodes);
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const from = session.served.length;
      await page.goto(session.url, { waitUntil: 'load' });
      await page.waitForFunction(() => window.__findingsShown !== undefined, null, { timeout: 30_000 });
      // Whatever else the page fetches once it has settled (nothing is expected).
      await page.waitForLoadState('networkidle');
      const timing = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return {
          findingsShown: window.__findingsShown,
          findingsInDom: window.__findingsInDom,
          responseEnd: nav.responseEnd,
          domContentLoaded: nav.domContentLoadedEventEnd,
          load: nav.loadEventEnd,
          firstContentfulPaint: fcp?.startTime ?? null,
        };
      });
      const served = session.served.slice(from);
      await context.close();
      if (errors.length) throw new Error(`the page threw: ${errors.join('; ')}`);
      if (i < 0) continue;
      measured.push({ ...timing, served });
      log(`  run ${i + 1}/${runs}: findings shown at ${timing.findingsShown.toFixed(1)} ms`);
    }
    // Every run fetches the same files (checked), so the files of the first one stand for all.
    const key = (r) => [...r.served].sort().join(' ');
    const differing = measured.filter((r) => key(r) !== key(measured[0])).length;
    const files = measured[0].served.map((url) => {
      const file = servedFile(url);
      const bytes = file ? readFileSync(file) : null;
      return { url, bytes: bytes?.length ?? 0, gzip9: bytes ? gzipSize(bytes) : 0, found: Boolean(file) };
    });
    return { runs: measured, files, runsWithOtherFiles: differing };
  } finally {
    await session.close();
  }
}
