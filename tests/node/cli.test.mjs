// The command-line interface (pkg/cli/main.js), run as a user runs it: every subcommand and
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

const CLI = join(pkgDir, 'cli/main.js');
const D = sha256('ab');
const D2 = sha256('cd');
const isRoot = process.getuid?.() === 0;
const FORMATS = ['text', 'json', 'jsonl', 'github'];

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

/** The summary of `check` over mixed(): BAD's two errors are fixable, WARN's and SYNTAX's are not. */
const MIXED_SUMMARY = 'checked 4 files: 4 problems (3 errors, 1 warning); 2 fixable with `oscontainer upgrade --write`; 3 files could not be checked';

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
      builds: 'Usage: oscontainer builds [options] DIR\n',
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
    for (const option of ['--profile', '--schema', '--format', '--strict', '--name', '--all-json', '--jobs', '--build-id']) {
      assert.ok(run(['check', '--help']).stdout.includes(`  ${option}`), option);
    }
    for (const option of ['--write', '--check', '--format', '--name']) assert.ok(run(['upgrade', '--help']).stdout.includes(`  ${option}`), option);
    for (const command of ['arches', 'release', 'builds']) assert.ok(run([command, '--help']).stdout.includes('  --format FORMAT '), command);
  });

  test('usage errors exit 2 with one line that says what is wrong, and print nothing on stdout', () => {
    const dir = tree({ 'meta.json': GOOD });
    const cases = [
      [['help', 'lint'], 'oscontainer: unknown command "lint"; did you mean `oscontainer check`?'],
      [['help', 'frobnicate'], 'oscontainer: unknown command "frobnicate"; the commands are check, upgrade, arches, release, builds'],
      [['check'], 'oscontainer check: no PATH given (use - for stdin)'],
      [['check', '--profile', 'strict', 'meta.json'], 'oscontainer check: --profile must be canonical or compat, not "strict"'],
      [['check', '--format', 'sarif', 'meta.json'], 'oscontainer check: --format must be text, json, jsonl or github, not "sarif"'],
      [['release', '--format=xml', 'meta.json'], 'oscontainer release: --format must be text, json, jsonl or github, not "xml"'],
      [['check', '--format'], 'oscontainer check: --format needs a value'],
      [['check', '--format', '--strict', 'meta.json'], 'oscontainer check: --format needs a value (got the option --strict)'],
      [['check', '--jobs', '0', 'meta.json'], 'oscontainer check: --jobs must be a positive whole number, not "0"'],
      [['check', '--jobs', 'many', 'meta.json'], 'oscontainer check: --jobs must be a positive whole number, not "many"'],
      [['check', '--build-id', '', 'meta.json'], 'oscontainer check: --build-id must not be empty'],
      [['check', '--schema', 'nowhere.json', 'meta.json'], 'oscontainer check: --schema nowhere.json: no such file or directory'],
      [['check', '--strict=yes', 'meta.json'], 'oscontainer check: --strict takes no value (given "yes")'],
      [['check', '--name', 'a/*.json', '.'], 'oscontainer check: --name a/*.json: --name matches file names, not paths (no "/")'],
      [['upgrade', '--name=', '.'], 'oscontainer upgrade: --name must not be empty'],
      [['check', '-', '-'], 'oscontainer check: - (stdin) can be given only once'],
      [['upgrade', '--write', '--check', 'meta.json'], 'oscontainer upgrade: --write and --check cannot be combined'],
      [['upgrade', '--write', '-'], 'oscontainer upgrade: --write cannot write to stdin; without --write the upgraded text is printed'],
      [['arches'], 'oscontainer arches: no FILE given: one meta.json per architecture of the build'],
      [['arches', '--presence', 'kubevirt', 'meta.json'], 'oscontainer arches: --presence kubevirt: expected KEY=all, KEY=any or KEY=ARCH[,ARCH...]'],
      [['release'], 'oscontainer release: expected one FILE, got 0'],
      [['release', 'meta.json', 'meta.json'], 'oscontainer release: expected one FILE, got 2'],
    ];
    for (const [args, line] of cases) {
      for (const format of [[], ['--format', 'json']]) {
        // A usage error wins over any --format: nothing on stdout, so no half document.
        const withFormat = format.length > 0 && !args.some((a) => a.startsWith('--format')) && args[0] !== 'help' ? [args[0], ...format, ...args.slice(1)] : args;
        assert.deepEqual(run(withFormat, { cwd: dir, input: '{}' }), { status: 2, stdout: '', stderr: `${line}\n` }, withFormat.join(' '));
      }
    }
    const badSchema = tree({ 'schema.json': '{"type": 12}', 'meta.json': GOOD });
    const result = run(['check', '--schema', 'schema.json', 'meta.json'], { cwd: badSchema });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^oscontainer check: --schema schema\.json: the schema cannot be compiled[^\n]*\n$/);
    assert.deepEqual(run([]), { status: 2, stdout: '', stderr: `oscontainer: no command given\n\n${run(['--help']).stdout}` });
  });

  test('verify is no longer an alias of check: it is reserved for the registry verifier, an unknown command until then', () => {
    const dir = tree({ 'meta.json': GOOD });
    const line = 'oscontainer: unknown command "verify"; the commands are check, upgrade, arches, release, builds\n';
    assert.deepEqual(run(['verify', 'meta.json'], { cwd: dir }), { status: 2, stdout: '', stderr: line });
    assert.deepEqual(run(['help', 'verify'], { cwd: dir }), { status: 2, stdout: '', stderr: line });
  });

  test('an unknown command or option: one line with a did-you-mean, exit 2, never Node\'s own text', () => {
    const dir = tree({ 'meta.json': GOOD });
    const cases = [
      // Other tools' names for our commands, and typos (the library's did-you-mean).
      [['validate', 'meta.json'], 'oscontainer: unknown command "validate"; did you mean `oscontainer check`?'],
      [['lint', 'meta.json'], 'oscontainer: unknown command "lint"; did you mean `oscontainer check`?'],
      [['fix', 'meta.json'], 'oscontainer: unknown command "fix"; did you mean `oscontainer upgrade --write`?'],
      [['chekc', 'meta.json'], 'oscontainer: unknown command "chekc"; did you mean `oscontainer check`?'],
      [['Upgrade', 'meta.json'], 'oscontainer: unknown command "Upgrade"; did you mean `oscontainer upgrade`?'],
      [['relase', 'meta.json'], 'oscontainer: unknown command "relase"; did you mean `oscontainer release`?'],
      [['frobnicate'], 'oscontainer: unknown command "frobnicate"; the commands are check, upgrade, arches, release, builds'],
      // Options before any command.
      [['--fix', 'meta.json'], 'oscontainer: unknown option --fix; did you mean `oscontainer upgrade --write`?'],
      [['--verison'], 'oscontainer: unknown option --verison; did you mean --version?'],
      [['--format', 'json', 'check', 'meta.json'], 'oscontainer: unknown option --format; options go after the command, e.g. `oscontainer check --format`'],
      [['--colour'], 'oscontainer: unknown option --colour; the options are --help and --version'],
      // Options of a command: eslint's --fix, a typo, another command's option, other tools' names.
      [['check', '--fix', 'meta.json'], 'oscontainer check: unknown option --fix; did you mean `oscontainer upgrade --write`?'],
      [['upgrade', '--fix', 'meta.json'], 'oscontainer upgrade: unknown option --fix; did you mean --write?'],
      [['check', '--stirct', 'meta.json'], 'oscontainer check: unknown option --stirct; did you mean --strict?'],
      [['check', '--formt=json', 'meta.json'], 'oscontainer check: unknown option --formt; did you mean --format?'],
      [['upgrade', '--wirte', 'meta.json'], 'oscontainer upgrade: unknown option --wirte; did you mean --write?'],
      [['arches', '--presense', 'kubevirt=all', 'meta.json'], 'oscontainer arches: unknown option --presense; did you mean --presence?'],
      [['release', '--buildid', '1', 'meta.json'], 'oscontainer release: unknown option --buildid; did you mean --build-id?'],
      [['check', '--all_json', '.'], 'oscontainer check: unknown option --all_json; did you mean --all-json?'],
      [['check', '--write', 'meta.json'], 'oscontainer check: unknown option --write; did you mean `oscontainer upgrade --write`?'],
      [['release', '--presence', 'kubevirt=all', 'meta.json'], 'oscontainer release: unknown option --presence; arches or builds take it, release does not'],
      [['arches', '--profile', 'compat', 'meta.json'], 'oscontainer arches: unknown option --profile; check, upgrade, release or builds take it, arches does not'],
      [['check', '--output-format', 'json', 'meta.json'], 'oscontainer check: unknown option --output-format; did you mean --format?'],
      [['arches', '--reporter', 'json', 'meta.json'], 'oscontainer arches: unknown option --reporter; did you mean --format?'],
      [['check', '-x', 'meta.json'], 'oscontainer check: unknown option -x; `oscontainer check --help` lists the options'],
      [['upgrade', '--colour', 'meta.json'], 'oscontainer upgrade: unknown option --colour; `oscontainer upgrade --help` lists the options'],
    ];
    for (const [args, line] of cases) {
      assert.deepEqual(run(args, { cwd: dir }), { status: 2, stdout: '', stderr: `${line}\n` }, args.join(' '));
    }
    // After --, an argument that looks like an option is a path.
    assert.deepEqual(run(['check', '--', '--fix'], { cwd: dir }), {
      status: 2,
      stdout: '',
      stderr: 'oscontainer: --fix: no such file or directory\nchecked 0 files: no problems; 1 path matched no files\n',
    });
  });
});

