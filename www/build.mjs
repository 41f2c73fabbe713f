// Builds the reviewer page into www/dist: index.html, main.js, worker.js, style.css, the
// package's two .wasm modules (fetched by URL at run time, never inlined; the schema one
// only when Extra schema… is used) and the favicon.

import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP } from './csp.mjs';

const www = dirname(fileURLToPath(import.meta.url));
const root = dirname(www);
const pkg = join(root, 'pkg');
const dist = join(www, 'dist');

// The browser entry of pkg/package.json's "exports", as a bundler resolves it for
// `import ... from "oscontainer"`. esbuild's `alias` would skip the exports map.
function pickExport(target, conditions) {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.map((t) => pickExport(t, conditions)).find(Boolean) ?? null;
  for (const [condition, value] of Object.entries(target ?? {})) {
    const picked = conditions.includes(condition) ? pickExport(value, conditions) : null;
    if (picked) return picked;
  }
  return null;
}

const localPackage = {
  name: 'oscontainer-from-pkg',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^oscontainer$/ }, async () => {
      const manifest = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8'));
      const exports = manifest.exports?.['.'] ?? manifest.exports;
      const entry = pickExport(exports, ['browser', 'import', 'default']);
      if (!entry) return { errors: [{ text: 'pkg/package.json has no browser entry in "exports"' }] };
      return { path: join(pkg, entry) };
    });
  },
};

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

await build({
  entryPoints: [
    { in: join(www, 'src/main.js'), out: 'main' },
    { in: join(www, 'src/worker.js'), out: 'worker' },
    { in: join(www, 'style.css'), out: 'style' },
  ],
  outdir: dist,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome111', 'firefox113', 'safari16.4'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  plugins: [localPackage],
  logLevel: 'warning',
});

const html = await readFile(join(www, 'index.html'), 'utf8');
await writeFile(join(dist, 'index.html'), html.replace('%CSP%', CSP));
await copyFile(join(www, 'favicon.svg'), join(dist, 'favicon.svg'));
// Next to worker.js, where the bundled glue's `new URL('oscontainer_bg.wasm', import.meta.url)` points.
await copyFile(join(pkg, 'wasm/oscontainer_bg.wasm'), join(dist, 'oscontainer_bg.wasm'));
await copyFile(join(pkg, 'wasm/oscontainer_schema_bg.wasm'), join(dist, 'oscontainer_schema_bg.wasm'));
console.log(`built ${dist}`);
