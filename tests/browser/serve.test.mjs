// The static server behind `make serve`: MIME types, the CSP header, and no way out of
// www/dist.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '../../www/serve.mjs';
import { CSP } from '../../www/csp.mjs';
import { ROOT } from './support.mjs';

let served;
before(async () => {
  served = await startServer({ port: 0 });
});
after(() => new Promise((done) => served.server.close(done)));

// Sends the path exactly as written: fetch() and URL would resolve the dot segments first.
function get(path, method = 'GET') {
  const { port } = served.server.address();
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, method }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

test('serves the page with the CSP header that index.html also carries', async () => {
  const page = await get('/');
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(page.headers['content-security-policy'], CSP);
  assert.ok(page.body.toString().includes(`<meta http-equiv="Content-Security-Policy" content="${CSP}">`));
  assert.equal(CSP, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'");
});

test('gives each file its MIME type; both .wasm modules are application/wasm and byte-identical to pkg/wasm/', async () => {
  const types = {
    '/main.js': 'text/javascript; charset=utf-8',
    '/worker.js': 'text/javascript; charset=utf-8',
    '/style.css': 'text/css; charset=utf-8',
    '/favicon.svg': 'image/svg+xml',
    '/oscontainer_bg.wasm': 'application/wasm',
    '/oscontainer_schema_bg.wasm': 'application/wasm',
  };
  for (const [path, type] of Object.entries(types)) {
    const response = await get(path);
    assert.equal(response.status, 200, path);
    assert.equal(response.headers['content-type'], type, path);
    assert.equal(response.headers['x-content-type-options'], 'nosniff', path);
  }
  for (const name of ['oscontainer_bg.wasm', 'oscontainer_schema_bg.wasm']) {
    const wasm = await get(`/${name}`);
    assert.deepEqual(wasm.body, await readFile(join(ROOT, 'pkg/wasm', name)), name);
  }
  assert.equal((await get('/oscontainer_bg.wasm', 'HEAD')).body.length, 0);
});

test('nothing outside www/dist can be reached', async () => {
  for (const path of [
    '/../build.mjs', '/../../Makefile', '/%2e%2e/%2e%2e/Makefile', '/..%2f..%2fMakefile',
    '/..%5c..%5cMakefile', '/%00', '/%E0%A4%A', '/no-such-file', '//etc/passwd',
  ]) {
    const response = await get(path);
    assert.equal(response.status, 404, path);
    assert.equal(response.headers['content-security-policy'], CSP, path);
  }
  assert.equal((await get('/', 'POST')).status, 405);
});