describe('check', () => {
  test('a clean file: nothing on stdout, the summary on stderr, exit 0', () => {
    const dir = tree({ 'meta.json': GOOD });
    assert.deepEqual(run(['check', 'meta.json'], { cwd: dir }), { status: 0, stdout: '', stderr: 'checked 1 file: no problems\n' });
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
    assert.equal(result.stderr, 'checked 2 files: 3 problems (2 errors, 1 warning); 2 fixable with `oscontainer upgrade --write`\n');
  });

  test('warnings fail only with --strict; --profile compat turns legacy shapes into warnings', () => {
    const dir = tree({ 'meta.json': WARN.text, 'legacy.json': BAD.text });
    assert.equal(run(['check', 'meta.json'], { cwd: dir }).status, 0);
    assert.equal(run(['check', '--strict', 'meta.json'], { cwd: dir }).status, 1);
    const compat = run(['check', '--profile', 'compat', 'legacy.json'], { cwd: dir });
    assert.equal(compat.status, 0);
    assert.match(compat.stdout, /^legacy\.json:4:18: warning\[image-has-tag\]: /);
    assert.equal(compat.stderr, 'checked 1 file: 2 problems (0 errors, 2 warnings); 2 fixable with `oscontainer upgrade --write`\n');
    assert.equal(run(['check', '--profile', 'compat', '--strict', 'legacy.json'], { cwd: dir }).status, 1);
  });

  test('a directory of good, bad and unreadable files: each named, the others still checked, exit 2', () => {
    const dir = mixed();
    const result = run(['check', '.'], { cwd: dir });
    assert.equal(result.status, 2);
    // Sorted by path; node_modules and dot directories are skipped; other.json is not a meta.json.
    assert.equal(result.stdout, textLines('bad/meta.json', BAD) + textLines('syntax/meta.json', SYNTAX) + textLines('warn/meta.json', WARN));
    assert.equal(result.stderr, `${MIXED_ERRORS}${MIXED_SUMMARY}\n`);
    // A path named on the command line that is not there is an error too, in its place.
    const more = run(['check', 'missing.json', '.'], { cwd: dir });
    assert.equal(more.status, 2);
    assert.equal(more.stderr, `${MIXED_ERRORS}oscontainer: missing.json: no such file or directory\n${MIXED_SUMMARY}; 1 path matched no files\n`);
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
    assert.match(result.stderr, /\nchecked 5 files: 6 problems \(5 errors, 1 warning\); 4 fixable with `oscontainer upgrade --write`; 3 files could not be checked\n$/);
  });

  test('a file the user cannot read', () => {
    const dir = tree({ 'locked/meta.json': GOOD, 'good/meta.json': GOOD });
    chmodSync(join(dir, 'locked/meta.json'), 0o000);
    assert.deepEqual(runAsUser(['check', '.'], dir), {
      status: 2,
      stdout: '',
      stderr: 'oscontainer: locked/meta.json: cannot read: permission denied\nchecked 1 file: no problems; 1 file could not be checked\n',
    });
  });

  test('jsonl: one report per line, with its file; file errors as {file, error}', () => {
    const dir = mixed();
    const result = run(['check', '--format', 'jsonl', '.'], { cwd: dir });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `${MIXED_ERRORS}${MIXED_SUMMARY}\n`);
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
    const [report] = run(['check', '--format', 'jsonl', 'meta.json'], { cwd: dir }).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(report.entries[0].readiness.releaseMetadata, { state: 'ready', reason: null });
    const [given] = JSON.parse(run(['check', '--format', 'json', '--build-id', '37.1', 'meta.json'], { cwd: dir }).stdout);
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
      `::error file=bad/meta.json,line=4,endLine=4,col=18,endColumn=127,title=image-has-tag::image "quay.io/fedora/fedora-coreos:stable@${D}" carries the tag "stable"; the agreed form lists tags in "tags"\n` +
        `::error file=bad/meta.json,line=4,endLine=4,col=18,endColumn=127,title=image-embedded-digest::image "quay.io/fedora/fedora-coreos:stable@${D}" embeds the digest; the agreed form keeps the repository in "image" and the digest in "digest"\n` +
        '::error file=fifo/meta.json,title=not-a-file::not a regular file\n' +
        '::error file=gone/meta.json,title=missing::dangling symbolic link (its target does not exist)\n' +
        '::error file=latin1/meta.json,title=not-utf8::not UTF-8 text: line 2, column 18: byte 0xE9 is not valid UTF-8; JSON text must be UTF-8\n' +
        "::error file=syntax/meta.json,line=1,endLine=1,col=38,endColumn=39,title=json-syntax::trailing comma before '}' is not allowed in JSON\n" +
        '::warning file=warn/meta.json,line=1,endLine=1,col=160,endColumn=169,title=unknown-field::unknown field "dig%25ets" in a container entry%0Ahint: did you mean "digest"?\n' +
        '::warning file=we%2Cird%3Adir%25/meta.json,line=1,endLine=1,col=160,endColumn=169,title=unknown-field::unknown field "dig%25ets" in a container entry%0Ahint: did you mean "digest"?\n',
    );
    // info is a notice.
    const info = tree({ 'meta.json': '{"buildid": "1"}' });
    assert.deepEqual(run(['check', '--format', 'github', 'meta.json'], { cwd: info }), {
      status: 0,
      stdout: '::notice file=meta.json,line=1,endLine=1,col=1,endColumn=2,title=no-entries::the document has no container entry (oscontainer, base-oscontainer, extensions-container or kubevirt)\n',
      stderr: 'checked 1 file: no problems\n',
    });
  });

  test('stdin is "-", named <stdin>, first among the files', () => {
    const dir = tree({ 'warn/meta.json': WARN.text });
    const result = run(['check', 'warn', '-'], { cwd: dir, input: BAD.text });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, textLines('<stdin>', BAD) + textLines('warn/meta.json', WARN));
    assert.equal(result.stderr, 'checked 2 files: 3 problems (2 errors, 1 warning); 2 fixable with `oscontainer upgrade --write`\n');
    const json = run(['check', '--format', 'json', '-'], { input: GOOD });
    assert.equal(json.status, 0);
    assert.deepEqual(JSON.parse(json.stdout), [{ file: '<stdin>', ...validate(GOOD) }]);
    const bytes = run(['check', '-'], { input: LATIN1 });
    assert.deepEqual(bytes, {
      status: 2,
      stdout: '',
      stderr: 'oscontainer: <stdin>: not UTF-8 text: line 2, column 18: byte 0xE9 is not valid UTF-8; JSON text must be UTF-8\nchecked 0 files: no problems; 1 file could not be checked\n',
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
    assert.equal(result.stderr, 'checked 1 file: 2 problems (2 errors, 0 warnings); 2 fixable with `oscontainer upgrade --write`\n');
  });
});

