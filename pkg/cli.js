#!/usr/bin/env node
// The command-line interface: `oscontainer check | upgrade | arches | release`.
//
// Plain Node (>= 20): node:util parseArgs, no framework. Checking and upgrading many files
// runs on a pool of worker_threads (pkg/cli-worker.js), each loading the package once;
// the per-file work is pkg/cli-work.js, shared with the main thread, which does small
// runs itself. Output comes in path order whatever the number of workers.
//
// Exit status: 0 nothing wrong, 1 findings, 2 usage or file errors (these win over 1).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

import { version } from './api.js';
import { describeFsError, FileError, formatDiagnostics, formatFileError, readTask, runTask, count } from './cli-work.js';

/** Below this many files the main thread does the work: starting workers costs more. */
const WORKER_THRESHOLD = 64;
/** Tasks sent ahead to each worker, so that none waits for the main thread. */
const IN_FLIGHT = 4;
/** More files than this, and stderr a terminal: show progress. */
const PROGRESS_THRESHOLD = 50;

const HELP = {
  main: `oscontainer ${version}: validate and upgrade the container-image entries of CoreOS meta.json files

Usage: oscontainer <command> [options] PATH...

Commands:
  check     report problems in the entries (like a compiler: file:line:col: ...)
  upgrade   rewrite the entries into the agreed form {image, digest, tags}
  arches    compare the meta.json files of one build across architectures
  release   show what cosa's release metadata would say about a meta.json

Options:
  -h, --help     help (also: oscontainer <command> --help)
  --version      print the version

Exit status: 0 nothing wrong, 1 findings, 2 usage or file errors.
`,
  check: `Usage: oscontainer check [options] PATH...

Check the container entries of each meta.json. PATH is a file, a directory (every
meta.json below it, or every *.json with --all-json) or - for stdin.

Options:
  --profile canonical|compat  rules: the agreed form (default) or legacy shapes as warnings
  --schema FILE               also check each whole document against this JSON Schema
  --build-id ID               the build id for the readiness in --format json
                              (default: each document's "buildid")
  --format text|json|github   text (default): file:line:col: severity[code]: message
                              json: one report object per file, one per line
                              github: GitHub Actions workflow annotations
  --strict                    warnings fail too (exit status 1)
  --all-json                  in directories, check every *.json, not only meta.json
  --jobs N                    worker threads for many files (default: CPU count)
  -h, --help                  this help

Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage or file errors
(missing, unreadable, not UTF-8: named on stderr; the other files are still checked).
A summary goes to stderr: checked N files: E errors, W warnings.
`,
  upgrade: `Usage: oscontainer upgrade [--write | --check] [options] PATH...

Rewrite the container entries into the agreed form, changing nothing else. PATH is a
file, a directory (every meta.json below it, or every *.json with --all-json) or -.

Without --write or --check: one file prints the upgraded text; a directory or several
files print a unified diff of what would change. The errors upgrade cannot fix are
printed on stderr (file:line:col: error[code]: message, where the file on disk has them).

Options:
  --write                     rewrite the files that change, atomically, keeping their
                              mode; files that do not change are not touched
  --check                     change nothing; list the files that would change and exit 1
                              if there are any, or if errors remain (like cargo fmt --check)
  --profile canonical|compat  rules (default canonical)
  --all-json                  in directories, every *.json, not only meta.json
  --jobs N                    worker threads for many files (default: CPU count)
  -h, --help                  this help

Exit status: 0 done, 1 with --check when something would change or errors remain, 2
usage or file errors.
`,
  arches: `Usage: oscontainer arches [options] FILE...

Compare the meta.json files of one build, one per architecture: digests shared between
architectures, entries missing on some, images, tags or manifest lists that differ,
different builds, duplicates. A file's architecture is its "coreos-assembler.basearch",
else what its path says (builds/<id>/<arch>/meta.json, rhcos-<arch>.json).

Which entries must be on which architectures follows the pipelines: base-oscontainer,
oscontainer and extensions-container on every one (once on one), kubevirt on any subset.

Options:
  --presence KEY=RULE         override that for an entry key; RULE is all (every arch),
                              any (a subset is fine) or ARCH[,ARCH...] (required on
                              those); may be repeated, e.g. --presence kubevirt=all
  --format text|json|github   as for check; json prints one object for the comparison
  --strict                    warnings fail too
  -h, --help                  this help

Exit status: 0 consistent, 1 findings, 2 usage or file errors.
`,
  release: `Usage: oscontainer release [options] FILE

Print the release view of one meta.json as JSON: per entry whether cosa's
generate-release-meta reads it (base-oscontainer and kubevirt only), the floating tag,
the build tags, the {"image", "digest-ref"} pair cosa would write, and the entry's
readiness for pulling by digest, release metadata, signing and pruning. Findings (why
cosa would fail on a released entry, or write a wrong reference) are printed on stderr.

Options:
  --build-id ID               the build id (default: the document's "buildid")
  --profile canonical|compat  severities of document-level findings (default canonical)
  -h, --help                  this help

Exit status: 0 cosa writes right release metadata for every released entry (or there is
none), 1 it would fail or write a wrong reference, 2 usage or file errors.
`,
};

