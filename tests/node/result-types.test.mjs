// The result types of pkg/index.d.ts against what Rust really returns: each result, on
// the corpus and on documents made to reach the rarer fields (fixes, related places, other
// documents, parsed values), is written into a TypeScript file as an object literal
// assigned to its function's declared return type, and tsc checks the file. Object
// literals get excess-property checks at every depth, so a field Rust adds, drops, renames
// or makes nullable without the d.ts following fails here with tsc naming it: the result
// types cannot drift from the Rust structs they describe. (TypeScript 7 has no compiler
// API to walk the types from JS; tsc itself is the checker.)

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import * as api from '../../pkg/node.js';
import { corpus, pkgDir, rootDir, sha256 } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'oscontainer-types-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * tsc's complaints about `results` ([function name, label, value]) as values of the
 * functions' return types; an empty list when it accepts them all.
 */
function typeErrors(results) {
  const lines = [`import type * as api from ${JSON.stringify(`${pkgDir}index.d.ts`)};`];
  results.forEach(([fn, label, value], i) => {
    lines.push(`// ${fn}(${label})`, `export const r${i}: ReturnType<typeof api.${fn}> = ${JSON.stringify(value)};`);
  });
  const file = join(dir, `results-${results.length}-${Date.now()}.ts`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  try {
    execFileSync(
      join(rootDir, 'node_modules/.bin/tsc'),
      ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--skipLibCheck', '--types', 'node', file],
      { encoding: 'utf8', stdio: 'pipe' },
    );
    return [];
  } catch (error) {
    return `${error.stdout}${error.stderr}`.split('\n').filter((line) => line.includes('error TS'));
  }
}

/** Asserts that every result of `fn` is of its declared return type. */
function conforms(fn, results) {
  assert.deepEqual(typeErrors(results.map(([label, value]) => [fn, label, value])), []);
}

const REPO = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev';
const D = sha256('ab');
/** Documents that reach the fields the corpus leaves out: fixes, related places, odd shapes. */
const MADE = {
  embedded: `{"buildid": "36.20221014.3.0", "kubevirt": {"image": "${REPO}@${D}"}}`,
  duplicate: `{"base-oscontainer": {"image": "${REPO}", "image": "${REPO}", "digest": "${D}"}}`,
  conflict: `{"oscontainer": {"image": "${REPO}@${sha256('cd')}", "digest": "${D}", "tags": "4.13"}}`,
  broken: '{"oscontainer": {',
  bare: `{"image": "${REPO}", "digest": "${D}", "tags": ["4.13"]}`,
  bom: `\uFEFF{"kubevirt": {"image": "${REPO}", "digest": "${D.toUpperCase()}", "manifest-list-digest": "${D}"}}`,
  additional: `{"base-oscontainer": {"image": "${REPO}", "digest": "${D}", "additional-images": [{"image": "${REPO}@${D}"}, 3]}}`,
};

function documents() {
  const { files } = corpus('meta');
  const texts = [...(files ?? []), ...Object.entries(MADE)];
  // A parsed value too: no positions, fixes without edits.
  return [...texts, ['parsed', JSON.parse(MADE.embedded)]];
}

test('validate, upgrade and releaseView return exactly their declared types', () => {
  const docs = documents();
  conforms('validate', docs.map(([name, input]) => [name, api.validate(input)]));
  conforms('validate', docs.map(([name, input]) => [`${name}, compat`, api.validate(input, { profile: 'compat' })]));
  conforms('upgrade', docs.map(([name, input]) => [name, api.upgrade(input)]));
  conforms('releaseView', docs.map(([name, input]) => [name, api.releaseView(input, { buildId: '36.20221014.3.0' })]));
});

test('compareArches, checkBuild and checkRelease return exactly their declared types', () => {
  const docs = documents().filter(([, input]) => typeof input === 'string');
  const arches = ['x86_64', 'aarch64', 's390x', 'ppc64le'];
  const build = docs.slice(0, 4).map(([name, input], i) => ({ arch: arches[i], name, input }));
  const made = [
    { arch: 'x86_64', input: MADE.embedded },
    { arch: 'aarch64', input: MADE.conflict },
    { input: JSON.parse(MADE.bare) },
  ];
  conforms('compareArches', [['corpus', api.compareArches(build)], ['made', api.compareArches(made)]]);
  conforms('checkBuild', [['corpus', api.checkBuild(build)], ['made', api.checkBuild(made, { presence: { kubevirt: 'all' } })]]);
  const { files } = corpus('release');
  const releases = (files ?? []).map(([name, text]) => [name, api.checkRelease(text, build)]);
  conforms('checkRelease', [...releases, ['made', api.checkRelease('{"release": "x", "architectures": 3}', made)]]);
});

test('parseReference and schema return exactly their declared types', () => {
  conforms('parseReference', [
    ['strict', api.parseReference(`${REPO}:4.13@${D}`)],
    ['normalised', api.parseReference('fedora', { normalize: true })],
    ['no domain', api.parseReference('fedora')],
  ]);
  conforms('schema', [['embedded', api.schema()]]);
});

test('readBuildsIndex returns exactly its declared type', () => {
  const { cases } = JSON.parse(readFileSync(new URL('../cases/builds-index.json', import.meta.url), 'utf8'));
  conforms('readBuildsIndex', [
    ...cases.map(({ name, text }) => [name, api.readBuildsIndex(text.join('\n'))]),
    ['schema 1', api.readBuildsIndex('{"schema-version": "1.0.0", "builds": [{"id": "a", "arches": ["x86_64"], "policy-cleanup": {"containers": true}}, "a"], "tombstone-builds": [{"id": "b"}], "timestamp": "t"}')],
    ['legacy', api.readBuildsIndex('{"builds": ["a"]}')],
    ['refused', api.readBuildsIndex('{"schema-version": "2.0.0", "builds": []}')],
  ]);
});

test('the check itself tells a wrong result from a right one', () => {
  const report = api.validate(MADE.embedded);
  assert.deepEqual(typeErrors([['validate', 'as is', report]]), []);
  const { profile, ...noProfile } = report;
  const renamed = { ...report, diagnostics: report.diagnostics.map((d) => ({ ...d, severity: 'fatal' })) };
  const errors = typeErrors([
    ['validate', 'no profile', noProfile],
    ['validate', 'extra', { ...report, extra: 1 }],
    ['validate', 'renamed severity', renamed],
  ]);
  const said = (pattern) => errors.some((line) => pattern.test(line));
  assert.ok(said(/Property 'profile' is missing in type .* but required in type 'Report'/), errors.join('\n'));
  assert.ok(said(/'"extra"' does not exist in type 'Report'/), errors.join('\n'));
  assert.ok(said(/Type '"fatal"' is not assignable to type 'Severity'/), errors.join('\n'));
  assert.equal(profile, 'canonical');
});