describe('upgrade', () => {
  test('one file: prints the upgraded text, or the text as it is', () => {
    const dir = tree({ 'bad.json': BAD.text, 'good.json': GOOD });
    assert.deepEqual(run(['upgrade', 'bad.json'], { cwd: dir }), { status: 0, stdout: BAD_UPGRADED, stderr: '1 of 1 file would be upgraded: bad.json\n' });
    assert.equal(BAD_UPGRADED, upgrade(BAD.text).output);
    assert.deepEqual(run(['upgrade', './bad.json'], { cwd: dir }).stdout, BAD_UPGRADED);
    assert.deepEqual(run(['upgrade', 'good.json'], { cwd: dir }), { status: 0, stdout: GOOD, stderr: '0 of 1 file would be upgraded\n' });
    // A directory, even of one file, gives a diff.
    const one = tree({ 'x/meta.json': BAD.text });
    assert.match(run(['upgrade', 'x'], { cwd: one }).stdout, /^--- x\/meta\.json\n\+\+\+ x\/meta\.json\n@@ -1,6 \+1,10 @@\n/);
    assert.deepEqual(run(['upgrade', '-'], { input: BAD.text }), { status: 0, stdout: BAD_UPGRADED, stderr: '1 of 1 file would be upgraded: <stdin>\n' });
    assert.equal(readFileSync(join(dir, 'bad.json'), 'utf8'), BAD.text, 'nothing written');
  });

  test('several files: a unified diff that patch applies', (t) => {
    const crlf = BAD.text.replace(/\n/g, '\r\n');
    const dir = tree({ 'a/meta.json': BAD.text, 'b/meta.json': GOOD, 'c/meta.json': crlf });
    const result = run(['upgrade', '.'], { cwd: dir });
    assert.equal(result.status, 0);
    assert.equal(result.stderr, '2 of 3 files would be upgraded: a/meta.json, c/meta.json\n');
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
    assert.deepEqual(run(['upgrade', '--check', '.'], { cwd: dir }), { status: 1, stdout: 'a/meta.json\n', stderr: '1 of 3 files would be upgraded: a/meta.json\n' });
    assert.equal(readFileSync(join(dir, 'a/meta.json'), 'utf8'), before);
    assert.deepEqual(run(['upgrade', '--check', 'b/meta.json', 'c/meta.json'], { cwd: dir }), { status: 0, stdout: '', stderr: '0 of 2 files would be upgraded\n' });
    assert.deepEqual(run(['upgrade', '--check', '-'], { input: BAD.text }), { status: 1, stdout: '<stdin>\n', stderr: '1 of 1 file would be upgraded: <stdin>\n' });
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
      stderr: `${BROKEN_ERROR}upgraded 3 of 4 files: a/meta.json, broken/meta.json, link/meta.json; 1 still has errors upgrade cannot fix: broken/meta.json\n`,
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
      stderr: `${BROKEN_ERROR}0 of 4 files would be upgraded; 1 still has errors upgrade cannot fix: broken/meta.json\n`,
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
        'upgraded 1 of 1 file: open/meta.json; 2 files could not be upgraded\n',
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
        '1 of 4 files would be upgraded: bad/meta.json; 1 still has errors upgrade cannot fix: syntax/meta.json; 3 files could not be upgraded\n',
    );
  });
});

/** The upgrade result as the machine formats give it: with its file, `output` only when given. */
function upgradeRecord(file, text, { written = false } = {}) {
  const { output, ...rest } = upgrade(text);
  return rest.changed && !written ? { file, ...rest, output } : { file, ...rest };
}

const FILE_ERRORS = {
  fifo: { file: 'fifo/meta.json', error: { code: 'not-a-file', message: 'not a regular file' } },
  gone: { file: 'gone/meta.json', error: { code: 'missing', message: 'dangling symbolic link (its target does not exist)' } },
  latin1: {
    file: 'latin1/meta.json',
    error: { code: 'not-utf8', message: 'not UTF-8 text: line 2, column 18: byte 0xE9 is not valid UTF-8; JSON text must be UTF-8' },
  },
};
const NO_FILES = { file: 'empty', error: { code: 'no-files', message: 'no meta.json files found (--name GLOB looks for other names)' } };

