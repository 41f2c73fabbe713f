// Runs two builds of the CLI side by side on the same inputs and reports every difference
// in exit status, stdout, stderr or files written: the check that a refactor changed no
// verdict, position, fix or output (issue 21). The inputs are the corpus's meta.json files
// and a generated builds directory (tests/node/builds-fixture.mjs) with malformed
// builds.json variants, each copied into a fresh temporary directory per run so that
// `upgrade --write` starts from the same bytes.
//
// Usage: node bench/differential.mjs --old DIR --new DIR
//   DIR is a built package folder (its bin, e.g. pkg/ of an older checkout after `make pkg`).
// Exit status 0 when every run is the same, 1 otherwise.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { cleanUp, layout, sources, tree } from '../tests/node/builds-fixture.mjs';
import { corpus } from '../tests/node/helpers.mjs';

const { values } = parseArgs({ options: { old: { type: 'string' }, new: { type: 'string' } } });
if (!values.old || !values.new) {
  console.error('usage: node bench/differential.mjs --old DIR --new DIR');
  process.exit(2);
}

/** The CLI script of a package folder, from its package.json's "bin". */
function cliOf(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.oscontainer;
  return resolve(dir, bin);
}

const clis = { old: cliOf(values.old), new: cliOf(values.new) };

const meta = corpus('meta');
const fixture = sources();
if (meta.files === null || !fixture.ok) {
  console.error(`the corpus is needed: ${meta.reason ?? fixture.reason}`);
  process.exit(2);
}

/** Every file below `dir`, relative path → bytes (as text: the documents are UTF-8). */
function snapshot(dir) {
  const out = {};
  const walk = (sub) => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const path = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path), 'latin1');
    }
  };
  walk('');
  return out;
}

const metaFiles = Object.fromEntries(meta.files.map(([name, text]) => [`meta/${name}`, text]));
const builds = layout(fixture.texts).files;
const buildsFiles = Object.fromEntries(Object.entries(builds).map(([path, text]) => [`builds/${path}`, text]));
// A directory where a meta.json should be: a file that cannot be read, as in the tests.
const unreadable = ['builds/43.81.201912110942.0/aarch64/meta.json'];

/** builds.json variants: each replaces the generated one. */
const BUILDS_JSON = {
  generated: builds['builds.json'],
  legacy: `${JSON.stringify({ builds: ['410.84.202110140201-0'] })}\n`,
  'schema-2': `${JSON.stringify({ 'schema-version': '2.0.0', builds: [] })}\n`,
  'bad-entries': `${JSON.stringify({ 'schema-version': '1.0.0', builds: [{ id: '410.84.202110140201-0', arches: ['x86_64'] }, 7, { arches: [] }, { id: 'x', arches: 'x86_64' }] })}\n`,
  'not-json': '{"schema-version": "1.0.0", "builds": [',
  'pruned': `${JSON.stringify({ 'schema-version': '1.1.0', builds: [{ id: '410.84.202110140201-0', arches: ['x86_64'], 'policy-cleanup': { 'cloud-uploads': true, containers: true } }], 'tombstone-builds': [{ id: '45.81.202005200134-0', arches: ['x86_64'] }] })}\n`,
};

const metaPaths = Object.keys(metaFiles);
const one = metaPaths[0];
const FORMATS = ['text', 'json', 'jsonl', 'github'];

/** The runs: [label, files to lay out, argv]. */
const runs = [];
for (const format of FORMATS) {
  runs.push([`check --format ${format}`, metaFiles, ['check', '--format', format, '--jobs', '1', 'meta']]);
  runs.push([`check --profile compat --strict --format ${format}`, metaFiles, ['check', '--profile', 'compat', '--strict', '--format', format, '--jobs', '1', 'meta']]);
  runs.push([`upgrade --format ${format}`, metaFiles, ['upgrade', '--format', format, '--jobs', '1', 'meta']]);
  runs.push([`release --format ${format}`, metaFiles, ['release', '--format', format, one]]);
  runs.push([`arches --format ${format}`, metaFiles, ['arches', '--format', format, ...metaPaths.slice(0, 4)]]);
  for (const [variant, text] of Object.entries(BUILDS_JSON)) {
    runs.push([`builds (${variant}) --format ${format}`, { ...buildsFiles, 'builds/builds.json': text }, ['builds', '--format', format, '--jobs', '1', 'builds']]);
  }
}
for (const path of metaPaths) {
  runs.push([`check ${path}`, metaFiles, ['check', path]]);
  runs.push([`upgrade ${path}`, metaFiles, ['upgrade', path]]);
  runs.push([`release ${path}`, metaFiles, ['release', path]]);
}
runs.push(['upgrade --write', metaFiles, ['upgrade', '--write', '--jobs', '1', 'meta']]);
runs.push(['upgrade --check', metaFiles, ['upgrade', '--check', '--jobs', '1', 'meta']]);
runs.push(['builds --last 2 --strict', buildsFiles, ['builds', '--last', '2', '--strict', 'builds']]);
runs.push(['arches --presence kubevirt=all', metaFiles, ['arches', '--presence', 'kubevirt=all', ...metaPaths.slice(0, 3)]]);
runs.push(['unknown command', metaFiles, ['chekc', one]]);
runs.push(['no arguments', metaFiles, []]);

/** One run of one CLI in a fresh copy of `files`: status, output and the files after. */
function runOnce(cli, files, argv) {
  const dir = tree(files, 'builds/builds.json' in files ? unreadable : []);
  const result = spawnSync(process.execPath, [cli, ...argv], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, files: JSON.stringify(snapshot(dir)) };
}

let differences = 0;
for (const [label, files, argv] of runs) {
  const a = runOnce(clis.old, files, argv);
  const b = runOnce(clis.new, files, argv);
  const differing = ['status', 'stdout', 'stderr', 'files'].filter((key) => a[key] !== b[key]);
  if (differing.length > 0) {
    differences += 1;
    console.log(`DIFFERENT: ${label}: ${differing.join(', ')}`);
    for (const key of differing.filter((k) => k !== 'files')) {
      console.log(`  old ${key}: ${JSON.stringify(a[key]).slice(0, 400)}`);
      console.log(`  new ${key}: ${JSON.stringify(b[key]).slice(0, 400)}`);
    }
  }
}
cleanUp();
console.log(`${runs.length} runs of each CLI (${clis.old} vs ${clis.new}): ${differences} with a difference`);
process.exit(differences === 0 ? 0 : 1);
