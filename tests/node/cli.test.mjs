// The command-line interface (pkg/cli.js), run as a user runs it: every subcommand and
// format, exact stdout, stderr and exit status, stdin, a directory of good, bad and
// unreadable files, upgrade --write (atomic, mode kept, unchanged files untouched),
// --check, progress on a terminal, and 2,000 files on two worker threads.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';

import { compareArches, releaseView, upgrade, validate, version } from '../../pkg/node.js';
import { corpus, marked, pkgDir, sha256 } from './helpers.mjs';

const CLI = join(pkgDir, 'cli.js');
const D = sha256('ab');
const D2 = sha256('cd');
const isRoot = process.getuid?.() === 0;

const temporary = [];
after(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory with `files` ({relative path: text or bytes}). */
function tree(files = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'oscontainer-cli-'));
  temporary.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Runs the CLI; stdout and stderr as text, the exit status. */
function run(args, { cwd, input } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** uid and gid of "nobody", for permission tests when the tests run as root. */
const NOBODY = 65534;

/**
 * Runs the CLI as an ordinary user in `dir`: as root (here and in CI), where permission
 * bits stop nothing, as nobody, with `dir` given to nobody first.
 */
function runAsUser(args, dir) {
  const options = { cwd: dir, encoding: 'utf8' };
  if (isRoot) {
    for (const path of ['', ...readdirSync(dir, { recursive: true })]) chownSync(join(dir, path), NOBODY, NOBODY);
    Object.assign(options, { uid: NOBODY, gid: NOBODY });
  }
  const result = spawnSync(process.execPath, [CLI, ...args], options);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// ---- fixtures: the text, with marks (‸) where its diagnostics point ----------------

// A build from after cosa's manifest-list window (2022-09-13 to 2022-10-21), so that
// upgrade moves BAD's embedded digest into "digest".
const GOOD = `{
    "buildid": "37.20221106.3.0",
    "base-oscontainer": {
        "image": "quay.io/fedora/fedora-coreos",
        "digest": "${D}",
        "tags": ["stable", "37.20221106.3.0"]
    }
}
`;
const BAD = marked(`{
    "buildid": "37.20221106.3.0",
    "base-oscontainer": {
        "image": ‸‸"quay.io/fedora/fedora-coreos:stable@${D}"
    }
}
`);
const BAD_UPGRADED = `{
    "buildid": "37.20221106.3.0",
    "base-oscontainer": {
        "image": "quay.io/fedora/fedora-coreos",
        "digest": "${D}",
        "tags": [
            "stable"
        ]
    }
}
`;
const WARN = marked(`{"buildid": "1", "kubevirt": {"image": "quay.io/a/b", "digest": "${D}", "tags": ["stable"], ‸"dig%ets": 1}}`);
const SYNTAX = marked(`{"kubevirt": {"image": "quay.io/a/b"}‸,}`);
const LATIN1 = Buffer.concat([Buffer.from('{\n  "buildid": "caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]);

/** The text lines of `text`'s diagnostics at the marks: the message from the library. */
function textLines(file, { text, at }) {
  return validate(text)
    .diagnostics.map((d, i) => {
      assert.deepEqual([d.line, d.column], [at[i].line, at[i].column], `${file}: diagnostic ${i} at its mark`);
      return `${file}:${d.line}:${d.column}: ${d.severity}[${d.code}]: ${d.message}\n${d.hint ? `    hint: ${d.hint}\n` : ''}`;
    })
    .join('');
}

/** The mixed directory: good, bad, a warning, broken JSON, and three files that cannot be checked. */
function mixed() {
  const dir = tree({
    'good/meta.json': GOOD,
    'bad/meta.json': BAD.text,
    'warn/meta.json': WARN.text,
    'syntax/meta.json': SYNTAX.text,
    'latin1/meta.json': LATIN1,
    'other.json': BAD.text,
    'node_modules/x/meta.json': BAD.text,
    '.git/meta.json': BAD.text,
  });
  mkdirSync(join(dir, 'gone'));
  symlinkSync('../nowhere.json', join(dir, 'gone/meta.json'));
  mkdirSync(join(dir, 'fifo'));
  execFileSync('mkfifo', [join(dir, 'fifo/meta.json')]);
  return dir;
}

const MIXED_ERRORS =
  'oscontainer: fifo/meta.json: not a regular file\n' +
  'oscontainer: gone/meta.json: dangling symbolic link (its target does not exist)\n' +
  'oscontainer: latin1/meta.json: not UTF-8 text: line 2, column 18: byte 0xE9 is not valid UTF-8; JSON text must be UTF-8\n';

describe('usage', () => {
  test('--version, --help and each command\'s --help', () => {
    assert.deepEqual(run(['--version']), { status: 0, stdout: `oscontainer ${version}\n`, stderr: '' });
    const main = run(['--help']);
    assert.equal(main.status, 0);
    assert.match(main.stdout, /^oscontainer 0\.1\.0: validate and upgrade .*\n\nUsage: oscontainer <command> \[options\] PATH\.\.\.\n/);
    assert.deepEqual(run(['-h']), main);
    assert.deepEqual(run(['help']), main);
    const usage = {
      check: 'Usage: oscontainer check [options] PATH...\n',
      upgrade: 'Usage: oscontainer upgrade [--write | --check] [options] PATH...\n',
      arches: 'Usage: oscontainer arches [options] FILE...\n',
      release: 'Usage: oscontainer release [options] FILE\n',
    };
    for (const [command, first] of Object.entries(usage)) {
      const help = run([command, '--help']);
      assert.equal(help.status, 0, command);
      assert.equal(help.stderr, '');
      assert.ok(help.stdout.startsWith(first), help.stdout);
      assert.match(help.stdout, /Exit status: 0 /);
      assert.deepEqual(run([command, '-h', 'ignored.json']), help);
      assert.deepEqual(run(['help', command]), help);
    }
    for (const option of ['--profile', '--schema', '--format', '--strict', '--all-json', '--jobs', '--build-id']) {
      assert.ok(run(['check', '--help']).stdout.includes(`  ${option}`), option);
    }
    for (const option of ['--write', '--check']) assert.ok(run(['upgrade', '--help']).stdout.includes(`  ${option}`), option);
  });

  test('usage errors exit 2 and say what is wrong', () => {
    const dir = tree({ 'meta.json': GOOD, 'empty/README': 'x' });
    const cases = [
      [[], /^oscontainer: no command given\n\noscontainer 0\.1\.0: /],
      [['lint', 'meta.json'], /^oscontainer: unknown command "lint"\n/],
      [['help', 'lint'], /^oscontainer: no command "lint"; the commands are check, upgrade, arches, release\n$/],
      [['check', '--fix', 'meta.json'], /^oscontainer check: Unknown option '--fix'\..*\nRun 'oscontainer check --help' for usage\.\n$/],
      [['check'], /^oscontainer check: no PATH given \(use - for stdin\)\n/],
      [['check', '--profile', 'strict', 'meta.json'], /^oscontainer check: --profile must be canonical or compat, not "strict"\n/],
      [['check', '--format', 'sarif', 'meta.json'], /^oscontainer check: --format must be text or json or github, not "sarif"\n/],
      [['check', '--jobs', '0', 'meta.json'], /^oscontainer check: --jobs must be a positive whole number, not "0"\n/],
      [['check', '--jobs', 'many', 'meta.json'], /--jobs must be a positive whole number, not "many"/],
      [['check', '--build-id', '', 'meta.json'], /^oscontainer check: --build-id must not be empty\n/],
      [['check', '--schema', 'nowhere.json', 'meta.json'], /^oscontainer check: --schema nowhere\.json: no such file\n/],
      [['check', '--strict=yes', 'meta.json'], /Option '--strict' does not take an argument/],
      [['check', 'empty'], /^oscontainer check: no meta\.json in empty \(--all-json checks every \*\.json\)\n/],
      [['check', '--all-json', 'empty'], /^oscontainer check: no \*\.json file in empty\n/],
      [['check', '-', '-'], /^oscontainer check: - \(stdin\) can be given only once\n/],
      [['upgrade', '--write', '--check', 'meta.json'], /^oscontainer upgrade: --write and --check cannot be combined\n/],
      [['upgrade', '--write', '-'], /^oscontainer upgrade: --write cannot write to stdin; without --write the upgraded text is printed\n/],
      [['upgrade', '--format', 'json', 'meta.json'], /Unknown option '--format'/],
      [['arches'], /^oscontainer arches: no FILE given: one meta\.json per architecture of the build\n/],
      [['release'], /^oscontainer release: expected one FILE, got 0\n/],
      [['release', 'meta.json', 'meta.json'], /^oscontainer release: expected one FILE, got 2\nRun 'oscontainer release --help' for usage\.\n$/],
    ];
    for (const [args, stderr] of cases) {
      const result = run(args, { cwd: dir, input: '{}' });
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(result.stdout, '', args.join(' '));
      assert.match(result.stderr, stderr, args.join(' '));
    }
    const badSchema = tree({ 'schema.json': '{"type": 12}', 'meta.json': GOOD });
    const result = run(['check', '--schema', 'schema.json', 'meta.json'], { cwd: badSchema });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^oscontainer check: --schema schema\.json: the schema cannot be compiled/);
  });
});

describe('check', () => {
  test('a clean file: nothing on stdout, the summary on stderr, exit 0', () => {
    const dir = tree({ 'meta.json': GOOD });
    assert.deepEqual(run(['check', 'meta.json'], { cwd: dir }), { status: 0, stdout: '', stderr: 'checked 1 file: 0 errors, 0 warnings\n' });
  });

  test('text: file:line:col: severity[code]: message, and the hint', () => {
    const dir = tree({ 'bad/meta.json': BAD.text, 'warn/meta.json': WARN.text });
    const result = run(['check', 'bad/meta.json', 'warn/meta.json'], { cwd: dir });
    assert.equal(result.status, 1);
    assert.equal(
      result.stdout,
      `bad/meta.json:4:18: error[image-has-tag]: image "quay.io/fedora/fedora-coreos:stable@${D}" carries the tag "stable"; the agreed form lists tags in "tags"\n` +
        `bad/meta.json:4:18: error[image-embedded-digest]: image "quay.io/fedora/fedora-coreos:stable@${D}" embeds the digest; the agreed form keeps the repository in "image" and the digest in "digest"\n` +
        'warn/meta.json:1:160: warning[unknown-field]: unknown field "dig%ets" in a container entry\n' +
        '    hint: did you mean "digest"?\n',
    );
    assert.equal(result.stdout, textLines('bad/meta.json', BAD) + textLines('warn/meta.json', WARN));
    assert.equal(result.stderr, 'checked 2 files: 2 errors, 1 warning\n');
  });

  test('warnings fail only with --strict; --profile compat turns legacy shapes into warnings', () => {
    const dir = tree({ 'meta.json': WARN.text, 'legacy.json': BAD.text });
    assert.equal(run(['check', 'meta.json'], { cwd: dir }).status, 0);
    assert.equal(run(['check', '--strict', 'meta.json'], { cwd: dir }).status, 1);
    const compat = run(['check', '--profile', 'compat', 'legacy.json'], { cwd: dir });
    assert.equal(compat.status, 0);
    assert.match(compat.stdout, /^legacy\.json:4:18: warning\[image-has-tag\]: /);
    assert.equal(compat.stderr, 'checked 1 file: 0 errors, 2 warnings\n');
    assert.equal(run(['check', '--profile', 'compat', '--strict', 'legacy.json'], { cwd: dir }).status, 1);
  });

  test('a directory of good, bad and unreadable files: each named, the others still checked, exit 2', () => {
    const dir = mixed();
    const result = run(['check', '.'], { cwd: dir });
    assert.equal(result.status, 2);
    // Sorted by path; node_modules and dot directories are skipped; other.json is not a meta.json.
    assert.equal(result.stdout, textLines('bad/meta.json', BAD) + textLines('syntax/meta.json', SYNTAX) + textLines('warn/meta.json', WARN));
    assert.equal(result.stderr, `${MIXED_ERRORS}checked 4 files: 3 errors, 1 warning; 3 files could not be checked\n`);
    // A missing file named on the command line is an error too, in its place.
    const more = run(['check', 'missing.json', '.'], { cwd: dir });
    assert.equal(more.stderr, `${MIXED_ERRORS}oscontainer: missing.json: no such file\nchecked 4 files: 3 errors, 1 warning; 4 files could not be checked\n`);
    assert.equal(more.stdout, result.stdout);
  });

  test('--all-json checks every *.json below a directory', () => {
    const dir = mixed();
    const result = run(['check', '--all-json', dir]);
    assert.equal(result.status, 2);
    const at = (path) => join(dir, path);
    assert.equal(
      result.stdout,
      textLines(at('bad/meta.json'), BAD) + textLines(at('other.json'), BAD) + textLines(at('syntax/meta.json'), SYNTAX) + textLines(at('warn/meta.json'), WARN),
    );
    assert.match(result.stderr, /checked 5 files: 5 errors, 1 warning; 3 files could not be checked\n$/);
  });

  test('a file the user cannot read', () => {
    const dir = tree({ 'locked/meta.json': GOOD, 'good/meta.json': GOOD });
    chmodSync(join(dir, 'locked/meta.json'), 0o000);
    assert.deepEqual(runAsUser(['check', '.'], dir), {
      status: 2,
      stdout: '',
      stderr: 'oscontainer: locked/meta.json: cannot read: permission denied\nchecked 1 file: 0 errors, 0 warnings; 1 file could not be checked\n',
    });
  });

  test('json: one report per line, with its file; file errors as {file, error}', () => {
    const dir = mixed();
    const result = run(['check', '--format', 'json', '.'], { cwd: dir });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `${MIXED_ERRORS}checked 4 files: 3 errors, 1 warning; 3 files could not be checked\n`);
    const lines = result.stdout.split('\n');
    assert.equal(lines.pop(), '', 'ends with a line break');
    const reports = lines.map((line) => JSON.parse(line));
    assert.deepEqual(
      reports.map((r) => r.file),
      ['bad/meta.json', 'fifo/meta.json', 'gone/meta.json', 'good/meta.json', 'latin1/meta.json', 'syntax/meta.json', 'warn/meta.json'],
    );
    assert.deepEqual(reports[0], { file: 'bad/meta.json', ...validate(BAD.text) });
    assert.deepEqual(Object.keys(reports[0]), ['file', 'valid', 'profile', 'diagnostics', 'entries']);
    assert.deepEqual(reports[1], { file: 'fifo/meta.json', error: { code: 'not-a-file', message: 'not a regular file' } });
    assert.deepEqual(reports[2], { file: 'gone/meta.json', error: { code: 'missing', message: 'dangling symbolic link (its target does not exist)' } });
    assert.deepEqual(reports[3], { file: 'good/meta.json', valid: true, profile: 'canonical', diagnostics: [], entries: validate(GOOD).entries });
    assert.equal(reports[4].error.code, 'not-utf8');
    assert.deepEqual(reports[6], { file: 'warn/meta.json', ...validate(WARN.text) });
  });

  test('json carries the readiness, for --build-id too', () => {
    const dir = tree({ 'meta.json': GOOD });
    const [report] = run(['check', '--format', 'json', 'meta.json'], { cwd: dir }).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(report.entries[0].readiness.releaseMetadata, { state: 'ready', reason: null });
    const given = JSON.parse(run(['check', '--format', 'json', '--build-id', '37.1', 'meta.json'], { cwd: dir }).stdout);
    assert.deepEqual(given.entries[0].readiness.releaseMetadata, {
      state: 'not-ready',
      reason: "2 floating tags (stable, 37.20221106.3.0): cosa's generate-release-meta raises ValueError, it needs exactly one",
    });
  });

  test('github: workflow annotations, properties and messages escaped', () => {
    const dir = mixed();
    mkdirSync(join(dir, 'we,ird:dir%'));
    writeFileSync(join(dir, 'we,ird:dir%/meta.json'), WARN.text);
    const result = run(['check', '--format', 'github', '.'], { cwd: dir });
    assert.equal(result.status, 2);
    assert.equal(
      result.stdout,
      `::error file=bad/meta.json,line=4,col=18,title=image-has-tag::image "quay.io/fedora/fedora-coreos:stable@${D}" carries the tag "stable"; the agreed form lists tags in "tags"\n` +
        `::error file=bad/meta.json,line=4,col=18,title=image-embedded-digest::image "quay.io/fedora/fedora-coreos:stable@${D}" embeds the digest; the agreed form keeps the repository in "image" and the digest in "digest"\n` +
        '::error file=fifo/meta.json,title=not-a-file::not a regular file\n' +
        '::error file=gone/meta.json,title=missing::dangling symbolic link (its target does not exist)\n' +
        '::error file=latin1/meta.json,title=not-utf8::not UTF-8 text: line 2, column 18: byte 0xE9 is not valid UTF-8; JSON text must be UTF-8\n' +
        "::error file=syntax/meta.json,line=1,col=38,title=json-syntax::trailing comma before '}' is not allowed in JSON\n" +
        '::warning file=warn/meta.json,line=1,col=160,title=unknown-field::unknown field "dig%25ets" in a container entry%0Ahint: did you mean "digest"?\n' +
        '::warning file=we%2Cird%3Adir%25/meta.json,line=1,col=160,title=unknown-field::unknown field "dig%25ets" in a container entry%0Ahint: did you mean "digest"?\n',
    );
    // info is a notice.
    const info = tree({ 'meta.json': '{"buildid": "1"}' });
    assert.deepEqual(run(['check', '--format', 'github', 'meta.json'], { cwd: info }), {
      status: 0,
      stdout: '::notice file=meta.json,line=1,col=1,title=no-entries::the document has no container entry (oscontainer, base-oscontainer, extensions-container or kubevirt)\n',
      stderr: 'checked 1 file: 0 errors, 0 warnings\n',
    });
  });

  test('stdin is "-", named <stdin>, first among the files', () => {
    const dir = tree({ 'warn/meta.json': WARN.text });
    const result = run(['check', 'warn', '-'], { cwd: dir, input: BAD.text });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, textLines('<stdin>', BAD) + textLines('warn/meta.json', WARN));
    assert.equal(result.stderr, 'checked 2 files: 2 errors, 1 warning\n');
    const json = run(['check', '--format', 'json', '-'], { input: GOOD });
    assert.equal(json.status, 0);
    assert.deepEqual(JSON.parse(json.stdout), { file: '<stdin>', ...validate(GOOD) });
    const bytes = run(['check', '-'], { input: LATIN1 });
    assert.deepEqual(bytes, {
      status: 2,
      stdout: '',
      stderr: 'oscontainer: <stdin>: not UTF-8 text: line 2, column 18: byte 0xE9 is not valid UTF-8; JSON text must be UTF-8\nchecked 0 files: 0 errors, 0 warnings; 1 file could not be checked\n',
    });
  });

  test('--schema adds the schema violations of the whole document', () => {
    const dir = tree({
      'schema.json': JSON.stringify({ type: 'object', properties: { buildid: { type: 'string' } } }),
      'meta.json': `{"buildid": 36, "kubevirt": {"image": "quay.io/a/b", "digest": "${D}"}}`,
    });
    const result = run(['check', '--schema', 'schema.json', 'meta.json'], { cwd: dir });
    assert.equal(result.status, 1);
    assert.match(result.stdout, /^meta\.json:1:13: error\[schema-violation\]: /);
    assert.equal(result.stdout.split('\n').length, 2);
  });

  test('the same file given twice, or through a directory and by name, is checked once', () => {
    const dir = tree({ 'a/meta.json': BAD.text });
    const result = run(['check', 'a', 'a/meta.json', './a/meta.json'], { cwd: dir });
    assert.equal(result.stdout, textLines(join('a', 'meta.json'), BAD));
    assert.equal(result.stderr, 'checked 1 file: 2 errors, 0 warnings\n');
  });
});

describe('upgrade', () => {
  test('one file: prints the upgraded text, or the text as it is', () => {
    const dir = tree({ 'bad.json': BAD.text, 'good.json': GOOD });
    assert.deepEqual(run(['upgrade', 'bad.json'], { cwd: dir }), { status: 0, stdout: BAD_UPGRADED, stderr: '1 of 1 file would be upgraded\n' });
    assert.equal(BAD_UPGRADED, upgrade(BAD.text).output);
    assert.deepEqual(run(['upgrade', './bad.json'], { cwd: dir }).stdout, BAD_UPGRADED);
    assert.deepEqual(run(['upgrade', 'good.json'], { cwd: dir }), { status: 0, stdout: GOOD, stderr: '0 of 1 file would be upgraded\n' });
    // A directory, even of one file, gives a diff.
    const one = tree({ 'x/meta.json': BAD.text });
    assert.match(run(['upgrade', 'x'], { cwd: one }).stdout, /^--- x\/meta\.json\n\+\+\+ x\/meta\.json\n@@ -1,6 \+1,10 @@\n/);
    assert.deepEqual(run(['upgrade', '-'], { input: BAD.text }), { status: 0, stdout: BAD_UPGRADED, stderr: '1 of 1 file would be upgraded\n' });
    assert.equal(readFileSync(join(dir, 'bad.json'), 'utf8'), BAD.text, 'nothing written');
  });

  test('several files: a unified diff that patch applies', (t) => {
    const crlf = BAD.text.replace(/\n/g, '\r\n');
    const dir = tree({ 'a/meta.json': BAD.text, 'b/meta.json': GOOD, 'c/meta.json': crlf });
    const result = run(['upgrade', '.'], { cwd: dir });
    assert.equal(result.status, 0);
    assert.equal(result.stderr, '2 of 3 files would be upgraded\n');
    const hunk = (eol) =>
      [
        '@@ -1,6 +1,10 @@',
        ' {',
        '     "buildid": "37.20221106.3.0",',
        '     "base-oscontainer": {',
        `-        "image": "quay.io/fedora/fedora-coreos:stable@${D}"`,
        '+        "image": "quay.io/fedora/fedora-coreos",',
        `+        "digest": "${D}",`,
        '+        "tags": [',
        '+            "stable"',
        '+        ]',
        '     }',
        ' }',
      ]
        .map((line, i) => (i === 0 ? `${line}\n` : `${line}${eol}`))
        .join('');
    assert.equal(result.stdout, `--- a/meta.json\n+++ a/meta.json\n${hunk('\n')}--- c/meta.json\n+++ c/meta.json\n${hunk('\r\n')}`);
    if (spawnSync('patch', ['--version']).status !== 0) {
      t.skip('GNU patch is not installed');
      return;
    }
    writeFileSync(join(dir, 'upgrade.diff'), result.stdout);
    execFileSync('patch', ['-p0', '--quiet', '-i', 'upgrade.diff'], { cwd: dir });
    assert.equal(readFileSync(join(dir, 'a/meta.json'), 'utf8'), BAD_UPGRADED);
    assert.equal(readFileSync(join(dir, 'c/meta.json'), 'utf8'), upgrade(crlf).output);
  });

  test('--check lists what would change and exits 1, like cargo fmt --check', () => {
    const dir = tree({ 'a/meta.json': BAD.text, 'b/meta.json': GOOD, 'c/meta.json': WARN.text });
    const before = readFileSync(join(dir, 'a/meta.json'), 'utf8');
    assert.deepEqual(run(['upgrade', '--check', '.'], { cwd: dir }), { status: 1, stdout: 'a/meta.json\n', stderr: '1 of 3 files would be upgraded\n' });
    assert.equal(readFileSync(join(dir, 'a/meta.json'), 'utf8'), before);
    assert.deepEqual(run(['upgrade', '--check', 'b/meta.json', 'c/meta.json'], { cwd: dir }), { status: 0, stdout: '', stderr: '0 of 2 files would be upgraded\n' });
    assert.deepEqual(run(['upgrade', '--check', '-'], { input: BAD.text }), { status: 1, stdout: '<stdin>\n', stderr: '1 of 1 file would be upgraded\n' });
  });

  test('--write rewrites changed files atomically with their mode, and leaves the others alone', () => {
    const dir = tree({
      'a/meta.json': BAD.text,
      'b/meta.json': GOOD,
      'real/target.json': BAD.text,
      'broken/meta.json': `{"kubevirt": {"image": "quay.io/a/b:latest"}}`,
    });
    mkdirSync(join(dir, 'link'));
    symlinkSync('../real/target.json', join(dir, 'link/meta.json'));
    chmodSync(join(dir, 'a/meta.json'), 0o640);
    chmodSync(join(dir, 'b/meta.json'), 0o604);
    const past = new Date('2001-02-03T04:05:06Z');
    for (const file of ['a/meta.json', 'b/meta.json']) utimesSync(join(dir, file), past, past);
    const untouched = statSync(join(dir, 'b/meta.json'));

    const BROKEN_ERROR =
      'broken/meta.json:1:14: error[digest-missing]: this entry has no digest, so consumers cannot pull it by digest\n' +
      '    hint: add "digest": the architecture-specific manifest digest that was pushed\n';
    const result = run(['upgrade', '--write', '.'], { cwd: dir });
    assert.deepEqual(result, {
      status: 0,
      stdout: 'a/meta.json\nbroken/meta.json\nlink/meta.json\n',
      // What upgrade cannot fix is printed, where the written file has it.
      stderr: `${BROKEN_ERROR}upgraded 3 of 4 files; 1 still has errors (see oscontainer check)\n`,
    });
    assert.equal(readFileSync(join(dir, 'a/meta.json'), 'utf8'), BAD_UPGRADED);
    assert.equal(statSync(join(dir, 'a/meta.json')).mode & 0o777, 0o640, 'mode kept');
    assert.notEqual(statSync(join(dir, 'a/meta.json')).mtimeMs, past.getTime());
    const b = statSync(join(dir, 'b/meta.json'));
    assert.equal(b.mtimeMs, untouched.mtimeMs, 'an unchanged file keeps its mtime');
    assert.equal(b.ino, untouched.ino, 'an unchanged file is the same inode');
    assert.equal(b.mode & 0o777, 0o604);
    assert.equal(readFileSync(join(dir, 'b/meta.json'), 'utf8'), GOOD);
    // A symbolic link stays a link; its target is upgraded.
    assert.ok(lstatSync(join(dir, 'link/meta.json')).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, 'link/meta.json')), '../real/target.json');
    assert.equal(readFileSync(join(dir, 'real/target.json'), 'utf8'), BAD_UPGRADED);
    assert.equal(readFileSync(join(dir, 'broken/meta.json'), 'utf8'), `{"kubevirt": {"image": "quay.io/a/b", "tags": ["latest"]}}`);
    // No temporary file is left behind.
    for (const sub of ['a', 'b', 'real', 'link', 'broken']) assert.deepEqual(readdirSync(join(dir, sub)).filter((n) => n.startsWith('.')), [], sub);

    // Upgraded once, there is nothing more to do; --check still fails on the error that
    // remains, and says which.
    assert.deepEqual(run(['upgrade', '--check', '.'], { cwd: dir }), {
      status: 1,
      stdout: '',
      stderr: `${BROKEN_ERROR}0 of 4 files would be upgraded; 1 still has errors (see oscontainer check)\n`,
    });
    const again = statSync(join(dir, 'a/meta.json'));
    assert.deepEqual(run(['upgrade', '--write', '.'], { cwd: dir }).stdout, '');
    assert.equal(statSync(join(dir, 'a/meta.json')).mtimeMs, again.mtimeMs);
  });

  test('--write: a file that cannot be written is named and left as it is, the others are written', () => {
    const dir = tree({ 'locked/meta.json': BAD.text, 'read-only/meta.json': BAD.text, 'open/meta.json': BAD.text });
    chmodSync(join(dir, 'locked'), 0o555);
    chmodSync(join(dir, 'read-only/meta.json'), 0o444);
    const result = runAsUser(['upgrade', '--write', '.'], dir);
    chmodSync(join(dir, 'locked'), 0o755);
    assert.deepEqual(result, {
      status: 2,
      stdout: 'open/meta.json\n',
      stderr:
        'oscontainer: locked/meta.json: cannot write: permission denied\n' +
        'oscontainer: read-only/meta.json: cannot write: permission denied\n' +
        'upgraded 1 of 1 file; 2 files could not be upgraded\n',
    });
    assert.equal(readFileSync(join(dir, 'locked/meta.json'), 'utf8'), BAD.text);
    assert.equal(readFileSync(join(dir, 'read-only/meta.json'), 'utf8'), BAD.text);
    assert.equal(readFileSync(join(dir, 'open/meta.json'), 'utf8'), BAD_UPGRADED);
    assert.deepEqual(readdirSync(join(dir, 'locked')), ['meta.json'], 'no temporary file left');
  });

  test('files that cannot be read are named and the others upgraded, exit 2', () => {
    const dir = mixed();
    const result = run(['upgrade', '--check', '.'], { cwd: dir });
    assert.equal(result.status, 2);
    assert.equal(result.stdout, 'bad/meta.json\n');
    assert.equal(
      result.stderr,
      `${MIXED_ERRORS}syntax/meta.json:1:38: error[json-syntax]: trailing comma before '}' is not allowed in JSON\n` +
        '1 of 4 files would be upgraded; 1 still has errors (see oscontainer check); 3 files could not be upgraded\n',
    );
  });
});