describe('--format json: one document for the whole run, whatever happened', () => {
  test('check: an array of reports in path order, file errors and unmatched paths among them', () => {
    const dir = mixed();
    mkdirSync(join(dir, 'empty'));
    const result = run(['check', '--format', 'json', 'empty', '.'], { cwd: dir });
    const expected = [
      { file: 'bad/meta.json', ...validate(BAD.text) },
      NO_FILES,
      FILE_ERRORS.fifo,
      FILE_ERRORS.gone,
      { file: 'good/meta.json', ...validate(GOOD) },
      FILE_ERRORS.latin1,
      { file: 'syntax/meta.json', ...validate(SYNTAX.text) },
      { file: 'warn/meta.json', ...validate(WARN.text) },
    ];
    assert.deepEqual(result, {
      status: 2,
      stdout: `${JSON.stringify(expected, null, 2)}\n`,
      stderr: `oscontainer: empty: ${NO_FILES.error.message}\n${MIXED_ERRORS}${MIXED_SUMMARY}; 1 path matched no files\n`,
    });
    assert.deepEqual(JSON.parse(result.stdout), expected);
    // Nothing to report is still a document.
    assert.deepEqual(run(['check', '--format', 'json', 'empty'], { cwd: dir }), {
      status: 2,
      stdout: `${JSON.stringify([NO_FILES], null, 2)}\n`,
      stderr: `oscontainer: empty: ${NO_FILES.error.message}\nchecked 0 files: no problems; 1 path matched no files\n`,
    });
  });

  test('check: the same document from two worker threads as from one', () => {
    const files = {};
    for (let i = 0; i < 70; i++) files[`b${String(i).padStart(2, '0')}/meta.json`] = i % 3 ? GOOD : BAD.text;
    const dir = tree(files);
    const one = run(['check', '--format', 'json', '--jobs', '1', '.'], { cwd: dir });
    assert.deepEqual(run(['check', '--format', 'json', '--jobs', '2', '.'], { cwd: dir }), one);
    const reports = JSON.parse(one.stdout);
    assert.equal(reports.length, 70);
    assert.deepEqual(reports[0], { file: 'b00/meta.json', ...validate(BAD.text) });
    assert.deepEqual(reports[1], { file: 'b01/meta.json', ...validate(GOOD) });
  });

  test('upgrade: the upgrade results with their file; output while it is not what the file holds', () => {
    const dir = mixed();
    const expected = (written) => [
      upgradeRecord('bad/meta.json', BAD.text, { written }),
      FILE_ERRORS.fifo,
      FILE_ERRORS.gone,
      upgradeRecord('good/meta.json', GOOD),
      FILE_ERRORS.latin1,
      upgradeRecord('syntax/meta.json', SYNTAX.text),
      upgradeRecord('warn/meta.json', WARN.text),
    ];
    assert.equal(expected(false)[0].output, BAD_UPGRADED);
    assert.equal('output' in expected(false)[3], false, 'unchanged: no output');
    const summary = `${MIXED_ERRORS}1 of 4 files would be upgraded: bad/meta.json; 1 still has errors upgrade cannot fix: syntax/meta.json; 3 files could not be upgraded\n`;
    // The errors that remain are in the document (diagnostics), not on stderr.
    for (const mode of [[], ['--check']]) {
      assert.deepEqual(run(['upgrade', ...mode, '--format', 'json', '.'], { cwd: dir }), {
        status: 2,
        stdout: `${JSON.stringify(expected(false), null, 2)}\n`,
        stderr: summary,
      });
    }
    // One file named: the same record, not the bare text.
    assert.deepEqual(JSON.parse(run(['upgrade', '--format', 'json', 'bad/meta.json'], { cwd: dir }).stdout), [expected(false)[0]]);
    const written = run(['upgrade', '--write', '--format', 'json', '.'], { cwd: dir });
    assert.deepEqual(written, {
      status: 2,
      stdout: `${JSON.stringify(expected(true), null, 2)}\n`,
      stderr: summary.replace('1 of 4 files would be upgraded', 'upgraded 1 of 4 files'),
    });
    assert.equal(readFileSync(join(dir, 'bad/meta.json'), 'utf8'), BAD_UPGRADED);
  });

  test('arches: the one comparison, each finding with its file, file errors in fileErrors', () => {
    const dir = tree({ 'x86_64.json': archDoc('x86_64', D), 'aarch64.json': archDoc('aarch64', D) });
    const result = run(['arches', '--format', 'json', 'x86_64.json', 'missing.json', 'aarch64.json'], { cwd: dir });
    const report = compareArches([
      { name: 'x86_64.json', input: archDoc('x86_64', D) },
      { name: 'aarch64.json', input: archDoc('aarch64', D) },
    ]);
    const expected = {
      files: ['x86_64.json', 'aarch64.json'],
      ...report,
      diagnostics: report.diagnostics.map((d) => ({ file: ['x86_64.json', 'aarch64.json'][d.document], ...d })),
      fileErrors: [{ file: 'missing.json', error: { code: 'missing', message: 'no such file or directory' } }],
    };
    assert.deepEqual(result, {
      status: 2,
      stdout: `${JSON.stringify(expected, null, 2)}\n`,
      stderr: 'oscontainer: missing.json: no such file or directory\ncompared 2 files (x86_64, aarch64): 2 problems (2 errors, 0 warnings); 1 file could not be read\n',
    });
  });

  test('every command and format: stdout parses (json: as one document; jsonl: line by line)', () => {
    const dir = mixed();
    writeFileSync(join(dir, 'x86_64.json'), archDoc('x86_64', D));
    writeFileSync(join(dir, 'aarch64.json'), archDoc('aarch64', D));
    const runs = [
      ['check', '.'],
      ['check', 'nowhere', 'good/meta.json'],
      ['check', '-'],
      ['upgrade', '.'],
      ['upgrade', 'bad/meta.json'],
      ['upgrade', '--check', '.'],
      ['arches', 'x86_64.json', 'aarch64.json', 'latin1/meta.json'],
      ['arches', 'nowhere'],
      ['release', 'bad/meta.json'],
      ['release', 'gone/meta.json'],
    ];
    for (const [command, ...args] of runs) {
      const json = run([command, '--format', 'json', ...args], { cwd: dir, input: BAD.text });
      const name = [command, ...args].join(' ');
      assert.doesNotThrow(() => JSON.parse(json.stdout), name);
      assert.ok(json.stdout.endsWith('}\n') || json.stdout.endsWith(']\n'), name);
      const jsonl = run([command, '--format', 'jsonl', ...args], { cwd: dir, input: BAD.text });
      assert.equal(jsonl.status, json.status, name);
      assert.equal(jsonl.stderr, json.stderr, name);
      const lines = jsonl.stdout.split('\n');
      assert.equal(lines.pop(), '', name);
      assert.ok(lines.length > 0, name);
      for (const line of lines) assert.equal(typeof JSON.parse(line).file, 'string', `${name}: ${line}`);
      if (command !== 'arches') {
        // The same objects; json indents them and, for check and upgrade, gathers them in an array.
        const records = lines.map((line) => JSON.parse(line));
        assert.deepEqual(JSON.parse(json.stdout), command === 'release' ? records[0] : records, name);
      }
    }
  });
});

