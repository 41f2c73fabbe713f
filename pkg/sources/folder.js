// The folder source (Node only; pkg/fs.js publishes it as `oscontainer/fs`):
// coreos-assembler's builds layout read from disk and checked build by build with
// checkBuild (and checkRelease for the build a release.json names).
//
//   builds/builds.json              {"schema-version", "builds": [{"id", "arches"}, ...]}, newest first
//   builds/<id>/<arch>/meta.json    one per architecture
//
// Files are read one build ahead of the check (the reads of the next build overlap the
// check of this one) and nothing of a build is kept once it is yielded, so memory does not
// grow with the number of builds. What is wrong with the files is part of each result, never
// a throw: a missing or unreadable meta.json is an `error` of its file, a builds.json that is
// not JSON or not of the layout's shape is an `error` of a result of its own. Only misuse
// throws: a `dir` that is not there (Node's own ENOENT), a directory that is neither layout,
// bad options (TypeError).

import { isUtf8 } from 'node:buffer';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { didYouMean } from '../api.js';
import * as api from '../node.js';
import { buildsDirOptionsOf, shown } from '../options.js';
import { workerPool } from '../pool.js';
import { fileError, readRegularFile } from './files.js';
import { outcomeOf } from './outcome.js';

/** Below this many builds the calling thread checks them: starting a worker costs more (50-100 ms). */
const WORKER_THRESHOLD = 16;

/** An Error with a `code`, as Node's fs errors carry one. */
function misuse(code, message) {
  return Object.assign(new Error(message), { code });
}

/** The options, checked (options.js); throws a TypeError for each misuse, before anything is read. */
function checkOptions(options) {
  const checked = buildsDirOptionsOf(options, didYouMean);
  // checkBuild judges profile and presence; asked now, their TypeErrors come at this call.
  if (checked.checkOptions !== undefined) api.checkBuild([], checked.checkOptions);
  return checked;
}

/**
 * Checks the builds of a coreos-assembler builds directory (`builds.json` and
 * `<id>/<arch>/meta.json`), newest first, or the one build of a build directory
 * (`<id>/<arch>/meta.json` below it, no builds.json). An async generator: one result per
 * build, `{ id, dir, valid, files, report, release?, error? }` (see fs.d.ts).
 *
 * Options are checked at this call (TypeError); the directory is read from the first
 * `next()`, which rejects when `dir` is not there or is neither layout.
 */
export function checkBuildsDir(dir, options) {
  const path = dir instanceof URL ? fileURLToPath(dir) : dir;
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(`checkBuildsDir() expects the directory as a path (a string or a file: URL), not ${shown(dir)}`);
  }
  return walk(path, checkOptions(options));
}

/** The meta.json files of one build directory: `<arch>/meta.json` below it, by arch; else `meta.json` in it. */
export async function archFiles(dir) {
  const arches = await discoverArches(dir);
  return arches.map((arch) => ({ arch, path: arch === null ? join(dir, 'meta.json') : join(dir, arch, 'meta.json') }));
}

/** The architectures of a build directory (sorted), `[null]` for the one-arch layout, `[]` for neither. */
async function discoverArches(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
    throw error;
  }
  const arches = [];
  let single = false;
  for (const entry of entries) {
    if (entry.name === 'meta.json' && !entry.isDirectory()) single = true;
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    try {
      await stat(join(dir, entry.name, 'meta.json'));
      arches.push(entry.name);
    } catch {
      // Not an architecture's directory (cosa keeps other things there too).
    }
  }
  arches.sort();
  if (arches.length === 0 && single) return [null];
  return arches;
}

/** A result that is not a build: a problem with builds.json or with the builds asked for. */
function problem(id, dir, error) {
  return { id, dir, valid: false, files: [], report: null, error };
}

/**
 * builds.json as a list of `{ id, arches }` (arches `null`: look in the directory) and the
 * problems of its entries, or the problem of the whole file, as the library's builds index
 * (readBuildsIndex, src/builds_index.rs) reads it; the page's builds view reads it the same.
 */
async function readBuildsJson(root, file) {
  let bytes;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    return { fatal: fileError(error) };
  }
  const index = api.readBuildsIndex(bytes);
  const problems = index.diagnostics.map((d) => buildsProblem(index, d));
  if (!index.usable) return { fatal: problems[0] };
  return { builds: index.builds.map(({ id, arches }) => ({ id, arches })), problems };
}

/**
 * A finding of the builds index as a result's `error` (BuildsProblem in fs.d.ts), in the
 * shape these results have always had: a builds.json that is not JSON located by line and
 * column, a problem of its shape or version by its pointer.
 */
function buildsProblem(index, { code, message, line, column, pointer }) {
  if (!index.json) return { code, message, line, column };
  return { code, message, line: null, column: null, pointer };
}

