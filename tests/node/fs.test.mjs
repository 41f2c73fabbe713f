// oscontainer/fs: checkBuildsDir over a builds directory made from real documents
// (tests/node/builds-fixture.mjs): what each build yields, the read problems in their
// place, builds.json's problems as results, the selection options, a single build
// directory, the release check, progress, and TypeErrors for misuse.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { archFiles, checkBuildsDir } from '../../pkg/fs.js';
import { checkBuild, checkRelease, validate } from '../../pkg/node.js';
import { buildsTree, cleanUp, IDS, layout, sources, tree } from './builds-fixture.mjs';
import { pkgDir } from './helpers.mjs';

after(cleanUp);

const { ok, reason, texts } = sources();
const skip = ok ? false : reason;

/** Every result of a run. */
async function all(dir, options) {
  const results = [];
  for await (const result of checkBuildsDir(dir, options)) results.push(result);
  return results;
}

/** What checkBuild says about `files` of `root` (the readable ones), named by their paths. */
function expectedReport(root, files, options) {
  const { files: bytes } = layout(texts);
  const docs = files.map(({ arch, path }) => ({ arch, name: path, input: Buffer.from(bytes[path.slice(root.length + 1)]) }));
  return checkBuild(docs, options);
}

describe('a builds directory', { skip }, () => {
  test('one result per build, newest first; each file read or its problem in its place', async () => {
    const cwd = buildsTree(texts);
    const root = join(cwd, 'builds');
    const results = await all(root);
    assert.deepEqual(
      results.map((r) => [r.id, r.valid, r.files.map((f) => `${f.arch}${f.error ? ` ${f.error.code}: ${f.error.message}` : ''}`)]),
      [
        [IDS.clean, true, ['x86_64', 'aarch64', 'ppc64le', 's390x']],
        [IDS.missing, false, ['x86_64', 's390x missing: no such file or directory']],
        [IDS.unreadable, false, ['x86_64', 'aarch64 unreadable: cannot read: is a directory']],
        [IDS.broken, false, ['x86_64', 'aarch64']],
        [IDS.shared, false, ['x86_64', 'aarch64']],
      ],
    );
    for (const result of results) {
      assert.equal(result.dir, join(root, result.id));
      assert.deepEqual(
        result.files.map((f) => f.path),
        result.files.map((f) => join(root, result.id, f.arch, 'meta.json')),
      );
      const readable = result.files.filter((f) => f.error === undefined);
      // The report is checkBuild's on the files that could be read, named by their paths.
      assert.deepEqual(result.report, expectedReport(root, readable), result.id);
      assert.equal('release' in result, false);
      assert.equal('error' in result, false);
    }
    assert.equal(results[0].report.valid, true);
    // A missing or unreadable file leaves the build invalid; what was read is still checked.
    assert.equal(results[1].report.valid, true);
    assert.equal(results[2].report.valid, true);
  });

  test('the broken file and the shared digest are findings of their build, at their places', async () => {
    const cwd = buildsTree(texts);
    const [, , , broken, shared] = await all(join(cwd, 'builds'));
    const { broken: brokenText } = layout(texts);
    const [syntax] = broken.report.arches[0].report.diagnostics;
    const lines = brokenText.split('\n');
    assert.deepEqual([syntax.code, syntax.line, syntax.column], ['json-syntax', lines.length, lines.at(-1).length + 1]);
    assert.equal(syntax.message, validate(brokenText).diagnostics[0].message);
    const sharedRows = shared.report.diagnostics.map((d) => `${d.name.slice(d.name.indexOf('builds/'))}:${d.line}:${d.column} ${d.code}`);
    assert.deepEqual(sharedRows, [
      `builds/${IDS.shared}/x86_64/meta.json:${lineOf(texts.ootpa0325, '"digest"')}:19 arch-digest-shared`,
      `builds/${IDS.shared}/aarch64/meta.json:${lineOf(texts.ootpa0325, '"digest"')}:19 arch-digest-shared`,
    ]);
  });

  test('build picks ids (a string or an array, in builds.json order), last the newest N of them', async () => {
    const root = join(buildsTree(texts), 'builds');
    const ids = async (options) => (await all(root, options)).map((r) => r.id);
    assert.deepEqual(await ids({ build: IDS.broken }), [IDS.broken]);
    assert.deepEqual(await ids({ build: [IDS.shared, IDS.clean] }), [IDS.clean, IDS.shared]);
    assert.deepEqual(await ids({ last: 2 }), [IDS.clean, IDS.missing]);
    assert.deepEqual(await ids({ last: 99 }), Object.values(IDS));
    assert.deepEqual(await ids({ build: [IDS.shared, IDS.broken, IDS.missing], last: 2 }), [IDS.missing, IDS.broken]);
  });

  test('a build builds.json does not list is a result of its own, before the builds', async () => {
    const root = join(buildsTree(texts), 'builds');
    const results = await all(root, { build: ['36.1', IDS.clean] });
    assert.deepEqual(results[0], {
      id: '36.1',
      dir: join(root, '36.1'),
      valid: false,
      files: [],
      report: null,
      error: { code: 'build-not-found', message: `no build 36.1 in ${join(root, 'builds.json')}` },
    });
    assert.deepEqual(results.slice(1).map((r) => r.id), [IDS.clean]);
  });

  test('the dir may be given as builds.json itself or as a file: URL', async () => {
    const root = join(buildsTree(texts), 'builds');
    const ids = (results) => results.map((r) => r.id);
    assert.deepEqual(ids(await all(join(root, 'builds.json'), { last: 1 })), [IDS.clean]);
    assert.deepEqual(ids(await all(pathToFileURL(root), { last: 1 })), [IDS.clean]);
  });

  test('onProgress after each build: done, total, the id, the files listed so far', async () => {
    const root = join(buildsTree(texts), 'builds');
    const calls = [];
    const seen = [];
    for await (const result of checkBuildsDir(root, { last: 3, onProgress: (p) => calls.push(p) })) {
      seen.push([calls.length, result.id]);
    }
    assert.deepEqual(calls, [
      { done: 1, total: 3, id: IDS.clean, files: 4 },
      { done: 2, total: 3, id: IDS.missing, files: 6 },
      { done: 3, total: 3, id: IDS.unreadable, files: 8 },
    ]);
    // Told before the build is yielded.
    assert.deepEqual(seen, [[1, IDS.clean], [2, IDS.missing], [3, IDS.unreadable]]);
  });

  test('stopping early is fine: the build read ahead is dropped', async () => {
    const root = join(buildsTree(texts), 'builds');
    for await (const result of checkBuildsDir(root)) {
      assert.equal(result.id, IDS.clean);
      break;
    }
  });
});

