// `oscontainer builds DIR` and `oscontainer arches BUILD_DIR`, run as a user runs them, on a
// builds directory made from real documents (tests/node/builds-fixture.mjs): each format's
// exact output, --build, --last, --release, exit statuses, usage errors, and the progress
// bar (only on a terminal).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { buildsTable, tableRow } from '../../pkg/cli/builds.js';
import { progressBar } from '../../pkg/cli/output.js';
import { checkBuildsDir } from '../../pkg/fs.js';
import { compareArches, validate } from '../../pkg/node.js';
import { buildsTree, cleanUp, IDS, layout, sources, tree } from './builds-fixture.mjs';
import { pkgDir } from './helpers.mjs';

after(cleanUp);

const CLI = join(pkgDir, 'cli/main.js');
const { ok, reason, texts } = sources();
const skip = ok ? false : reason;

/** Runs the CLI; stdout and stderr as text, the exit status. */
function run(args, { cwd } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The 1-based line of the first line of `text` containing `needle`. */
function lineOf(text, needle) {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

/** Every result of checkBuildsDir, as the CLI's json has them. */
async function all(dir, options) {
  const results = [];
  for await (const result of checkBuildsDir(dir, options)) results.push(result);
  return results;
}

/** What the fixture's builds say, for the expectations: file names, positions, messages. */
function expected() {
  const { broken } = layout(texts);
  const lines = broken.split('\n');
  const syntax = validate(broken).diagnostics[0];
  const digestLine = lineOf(texts.ootpa0325, '"digest"');
  const shared = (arch, other) => `oscontainer on ${arch} has the same digest as on ${other}; that is the manifest list's digest, not this architecture's own`;
  const b = (id, arch) => `builds/${id}/${arch}/meta.json`;
  return {
    syntax: { file: b(IDS.broken, 'x86_64'), line: lines.length, column: lines.at(-1).length + 1, message: syntax.message },
    shared: [
      { file: b(IDS.shared, 'x86_64'), line: digestLine, column: 19, message: shared('x86_64', 'aarch64') },
      { file: b(IDS.shared, 'aarch64'), line: digestLine, column: 19, message: shared('aarch64', 'x86_64') },
    ],
    missing: b(IDS.missing, 's390x'),
    unreadable: b(IDS.unreadable, 'aarch64'),
  };
}

const FILE_ERRORS = () =>
  `oscontainer: ${expected().missing}: no such file or directory\n` + `oscontainer: ${expected().unreadable}: cannot read: is a directory\n`;
const SUMMARY = 'checked 5 builds (10 files): 3 problems (3 errors, 0 warnings); 2 files could not be read\n';

describe('builds: each format', { skip }, () => {
  test('text: the table, then the findings; file errors and the summary on stderr; exit 2 for the unread files', () => {
    const cwd = buildsTree(texts);
    const { syntax, shared } = expected();
    assert.deepEqual(run(['builds', 'builds'], { cwd }), {
      status: 2,
      stdout:
        'build                  arches                        oscontainer      result\n' +
        `${IDS.clean}  x86_64 aarch64 ppc64le s390x  split 4/4        ok\n` +
        `${IDS.missing}   x86_64 s390x!                 split 1/2        1 unreadable\n` +
        `${IDS.unreadable}   x86_64 aarch64!               split 1/2        1 unreadable\n` +
        `${IDS.broken}       x86_64 aarch64                split 1/2        1 error\n` +
        `${IDS.shared}       x86_64 aarch64                split 2/2 error  2 errors\n` +
        '\n' +
        `${syntax.file}:${syntax.line}:${syntax.column}: error[json-syntax]: ${syntax.message}\n` +
        shared.map((s) => `${s.file}:${s.line}:${s.column}: error[arch-digest-shared]: ${s.message}\n`).join(''),
      stderr: FILE_ERRORS() + SUMMARY,
    });
  });

  test('github: file errors and findings as annotations, in build order', () => {
    const cwd = buildsTree(texts);
    const { syntax, shared, missing, unreadable } = expected();
    assert.deepEqual(run(['builds', '--format', 'github', 'builds'], { cwd }), {
      status: 2,
      stdout:
        `::error file=${missing},title=missing::no such file or directory\n` +
        `::error file=${unreadable},title=unreadable::cannot read: is a directory\n` +
        // A syntax error at the end of the text is a point; the shared digest covers its string.
        `::error file=${syntax.file},line=${syntax.line},endLine=${syntax.line},col=${syntax.column},title=json-syntax::${syntax.message}\n` +
        shared
          .map((s) => `::error file=${s.file},line=${s.line},endLine=${s.line},col=${s.column},endColumn=${s.column + '"sha256:"'.length + 64},title=arch-digest-shared::${s.message}\n`)
          .join(''),
      stderr: FILE_ERRORS() + SUMMARY,
    });
  });

  test('json: one array of what checkBuildsDir yields; jsonl: one line each', async () => {
    const cwd = buildsTree(texts);
    const root = join(cwd, 'builds');
    const results = await all(root);
    const json = run(['builds', '--format', 'json', root]);
    assert.equal(json.status, 2);
    assert.equal(json.stderr, FILE_ERRORS().replaceAll('oscontainer: builds/', `oscontainer: ${root}/`) + SUMMARY);
    assert.deepEqual(JSON.parse(json.stdout), results);
    assert.equal(json.stdout, `${JSON.stringify(results, null, 2)}\n`);
    const jsonl = run(['builds', '--format', 'jsonl', root]);
    assert.deepEqual(jsonl, { ...json, stdout: results.map((r) => `${JSON.stringify(r)}\n`).join('') });
  });
});

describe('builds: choosing builds, exit statuses', { skip }, () => {
  test('--build and --last; 0 when the chosen builds are clean, 1 for findings', () => {
    const cwd = buildsTree(texts);
    const clean = run(['builds', '--last', '1', 'builds'], { cwd });
    assert.deepEqual(clean, {
      status: 0,
      stdout: 'build                  arches                        oscontainer  result\n' + `${IDS.clean}  x86_64 aarch64 ppc64le s390x  split 4/4    ok\n`,
      stderr: 'checked 1 build (4 files): no problems\n',
    });
    assert.deepEqual(run(['builds', '--build', IDS.clean, 'builds'], { cwd }), clean);
    const shared = run(['builds', '--build', IDS.shared, '--build', IDS.broken, '--format', 'jsonl', 'builds'], { cwd });
    assert.equal(shared.status, 1);
    assert.deepEqual(shared.stdout.trim().split('\n').map((line) => JSON.parse(line).id), [IDS.broken, IDS.shared]);
    assert.equal(shared.stderr, 'checked 2 builds (4 files): 3 problems (3 errors, 0 warnings)\n');
    assert.equal(run(['builds', '--build', IDS.shared, '--build', IDS.broken, '--last', '1', 'builds'], { cwd }).stdout.split('\n')[1].split(' ')[0], IDS.broken);
  });

  test('a --build that is not there: named, the others checked, exit 2', () => {
    const cwd = buildsTree(texts);
    const result = run(['builds', '--build', '36.1', '--build', IDS.clean, 'builds'], { cwd });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'oscontainer: no build 36.1 in builds/builds.json\nchecked 1 build (4 files): no problems; 1 build not found\n');
    assert.equal(result.stdout.split('\n').length, 3);
  });

  test('a build directory: its one build, arches by name', () => {
    const cwd = buildsTree(texts);
    assert.deepEqual(run(['builds', `builds/${IDS.clean}`], { cwd }), {
      status: 0,
      stdout: 'build                  arches                        oscontainer  result\n' + `${IDS.clean}  aarch64 ppc64le s390x x86_64  split 4/4    ok\n`,
      stderr: 'checked 1 build (4 files): no problems\n',
    });
  });

  test('builds.json that is not JSON: a finding at its place, exit 1; unreadable: exit 2', () => {
    const cwd = tree({ 'builds/builds.json': '{"builds": [' });
    const message = validate('{"builds": [').diagnostics[0].message;
    assert.deepEqual(run(['builds', 'builds'], { cwd }), {
      status: 1,
      stdout: `builds/builds.json:1:13: error[builds-json-invalid]: builds.json is not JSON: ${message}\n`,
      stderr: 'checked 0 builds (0 files): 1 problem (1 error, 0 warnings)\n',
    });
    assert.equal(
      run(['builds', '--format', 'github', 'builds'], { cwd }).stdout,
      `::error file=builds/builds.json,line=1,endLine=1,col=13,title=builds-json-invalid::builds.json is not JSON: ${message}\n`,
    );
    const unreadable = tree({}, ['builds/builds.json']);
    assert.deepEqual(run(['builds', 'builds'], { cwd: unreadable }), {
      status: 2,
      stdout: '',
      stderr: 'oscontainer: builds/builds.json: cannot read: is a directory\nchecked 0 builds (0 files): no problems; builds.json could not be read\n',
    });
  });

  test('--strict: warnings fail too', () => {
    // An entry with an unknown field: a warning (no error), on one arch of a one-arch build.
    const text = texts.rhcos45.replace('"oscontainer": {', '"oscontainer": {\n        "digets": "x",');
    const cwd = tree({ 'builds/builds.json': JSON.stringify({ builds: [{ id: '45.81.202005200134-0', arches: ['x86_64'] }] }), 'builds/45.81.202005200134-0/x86_64/meta.json': text });
    const [warning] = validate(text).diagnostics;
    assert.equal(warning.severity, 'warning');
    const plain = run(['builds', 'builds'], { cwd });
    assert.equal(plain.status, 0);
    assert.match(plain.stdout, /split 1\/1 warning {2}1 warning\n\nbuilds\/45\.81\.202005200134-0\/x86_64\/meta\.json:\d+:\d+: warning\[/);
    assert.equal(run(['builds', '--strict', 'builds'], { cwd }).status, 1);
  });
});

describe('builds --release', { skip }, () => {
  test('the release.json is checked against the build it names; its findings name the release file', async () => {
    const cwd = buildsTree(texts);
    const [clean] = await all(join(cwd, 'builds'), { last: 1 });
    // The RHCOS builds have no base-oscontainer, so a release that claims one is wrong.
    const release = {
      release: IDS.clean,
      stream: 'stable',
      architectures: { x86_64: { 'oci-image': { image: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:4.10', 'digest-ref': `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${JSON.parse(texts.rhcos410).oscontainer.digest}` } } },
    };
    writeFileSync(join(cwd, 'release.json'), `${JSON.stringify(release, null, 2)}\n`);
    const result = run(['builds', '--last', '3', '--release', 'release.json', '--format', 'jsonl', join(cwd, 'builds')], { cwd });
    const records = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(records.map((r) => [r.id, r.release?.file ?? null]), [[IDS.clean, 'release.json'], [IDS.missing, null], [IDS.unreadable, null]]);
    const [withRelease] = await all(join(cwd, 'builds'), { last: 1, release: JSON.stringify(release, null, 2) });
    assert.deepEqual(records[0].release, { file: 'release.json', ...withRelease.release });
    assert.equal(records[0].valid, false);
    assert.equal(clean.valid, true, 'the build alone is clean');
    assert.ok(withRelease.release.diagnostics.length > 0);
    const text = run(['builds', '--last', '1', '--release', 'release.json', join(cwd, 'builds')], { cwd });
    assert.equal(text.status, 1);
    const findings = text.stdout.split('\n\n')[1];
    assert.equal(
      findings,
      withRelease.release.diagnostics.map((d) => `release.json:${d.line}:${d.column}: ${d.severity}[${d.code}]: ${d.message}\n${d.hint ? `    hint: ${d.hint}\n` : ''}`).join(''),
    );
  });

  test('usage errors: an unreadable --release, one that names no build among several', () => {
    const cwd = buildsTree(texts);
    writeFileSync(join(cwd, 'nameless.json'), '{"stream": "stable"}');
    assert.deepEqual(run(['builds', '--release', 'nowhere.json', 'builds'], { cwd }), {
      status: 2,
      stdout: '',
      stderr: 'oscontainer builds: --release nowhere.json: no such file or directory\n',
    });
    assert.deepEqual(run(['builds', '--release', 'nameless.json', 'builds'], { cwd }), {
      status: 2,
      stdout: '',
      stderr: 'oscontainer builds: --release nameless.json: does not name a build ("release" is missing or it is not JSON); pick the build with --build ID\n',
    });
  });
});

describe('builds: usage errors exit 2 with one line', { skip }, () => {
  test('each', () => {
    const cwd = buildsTree(texts);
    writeFileSync(join(cwd, 'notes.txt'), 'x');
    const cases = [
      [['builds'], "oscontainer builds: no DIR given: a builds directory (with builds.json) or one build's directory"],
      [['builds', 'builds', 'other'], 'oscontainer builds: expected one DIR, got 2'],
      [['builds', 'nowhere'], 'oscontainer builds: nowhere: no such file or directory'],
      [['builds', 'notes.txt'], 'oscontainer builds: notes.txt is not a directory'],
      [['builds', '.'], 'oscontainer builds: . is neither a builds directory (no builds.json) nor a build directory (no <arch>/meta.json)'],
      [['builds', '--last', '0', 'builds'], 'oscontainer builds: --last must be a positive whole number, not "0"'],
      [['builds', '--jobs', 'two', 'builds'], 'oscontainer builds: --jobs must be a positive whole number, not "two"'],
      [['builds', '--build', '', 'builds'], 'oscontainer builds: --build must not be empty'],
      [['builds', '--build', 'a/b', 'builds'], 'oscontainer builds: --build a/b: not a build id (a build id is a directory name)'],
      [['builds', '--lats', '1', 'builds'], 'oscontainer builds: unknown option --lats; did you mean --last?'],
      [['builds', '--presence', 'kubvirt=all', 'builds'], 'oscontainer builds: --presence: "kubvirt" is not an entry key (expected one of oscontainer, base-oscontainer, extensions-container, kubevirt); did you mean "kubevirt"?'],
      [['builds', '--format', 'sarif', 'builds'], 'oscontainer builds: --format must be text, json, jsonl or github, not "sarif"'],
    ];
    for (const [args, line] of cases) assert.deepEqual(run(args, { cwd }), { status: 2, stdout: '', stderr: `${line}\n` }, args.join(' '));
  });
});

describe('progress', () => {
  test('the bar is drawn on a terminal only, at most ten times a second, and cleared', () => {
    const written = [];
    let time = 0;
    const terminal = { isTTY: true, write: (text) => written.push(text) };
    const bar = progressBar(terminal, 4, { now: () => time });
    bar.draw(1);
    time = 50;
    bar.draw(2); // too soon
    time = 150;
    bar.draw(3);
    time = 160;
    bar.draw(4); // the last is always drawn
    bar.clear();
    bar.clear(); // once
    assert.deepEqual(written, [
      '\r\x1b[K[######..................] 1/4 builds',
      '\r\x1b[K[##################......] 3/4 builds',
      '\r\x1b[K[########################] 4/4 builds',
      '\r\x1b[K',
    ]);
    const silent = [];
    const pipe = progressBar({ isTTY: false, write: (text) => silent.push(text) }, 4);
    pipe.draw(1);
    pipe.draw(4);
    pipe.clear();
    assert.deepEqual(silent, []);
  });

  test('stderr not a terminal: no progress (the exact stderr of the other tests says so too)', { skip }, () => {
    const cwd = buildsTree(texts);
    assert.equal(run(['builds', '--last', '1', 'builds'], { cwd }).stderr, 'checked 1 build (4 files): no problems\n');
  });

  test('on a terminal (util-linux script): the bar, cleared before the summary', { skip }, (t) => {
    if (spawnSync('script', ['--version']).status !== 0) {
      t.skip('util-linux script (to get a terminal) is not installed');
      return;
    }
    const cwd = buildsTree(texts);
    const shown = spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} builds --format github --last 2 builds`, '/dev/null'], { cwd, encoding: 'utf8' });
    assert.equal(shown.status, 2, 'the missing arch file');
    const missing = `builds/${IDS.missing}/s390x/meta.json`;
    // Drawn after each build (in place: nothing was written after the first), cleared
    // before anything else is written.
    assert.equal(
      shown.stdout.replace(/\r\n/g, '\n'),
      '\r\x1b[K[############............] 1/2 builds' +
        '\r\x1b[K[########################] 2/2 builds\r\x1b[K' +
        `::error file=${missing},title=missing::no such file or directory\n` +
        `oscontainer: ${missing}: no such file or directory\n` +
        'checked 2 builds (5 files): no problems; 1 file could not be read\n',
    );
  });
});

describe('the text table', () => {
  test('one column per entry key some build has, shapes mixed or not, severities', () => {
    const cell = (shape, severity = null) => ({ shape, severity, readiness: {} });
    const result = (id, entries, files) => ({
      id,
      files: files.map((arch) => ({ arch, path: `${id}/${arch}/meta.json` })),
      report: { arches: [], diagnostics: [], entries },
    });
    const results = [
      result('2', { 'base-oscontainer': { x86_64: cell('tagged'), aarch64: cell('embedded', 'warning') }, kubevirt: { x86_64: cell('tagged'), aarch64: null } }, ['x86_64', 'aarch64']),
      result('1', { 'base-oscontainer': { x86_64: cell('tagged', 'info') } }, ['x86_64']),
      { id: null, files: [], report: null, error: { code: 'builds-json-invalid', message: 'x' } },
    ];
    const table = buildsTable(results.map(tableRow));
    assert.equal(
      table,
      'build  arches          base-oscontainer   kubevirt    result\n' +
        '2      x86_64 aarch64  mixed 2/2 warning  tagged 1/2  ok\n' +
        '1      x86_64          tagged 1/1         -           ok\n',
    );
    assert.equal(buildsTable([]), '');
  });
});

describe('arches BUILD_DIR', { skip }, () => {
  test("a build's directory: its arch files, compared as if named", () => {
    const cwd = buildsTree(texts);
    const dir = `builds/${IDS.shared}`;
    const named = run(['arches', `${dir}/aarch64/meta.json`, `${dir}/x86_64/meta.json`], { cwd });
    assert.deepEqual(run(['arches', dir], { cwd }), named);
    assert.equal(named.status, 1);
    const report = compareArches([`${dir}/aarch64/meta.json`, `${dir}/x86_64/meta.json`].map((name) => ({ name, input: texts.ootpa0325 })));
    assert.equal(report.diagnostics.length, 2);
    assert.equal(run(['arches', `builds/${IDS.clean}`], { cwd }).stderr, 'compared 4 files (aarch64, ppc64le, s390x, x86_64): no problems\n');
  });

  test('a builds directory or one without arch files: usage errors that say what to give', () => {
    const cwd = buildsTree(texts);
    assert.deepEqual(run(['arches', 'builds'], { cwd }), {
      status: 2,
      stdout: '',
      stderr: "oscontainer arches: builds is a builds directory (it has builds.json): give one build's directory (builds/<id>) or check them all with `oscontainer builds builds`\n",
    });
    assert.deepEqual(run(['arches', `builds/${IDS.unreadable}/aarch64`], { cwd }), {
      status: 2,
      stdout: '',
      stderr: `oscontainer arches: builds/${IDS.unreadable}/aarch64 is a directory without <arch>/meta.json files below it\n`,
    });
  });
});