/** The build a release.json names (`release`), or `undefined` when it does not parse or has none. */
function releaseBuild(input) {
  try {
    const value = JSON.parse(typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8'));
    return typeof value?.release === 'string' ? value.release : undefined;
  } catch {
    return undefined;
  }
}

/** Reads one build's meta.json files: `{ id, dir, files, docs }`, every file's problem in its place. */
async function readBuild(root, { id, arches, dir = join(root, id) }) {
  const list =
    arches === null ? await archFiles(dir) : arches.map((arch) => ({ arch, path: arch === null ? join(dir, 'meta.json') : join(dir, arch, 'meta.json') }));
  const read = await Promise.all(
    list.map(async ({ arch, path }) => {
      try {
        const bytes = readRegularFile(path);
        if (bytes === null) return { arch, path, error: { code: 'unreadable', message: 'cannot read: not a regular file' } };
        if (!isUtf8(bytes)) {
          const [finding] = api.validate(bytes).diagnostics;
          return { arch, path, error: { code: 'not-utf8', message: `not UTF-8 text: line ${finding.line}, column ${finding.column}: ${finding.message}` } };
        }
        return { arch, path, bytes };
      } catch (error) {
        return { arch, path, error: fileError(error) };
      }
    }),
  );
  return { id, dir, read };
}

/** The documents of a build that was read: the files that could be read, named by their paths. */
function docsOf({ read }) {
  return read.filter((file) => file.error === undefined).map(({ arch, path, bytes }) => ({ arch, name: path, input: bytes }));
}

/** The result of a build from what was read and the library's outcome. */
function resultOf({ id, dir, read }, { report, checked }) {
  const files = read.map(({ arch, path, error }) => (error === undefined ? { arch, path } : { arch, path, error }));
  const fileErrors = files.some((file) => file.error !== undefined);
  if (checked === undefined) return { id, dir, valid: report.valid && !fileErrors, files, report };
  return { id, dir, valid: checked.valid && !fileErrors, files, report: checked.build, release: checked.release };
}

/** Which builds to check, in builds.json order, and the ids asked for that it does not list. */
function select(listed, { builds, last }, releaseId) {
  let chosen = builds === undefined ? listed : listed.filter((build) => builds.includes(build.id));
  const missing = builds === undefined ? [] : builds.filter((id) => !listed.some((build) => build.id === id));
  if (last !== undefined) chosen = chosen.slice(0, last);
  // The build a release.json names is checked even when --build/--last left it out.
  if (releaseId !== undefined && !chosen.some((build) => build.id === releaseId)) {
    const named = listed.find((build) => build.id === releaseId);
    if (named !== undefined) chosen = listed.filter((build) => build === named || chosen.includes(build));
  }
  return { chosen, missing };
}

async function* walk(dir, options) {
  const info = await stat(dir);
  let root = dir;
  if (!info.isDirectory()) {
    if (basename(dir) !== 'builds.json') throw misuse('ENOTDIR', `${dir} is not a directory`);
    root = dirname(dir);
  }
  const buildsFile = join(root, 'builds.json');
  const parsed = await readBuildsJson(root, buildsFile);
  let listed;
  const early = [];
  if (parsed === null) {
    // A build directory: its own architectures.
    const arches = await discoverArches(root);
    if (arches.length === 0) {
      throw misuse('ENOBUILDS', `${dir} is neither a builds directory (no builds.json) nor a build directory (no <arch>/meta.json)`);
    }
    listed = [{ id: basename(resolve(root)), arches, dir: root }];
  } else if (parsed.fatal !== undefined) {
    yield { ...problem(null, root, parsed.fatal), file: buildsFile };
    return;
  } else {
    listed = parsed.builds;
    for (const error of parsed.problems) early.push({ ...problem(null, root, error), file: buildsFile });
  }

  const releaseId = options.release === undefined ? undefined : releaseBuild(options.release);
  const { chosen, missing } = select(listed, options, releaseId);
  for (const id of missing) {
    const message = parsed === null ? `no build ${id}: ${root} is the directory of build ${listed[0].id}` : `no build ${id} in ${buildsFile}`;
    early.push(problem(id, join(root, id), { code: 'build-not-found', message }));
  }
  let releaseFor = releaseId;
  if (options.release !== undefined && !chosen.some((build) => build.id === releaseId)) {
    if (releaseId !== undefined && parsed !== null) {
      early.push(problem(releaseId, join(root, releaseId), { code: 'build-not-found', message: `no build ${releaseId} in ${buildsFile} (the build the release.json names)` }));
      releaseFor = null;
    } else if (chosen.length <= 1) {
      // A release.json that does not say its build, or names another: checked against the
      // one build there is, so that checkRelease says what is wrong with it.
      releaseFor = chosen[0]?.id ?? null;
    } else {
      throw new TypeError(
        'checkBuildsDir(): options.release does not name a build ("release" is missing or it is not JSON); pick the build with options.build',
      );
    }
  }

  for (const result of early) yield result;
  const total = chosen.length;
  const releaseOf = (id) => (id === releaseFor ? options.release : undefined);
  // One thread: the next build is read while this one is checked. Workers: as many
  // builds in flight as keep them busy, results still in builds.json's order.
  const workers = options.jobs > 1 && total >= WORKER_THRESHOLD ? options.jobs : 0;
  const pool = workers > 0 ? workerPool(new URL('./worker.js', import.meta.url), workers) : null;
  const start = (i) => {
    const reading = readBuild(root, chosen[i]);
    const task =
      pool === null
        ? reading.then((read) => ({ read }))
        : reading.then(async (read) => ({
            read,
            outcome: await pool.run({ docs: docsOf(read), checkOptions: options.checkOptions, release: releaseOf(read.id) }),
          }));
    // A consumer that stops early leaves the builds ahead unawaited; their failure is not theirs.
    task.catch(() => {});
    return task;
  };
  const ahead = pool === null ? 1 : 2 * workers;
  const inFlight = [];
  let started = 0;
  let files = 0;
  try {
    for (let i = 0; i < total; i++) {
      while (started < total && started < i + ahead) inFlight.push(start(started++));
      const { read, outcome } = await inFlight.shift();
      const result = resultOf(read, outcome ?? outcomeOf(docsOf(read), options.checkOptions, releaseOf(read.id)));
      files += result.files.length;
      options.onProgress?.({ done: i + 1, total, id: read.id, files });
      yield result;
    }
  } finally {
    await pool?.close();
  }
}