describe('--format jsonl and github on upgrade and arches', () => {
  test('upgrade --format jsonl: one result per line', () => {
    const dir = tree({ 'a/meta.json': BAD.text, 'b/meta.json': GOOD });
    assert.deepEqual(run(['upgrade', '--check', '--format', 'jsonl', '.'], { cwd: dir }), {
      status: 1,
      stdout: `${JSON.stringify(upgradeRecord('a/meta.json', BAD.text))}\n${JSON.stringify(upgradeRecord('b/meta.json', GOOD))}\n`,
      stderr: '1 of 2 files would be upgraded: a/meta.json\n',
    });
  });

  test('upgrade --format github: what would change (an error with --check), what remains, file errors', () => {
    const broken = marked('{\n  "kubevirt": ‸{"image": "quay.io/a/b:latest"},\n  "base-oscontainer": {"image": ‸1}\n}\n');
    const dir = tree({ 'a/meta.json': BAD.text, 'b/meta.json': GOOD, 'c/meta.json': broken.text });
    symlinkSync('nowhere', join(dir, 'd.json'));
    const BAD_CHANGES = upgrade(BAD.text)
      .changes.map((c) => `%0A${c.pointer}: ${c.message}`)
      .join('');
    assert.equal(BAD_CHANGES.split('%0A').length, 3, 'two changes');
    const changes = (file) =>
      upgrade(readFileSync(join(dir, file), 'utf8'))
        .changes.map((c) => `%0A${c.pointer}: ${c.message}`)
        .join('');
    // The errors upgrade cannot fix, where the file has them.
    const remaining = validate(broken.text)
      .diagnostics.filter((d) => d.severity === 'error' && !d.fixable)
      .map((d, i) => {
        assert.deepEqual([d.line, d.column], [broken.at[i].line, broken.at[i].column]);
        // The entry object (one line here) and the number 7.
        const end = [[2, 46], [3, 34]][i];
        const hint = d.hint ? `%0Ahint: ${d.hint}` : '';
        return `::error file=c/meta.json,line=${d.line},endLine=${end[0]},col=${d.column},endColumn=${end[1]},title=${d.code}::${d.message}${hint}\n`;
      });
    assert.equal(remaining.length, 2);
    const lines = (level, what) =>
      `::${level} file=a/meta.json,title=upgrade::${what}:${changes('a/meta.json')}\n` +
      `::${level} file=c/meta.json,title=upgrade::${what}:${changes('c/meta.json')}\n` +
      remaining.join('') +
      '::error file=d.json,title=missing::dangling symbolic link (its target does not exist)\n';
    const args = ['a/meta.json', 'b/meta.json', 'c/meta.json', 'd.json'];
    const summary = (verb) =>
      `oscontainer: d.json: dangling symbolic link (its target does not exist)\n${verb}; 1 still has errors upgrade cannot fix: c/meta.json; 1 file could not be upgraded\n`;
    assert.deepEqual(run(['upgrade', '--check', '--format', 'github', ...args], { cwd: dir }), {
      status: 2,
      stdout: lines('error', 'would be upgraded by `oscontainer upgrade --write`'),
      stderr: summary('2 of 3 files would be upgraded: a/meta.json, c/meta.json'),
    });
    const diff = run(['upgrade', '--format', 'github', ...args], { cwd: dir });
    assert.equal(diff.stdout, lines('notice', 'would be upgraded by `oscontainer upgrade --write`'));
    const written = run(['upgrade', '--write', '--format', 'github', 'a/meta.json', 'b/meta.json'], { cwd: dir });
    assert.deepEqual(written, {
      status: 0,
      stdout: `::notice file=a/meta.json,title=upgrade::upgraded:${BAD_CHANGES}\n`,
      stderr: 'upgraded 1 of 2 files: a/meta.json\n',
    });
  });

  test('arches --format jsonl: one line per file, with its architecture, build id and findings', () => {
    const dir = tree({ 'x86_64.json': archDoc('x86_64', D), 'aarch64.json': archDoc('aarch64', D) });
    const report = compareArches([
      { name: 'x86_64.json', input: archDoc('x86_64', D) },
      { name: 'aarch64.json', input: archDoc('aarch64', D) },
    ]);
    const line = (file, i) => JSON.stringify({ file, arch: report.arches[i], buildId: '36.1', diagnostics: report.diagnostics.filter((d) => d.document === i) });
    assert.deepEqual(run(['arches', '--format', 'jsonl', 'x86_64.json', 'missing.json', 'aarch64.json'], { cwd: dir }), {
      status: 2,
      stdout:
        '{"file":"missing.json","error":{"code":"missing","message":"no such file or directory"}}\n' +
        `${line('x86_64.json', 0)}\n${line('aarch64.json', 1)}\n`,
      stderr: 'oscontainer: missing.json: no such file or directory\ncompared 2 files (x86_64, aarch64): 2 problems (2 errors, 0 warnings); 1 file could not be read\n',
    });
    assert.equal(report.diagnostics.filter((d) => d.document === 0).length, 1);
  });
});

describe('paths that match no file', () => {
  test('a directory without meta.json and a missing path: named on stderr, exit 2, the other files still checked', () => {
    const dir = tree({ 'builds/1/x86_64/meta.json': GOOD, 'broken/README': 'x', 'warn/meta.json': WARN.text });
    const result = run(['check', 'builds', 'broken', 'nowhere', 'warn'], { cwd: dir });
    assert.deepEqual(result, {
      status: 2,
      stdout: textLines('warn/meta.json', WARN),
      stderr:
        'oscontainer: broken: no meta.json files found (--name GLOB looks for other names)\n' +
        'oscontainer: nowhere: no such file or directory\n' +
        'checked 2 files: 1 problem (0 errors, 1 warning); 2 paths matched no files\n',
    });
    // Alone, too; and with --name the message says which names were looked for.
    assert.deepEqual(run(['check', 'broken'], { cwd: dir }), {
      status: 2,
      stdout: '',
      stderr: 'oscontainer: broken: no meta.json files found (--name GLOB looks for other names)\nchecked 0 files: no problems; 1 path matched no files\n',
    });
    assert.equal(
      run(['check', '--name', 'rhcos-*.json', '--all-json', 'broken'], { cwd: dir }).stderr,
      'oscontainer: broken: no files named rhcos-*.json or *.json found\nchecked 0 files: no problems; 1 path matched no files\n',
    );
    assert.equal(
      run(['check', '--format', 'github', 'broken'], { cwd: dir }).stdout,
      '::error file=broken,title=no-files::no meta.json files found (--name GLOB looks for other names)\n',
    );
  });

  test('upgrade: the same, and the files found are still written', () => {
    const dir = tree({ 'a/meta.json': BAD.text, 'empty/other.json': BAD.text });
    assert.deepEqual(run(['upgrade', '--write', 'a', 'empty'], { cwd: dir }), {
      status: 2,
      stdout: 'a/meta.json\n',
      stderr: 'oscontainer: empty: no meta.json files found (--name GLOB looks for other names)\nupgraded 1 of 1 file: a/meta.json; 1 path matched no files\n',
    });
    assert.equal(readFileSync(join(dir, 'a/meta.json'), 'utf8'), BAD_UPGRADED);
    assert.equal(readFileSync(join(dir, 'empty/other.json'), 'utf8'), BAD.text);
    // A path that names nothing is not "one file named": no upgraded text is printed for it.
    assert.deepEqual(run(['upgrade', 'nowhere.json'], { cwd: dir }), {
      status: 2,
      stdout: '',
      stderr: 'oscontainer: nowhere.json: no such file or directory\n0 of 0 files would be upgraded; 1 path matched no files\n',
    });
  });

  test('a dangling symbolic link named on the command line is a file that cannot be read, not a missing path', () => {
    const dir = tree({});
    symlinkSync('nowhere', join(dir, 'meta.json'));
    assert.deepEqual(run(['check', 'meta.json'], { cwd: dir }), {
      status: 2,
      stdout: '',
      stderr: 'oscontainer: meta.json: dangling symbolic link (its target does not exist)\nchecked 0 files: no problems; 1 file could not be checked\n',
    });
  });
});

