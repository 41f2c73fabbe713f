// `oscontainer upgrade --write` when things go wrong: the process is killed (SIGKILL) in
// the middle of a large batch, and files or directories cannot be written. And every
// command, given an invalid document, exits 1 and prints the errors that say why.
//
// Tests run as root here and in CI, and root ignores permission bits, so:
// - read-only files and directories are tested with the CLI run as an ordinary user
//   (uid/gid 65534, "nobody", through spawn's uid/gid options; as a non-root user the
//   CLI simply runs as that user);
// - as root itself, with immutable files and directories (`chattr +i`, e2fsprogs),
//   which even root cannot replace or create files in.

import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';

import { compareArches, releaseView, upgrade, validate } from '../../pkg/node.js';
import { pkgDir, sha256 } from './helpers.mjs';

const CLI = join(pkgDir, 'cli/main.js');
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const TEMPORARY = /^\.meta\.json\.\d+\.[0-9a-f]{12}\.tmp$/;

const made = [];
const immutable = [];
after(() => {
  for (const path of immutable) spawnSync('chattr', ['-i', path]);
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory with `files` ({relative path: text}). */
function tree(files) {
  const dir = mkdtempSync(join(tmpdir(), 'oscontainer-robust-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Every file below `dir`, relative, sorted. */
function listing(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/** A meta.json with an embedded tagged image (so upgrade changes it) and some bulk. */
function metaJson(i, packages) {
  const pkglist = Array.from({ length: packages }, (_, p) => `        "package-${i}-${p}.x86_64"`).join(',\n');
  return `{
    "buildid": "36.20221014.3.${i}",
    "pkglist": [
${pkglist}
    ],
    "base-oscontainer": {
        "image": "quay.io/fedora/fedora-coreos:stable@${sha256((i % 256).toString(16).padStart(2, '0'))}"
    }
}
`;
}

test('SIGKILL in the middle of upgrade --write: every file is the original or the fully upgraded text', async (t) => {
  const FILES = 300;
  const files = {};
  for (let i = 0; i < FILES; i++) files[`b${String(i).padStart(3, '0')}/meta.json`] = metaJson(i, 2500);
  const dir = tree(files);
  const expected = Object.fromEntries(Object.entries(files).map(([path, text]) => [path, upgrade(text).output]));
  for (const [path, text] of Object.entries(files)) assert.notEqual(expected[path], text, path);

  // Killed three times in the middle of the batch, each time after the run reported some
  // files written, the later two a few milliseconds after (so likely during a write). After
  // each kill every meta.json is whole: the original or the upgraded text.
  let original = FILES;
  let leftovers = [];
  for (const [round, when] of [[1, { reports: 5, ms: 0 }], [2, { reports: 40, ms: 7 }], [3, { reports: 80, ms: 13 }]]) {
    const child = spawn(process.execPath, [CLI, 'upgrade', '--write', '--jobs', '2', '.'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    let reported = 0;
    child.stdout.on('data', (chunk) => {
      reported += chunk.toString().split('\n').filter(Boolean).length;
      if (reported >= when.reports) setTimeout(() => child.kill('SIGKILL'), when.ms);
    });
    const { signal } = await exited;
    assert.equal(signal, 'SIGKILL', `round ${round}: the batch was still running when it was killed`);

    let upgraded = 0;
    original = 0;
    for (const [path, text] of Object.entries(files)) {
      const now = readFileSync(join(dir, path), 'utf8');
      if (now === text) original += 1;
      else if (now === expected[path]) upgraded += 1;
      else assert.fail(`round ${round}: ${path} is neither the original nor the upgraded text (${now.length} bytes)`);
    }
    assert.ok(upgraded >= 5 && original > 0, `round ${round}: ${upgraded} upgraded and ${original} original: killed mid-batch`);
    // What a kill may leave besides: temporary files of the writes in flight (one per
    // worker), never a meta.json of another name.
    leftovers = listing(dir).filter((path) => !(path in files));
    for (const path of leftovers) assert.match(path.split('/').pop(), TEMPORARY, path);
    t.diagnostic(`round ${round}: killed with ${upgraded} of ${FILES} files upgraded; ${leftovers.length} temporary files in total`);
  }
  assert.ok(leftovers.length <= 6, `${leftovers.length} temporary files after three kills of two workers`);

  // Running again finishes the batch, and removes what the killed runs left behind.
  const again = spawnSync(process.execPath, [CLI, 'upgrade', '--write', '.'], { cwd: dir, encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout.split('\n').filter(Boolean).length, original);
  for (const [path] of Object.entries(files)) assert.equal(readFileSync(join(dir, path), 'utf8'), expected[path], path);
  assert.deepEqual(listing(dir), Object.keys(files).sort());
});

test('upgrade --write removes the temporary files of runs that are gone, and only those', () => {
  const gone = spawnSync(process.execPath, ['-e', '0']).pid;
  const alive = process.pid; // this test: another run still writing
  const files = {
    'a/meta.json': metaJson(1, 1),
    [`a/.meta.json.${gone}.0123456789ab.tmp`]: 'half a file',
    [`a/.meta.json.${alive}.0123456789ab.tmp`]: 'in flight',
    [`a/.other.json.${gone}.0123456789ab.tmp`]: 'not next to its file',
    [`a/.meta.json.${gone}.tmp`]: 'not our naming',
    'b/meta.json': metaJson(2, 1),
    [`b/.meta.json.${gone}.0123456789ab.tmp`]: 'a directory with nothing to write',
  };
  const dir = tree(files);
  writeFileSync(join(dir, 'b/meta.json'), upgrade(files['b/meta.json']).output);
  const result = spawnSync(process.execPath, [CLI, 'upgrade', '--write', '.'], { cwd: dir, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(listing(dir), [
    `a/.meta.json.${alive}.0123456789ab.tmp`,
    `a/.meta.json.${gone}.tmp`,
    `a/.other.json.${gone}.0123456789ab.tmp`,
    'a/meta.json',
    // Only directories written to are swept.
    `b/.meta.json.${gone}.0123456789ab.tmp`,
    'b/meta.json',
  ]);
});

const D = sha256('ab');
const BAD = `{"kubevirt": {"image": "quay.io/a/b:latest@${D}"}}\n`;
const BAD_UPGRADED = `{"kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["latest"]}}\n`;

/** Runs the CLI in `dir` as an ordinary user (nobody when we are root). */
function runAsUser(args, dir) {
  const options = { cwd: dir, encoding: 'utf8' };
  if (isRoot) {
    chmodSync(dir, 0o755);
    for (const path of ['', ...readdirSync(dir, { recursive: true })]) chownSync(join(dir, path), NOBODY, NOBODY);
    Object.assign(options, { uid: NOBODY, gid: NOBODY });
  }
  const result = spawnSync(process.execPath, [CLI, ...args], options);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('as an ordinary user: a read-only directory is an error for its file, the others are written', () => {
  const dir = tree({ 'locked/meta.json': BAD, 'open/meta.json': BAD });
  const result = (() => {
    chmodSync(join(dir, 'locked'), 0o555);
    try {
      return runAsUser(['upgrade', '--write', '.'], dir);
    } finally {
      chmodSync(join(dir, 'locked'), 0o755);
    }
  })();
  assert.equal(result.status, 2);
  assert.equal(result.stdout, 'open/meta.json\n');
  assert.match(result.stderr, /^oscontainer: locked\/meta\.json: cannot write: permission denied\n/);
  assert.equal(readFileSync(join(dir, 'locked/meta.json'), 'utf8'), BAD);
  assert.equal(readFileSync(join(dir, 'open/meta.json'), 'utf8'), BAD_UPGRADED);
  assert.deepEqual(listing(dir), ['locked/meta.json', 'open/meta.json'], 'no temporary file left');
});

// Both found here and fixed in pkg/cli/task.js: the summary counted the file that could
// not be written as upgraded ("upgraded 2 of 1 file"), and a read-only file in a writable
// directory was replaced by the atomic rename (which needs only the directory).
test('as an ordinary user: the summary counts only the files written', () => {
  const dir = tree({ 'locked/meta.json': BAD, 'open/meta.json': BAD });
  chmodSync(join(dir, 'locked'), 0o555);
  const result = runAsUser(['upgrade', '--write', '.'], dir);
  chmodSync(join(dir, 'locked'), 0o755);
  assert.equal(
    result.stderr,
    'oscontainer: locked/meta.json: cannot write: permission denied\nupgraded 1 of 1 file: open/meta.json; 1 file could not be upgraded\n',
  );
});

test('as an ordinary user: a read-only file is an error for that file and stays as it is', () => {
  const dir = tree({ 'ro/meta.json': BAD, 'open/meta.json': BAD });
  chmodSync(join(dir, 'ro/meta.json'), 0o444);
  const result = runAsUser(['upgrade', '--write', '.'], dir);
  assert.equal(result.status, 2);
  assert.equal(result.stdout, 'open/meta.json\n');
  assert.match(result.stderr, /^oscontainer: ro\/meta\.json: cannot write: /);
  assert.equal(readFileSync(join(dir, 'ro/meta.json'), 'utf8'), BAD);
  assert.equal(readFileSync(join(dir, 'open/meta.json'), 'utf8'), BAD_UPGRADED);
  assert.deepEqual(listing(dir), ['open/meta.json', 'ro/meta.json'], 'no temporary file left');
});

function chattr(flag, path) {
  try {
    execFileSync('chattr', [flag, path], { stdio: 'pipe' });
    return true;
  } catch (error) {
    if (process.env.CI) throw new Error(`chattr ${flag} ${path} failed under CI: ${error.stderr ?? error.message}`);
    return false;
  }
}

test('as root: immutable files and directories (chattr +i) are errors for their files, no partial writes', (t) => {
  const dir = tree({ 'frozen-dir/meta.json': BAD, 'frozen-file/meta.json': BAD, 'open/meta.json': BAD });
  if (!isRoot || !chattr('+i', join(dir, 'frozen-file/meta.json'))) {
    t.skip('needs root and a file system with chattr +i');
    return;
  }
  immutable.push(join(dir, 'frozen-file/meta.json'));
  assert.ok(chattr('+i', join(dir, 'frozen-dir')));
  immutable.push(join(dir, 'frozen-dir'));
  const result = spawnSync(process.execPath, [CLI, 'upgrade', '--write', '.'], { cwd: dir, encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.equal(result.stdout, 'open/meta.json\n');
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('oscontainer: ')).sort();
  assert.deepEqual(errors, [
    'oscontainer: frozen-dir/meta.json: cannot write: permission denied',
    'oscontainer: frozen-file/meta.json: cannot write: permission denied',
  ]);
  assert.equal(readFileSync(join(dir, 'frozen-dir/meta.json'), 'utf8'), BAD);
  assert.equal(readFileSync(join(dir, 'frozen-file/meta.json'), 'utf8'), BAD);
  assert.equal(readFileSync(join(dir, 'open/meta.json'), 'utf8'), BAD_UPGRADED);
  // The temporary file of the immutable file's write was removed after the rename failed.
  assert.deepEqual(listing(dir), ['frozen-dir/meta.json', 'frozen-file/meta.json', 'open/meta.json']);
});

// ---- an invalid document always says why, in every command (issue 11) -------------------
//
// For each command and each document of a small catalogue, the library's verdict decides:
// invalid means exit 1 and the library's errors printed as `file:line:col: error[code]:
// message` lines; valid means exit 0 (for upgrade --check: when nothing would change).

const ERROR_LINE = /^(.+?):(\d+):(\d+): error\[([a-z]+(?:-[a-z]+)*)\]: (.+)$/;

/** The error lines of `text`, as printed. */
function errorLines(text) {
  return text.split('\n').filter((line) => ERROR_LINE.test(line));
}

/** The library's errors as the CLI prints them. */
function expectedLines(file, diagnostics) {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => `${file}:${d.line}:${d.column}: error[${d.code}]: ${d.message}`);
}

const HEALTHY_ARCH = `{
    "buildid": "40.1",
    "coreos-assembler.basearch": "aarch64",
    "base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "digest": "${sha256('ce')}", "tags": ["stable", "40.1"]}
}
`;

/** Documents of build 40.1 (the CLI runs release with --build-id 40.1). */
const VERDICTS = {
  'no digest (issue 11)': '{"base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "tags": ["stable", "40.1"]}}\n',
  'a syntax error': '{\n    "base-oscontainer": {"image": "quay.io/a/b"},\n}\n',
  'an embedded tagged image, no digest left': '{"kubevirt": {"image": "quay.io/a/b:latest"}}\n',
  'image not a string': '{\n  "buildid": "40.1",\n  "base-oscontainer": {"image": 1, "digest": "' + D + '"}\n}\n',
  'every tag is a build tag': `{"buildid": "40.1", "base-oscontainer": {"image": "quay.io/fedora/fedora-coreos", "digest": "${D}", "tags": ["40.1"]}}\n`,
  'a digest shared with the other architecture': HEALTHY_ARCH.replace('aarch64', 'x86_64'),
  'fixable: an embedded digest': `{"buildid": "40.1", "base-oscontainer": {"image": "quay.io/fedora/fedora-coreos:stable@${D}"}}\n`,
  'healthy': HEALTHY_ARCH.replace('aarch64', 'x86_64').replace(sha256('ce'), D),
};

/** Runs the CLI in `dir`: exit status, stdout, stderr. */
function runIn(dir, args) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('every command: an invalid document exits 1 and prints the errors that say why', () => {
  const invalid = { check: 0, 'upgrade --check': 0, arches: 0, release: 0 };
  const FILE = 'x86_64/meta.json';
  const OTHER = 'aarch64/meta.json';
  for (const [name, text] of Object.entries(VERDICTS)) {
    const dir = tree({ [FILE]: text, [OTHER]: HEALTHY_ARCH });

    const report = validate(text);
    const check = runIn(dir, ['check', FILE]);
    assert.equal(check.status, report.valid ? 0 : 1, `check: ${name}: ${check.stderr}`);
    assert.deepEqual(errorLines(check.stdout), expectedLines(FILE, report.diagnostics), `check: ${name}`);
    invalid.check += Number(!report.valid);

    const upgraded = upgrade(text);
    const upgradeCheck = runIn(dir, ['upgrade', '--check', FILE]);
    assert.equal(upgradeCheck.status, upgraded.valid && !upgraded.changed ? 0 : 1, `upgrade --check: ${name}: ${upgradeCheck.stderr}`);
    const remaining = errorLines(upgradeCheck.stderr);
    if (upgraded.valid) {
      assert.deepEqual(remaining, [], `upgrade --check: ${name}`);
    } else {
      // The errors upgrade cannot fix, where the file (unchanged by --check) has them.
      assert.ok(remaining.length > 0, `upgrade --check: ${name}: no error printed: ${upgradeCheck.stderr}`);
      const codes = new Set(upgraded.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code));
      for (const line of remaining) {
        const [, file, , , code] = ERROR_LINE.exec(line);
        assert.equal(file, FILE, line);
        assert.ok(codes.has(code), `upgrade --check: ${name}: ${code} is not an error of the upgraded text`);
      }
      assert.deepEqual(remaining, expectedLines(FILE, validate(text).diagnostics.filter((d) => !d.fixable)), `upgrade --check: ${name}`);
      invalid['upgrade --check'] += 1;
    }

    const compared = compareArches([
      { name: FILE, input: text },
      { name: OTHER, input: HEALTHY_ARCH },
    ]);
    const arches = runIn(dir, ['arches', FILE, OTHER]);
    assert.equal(arches.status, compared.valid ? 0 : 1, `arches: ${name}: ${arches.stderr}`);
    const files = [FILE, OTHER];
    assert.deepEqual(
      errorLines(arches.stdout),
      compared.diagnostics.filter((d) => d.severity === 'error').map((d) => expectedLines(files[d.document], [d])[0]),
      `arches: ${name}`,
    );
    invalid.arches += Number(!compared.valid);

    const view = releaseView(text, { buildId: '40.1' });
    const release = runIn(dir, ['release', '--build-id', '40.1', FILE]);
    assert.equal(release.status, view.valid ? 0 : 1, `release: ${name}: ${release.stderr}`);
    assert.deepEqual(errorLines(release.stdout), expectedLines(FILE, view.diagnostics), `release: ${name}`);
    invalid.release += Number(!view.valid);
  }
  // Every command met invalid documents, and valid ones.
  const count = Object.keys(VERDICTS).length;
  for (const [command, n] of Object.entries(invalid)) assert.ok(n >= 3 && n < count, `${command}: ${n} of ${count} invalid`);
});

test('upgrade: the errors it cannot fix are printed in every mode, where the file on disk has them', () => {
  const text = '{\n  "kubevirt": {"image": "quay.io/a/b:latest"},\n  "base-oscontainer": {"image": 1}\n}\n';
  const dir = tree({ 'meta.json': text });
  const before = validate(text).diagnostics.filter((d) => !d.fixable);
  const upgraded = upgrade(text);
  assert.equal(upgraded.changed, true);
  assert.deepEqual(
    expectedLines('meta.json', before).map((line) => line.replace(/: error\[.*/, '')),
    ['meta.json:2:15', 'meta.json:3:33'],
  );
  // Printed, diffed, checked: the file is as it was, so the lines point into it.
  for (const args of [['upgrade', 'meta.json'], ['upgrade', '.'], ['upgrade', '--check', '.']]) {
    const result = runIn(dir, args);
    assert.deepEqual(errorLines(result.stderr), expectedLines('meta.json', before), args.join(' '));
    assert.equal(result.status, args.includes('--check') ? 1 : 0, args.join(' '));
  }
  // Written: the lines point into the new text.
  const written = runIn(dir, ['upgrade', '--write', '.']);
  assert.equal(written.status, 0);
  assert.deepEqual(errorLines(written.stderr), expectedLines('meta.json', upgraded.diagnostics));
  assert.equal(readFileSync(join(dir, 'meta.json'), 'utf8'), upgraded.output);
  // Once upgraded, --check still fails on what remains, and says what.
  const again = runIn(dir, ['upgrade', '--check', '.']);
  assert.deepEqual([again.status, again.stdout, errorLines(again.stderr)], [1, '', expectedLines('meta.json', upgraded.diagnostics)]);
});