/** One meta.json of build 36.1 for `arch`, its base-oscontainer with `digest`. */
function archDoc(arch, digest) {
  return `{\n    "buildid": "36.1",\n    "coreos-assembler.basearch": "${arch}",\n    "base-oscontainer": {"image": "quay.io/a/b", "digest": "${digest}", "tags": ["stable", "36.1"]}\n}\n`;
}

describe('arches', () => {
  test('consistent architectures: exit 0 and the summary', () => {
    const dir = tree({ 'x86_64.json': archDoc('x86_64', D), 'aarch64.json': archDoc('aarch64', D2) });
    assert.deepEqual(run(['arches', 'x86_64.json', 'aarch64.json'], { cwd: dir }), {
      status: 0,
      stdout: '',
      stderr: 'compared 2 files (x86_64, aarch64): 0 errors, 0 warnings\n',
    });
  });

  test('a digest shared between architectures, in each format', () => {
    const dir = tree({ 'x86_64.json': archDoc('x86_64', D), 'aarch64.json': archDoc('aarch64', D) });
    const message = (arch, other) =>
      `base-oscontainer on ${arch} has the same digest as on ${other}; that is the manifest list's digest, not this architecture's own`;
    const text = run(['arches', 'x86_64.json', 'aarch64.json'], { cwd: dir });
    assert.deepEqual(text, {
      status: 1,
      stdout: `x86_64.json:4:60: error[arch-digest-shared]: ${message('x86_64', 'aarch64')}\naarch64.json:4:60: error[arch-digest-shared]: ${message('aarch64', 'x86_64')}\n`,
      stderr: 'compared 2 files (x86_64, aarch64): 2 errors, 0 warnings\n',
    });
    const github = run(['arches', '--format', 'github', 'x86_64.json', 'aarch64.json'], { cwd: dir });
    assert.equal(github.status, 1);
    assert.equal(
      github.stdout,
      `::error file=x86_64.json,line=4,col=60,title=arch-digest-shared::${message('x86_64', 'aarch64')}\n::error file=aarch64.json,line=4,col=60,title=arch-digest-shared::${message('aarch64', 'x86_64')}\n`,
    );
    const json = run(['arches', '--format', 'json', 'x86_64.json', 'aarch64.json'], { cwd: dir });
    assert.equal(json.status, 1);
    assert.equal(json.stdout.split('\n').length, 2, 'one line');
    const report = compareArches([
      { name: 'x86_64.json', input: archDoc('x86_64', D) },
      { name: 'aarch64.json', input: archDoc('aarch64', D) },
    ]);
    assert.deepEqual(JSON.parse(json.stdout), {
      files: ['x86_64.json', 'aarch64.json'],
      ...report,
      diagnostics: report.diagnostics.map((d, i) => ({ file: ['x86_64.json', 'aarch64.json'][i], ...d })),
    });
  });

  test('stdin and a missing file: named, the rest compared, exit 2', () => {
    const dir = tree({ 'x86_64.json': archDoc('x86_64', D) });
    const result = run(['arches', 'x86_64.json', 'missing.json', '-'], { cwd: dir, input: archDoc('s390x', D) });
    assert.equal(result.status, 2);
    assert.match(result.stdout, /^x86_64\.json:4:60: error\[arch-digest-shared\]: .* as on s390x;.*\n<stdin>:4:60: error\[arch-digest-shared\]: .* as on x86_64;/);
    assert.equal(result.stderr, 'oscontainer: missing.json: no such file\ncompared 2 files (x86_64, s390x): 2 errors, 0 warnings; 1 file could not be read\n');
  });
});