/** The 1-based line of the first line of `text` containing `needle`. */
function lineOf(text, needle) {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

describe('worker threads (jobs)', { skip }, () => {
  /** 20 builds (enough for workers): the fixture's five, each four times under other ids. */
  function many() {
    const { builds, files } = layout(texts);
    const out = {};
    const listed = [];
    for (let k = 0; k < 4; k++) {
      for (const { id, arches } of builds) {
        const copy = `${id}-${k}`;
        listed.push({ id: copy, arches });
        for (const arch of arches) {
          const text = files[`${id}/${arch}/meta.json`];
          if (text !== undefined) out[`builds/${copy}/${arch}/meta.json`] = text;
        }
      }
    }
    out['builds/builds.json'] = JSON.stringify({ builds: listed });
    return join(tree(out, [`builds/${IDS.unreadable}-2/aarch64/meta.json`]), 'builds');
  }

  test('the same results, progress and order as one thread, the release check too', async () => {
    const root = many();
    const release = '{"release": "410.8.20190325.0-3", "architectures": {}}';
    const run = async (jobs) => {
      const progress = [];
      const results = await all(root, { jobs, release, onProgress: (p) => progress.push(p) });
      return { results, progress };
    };
    const one = await run(1);
    assert.equal(one.results.length, 20);
    assert.equal(one.results.filter((r) => r.release !== undefined).length, 1);
    assert.deepEqual(await run(2), one);
    assert.deepEqual(await run(3), one);
  });

  test('stopping early ends the workers (the test would not end otherwise)', async () => {
    const root = many();
    // Several times: a result arriving while the pool closed used to unreference its
    // worker again, so the process could end under the awaited termination and the
    // `break` never settled (cancelled about one run in three).
    for (let round = 0; round < 16; round++) {
      let seen = 0;
      for await (const result of checkBuildsDir(root, { jobs: 2 })) {
        seen += 1;
        if (result.id !== null) break;
      }
      assert.equal(seen, 1);
    }
  });

  test('a generator left unfinished does not keep the process alive', () => {
    const root = many();
    const script = `import { checkBuildsDir } from ${JSON.stringify(pathToFileURL(join(pkgDir, 'fs.js')).href)};
const results = checkBuildsDir(${JSON.stringify(root)}, { jobs: 2 });
console.log((await results.next()).value.id);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.deepEqual([child.status, child.signal, child.stdout, child.stderr], [0, null, `${IDS.clean}-0\n`, ""]);
  });
});

describe('builds.json problems are findings', { skip }, () => {
  const one = (files, directories) => all(join(tree(files, directories), 'builds'));

  test('not JSON: one result, located by the library', async () => {
    const results = await one({ 'builds/builds.json': '{\n  "builds": [\n    {"id": "36.1",}\n  ]\n}\n' });
    assert.equal(results.length, 1);
    const [result] = results;
    const expected = validate('{\n  "builds": [\n    {"id": "36.1",}\n  ]\n}\n').diagnostics[0];
    assert.deepEqual({ ...result, dir: '', file: '' }, {
      id: null,
      dir: '',
      file: '',
      valid: false,
      files: [],
      report: null,
      error: { code: 'builds-json-invalid', message: `builds.json is not JSON: ${expected.message}`, line: 3, column: 18 },
    });
    assert.ok(result.file.endsWith('/builds/builds.json'));
  });

  test('of the wrong shape: the whole file, or each bad entry while the others are checked', async () => {
    const [whole] = await one({ 'builds/builds.json': '[]' });
    assert.deepEqual(whole.error, { code: 'builds-json-invalid', message: 'builds.json must be an object {"schema-version", "builds": [...]}, not an array', line: null, column: null, pointer: '' });
    const [noBuilds] = await one({ 'builds/builds.json': '{"schema-version": "1.0.0"}' });
    assert.deepEqual(noBuilds.error.message, 'builds.json: "builds" must be an array of {"id", "arches"}, not missing');
    const { files } = layout(texts);
    const entries = [3, { id: '../etc', arches: ['x86_64'] }, { id: IDS.broken, arches: 'x86_64' }, { id: IDS.shared, arches: ['x86_64'] }];
    const results = await one({
      'builds/builds.json': JSON.stringify({ builds: entries }),
      [`builds/${IDS.shared}/x86_64/meta.json`]: files[`${IDS.shared}/x86_64/meta.json`],
    });
    assert.deepEqual(
      results.map((r) => [r.id, r.error ?? r.files.map((f) => f.arch)]),
      [
        [null, { code: 'builds-json-invalid', message: 'builds.json: builds[0] must be an object {"id", "arches"}, not 3', line: null, column: null, pointer: '/builds/0' }],
        [null, { code: 'builds-json-invalid', message: 'builds.json: builds[1]: "id" must be a build id (a directory name), not "../etc"', line: null, column: null, pointer: '/builds/1/id' }],
        [null, { code: 'builds-json-invalid', message: `builds.json: builds[2]: "arches" of ${IDS.broken} must be an array of architecture names, not "x86_64"`, line: null, column: null, pointer: '/builds/2/arches' }],
        [IDS.shared, ['x86_64']],
      ],
    );
  });

  test("cosa's first builds.json (ids alone): the arches are the directory's", async () => {
    const { files } = layout(texts);
    const results = await one({
      'builds/builds.json': JSON.stringify({ builds: [IDS.broken] }),
      [`builds/${IDS.broken}/x86_64/meta.json`]: files[`${IDS.broken}/x86_64/meta.json`],
      [`builds/${IDS.broken}/aarch64/meta.json`]: files[`${IDS.broken}/aarch64/meta.json`],
      [`builds/${IDS.broken}/aarch64/commitmeta.json`]: '{}',
    });
    assert.deepEqual(results.map((r) => [r.id, r.files.map((f) => f.arch)]), [[IDS.broken, ['aarch64', 'x86_64']]]);
  });

  test('a meta.json that is not UTF-8 is a file problem of its build, located', async () => {
    const latin1 = Buffer.concat([Buffer.from('{\n  "buildid": "caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]);
    const [result] = await one({ 'builds/builds.json': '{"builds": [{"id": "36.1", "arches": ["x86_64"]}]}', 'builds/36.1/x86_64/meta.json': latin1 });
    assert.deepEqual(result.files[0].error, {
      code: 'not-utf8',
      message: 'not UTF-8 text: line 2, column 18: byte 0xE9 is not valid UTF-8; JSON text must be UTF-8',
    });
    assert.deepEqual(result.report.arches, []);
    assert.equal(result.valid, false);
  });

  test('a FIFO where a meta.json should be is a file problem, not a read that blocks forever', async () => {
    const dir = tree({ 'builds/builds.json': '{"builds": [{"id": "36.1", "arches": ["x86_64"]}]}' }, ['builds/36.1/x86_64']);
    execFileSync('mkfifo', [join(dir, 'builds/36.1/x86_64/meta.json')]);
    const [result] = await all(join(dir, 'builds'));
    assert.deepEqual(result.files[0].error, { code: 'unreadable', message: 'cannot read: not a regular file' });
  });

  test('builds.json that cannot be read: a result with the file problem', async () => {
    const [result] = await one({}, ['builds/builds.json']);
    assert.deepEqual(result.error, { code: 'unreadable', message: 'cannot read: is a directory' });
  });
});

describe('a build directory', { skip }, () => {
  test('its arches by name; build and last apply to it', async () => {
    const root = join(buildsTree(texts), 'builds', IDS.clean);
    const [result, ...rest] = await all(root);
    assert.equal(rest.length, 0);
    assert.equal(result.id, IDS.clean);
    assert.deepEqual(result.files.map((f) => f.arch), ['aarch64', 'ppc64le', 's390x', 'x86_64']);
    assert.deepEqual(result.report, expectedReport(join(root, '..'), result.files));
    assert.deepEqual((await all(root, { build: IDS.clean, last: 1 })).map((r) => r.id), [IDS.clean]);
    const [other] = await all(root, { build: '36.1' });
    assert.deepEqual(other.error, { code: 'build-not-found', message: `no build 36.1: ${root} is the directory of build ${IDS.clean}` });
  });

  test('archFiles lists them; a directory with a meta.json of its own is a one-arch build', async () => {
    const cwd = buildsTree(texts);
    assert.deepEqual(
      await archFiles(join(cwd, 'builds', IDS.missing)),
      [{ arch: 'x86_64', path: join(cwd, 'builds', IDS.missing, 'x86_64', 'meta.json') }],
    );
    const single = tree({ '36.1/meta.json': texts.rhcos45 });
    assert.deepEqual(await archFiles(join(single, '36.1')), [{ arch: null, path: join(single, '36.1', 'meta.json') }]);
    assert.deepEqual(await archFiles(join(single, 'nowhere')), []);
  });
});

describe('with a release.json', { skip }, () => {
  /** A release.json for the clean build: its real pairs, as checkBuild says cosa writes them. */
  function releaseFor(report, id) {
    return `${JSON.stringify({ release: id, stream: 'stable', architectures: report.releaseMetadata.architectures }, null, 2)}\n`;
  }

  test('checked against the build it names, even when build/last leave it out', async () => {
    const root = join(buildsTree(texts), 'builds');
    const release = releaseFor({ releaseMetadata: { architectures: {} } }, IDS.broken);
    const results = await all(root, { last: 1, release });
    assert.deepEqual(results.map((r) => [r.id, 'release' in r]), [[IDS.clean, false], [IDS.broken, true]]);
    const readable = results[1].files.filter((f) => f.error === undefined);
    const { files } = layout(texts);
    const docs = readable.map(({ arch, path }) => ({ arch, name: path, input: Buffer.from(files[path.slice(root.length + 1)]) }));
    const expected = checkRelease(release, docs);
    assert.deepEqual(results[1].release, expected.release);
    assert.deepEqual(results[1].report, expected.build);
    assert.equal(results[1].valid, false);
  });

  test('a release naming a build that is not there is a build-not-found result', async () => {
    const root = join(buildsTree(texts), 'builds');
    const results = await all(root, { build: IDS.clean, release: '{"release": "36.1", "architectures": {}}' });
    assert.deepEqual(results.map((r) => [r.id, r.error?.code ?? 'build', 'release' in r]), [['36.1', 'build-not-found', false], [IDS.clean, 'build', false]]);
  });

  test('a release that names no build: checked against the one build selected, else a TypeError', async () => {
    const root = join(buildsTree(texts), 'builds');
    const [result] = await all(root, { build: IDS.clean, release: Buffer.from('{"stream": "stable"') });
    assert.deepEqual(result.release.diagnostics.map((d) => d.code), ['json-syntax']);
    await assert.rejects(all(root, { last: 2, release: '{}' }), {
      name: 'TypeError',
      message: 'checkBuildsDir(): options.release does not name a build ("release" is missing or it is not JSON); pick the build with options.build',
    });
  });
});

describe('misuse throws', { skip }, () => {
  test('bad options: TypeError at the call, with a did-you-mean', () => {
    const cases = [
      [{ lats: 2 }, 'checkBuildsDir(): unknown option "lats"; did you mean "last"?'],
      [{ frobnicate: 1 }, 'checkBuildsDir(): unknown option "frobnicate"; the options are "build", "last", "release", "profile", "presence", "jobs", "onProgress"'],
      [{ last: 0 }, 'checkBuildsDir() expects options.last to be a positive whole number, not 0'],
      [{ last: '2' }, 'checkBuildsDir() expects options.last to be a positive whole number, not "2"'],
      [{ build: '' }, 'checkBuildsDir() expects options.build to be a build id or a non-empty array of build ids, not ""'],
      [{ build: [] }, 'checkBuildsDir() expects options.build to be a build id or a non-empty array of build ids, not []'],
      [{ build: ['a/b'] }, 'checkBuildsDir() expects options.build to be a build id or a non-empty array of build ids, not ["a/b"]'],
      [{ onProgress: true }, 'checkBuildsDir() expects options.onProgress to be a function, not true'],
      [{ jobs: 1.5 }, 'checkBuildsDir() expects options.jobs to be a positive whole number (worker threads), not 1.5'],
      [{ release: { release: '1' } }, 'checkBuildsDir() expects options.release to be a release.json as text or bytes, not {"release":"1"}'],
      ['last', 'checkBuildsDir() expects options to be an object { build?, last?, release?, profile?, presence?, jobs?, onProgress? }, not "last"'],
    ];
    for (const [options, message] of cases) assert.throws(() => checkBuildsDir('.', options), { name: 'TypeError', message }, JSON.stringify(options));
    assert.throws(() => checkBuildsDir(42), { name: 'TypeError', message: 'checkBuildsDir() expects the directory as a path (a string or a file: URL), not 42' });
    // profile and presence are checkBuild's, asked at the call.
    assert.throws(() => checkBuildsDir('.', { profile: 'strict' }), TypeError);
    assert.throws(() => checkBuildsDir('.', { presence: { kubvirt: 'all' } }), { name: 'TypeError', message: /did you mean "kubevirt"\?/ });
  });

  test('a directory that is not there, a file, or neither layout: the first next() rejects', async () => {
    const dir = tree({ 'notes.txt': 'x', 'empty/.keep': '' });
    await assert.rejects(all(join(dir, 'nowhere')), { code: 'ENOENT' });
    await assert.rejects(all(join(dir, 'notes.txt')), { code: 'ENOTDIR', message: `${join(dir, 'notes.txt')} is not a directory` });
    await assert.rejects(all(join(dir, 'empty')), {
      code: 'ENOBUILDS',
      message: `${join(dir, 'empty')} is neither a builds directory (no builds.json) nor a build directory (no <arch>/meta.json)`,
    });
    writeFileSync(join(dir, 'empty', 'meta.json'), '{}');
    assert.equal((await all(join(dir, 'empty'))).length, 1);
  });
});