const help = { type: 'boolean', short: 'h' };
const COMMANDS = {
  check: {
    options: {
      profile: { type: 'string' },
      schema: { type: 'string' },
      'build-id': { type: 'string' },
      format: { type: 'string' },
      strict: { type: 'boolean' },
      'all-json': { type: 'boolean' },
      jobs: { type: 'string' },
      help,
    },
    run: checkOrUpgrade,
  },
  upgrade: {
    options: {
      write: { type: 'boolean' },
      check: { type: 'boolean' },
      profile: { type: 'string' },
      'all-json': { type: 'boolean' },
      jobs: { type: 'string' },
      help,
    },
    run: checkOrUpgrade,
  },
  arches: {
    options: {
      presence: { type: 'string', multiple: true },
      format: { type: 'string' },
      strict: { type: 'boolean' },
      help,
    },
    run: arches,
  },
  release: {
    options: { 'build-id': { type: 'string' }, profile: { type: 'string' }, help },
    run: release,
  },
};

/** A usage error: says what is wrong and where help is; exit status 2. */
class UsageError extends Error {}

/** Set when stdout's reader went away (`oscontainer check . | head`). */
let stdoutClosed = false;

function out(text) {
  if (text && !stdoutClosed) process.stdout.write(text);
}

function err(text) {
  if (text) process.stderr.write(text);
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `value` if it is one of `allowed`, `fallback` if absent, else a usage error. */
function oneOf(name, value, allowed, fallback) {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new UsageError(`--${name} must be ${allowed.join(' or ')}, not "${value}"`);
  }
  return value;
}

function jobsOption(value) {
  if (value === undefined) return availableParallelism();
  if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(`--jobs must be a positive whole number, not "${value}"`);
  return Number(value);
}

function buildIdOption(value) {
  if (value === '') throw new UsageError('--build-id must not be empty');
  return value;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

// ---- files -----------------------------------------------------------------------

/**
 * Every matching file below `directory`, depth first. Directories whose name starts with
 * a dot and node_modules are skipped, and symbolic links to directories are not followed
 * (no loops); a matching name that is a FIFO, socket or device is a file error rather
 * than a read that could block forever.
 */
function walk(directory, match, found) {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    const { code, message } = describeFsError(error, directory);
    found.push({ path: directory, file: directory, error: { code, message: message.replace('cannot read', 'cannot read the directory') } });
    return;
  }
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') walk(path, match, found);
    } else if (match(entry.name)) {
      if (entry.isFile() || entry.isSymbolicLink()) found.push({ path, file: path });
      else found.push({ path, file: path, error: { code: 'not-a-file', message: 'not a regular file' } });
    }
  }
}

