// The package as a user gets it: the tarball `make pkg` packs (target/oscontainer-<version>.tgz),
// installed with `npm install <tarball>` into a fresh `npm init -y` project (CommonJS, the
// default), then used from there: an import script, a require script, the README's Node
// examples, the exports map, the bin, and the types compiled by tsc. And what a package
// whose .wasm is missing or from another build says.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, test } from 'node:test';

import { pkgDir, rootDir, sha256 } from './helpers.mjs';

const manifest = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8'));
const tarball = `${rootDir}target/oscontainer-${manifest.version}.tgz`;
const D = sha256('ab');
const META = `{"kubevirt": {"image": "quay.io/a/b@${D}"}}`;
const UPGRADED = `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}}`;

const temps = [];
/** The consumer project: `npm init -y`, then the tarball installed. */
let dir;
let installed;

function tempDir(prefix) {
  const made = mkdtempSync(join(tmpdir(), prefix));
  temps.push(made);
  return made;
}

function npm(args, cwd) {
  execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `node file` in `cwd`; stdout, stderr and the exit status. */
function node(file, cwd) {
  const run = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8' });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

before(() => {
  assert.ok(existsSync(tarball), `${tarball} is missing: run make pkg`);
  // Not named oscontainer*: npm refuses to install a package into a project of the same name.
  dir = tempDir('consumer-');
  npm(['init', '-y'], dir);
  npm(['install', tarball, '--offline', '--no-audit', '--no-fund'], dir);
  installed = join(dir, 'node_modules/oscontainer');
});

after(() => {
  for (const made of temps) rmSync(made, { recursive: true, force: true });
});

/** Every file below `dir`, as paths relative to it (`cli/main.js`), sorted. */
function filesBelow(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

test('the project is a default CommonJS one holding a copy of the tarball, not a link to pkg/', () => {
  const project = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  assert.equal(project.type ?? 'commonjs', 'commonjs');
  assert.match(project.dependencies.oscontainer, new RegExp(`^file:.*/target/oscontainer-${manifest.version.replaceAll('.', '\\.')}\\.tgz$`));
  // A symlinked folder (`npm install pkg/`) breaks the app when pkg/ is rebuilt or cleaned.
  assert.equal(lstatSync(installed).isSymbolicLink(), false);
});

test('README.md and docs/api.md install the tarball make pkg writes', () => {
  const line = `npm install /path/to/oscontainer/target/oscontainer-${manifest.version}.tgz`;
  for (const doc of ['README.md', 'docs/api.md']) {
    const text = readFileSync(`${rootDir}${doc}`, 'utf8').replace(/\s*\n\s*/g, ' ');
    assert.ok(text.includes(line), `${doc} shows \`${line}\``);
    assert.doesNotMatch(text, /npm install \S*\/pkg\b/, `${doc} installs the folder`);
  }
});

test('the installed package holds exactly the published files, each the same bytes as in pkg/', () => {
  const names = filesBelow(installed);
  assert.deepEqual(names, [...manifest.files, 'package.json'].sort());
  for (const name of names) {
    assert.ok(
      readFileSync(join(installed, name)).equals(readFileSync(`${pkgDir}${name}`)),
      `${name} differs from pkg/${name}: ${tarball} is older than pkg/, run make pkg`,
    );
  }
});

test('every module a published file loads is published', () => {
  // Static and dynamic imports and worker URLs, so that a file only loaded late (a worker,
  // an `await import`) is not found missing by a user first.
  const loads = /(?:from\s+|import\s*\(\s*|new URL\(\s*)'(\.\.?\/[^']+)'/g;
  const seen = new Set();
  for (const name of filesBelow(installed).filter((n) => n.endsWith('.js'))) {
    for (const [, target] of readFileSync(join(installed, name), 'utf8').matchAll(loads)) {
      // As the package's own folders name it: ../api.js from cli/ is api.js.
      const path = join(dirname(name), target);
      seen.add(path);
      assert.ok(existsSync(join(installed, path)), `${name} loads ${target}, which is not in "files"`);
    }
  }
  for (const target of ['api.js', 'node.js', 'wasm/oscontainer.js', 'wasm/oscontainer_bg.wasm', 'cli/worker.js', 'sources/worker.js']) {
    assert.ok(seen.has(target), `the scan finds ${target}`);
  }
});

// The same lines through `import` and `require`, so the two can only differ in how they load.
// require() of an ES module with a default export adds `__esModule` (Node's interop marker).
const BODY = `
const text = readFileSync('meta.json', 'utf8');
const report = validate(text);
const d = report.diagnostics[0];
console.log(version, report.valid, \`\${d.line}:\${d.column} \${d.severity}[\${d.code}] \${d.pointer}\`);
console.log(upgrade(text).output);
console.log(typeof init, Object.keys(api).filter((k) => k !== '__esModule').sort().join(' '));
`;
const EXPECTED =
  `${manifest.version} false 1:24 error[image-embedded-digest] /kubevirt/image\n` +
  `${UPGRADED}\n` +
  'function checkBuild checkRelease compareArches default init loadSchemaSupport parseReference readBuildsIndex releaseView schema upgrade validate version\n';

test('an import script (.mjs) and a require script (.cjs) in the project get the same working API, with no warning', () => {
  writeFileSync(join(dir, 'meta.json'), META);
  writeFileSync(
    join(dir, 'use-import.mjs'),
    `import { readFileSync } from 'node:fs';\nimport * as api from 'oscontainer';\nimport init, { validate, upgrade, version } from 'oscontainer';\n${BODY}`,
  );
  writeFileSync(
    join(dir, 'use-require.cjs'),
    `const { readFileSync } = require('node:fs');\nconst api = require('oscontainer');\nconst { default: init, validate, upgrade, version } = api;\n${BODY}`,
  );
  for (const script of ['use-import.mjs', 'use-require.cjs']) {
    // stderr empty: no ExperimentalWarning for require of an ES module (Node 20.19+).
    assert.deepEqual(node(script, dir), { stdout: EXPECTED, stderr: '', status: 0 }, script);
  }
});

test("the README's Node examples run as written in the project", () => {
  const readme = readFileSync(`${rootDir}README.md`, 'utf8');
  const start = readme.indexOf('\n### Node\n');
  assert.ok(start >= 0, 'README has a "### Node" section');
  const section = readme.slice(start, readme.indexOf('\n#', start + 1));
  const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 2, 'an import example and a require example');
  const [esm, cjs] = blocks;
  assert.match(esm, /^import \{[^}]*\} from 'oscontainer';$/m);
  assert.match(cjs, /= require\('oscontainer'\);$/m);
  writeFileSync(join(dir, 'readme-esm.mjs'), esm);
  writeFileSync(join(dir, 'readme-cjs.cjs'), cjs);

  writeFileSync(join(dir, 'meta.json'), META);
  assert.deepEqual(node('readme-cjs.cjs', dir), { stdout: `false [\n  'quay.io/a/b@${D}'\n]\n`, stderr: '', status: 0 });
  const esmRun = node('readme-esm.mjs', dir);
  assert.match(esmRun.stdout, /^meta\.json:1:24: error\[image-embedded-digest\]: image "quay\.io\/a\/b@sha256:[0-9a-f]{64}" [^\n]+\n$/);
  assert.deepEqual({ stderr: esmRun.stderr, status: esmRun.status }, { stderr: '', status: 0 });
  assert.equal(readFileSync(join(dir, 'meta.json'), 'utf8'), UPGRADED, 'the example upgrades the file');
  assert.deepEqual(node('readme-cjs.cjs', dir), { stdout: `true [\n  'quay.io/a/b@${D}'\n]\n`, stderr: '', status: 0 });
});

test('the .wasm and the schema are reachable through the exports map', () => {
  const script = `console.log(import.meta.resolve('oscontainer/oscontainer_bg.wasm'), import.meta.resolve('oscontainer/oscontainer.schema.json'))`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
  const [wasm, schema] = out.trim().split(' ');
  // The subpath the package has always had, kept for those who copy the .wasm next to a bundle.
  assert.ok(wasm.endsWith('/node_modules/oscontainer/wasm/oscontainer_bg.wasm'), wasm);
  assert.ok(schema.endsWith('/node_modules/oscontainer/oscontainer.schema.json'), schema);
});

test('the installed bin runs, on the main thread and on worker threads', () => {
  const bin = join(dir, 'node_modules/.bin/oscontainer');
  const run = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  assert.deepEqual({ stdout: run.stdout, stderr: run.stderr, status: run.status }, { stdout: `oscontainer ${manifest.version}\n`, stderr: '', status: 0 });
  const builds = join(dir, 'builds');
  // More files than the main thread takes on alone, so the workers' files must be installed.
  for (let i = 0; i < 70; i++) {
    mkdirSync(join(builds, String(i)), { recursive: true });
    writeFileSync(join(builds, String(i), 'meta.json'), `{"kubevirt": {"image": "quay.io/a/b${i === 7 ? `@${D}` : ''}", "digest": "${D}"}}`);
  }
  // The findings and the exit status; the summary's wording is the CLI tests' to hold.
  for (const jobs of ['1', '2']) {
    const run = spawnSync(bin, ['check', '--jobs', jobs, 'builds'], { cwd: dir, encoding: 'utf8' });
    assert.match(run.stdout, /^builds\/7\/meta\.json:1:24: error\[image-embedded-digest\]: /, `--jobs ${jobs}`);
    assert.equal(run.status, 1, `--jobs ${jobs}`);
  }
});

test('tsc --noEmit accepts the typed usage files (ES module and CommonJS) against the installed types', () => {
  // The project is CommonJS, so the ES module usage is an .mts file, as it would be there.
  copyFileSync(new URL('./typed-usage.ts', import.meta.url), join(dir, 'typed-usage.mts'));
  writeFileSync(
    join(dir, 'typed-require.cts'),
    [
      "import oscontainer = require('oscontainer');",
      '',
      "const report: oscontainer.Report = oscontainer.validate('{}');",
      'const first: oscontainer.DiagnosticCode | undefined = report.diagnostics[0]?.code;',
      'const version: string = oscontainer.version;',
      '// @ts-expect-error: the types reach a CommonJS file precisely, not as `any`',
      'const wrong: number = oscontainer.version;',
      'console.log(first, version, wrong);',
      '',
    ].join('\n'),
  );
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
      files: ['typed-usage.mts', 'typed-require.cts'],
    }),
  );
  const tsc = spawnSync(process.execPath, [join(rootDir, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
  assert.equal(tsc.stdout + tsc.stderr, '');
  assert.equal(tsc.status, 0);
});

/**
 * A copy of the installed package, in a project of its own, with `wasm` as its .wasm
 * (undefined: none); what `import` and `require` of it print, each in one line per script.
 */
function loadWith(wasm) {
  const project = tempDir('consumer-broken-');
  const copy = join(project, 'node_modules/oscontainer');
  cpSync(installed, copy, { recursive: true });
  rmSync(join(copy, 'wasm/oscontainer_bg.wasm'));
  if (wasm !== undefined) writeFileSync(join(copy, 'wasm/oscontainer_bg.wasm'), wasm);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  writeFileSync(join(project, 'load.mjs'), "import('oscontainer').then(() => console.log('loaded'), (e) => console.log(`${e.name}: ${e.message}`));\n");
  writeFileSync(
    join(project, 'load.cjs'),
    "try { require('oscontainer'); console.log('loaded'); } catch (e) { console.log(`${e.name}: ${e.message}`); }\n",
  );
  return { file: join(copy, 'wasm/oscontainer_bg.wasm'), runs: ['load.mjs', 'load.cjs'].map((script) => node(script, project)) };
}

const ADVICE =
  'In a checkout of oscontainer, run `make pkg`; in a project that installed it, reinstall the package: ' +
  `npm install /path/to/oscontainer/target/oscontainer-${manifest.version}.tgz (written by \`make pkg\`).`;

test('a package without its .wasm says which file is missing and to run make pkg or reinstall', () => {
  const { file, runs } = loadWith(undefined);
  for (const run of runs) {
    assert.deepEqual(run, { stdout: `Error: oscontainer: cannot read ${file} (ENOENT). ${ADVICE}\n`, stderr: '', status: 0 });
  }
});

test('a .wasm that is not a module, or from another build, says so with the same advice', () => {
  const { file, runs } = loadWith('not wasm');
  for (const run of runs) {
    assert.equal(run.stderr, '');
    assert.ok(run.stdout.startsWith(`Error: oscontainer: ${file} is not the module oscontainer.js was built with (CompileError: `), run.stdout);
    assert.ok(run.stdout.endsWith(`). ${ADVICE}\n`), run.stdout);
  }
  // A valid module that imports a function the glue does not provide, as a .wasm from
  // another wasm-bindgen run does (the import names carry a hash).
  const name = (s) => [s.length, ...Buffer.from(s)];
  const importSection = [1, ...name('./oscontainer_bg.js'), ...name('__wbg_from_another_build'), 0, 0];
  const otherBuild = Buffer.from([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...[1, 4, 1, 0x60, 0, 0], // one type: () -> ()
    ...[2, importSection.length, ...importSection],
  ]);
  assert.ok(WebAssembly.validate(otherBuild));
  for (const run of loadWith(otherBuild).runs) {
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^Error: oscontainer: \S+oscontainer_bg\.wasm is not the module oscontainer\.js was built with \(LinkError: /);
    assert.ok(run.stdout.endsWith(`). ${ADVICE}\n`), run.stdout);
  }
});