describe('release', () => {
  test('prints the release view as JSON; exit 0 when release metadata can be made', () => {
    const dir = tree({ 'meta.json': GOOD });
    const result = run(['release', 'meta.json'], { cwd: dir });
    assert.deepEqual(result, { status: 0, stdout: `${JSON.stringify(releaseView(GOOD), null, 2)}\n`, stderr: '' });
    assert.ok(
      result.stdout.includes(
        `      "releaseMetadata": {\n        "image": "quay.io/fedora/fedora-coreos:stable",\n        "digest-ref": "quay.io/fedora/fedora-coreos@${D}"\n      },\n`,
      ),
    );
    assert.deepEqual(run(['release', '-'], { input: GOOD }), result);
  });

  test('--build-id, and findings on stderr with exit 1', () => {
    const dir = tree({ 'meta.json': GOOD });
    const result = run(['release', '--build-id', '37.1', 'meta.json'], { cwd: dir });
    assert.equal(result.status, 1);
    assert.deepEqual(JSON.parse(result.stdout), releaseView(GOOD, { buildId: '37.1' }));
    assert.equal(
      result.stderr,
      'meta.json:6:17: error[floating-tag-ambiguous]: "base-oscontainer": 2 floating tags (stable, 37.20221106.3.0): cosa\'s generate-release-meta raises ValueError, it needs exactly one\n' +
        '    hint: keep exactly one tag without the build id in "tags"\n',
    );
    assert.equal(JSON.parse(run(['release', '--build-id', '37.1', '--profile', 'compat', 'meta.json'], { cwd: dir }).stdout).valid, false);
  });

  test('a file error exits 2 and prints no JSON', () => {
    const dir = tree({ 'latin1.json': LATIN1 });
    assert.deepEqual(run(['release', 'missing.json'], { cwd: dir }), { status: 2, stdout: '', stderr: 'oscontainer: missing.json: no such file\n' });
    assert.deepEqual(run(['release', 'latin1.json'], { cwd: dir }), {
      status: 2,
      stdout: '',
      stderr: 'oscontainer: latin1.json: not UTF-8 text: line 2, column 18: byte 0xE9 is not valid UTF-8; JSON text must be UTF-8\n',
    });
    assert.equal(run(['release', '.'], { cwd: dir }).stderr, 'oscontainer: .: cannot read: is a directory\n');
  });

  test('the corpus release.json pair, through the CLI', (t) => {
    const { files, reason } = corpus('release');
    if (!files) {
      t.skip(reason);
      return;
    }
    const release = new Map(files).get('coreos-stream-metadata-go__release_fixtures_fcos-release.json');
    const pair = JSON.parse(release).architectures.x86_64.media.oci ?? null;
    // release.json keeps the pair under "oci-image"; find it wherever it is.
    const found = [];
    (function walk(value) {
      if (value && typeof value === 'object') {
        if (value['oci-image']) found.push(value['oci-image']);
        Object.values(value).forEach(walk);
      }
    })(JSON.parse(release));
    assert.equal(found.length, 1, String(pair));
    const [image, digestRef] = [found[0].image, found[0]['digest-ref']];
    const [repository, tag] = image.split(/:(?=[^:/]+$)/);
    const digest = digestRef.slice(digestRef.indexOf('@') + 1);
    const meta = JSON.stringify({ buildid: '33.20201201.3.0', 'base-oscontainer': { image: repository, digest, tags: ['33.20201201.3.0', tag] } }, null, 4);
    const dir = tree({ 'meta.json': meta });
    const result = run(['release', 'meta.json'], { cwd: dir });
    assert.equal(result.status, 0);
    const written = JSON.stringify(JSON.parse(result.stdout).entries[0].releaseMetadata, null, 2).split('\n').slice(1, -1).map((l) => l.trim()).join('\n');
    assert.ok(release.includes(written.replace('\n', '\n        ')), written);
  });
});

