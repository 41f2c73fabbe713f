// The package as a user gets it: `npm install <pkg>` into a fresh directory (copied the
// way a registry install would, honouring "files"), then imported from there, its bin,
// and its types compiled by tsc against a typed usage file.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { pkgDir, rootDir, sha256 } from './helpers.mjs';

let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'oscontainer-install-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // --install-links copies the folder as a packed package instead of symlinking it.
  execFileSync('npm', ['install', '--install-links', '--no-audit', '--no-fund', '--no-package-lock', '--offline', pkgDir], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the installed package holds exactly the published files', () => {
  const manifest = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8'));
  const installed = readdirSync(join(dir, 'node_modules/oscontainer')).sort();
  assert.deepEqual(installed, [...manifest.files, 'package.json'].sort());
});

test('node -e "import(\'oscontainer\')" works from the installing directory, without await init()', () => {
  const D = sha256('ab');
  const script = `
    import('oscontainer').then(({ validate, upgrade, version }) => {
      const text = '{"kubevirt": {"image": "quay.io/a/b@${D}"}}';
      const d = validate(text).diagnostics[0];
      console.log([version, d.code, d.line, d.column, upgrade(text).output].join('\\n'));
    });`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
  assert.equal(out, `0.1.0\nimage-embedded-digest\n1\n24\n{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}}\n`);
});

test('the .wasm and the schema are reachable through the exports map', () => {
  const script = `console.log(import.meta.resolve('oscontainer/oscontainer_bg.wasm'), import.meta.resolve('oscontainer/oscontainer.schema.json'))`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
  const [wasm, schema] = out.trim().split(' ');
  assert.ok(wasm.endsWith('/node_modules/oscontainer/oscontainer_bg.wasm'), wasm);
  assert.ok(schema.endsWith('/node_modules/oscontainer/oscontainer.schema.json'), schema);
});

test('the installed bin runs, on the main thread and on worker threads', () => {
  const bin = join(dir, 'node_modules/.bin/oscontainer');
  const D = sha256('ab');
  assert.equal(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout, 'oscontainer 0.1.0\n');
  const builds = join(dir, 'builds');
  // More files than the main thread takes on alone, so the workers' files must be installed.
  for (let i = 0; i < 70; i++) {
    mkdirSync(join(builds, String(i)), { recursive: true });
    writeFileSync(join(builds, String(i), 'meta.json'), `{"kubevirt": {"image": "quay.io/a/b${i === 7 ? `@${D}` : ''}", "digest": "${D}"}}`);
  }
  for (const jobs of ['1', '2']) {
    const run = spawnSync(bin, ['check', '--jobs', jobs, 'builds'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.stderr, 'checked 70 files: 1 error, 0 warnings\n', `--jobs ${jobs}`);
    assert.match(run.stdout, /^builds\/7\/meta\.json:1:24: error\[image-embedded-digest\]: /);
    assert.equal(run.status, 1);
  }
});

test('tsc --noEmit accepts the typed usage file against the installed types', () => {
  copyFileSync(new URL('./typed-usage.ts', import.meta.url), join(dir, 'typed-usage.ts'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['es2022', 'dom'],
        types: [],
        noUnusedLocals: false,
      },
      files: ['typed-usage.ts'],
    }),
  );
  const tsc = spawnSync(process.execPath, [join(rootDir, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
  assert.equal(tsc.stdout + tsc.stderr, '');
  assert.equal(tsc.status, 0);
});

test('index.d.ts has no `any`', () => {
  // Comments and string literal types (the presence rule 'any') are not the type `any`.
  const dts = readFileSync(`${pkgDir}index.d.ts`, 'utf8')
    .replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')
    .replace(/'[^'\n]*'/g, "''");
  assert.match(readFileSync(`${pkgDir}index.d.ts`, 'utf8'), /'any'/, 'the literal is there, so the check above is needed');
  assert.doesNotMatch(dts, /\bany\b/);
});