describe('directory discovery', () => {
  const NAMES = ['(a)+.json', 'META.json', 'meta.json', 'meta.json.bak', 'other.json', 'rhcos-meta.json', 'rhcos-x86_64.json', 'x.meta.json'];
  const found = (dir, args) => {
    const result = run(['check', '--format', 'jsonl', ...args, 'b'], { cwd: dir });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).file.slice(2));
  };

  test('by default meta.json and names ending in meta.json; --name GLOB (repeatable) and --all-json change it', () => {
    const dir = tree(Object.fromEntries(NAMES.map((name) => [`b/${name}`, GOOD])));
    assert.deepEqual(found(dir, []), ['meta.json', 'rhcos-meta.json', 'x.meta.json']);
    assert.deepEqual(found(dir, ['--name', 'rhcos-*.json']), ['rhcos-meta.json', 'rhcos-x86_64.json']);
    assert.deepEqual(found(dir, ['--name', 'rhcos-*.json', '--name', 'meta.json']), ['meta.json', 'rhcos-meta.json', 'rhcos-x86_64.json']);
    assert.deepEqual(found(dir, ['--all-json']), ['(a)+.json', 'META.json', 'meta.json', 'other.json', 'rhcos-meta.json', 'rhcos-x86_64.json', 'x.meta.json']);
    assert.deepEqual(found(dir, ['--all-json', '--name=*.bak']), found(dir, ['--name', '*.json', '--name', '*.bak']));
    assert.equal(found(dir, ['--all-json', '--name=*.bak']).length, 8);
    // find -name's globs: ? one character, [...] sets ([!...] and [^...] not), the rest literal.
    assert.deepEqual(found(dir, ['--name', '?.meta.json']), ['x.meta.json']);
    assert.deepEqual(found(dir, ['--name', '[!mr]*.json']), ['(a)+.json', 'META.json', 'other.json', 'x.meta.json']);
    assert.deepEqual(found(dir, ['--name', '[^A-Zr(]*.json']), ['meta.json', 'other.json', 'x.meta.json']);
    assert.deepEqual(found(dir, ['--name', '[]x].meta.json']), ['x.meta.json']);
    assert.deepEqual(found(dir, ['--name', '(a)+.json']), ['(a)+.json']);
    assert.deepEqual(found(dir, ['--name', 'meta.json']), ['meta.json'], 'case matters, as for find -name');
  });

  test('a backslash makes the next character itself, as for find -name', () => {
    const dir = tree({ 'b/*.json': GOOD, 'b/x.json': GOOD, 'b/a\\b.json': GOOD });
    assert.deepEqual(found(dir, ['--name', '\\*.json']), ['*.json']);
    assert.deepEqual(found(dir, ['--name', '*.json']), ['*.json', 'a\\b.json', 'x.json']);
    assert.deepEqual(found(dir, ['--name', 'a\\\\b.json']), ['a\\b.json']);
    assert.deepEqual(found(dir, ['--name', '\\x.json']), ['x.json']);
    // A trailing backslash is itself.
    assert.equal(
      run(['check', '--name', 'x.json\\', 'b'], { cwd: dir }).stderr,
      'oscontainer: b: no files named x.json\\ found\nchecked 0 files: no problems; 1 path matched no files\n',
    );
  });

  test('a file named on the command line is checked whatever its name', () => {
    const dir = tree({ 'b/meta.json.bak': BAD.text, 'b/notes.txt': WARN.text });
    const result = run(['check', 'b/meta.json.bak', 'b/notes.txt'], { cwd: dir });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, textLines('b/meta.json.bak', BAD) + textLines('b/notes.txt', WARN));
  });

  test('upgrade finds the same files', () => {
    const dir = tree({ 'b/meta.json': BAD.text, 'b/rhcos-aarch64-meta.json': BAD.text, 'b/rhcos-x86_64.json': BAD.text });
    assert.equal(run(['upgrade', '--check', 'b'], { cwd: dir }).stdout, 'b/meta.json\nb/rhcos-aarch64-meta.json\n');
    assert.equal(run(['upgrade', '--check', '--name', 'rhcos-*', 'b'], { cwd: dir }).stdout, 'b/rhcos-aarch64-meta.json\nb/rhcos-x86_64.json\n');
  });
});

describe('summaries name what they count', () => {
  test('check: problems, errors and warnings, what upgrade fixes, or no problems', () => {
    const dir = tree({ 'warn.json': WARN.text, 'good.json': GOOD, 'info.json': '{"buildid": "1"}' });
    assert.equal(run(['check', 'warn.json'], { cwd: dir }).stderr, 'checked 1 file: 1 problem (0 errors, 1 warning)\n');
    // An info is not a problem.
    assert.equal(run(['check', 'good.json', 'info.json'], { cwd: dir }).stderr, 'checked 2 files: no problems\n');
    assert.equal(run(['check', '--format', 'json', 'good.json'], { cwd: dir }).stderr, 'checked 1 file: no problems\n');
  });

  test('upgrade: the files it would change or changed, a few by name, many shortened', () => {
    const files = {};
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) files[`${name}/meta.json`] = BAD.text;
    files['h/meta.json'] = GOOD;
    const dir = tree(files);
    assert.equal(run(['upgrade', '--check', 'a', 'b', 'c', 'd', 'e', 'h'], { cwd: dir }).stderr, '5 of 6 files would be upgraded: a/meta.json, b/meta.json, c/meta.json, d/meta.json, e/meta.json\n');
    assert.equal(run(['upgrade', '--check', '.'], { cwd: dir }).stderr, '7 of 8 files would be upgraded: a/meta.json, b/meta.json, c/meta.json and 4 more\n');
    assert.equal(run(['upgrade', '--write', '.'], { cwd: dir }).stderr, 'upgraded 7 of 8 files: a/meta.json, b/meta.json, c/meta.json and 4 more\n');
    assert.equal(run(['upgrade', '--write', '.'], { cwd: dir }).stderr, 'upgraded 0 of 8 files\n');
  });
});