test('progress on stderr when it is a terminal and there are more than 50 files', (t) => {
  if (spawnSync('script', ['--version']).status !== 0) {
    t.skip('util-linux script (to get a terminal) is not installed');
    return;
  }
  const files = {};
  for (let i = 0; i < 51; i++) files[`b${String(i).padStart(2, '0')}/meta.json`] = GOOD;
  const many = tree(files);
  const few = tree(Object.fromEntries(Object.entries(files).slice(0, 50)));
  const onTerminal = (dir) =>
    spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} check --jobs 1 .`, '/dev/null'], { cwd: dir, encoding: 'utf8' });
  const shown = onTerminal(many);
  assert.equal(shown.status, 0);
  assert.match(shown.stdout, /\r\x1b\[Kchecking \d+\/51 files/);
  assert.match(shown.stdout, /\r\x1b\[Kchecked 51 files: 0 errors, 0 warnings\r?\n$/, 'the line is cleared before the summary');
  const hidden = onTerminal(few);
  assert.equal(hidden.stdout.replace(/\r/g, ''), 'checked 50 files: 0 errors, 0 warnings\n');
  // Not a terminal: no progress (the exact stderr of every other test says so too).
  assert.equal(run(['check', '.'], { cwd: many }).stderr, 'checked 51 files: 0 errors, 0 warnings\n');
});

test('2,000 files on two worker threads: the same output as one, in path order', () => {
  const files = {};
  for (let i = 0; i < 2000; i++) {
    const build = `36.2022${String(i).padStart(4, '0')}.3.0`;
    const text = GOOD.replaceAll('37.20221106.3.0', build);
    files[`${String(i % 37).padStart(2, '0')}/${build}/x86_64/meta.json`] = i % 7 === 0 ? BAD.text : text;
  }
  const dir = tree(files);
  symlinkSync('nowhere', join(dir, '00/meta.json'));
  writeFileSync(join(dir, '01/meta.json'), LATIN1);

  const timed = (jobs) => {
    const start = process.hrtime.bigint();
    const result = run(['check', '--jobs', String(jobs), '.'], { cwd: dir });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(`# check --jobs ${jobs}: 2002 files in ${seconds.toFixed(2)} s, ${Math.round(2002 / seconds)} files/s`);
    return result;
  };
  const one = timed(1);
  const two = timed(2);
  assert.deepEqual(two, one);
  assert.equal(two.status, 2);
  assert.equal(
    two.stderr,
    'oscontainer: 00/meta.json: dangling symbolic link (its target does not exist)\n' +
      'oscontainer: 01/meta.json: not UTF-8 text: line 2, column 18: byte 0xE9 is not valid UTF-8; JSON text must be UTF-8\n' +
      'checked 2000 files: 572 errors, 0 warnings; 2 files could not be checked\n',
  );
  const lines = two.stdout.trim().split('\n');
  assert.equal(lines.length, 572);
  const paths = lines.filter((_, i) => i % 2 === 0).map((line) => line.slice(0, line.indexOf(':')));
  const sorted = [...paths].sort((a, b) => (a.split('/') < b.split('/') ? -1 : 1));
  assert.deepEqual(paths, sorted, 'path order');
  assert.equal(new Set(paths).size, 286);

  // A reader that stops early (| head) ends the output, not the run or its exit status.
  const piped = spawnSync('bash', ['-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} check --jobs 2 . | head -n 1; echo "status \${PIPESTATUS[0]}"`], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(piped.stdout, `${lines[0]}\nstatus 2\n`);
  assert.match(piped.stderr, /checked 2000 files: 572 errors, 0 warnings; 2 files could not be checked\n$/);

  const check = run(['upgrade', '--check', '--jobs', '2', '.'], { cwd: dir });
  assert.equal(check.status, 2);
  assert.deepEqual(check.stdout.trim().split('\n'), paths);
  assert.deepEqual(check, run(['upgrade', '--check', '--jobs', '1', '.'], { cwd: dir }));
});