/** Path order, component by component (`a/x` before `a-b/x`), by code unit. */
function byPath(a, b) {
  const x = a.path.split(sep);
  const y = b.path.split(sep);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

/** The files to work on, sorted by path and each once; stdin (`-`) first. */
async function collect(positionals, allJson) {
  const match = allJson ? (name) => name.endsWith('.json') : (name) => name === 'meta.json';
  const found = [];
  const empty = [];
  let stdin;
  for (const arg of positionals) {
    if (arg === '-') {
      if (stdin) throw new UsageError('- (stdin) can be given only once');
      stdin = { path: '<stdin>', bytes: await readStdin() };
      continue;
    }
    let isDirectory = false;
    try {
      isDirectory = statSync(arg).isDirectory();
    } catch {
      // Reading it will say what is wrong.
    }
    if (!isDirectory) {
      // As a walk names files (join normalises): ./a/meta.json is a/meta.json.
      const path = normalize(arg);
      found.push({ path, file: path });
      continue;
    }
    const before = found.length;
    walk(arg, match, found);
    if (found.length === before) empty.push(arg);
  }
  const seen = new Set();
  const files = found.sort(byPath).filter((task) => {
    const key = resolve(task.file);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (stdin) files.unshift(stdin);
  if (files.length === 0 && empty.length > 0) {
    const what = allJson ? '*.json file' : 'meta.json';
    throw new UsageError(`no ${what} in ${empty.join(', ')}${allJson ? '' : ' (--all-json checks every *.json)'}`);
  }
  return files;
}

// ---- progress --------------------------------------------------------------------

/** A progress line on stderr, redrawn at most ten times a second; only on a terminal. */
function progress(total, verb) {
  const active = Boolean(process.stderr.isTTY) && total > PROGRESS_THRESHOLD;
  let shown = false;
  let last = 0;
  return {
    draw(done) {
      if (!active) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      process.stderr.write(`\r\x1b[K${verb} ${done}/${total} files`);
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}

// ---- check and upgrade -------------------------------------------------------------

/** A pool of worker threads, each with its own instance of the package. */
class Pool {
  constructor(size) {
    this.workers = Array.from({ length: size }, () => new Worker(new URL('./cli-worker.js', import.meta.url)));
  }

  /** Runs `tasks` with `settings`, calling `deliver(index, result)` as results arrive. */
  run(tasks, settings, deliver) {
    return new Promise((resolvePool, rejectPool) => {
      let sent = 0;
      let received = 0;
      const send = (worker) => {
        if (sent < tasks.length) {
          worker.postMessage({ index: sent, task: tasks[sent] });
          sent += 1;
        }
      };
      for (const worker of this.workers) {
        worker.postMessage({ settings });
        worker.on('message', ({ index, result }) => {
          received += 1;
          deliver(index, result);
          if (received === tasks.length) resolvePool();
          else send(worker);
        });
        worker.on('error', rejectPool);
        worker.on('exit', (code) => {
          if (received < tasks.length) rejectPool(new Error(`a worker thread stopped (exit code ${code})`));
        });
        for (let k = 0; k < IN_FLIGHT; k++) send(worker);
      }
    });
  }

  close() {
    return Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/**
 * Runs every task, calling `report(i, result)` in task order. Many files go to `jobs`
 * worker threads; a few are done here, since a worker takes 50-100 ms to start (a new V8
 * isolate, the package's modules, the .wasm).
 */
async function runAll(tasks, settings, jobs, report) {
  const results = new Array(tasks.length);
  let next = 0;
  const deliver = (index, result) => {
    results[index] = result;
    while (next < tasks.length && results[next] !== undefined) {
      report(next, results[next]);
      results[next] = null;
      next += 1;
    }
  };
  if (jobs === 1 || tasks.length < WORKER_THRESHOLD) {
    const api = await import('./node.js');
    tasks.forEach((task, i) => deliver(i, runTask(api, task, settings)));
    return;
  }
  const pool = new Pool(Math.min(jobs, tasks.length));
  try {
    await pool.run(tasks, settings, deliver);
  } finally {
    await pool.close();
  }
}

async function checkOrUpgrade(values, positionals, command) {
  const settings = { command, profile: oneOf('profile', values.profile, ['canonical', 'compat'], 'canonical') };
  const jobs = jobsOption(values.jobs);
  if (command === 'check') {
    settings.format = oneOf('format', values.format, ['text', 'json', 'github'], 'text');
    settings.buildId = buildIdOption(values['build-id']);
    if (values.schema !== undefined) {
      try {
        settings.schema = readFileSync(values.schema, 'utf8');
      } catch (error) {
        throw new UsageError(`--schema ${values.schema}: ${describeFsError(error, values.schema).message}`);
      }
    }
  } else {
    if (values.write && values.check) throw new UsageError('--write and --check cannot be combined');
    settings.mode = values.write ? 'write' : values.check ? 'check' : 'diff';
  }
  if (positionals.length === 0) throw new UsageError('no PATH given (use - for stdin)');
  const tasks = await collect(positionals, Boolean(values['all-json']));
  if (settings.mode === 'write' && tasks.some((task) => task.bytes !== undefined)) {
    throw new UsageError('--write cannot write to stdin; without --write the upgraded text is printed');
  }
  // One file named (not found in a directory): its upgraded text rather than a diff.
  const [only] = positionals;
  if (settings.mode === 'diff' && positionals.length === 1 && (only === '-' || tasks[0]?.path === normalize(only))) {
    settings.mode = 'print';
  }
  if (settings.schema !== undefined) {
    // A schema that does not compile is a usage error, said once, before any work.
    const api = await import('./node.js');
    try {
      api.validate('{}', { schema: settings.schema });
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw new UsageError(`--schema ${values.schema}: ${error.message.replace(/^options\.schema cannot be used: /, '')}`);
    }
  }

  const totals = { files: 0, errors: 0, warnings: 0, fileErrors: 0, changed: 0, invalid: 0 };
  const bar = progress(tasks.length, command === 'check' ? 'checking' : 'upgrading');
  await runAll(tasks, settings, jobs, (index, result) => {
    bar.clear();
    out(result.out);
    err(result.err);
    if (result.fileError) totals.fileErrors += 1;
    else totals.files += 1;
    totals.errors += result.errors;
    totals.warnings += result.warnings;
    if (result.changed) totals.changed += 1;
    if (result.invalid) totals.invalid += 1;
    bar.draw(index + 1);
  });
  bar.clear();

  const unreadable = totals.fileErrors > 0 ? `; ${plural(totals.fileErrors, 'file')} could not be ${command === 'check' ? 'checked' : 'upgraded'}` : '';
  if (command === 'check') {
    err(`checked ${plural(totals.files, 'file')}: ${plural(totals.errors, 'error')}, ${plural(totals.warnings, 'warning')}${unreadable}\n`);
  } else {
    const changed =
      settings.mode === 'write'
        ? `upgraded ${totals.changed} of ${plural(totals.files, 'file')}`
        : `${totals.changed} of ${plural(totals.files, 'file')} would be upgraded`;
    const invalid = totals.invalid > 0 ? `; ${totals.invalid} still ${totals.invalid === 1 ? 'has' : 'have'} errors (see oscontainer check)` : '';
    err(`${changed}${invalid}${unreadable}\n`);
  }
  if (totals.fileErrors > 0) return 2;
  if (command === 'check') return totals.errors > 0 || (values.strict && totals.warnings > 0) ? 1 : 0;
  return settings.mode === 'check' && (totals.changed > 0 || totals.invalid > 0) ? 1 : 0;
}

// ---- arches and release ------------------------------------------------------------

/** Reads the FILE arguments of arches/release; file errors are printed and counted. */
async function readFiles(api, positionals) {
  const read = [];
  let failed = 0;
  let stdin = false;
  for (const arg of positionals) {
    if (arg === '-') {
      if (stdin) throw new UsageError('- (stdin) can be given only once');
      stdin = true;
    }
    const task = arg === '-' ? { path: '<stdin>', bytes: await readStdin() } : { path: arg, file: arg };
    try {
      read.push({ path: task.path, bytes: readTask(api, task) });
    } catch (error) {
      if (!(error instanceof FileError)) throw error;
      err(formatFileError(task.path, error));
      failed += 1;
    }
  }
  return { read, failed };
}

/**
 * `--presence KEY=RULE` options as the API's `presence` option: `all`, `any`, or a list of
 * architectures. Rust checks the keys and rules; this only splits the text.
 */
function presenceOption(values) {
  if (values === undefined) return undefined;
  const presence = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) {
      throw new UsageError(`--presence ${value}: expected KEY=all, KEY=any or KEY=ARCH[,ARCH...]`);
    }
    const rule = value.slice(at + 1);
    presence[value.slice(0, at)] = rule === 'all' || rule === 'any' ? rule : rule.split(',');
  }
  return presence;
}

async function arches(values, positionals) {
  const format = oneOf('format', values.format, ['text', 'json', 'github'], 'text');
  if (positionals.length === 0) throw new UsageError('no FILE given: one meta.json per architecture of the build');
  const presence = presenceOption(values.presence);
  const api = await import('./node.js');
  const { read, failed } = await readFiles(api, positionals);
  const files = read.map((file) => file.path);
  let report;
  try {
    report = api.compareArches(
      read.map((file) => ({ name: file.path, input: file.bytes })),
      presence === undefined ? undefined : { presence },
    );
  } catch (error) {
    // A presence rule Rust does not accept (an unknown key, a bad rule) is a usage error.
    if (error instanceof TypeError) throw new UsageError(`--presence: ${error.message.replace(/^options\.presence[.:]?\s*/, '')}`);
    throw error;
  }
  if (format === 'json') {
    const diagnostics = report.diagnostics.map((d) => ({ file: files[d.document], ...d }));
    out(`${JSON.stringify({ files, ...report, diagnostics })}\n`);
  } else {
    out(report.diagnostics.map((d) => formatDiagnostics(format, files[d.document], [d])).join(''));
  }
  const { errors, warnings } = count(report.diagnostics);
  const unreadable = failed > 0 ? `; ${plural(failed, 'file')} could not be read` : '';
  const names = report.arches.map((arch) => arch ?? '?').join(', ');
  err(`compared ${plural(files.length, 'file')}${files.length > 0 ? ` (${names})` : ''}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${unreadable}\n`);
  if (failed > 0) return 2;
  return errors > 0 || (values.strict && warnings > 0) ? 1 : 0;
}

async function release(values, positionals) {
  const profile = oneOf('profile', values.profile, ['canonical', 'compat'], 'canonical');
  const buildId = buildIdOption(values['build-id']);
  if (positionals.length !== 1) throw new UsageError(`expected one FILE, got ${positionals.length}`);
  const api = await import('./node.js');
  const { read } = await readFiles(api, positionals);
  if (read.length === 0) return 2;
  const [{ path, bytes }] = read;
  const view = api.releaseView(bytes, { profile, buildId });
  out(`${JSON.stringify(view, null, 2)}\n`);
  err(formatDiagnostics('text', path, view.diagnostics));
  return view.valid ? 0 : 1;
}

// ---- main --------------------------------------------------------------------------

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === '--version') {
    out(`oscontainer ${version}\n`);
    return 0;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    const topic = rest[0];
    if (topic !== undefined && !(topic in COMMANDS)) {
      err(`oscontainer: no command "${topic}"; the commands are ${Object.keys(COMMANDS).join(', ')}\n`);
      return 2;
    }
    out(HELP[topic ?? 'main']);
    return 0;
  }
  if (command === undefined || !(command in COMMANDS)) {
    const what = command === undefined ? 'no command given' : `unknown command "${command}"`;
    err(`oscontainer: ${what}\n\n${HELP.main}`);
    return 2;
  }
  const spec = COMMANDS[command];
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: spec.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(error.message);
    }
    if (parsed.values.help) {
      out(HELP[command]);
      return 0;
    }
    return await spec.run(parsed.values, parsed.positionals, command);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`oscontainer ${command}: ${error.message}\nRun 'oscontainer ${command} --help' for usage.\n`);
    return 2;
  }
}

// A closed pipe is not an error of ours: the output stops, the work and the exit status
// stay what they would be (with one thread the run may even finish before Node notices).
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  stdoutClosed = true;
});

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    err(`oscontainer: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 2;
  },
);