describe('exit status: 0 nothing wrong, 1 findings, 2 usage, file errors or paths that match nothing', () => {
  test('each command, in every format', () => {
    const dir = tree({
      'good.json': GOOD,
      'bad.json': BAD.text,
      'warn.json': WARN.text,
      'unfixable.json': '{"kubevirt": {"image": "quay.io/a/b:latest"}}',
      'x86_64.json': archDoc('x86_64', D),
      'aarch64.json': archDoc('aarch64', D2),
      'shared.json': archDoc('aarch64', D),
      'empty/README': '',
    });
    const cases = [
      [0, ['check', 'good.json']],
      [0, ['check', 'warn.json']],
      [1, ['check', '--strict', 'warn.json']],
      [1, ['check', 'bad.json', 'good.json']],
      [2, ['check', 'bad.json', 'missing.json']],
      [2, ['check', 'good.json', 'empty']],
      [0, ['upgrade', 'bad.json', 'good.json']],
      [0, ['upgrade', 'unfixable.json']],
      [1, ['upgrade', '--check', 'bad.json']],
      [1, ['upgrade', '--check', 'unfixable.json']],
      [0, ['upgrade', '--check', 'good.json', 'warn.json']],
      [2, ['upgrade', '--check', 'bad.json', 'empty']],
      [0, ['arches', 'x86_64.json', 'aarch64.json']],
      [1, ['arches', 'x86_64.json', 'shared.json']],
      [2, ['arches', 'x86_64.json', 'missing.json']],
      [0, ['release', 'good.json']],
      [1, ['release', '--build-id', '37.1', 'good.json']],
      [2, ['release', 'missing.json']],
      [2, ['release', '--colour', 'good.json']],
    ];
    for (const [status, [command, ...args]] of cases) {
      for (const format of FORMATS) {
        const result = run([command, '--format', format, ...args], { cwd: dir });
        assert.equal(result.status, status, `${command} --format ${format} ${args.join(' ')}: ${result.stderr}`);
      }
    }
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
      stderr: 'compared 2 files (x86_64, aarch64): no problems\n',
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
      stderr: 'compared 2 files (x86_64, aarch64): 2 problems (2 errors, 0 warnings)\n',
    });
    const github = run(['arches', '--format', 'github', 'x86_64.json', 'aarch64.json'], { cwd: dir });
    assert.equal(github.status, 1);
    assert.equal(
      github.stdout,
      `::error file=x86_64.json,line=4,endLine=4,col=60,endColumn=133,title=arch-digest-shared::${message('x86_64', 'aarch64')}\n::error file=aarch64.json,line=4,endLine=4,col=60,endColumn=133,title=arch-digest-shared::${message('aarch64', 'x86_64')}\n`,
    );
    const json = run(['arches', '--format', 'json', 'x86_64.json', 'aarch64.json'], { cwd: dir });
    assert.equal(json.status, 1);
    const report = compareArches([
      { name: 'x86_64.json', input: archDoc('x86_64', D) },
      { name: 'aarch64.json', input: archDoc('aarch64', D) },
    ]);
    assert.deepEqual(JSON.parse(json.stdout), {
      files: ['x86_64.json', 'aarch64.json'],
      ...report,
      diagnostics: report.diagnostics.map((d, i) => ({ file: ['x86_64.json', 'aarch64.json'][i], ...d })),
      fileErrors: [],
    });
  });

  test('stdin and a missing file: named, the rest compared, exit 2', () => {
    const dir = tree({ 'x86_64.json': archDoc('x86_64', D) });
    const result = run(['arches', 'x86_64.json', 'missing.json', '-'], { cwd: dir, input: archDoc('s390x', D) });
    assert.equal(result.status, 2);
    assert.match(result.stdout, /^x86_64\.json:4:60: error\[arch-digest-shared\]: .* as on s390x;.*\n<stdin>:4:60: error\[arch-digest-shared\]: .* as on x86_64;/);
    assert.equal(result.stderr, 'oscontainer: missing.json: no such file or directory\ncompared 2 files (x86_64, s390x): 2 problems (2 errors, 0 warnings); 1 file could not be read\n');
  });
});

describe('release', () => {
  const SUMMARY = 'meta.json: cosa writes right release metadata for 1 of 1 released entry (base-oscontainer); no problems\n';

  test('text: the view for people, the findings, the summary on stderr; exit 0 when release metadata can be made', () => {
    const dir = tree({ 'meta.json': GOOD });
    const result = run(['release', 'meta.json'], { cwd: dir });
    assert.deepEqual(result, {
      status: 0,
      stdout:
        'meta.json: build 37.20221106.3.0\n' +
        'base-oscontainer: released\n' +
        '    image:              quay.io/fedora/fedora-coreos:stable\n' +
        `    digest-ref:         quay.io/fedora/fedora-coreos@${D}\n` +
        '    floating tag:       stable\n' +
        '    build tags:         37.20221106.3.0\n' +
        '    pull by digest:     ready\n' +
        '    release metadata:   ready\n' +
        '    signing:            ready\n' +
        '    garbage collection: ready\n',
      stderr: SUMMARY,
    });
    assert.deepEqual(run(['release', '-'], { input: GOOD }), {
      status: 0,
      stdout: result.stdout.replace('meta.json:', '<stdin>:'),
      stderr: SUMMARY.replace('meta.json:', '<stdin>:'),
    });
  });

  test('text: entries not released, entries cosa fails on, what upgrade mends, and why', () => {
    const text = `{\n  "buildid": "37.20221106.3.0",\n  "oscontainer": {"image": "quay.io/x/y@${D}"},\n  "kubevirt": {"image": "quay.io/a/b:latest@${D}"}\n}\n`;
    const dir = tree({ 'meta.json': text });
    const view = releaseView(text);
    const [finding] = view.diagnostics;
    assert.equal(view.diagnostics.length, 1);
    assert.deepEqual(run(['release', 'meta.json'], { cwd: dir }), {
      status: 1,
      stdout:
        'meta.json: build 37.20221106.3.0\n' +
        'oscontainer: not released: cosa does not make release metadata from oscontainer (only from base-oscontainer and kubevirt)\n' +
        '    pull by digest:     not ready: cosa oc-adm-release and ART\'s release assembly raise KeyError: no "digest"\n' +
        '    release metadata:   not applicable\n' +
        '    signing:            not applicable\n' +
        '    garbage collection: not applicable\n' +
        'kubevirt: released\n' +
        '    after upgrade:      quay.io/a/b:latest\n' +
        `                        quay.io/a/b@${D}\n` +
        '    pull by digest:     not ready: cosa oc-adm-release and ART\'s release assembly raise KeyError: no "digest"\n' +
        '    release metadata:   not ready: cosa\'s generate-release-meta raises KeyError: no "tags"\n' +
        '    signing:            not applicable\n' +
        '    garbage collection: not applicable\n' +
        `meta.json:4:15: error[release-field-missing]: ${finding.message}\n` +
        `    hint: ${finding.hint}\n`,
      stderr: 'meta.json: cosa writes right release metadata for 0 of 1 released entry; 1 problem (1 error, 0 warnings)\n',
    });
    const empty = tree({ 'meta.json': '{}' });
    assert.deepEqual(run(['release', 'meta.json'], { cwd: empty }), {
      status: 0,
      stdout:
        'meta.json: no build id\nno container entries\n' +
        'meta.json:1:1: info[no-entries]: the document has no container entry (oscontainer, base-oscontainer, extensions-container or kubevirt)\n',
      stderr: 'meta.json: no released entries (cosa makes release metadata from base-oscontainer and kubevirt only); no problems\n',
    });
  });

  test('json: the view as one indented document, with its file; jsonl: the same on one line', () => {
    const dir = tree({ 'meta.json': GOOD });
    const json = run(['release', '--format', 'json', 'meta.json'], { cwd: dir });
    assert.deepEqual(json, { status: 0, stdout: `${JSON.stringify({ file: 'meta.json', ...releaseView(GOOD) }, null, 2)}\n`, stderr: SUMMARY });
    assert.ok(
      json.stdout.includes(
        `      "releaseMetadata": {\n        "image": "quay.io/fedora/fedora-coreos:stable",\n        "digest-ref": "quay.io/fedora/fedora-coreos@${D}"\n      },\n`,
      ),
    );
    assert.deepEqual(run(['release', '--format', 'jsonl', 'meta.json'], { cwd: dir }), {
      status: 0,
      stdout: `${JSON.stringify({ file: 'meta.json', ...releaseView(GOOD) })}\n`,
      stderr: SUMMARY,
    });
  });

  test('--build-id, and findings in each format with exit 1', () => {
    const dir = tree({ 'meta.json': GOOD });
    const message =
      '"base-oscontainer": 2 floating tags (stable, 37.20221106.3.0): cosa\'s generate-release-meta raises ValueError, it needs exactly one';
    const hint = 'keep exactly one tag without the build id in "tags"';
    const summary = 'meta.json: cosa writes right release metadata for 0 of 1 released entry; 1 problem (1 error, 0 warnings)\n';
    const text = run(['release', '--build-id', '37.1', 'meta.json'], { cwd: dir });
    assert.equal(text.status, 1);
    assert.ok(text.stdout.endsWith(`\nmeta.json:6:17: error[floating-tag-ambiguous]: ${message}\n    hint: ${hint}\n`), text.stdout);
    assert.ok(text.stdout.includes('\n    release metadata:   not ready: 2 floating tags (stable, 37.20221106.3.0): '), text.stdout);
    assert.equal(text.stderr, summary);
    const json = run(['release', '--build-id', '37.1', '--format', 'json', 'meta.json'], { cwd: dir });
    assert.equal(json.status, 1);
    assert.deepEqual(JSON.parse(json.stdout), { file: 'meta.json', ...releaseView(GOOD, { buildId: '37.1' }) });
    assert.equal(json.stderr, summary, 'the findings are in the document, not repeated on stderr');
    assert.deepEqual(run(['release', '--build-id', '37.1', '--format', 'github', 'meta.json'], { cwd: dir }), {
      status: 1,
      stdout: `::error file=meta.json,line=6,endLine=6,col=17,endColumn=46,title=floating-tag-ambiguous::${message}%0Ahint: ${hint}\n`,
      stderr: summary,
    });
    assert.equal(JSON.parse(run(['release', '--build-id', '37.1', '--profile', 'compat', '--format', 'json', 'meta.json'], { cwd: dir }).stdout).valid, false);
  });

  test('a file error exits 2: named on stderr, and in the chosen format on stdout', () => {
    const dir = tree({ 'latin1.json': LATIN1 });
    assert.deepEqual(run(['release', 'missing.json'], { cwd: dir }), { status: 2, stdout: '', stderr: 'oscontainer: missing.json: no such file or directory\n' });
    const latin1 = 'not UTF-8 text: line 2, column 18: byte 0xE9 is not valid UTF-8; JSON text must be UTF-8';
    assert.deepEqual(run(['release', 'latin1.json'], { cwd: dir }), { status: 2, stdout: '', stderr: `oscontainer: latin1.json: ${latin1}\n` });
    assert.equal(run(['release', '.'], { cwd: dir }).stderr, 'oscontainer: .: cannot read: is a directory\n');
    const record = { file: 'latin1.json', error: { code: 'not-utf8', message: latin1 } };
    assert.deepEqual(run(['release', '--format', 'json', 'latin1.json'], { cwd: dir }), {
      status: 2,
      stdout: `${JSON.stringify(record, null, 2)}\n`,
      stderr: `oscontainer: latin1.json: ${latin1}\n`,
    });
    assert.equal(run(['release', '--format', 'jsonl', 'latin1.json'], { cwd: dir }).stdout, `${JSON.stringify(record)}\n`);
    assert.equal(run(['release', '--format', 'github', 'latin1.json'], { cwd: dir }).stdout, `::error file=latin1.json,title=not-utf8::${latin1}\n`);
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
    const result = run(['release', '--format', 'json', 'meta.json'], { cwd: dir });
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
  assert.match(shown.stdout, /\r\x1b\[Kchecked 51 files: no problems\r?\n$/, 'the line is cleared before the summary');
  const hidden = onTerminal(few);
  assert.equal(hidden.stdout.replace(/\r/g, ''), 'checked 50 files: no problems\n');
  // Not a terminal: no progress (the exact stderr of every other test says so too).
  assert.equal(run(['check', '.'], { cwd: many }).stderr, 'checked 51 files: no problems\n');
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
      'checked 2000 files: 572 problems (572 errors, 0 warnings); 572 fixable with `oscontainer upgrade --write`; 2 files could not be checked\n',
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
  assert.match(piped.stderr, /checked 2000 files: 572 problems \(572 errors, 0 warnings\); 572 fixable with `oscontainer upgrade --write`; 2 files could not be checked\n$/);

  const check = run(['upgrade', '--check', '--jobs', '2', '.'], { cwd: dir });
  assert.equal(check.status, 2);
  assert.deepEqual(check.stdout.trim().split('\n'), paths);
  assert.deepEqual(check, run(['upgrade', '--check', '--jobs', '1', '.'], { cwd: dir }));
});
