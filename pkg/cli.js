#!/usr/bin/env node
// The command-line interface: `oscontainer check | upgrade | arches | release | builds`
// (builds: pkg/cli-builds.js).
//
// Plain Node (>= 20): node:util parseArgs, no framework. Checking and upgrading many files
// runs on a pool of worker_threads (pkg/cli-worker.js), each loading the package once;
// the per-file work is pkg/cli-work.js, shared with the main thread, which does small
// runs itself. Output comes in path order whatever the number of workers.
//
// Every command prints --format text|json|jsonl|github on stdout; json is one document
// for the whole run, so the records of check and upgrade are gathered here and printed
// at the end. Usage and file errors and the summary go to stderr.
//
// Exit status: 0 nothing wrong, 1 findings, 2 usage errors, file errors or paths that
// match no file (these win over 1).

import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

import { version } from './api.js';
import { builds, BUILDS_OPTIONS, buildsHelp, expandBuildDirs } from './cli-builds.js';
import {
  count,
  describeFsError,
  FileError,
  fileErrorRecord,
  formatDiagnostics,
  formatFileError,
  formatFileErrorOut,
  formatReleaseText,
  readTask,
  runTask,
} from './cli-work.js';

/** Below this many files the main thread does the work: starting workers costs more. */
const WORKER_THRESHOLD = 64;
/** Tasks sent ahead to each worker, so that none waits for the main thread. */
const IN_FLIGHT = 4;
/** More files than this, and stderr a terminal: show progress. */
const PROGRESS_THRESHOLD = 50;

const FORMATS = ['text', 'json', 'jsonl', 'github'];
/** Names looked for in directories by default: meta.json, doozer's *-meta.json, *.meta.json. */
const DEFAULT_NAMES = ['*meta.json'];

/** The --format lines of a command's help; what each format prints, where it differs. */
function formatHelp({
  text = 'file:line:col: severity[code]: message',
  json = 'one JSON document for the whole run (indented)',
  jsonl = 'one JSON object per file, one per line',
} = {}) {
  return `  --format FORMAT             text (default): ${text}
                              json: ${json}
                              jsonl: ${jsonl}
                              github: GitHub Actions workflow annotations`;
}

const DISCOVERY_HELP = `  --name GLOB                 in directories, look for files whose name matches GLOB
                              (*, ? and [...], as find -name) instead of meta.json and
                              *meta.json; may be repeated, e.g. --name 'rhcos-*.json'
  --all-json                  the same as --name '*.json'`;

const HELP = {
  main: `oscontainer ${version}: validate and upgrade the container-image entries of CoreOS meta.json files

Usage: oscontainer <command> [options] PATH...

Commands:
  check     report problems in the entries (like a compiler: file:line:col: ...)
  upgrade   rewrite the entries into the agreed form {image, digest, tags}
  arches    compare the meta.json files of one build across architectures
  release   show what cosa's release metadata would say about a meta.json
  builds    check every build of a builds directory (builds.json), or one build's directory

Options:
  -h, --help     help (also: oscontainer <command> --help)
  --version      print the version

Every command takes --format text|json|jsonl|github.
Exit status: 0 nothing wrong, 1 findings, 2 usage or file errors.
`,
  check: `Usage: oscontainer check [options] PATH...

Check the container entries of each meta.json. PATH is a file (always checked, whatever
its name), a directory (every meta.json and *meta.json below it) or - for stdin.

Options:
  --profile canonical|compat  rules: the agreed form (default) or legacy shapes as warnings
  --schema FILE               also check each whole document against this JSON Schema
  --build-id ID               the build id for the readiness in the JSON reports
                              (default: each document's "buildid")
${formatHelp()}
  --strict                    warnings fail too (exit status 1)
${DISCOVERY_HELP}
  --jobs N                    worker threads for many files (default: CPU count)
  -h, --help                  this help

Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage or file errors
(missing, unreadable, not UTF-8, a PATH that matched no file: named on stderr; the
other files are still checked). The summary goes to stderr:
checked N files: P problems (E errors, W warnings); F fixable with \`oscontainer upgrade --write\`
`,
  upgrade: `Usage: oscontainer upgrade [--write | --check] [options] PATH...

Rewrite the container entries into the agreed form, changing nothing else. PATH is a
file, a directory (every meta.json and *meta.json below it) or -.

Without --write or --check: one file prints the upgraded text; a directory or several
files print a unified diff of what would change. The errors upgrade cannot fix are
printed on stderr (file:line:col: error[code]: message, where the file on disk has them).

Options:
  --write                     rewrite the files that change, atomically, keeping their
                              mode; files that do not change are not touched
  --check                     change nothing; list the files that would change and exit 1
                              if there are any, or if errors remain (like cargo fmt --check)
  --profile canonical|compat  rules (default canonical)
${formatHelp({ text: 'the upgraded text, a diff or the file names' })}
${DISCOVERY_HELP}
  --jobs N                    worker threads for many files (default: CPU count)
  -h, --help                  this help

Exit status: 0 done, 1 with --check when something would change or errors remain, 2
usage or file errors (or a PATH that matched no file).
`,
  arches: `Usage: oscontainer arches [options] FILE...

Compare the meta.json files of one build, one per architecture: digests shared between
architectures, entries missing on some, images, tags or manifest lists that differ,
different builds, duplicates. A file's architecture is its "coreos-assembler.basearch",
else what its path says (builds/<id>/<arch>/meta.json, rhcos-<arch>.json). A FILE may
be a build's directory (builds/<id>): its <arch>/meta.json files, by arch.

Which entries must be on which architectures follows the pipelines: base-oscontainer,
oscontainer and extensions-container on every one (once on one), kubevirt on any subset.

Options:
  --presence KEY=RULE         override that for an entry key; RULE is all (every arch),
                              any (a subset is fine) or ARCH[,ARCH...] (required on
                              those); may be repeated, e.g. --presence kubevirt=all
${formatHelp({ jsonl: 'one JSON object per file (its arch and findings)' })}
  --strict                    warnings fail too
  -h, --help                  this help

Exit status: 0 consistent, 1 findings, 2 usage or file errors.
`,
  release: `Usage: oscontainer release [options] FILE

Show the release view of one meta.json: per entry whether cosa's generate-release-meta
reads it (base-oscontainer and kubevirt only), the floating tag, the build tags, the
{"image", "digest-ref"} pair cosa would write, and the entry's readiness for pulling by
digest, release metadata, signing and pruning; then the findings (why cosa would fail on
a released entry, or write a wrong reference).

Options:
  --build-id ID               the build id (default: the document's "buildid")
  --profile canonical|compat  severities of document-level findings (default canonical)
${formatHelp({ text: 'the view for people, then the findings', json: 'the view as one JSON document (indented)', jsonl: 'the view on one line' })}
  -h, --help                  this help

Exit status: 0 cosa writes right release metadata for every released entry (or there is
none), 1 it would fail or write a wrong reference, 2 usage or file errors.
`,
};

HELP.builds = buildsHelp(formatHelp);

const help = { type: 'boolean', short: 'h' };
const format = { type: 'string' };
const COMMANDS = {
  check: {
    options: {
      profile: { type: 'string' },
      schema: { type: 'string' },
      'build-id': { type: 'string' },
      format,
      strict: { type: 'boolean' },
      name: { type: 'string', multiple: true },
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
      format,
      name: { type: 'string', multiple: true },
      'all-json': { type: 'boolean' },
      jobs: { type: 'string' },
      help,
    },
    run: checkOrUpgrade,
  },
  arches: {
    options: {
      presence: { type: 'string', multiple: true },
      format,
      strict: { type: 'boolean' },
      help,
    },
    run: arches,
  },
  release: {
    options: { 'build-id': { type: 'string' }, profile: { type: 'string' }, format, help },
    run: release,
  },
  builds: {
    options: BUILDS_OPTIONS,
    run: (values, positionals) =>
      builds(values, positionals, { UsageError, out, err, oneOf, formatOption, jobsOption, presenceOption, plural, problems, stderr: process.stderr }),
  },
};

/**
 * Names other tools use, mapped to what does that here. A typo of a real name is found by
 * the library's did-you-mean instead (src/suggest.rs); these are too far from any.
 */
const COMMAND_ALIASES = { validate: 'check', lint: 'check', verify: 'check', fix: 'upgrade --write', compare: 'arches' };
/** The same for options, per command (`*` for all): eslint's --fix, ruff's --output-format, biome's --reporter. */
const OPTION_ALIASES = {
  '*': { fix: 'oscontainer upgrade --write', 'output-format': '--format', reporter: '--format' },
  upgrade: { fix: '--write' },
};

/** A usage error: one line saying what is wrong; exit status 2. */
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

/** `a`, `a or b`, `a, b or c`. */
function either(words) {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** Names for a summary: all of a few, else the first three and how many more. */
function names(list) {
  return list.length <= 5 ? list.join(', ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more`;
}

/** `N problems (E errors, W warnings)`, as eslint counts them, or `no problems`. */
function problems({ errors, warnings }) {
  if (errors + warnings === 0) return 'no problems';
  return `${plural(errors + warnings, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
}

/** `value` if it is one of `allowed`, `fallback` if absent, else a usage error. */
function oneOf(name, value, allowed, fallback) {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new UsageError(`--${name} must be ${either(allowed)}, not "${value}"`);
  }
  return value;
}

function formatOption(value) {
  return oneOf('format', value, FORMATS, 'text');
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

/** The closest of `known` to `name`, from the library (src/suggest.rs); loaded only on this error path. */
async function closest(name, known) {
  await import('./node.js');
  const { didYouMean } = await import('./wasm/oscontainer.js');
  return didYouMean(name, known) ?? undefined;
}

// ---- arguments ---------------------------------------------------------------------

/** The message for an unknown option of `command` (undefined: before any command). */
async function unknownOption(command, rawName) {
  const name = rawName.replace(/^--?/, '');
  const where = command === undefined ? 'oscontainer' : `oscontainer ${command}`;
  const alias = OPTION_ALIASES[command]?.[name] ?? OPTION_ALIASES['*'][name];
  if (alias?.startsWith('oscontainer ')) return `unknown option ${rawName}; did you mean \`${alias}\`?`;
  if (alias !== undefined && command !== undefined) return `unknown option ${rawName}; did you mean ${alias}?`;
  const takers = Object.keys(COMMANDS).filter((other) => name in COMMANDS[other].options);
  if (command === undefined) {
    if (takers.length > 0) return `unknown option ${rawName}; options go after the command, e.g. \`oscontainer ${takers[0]} ${rawName}\``;
    const close = await closest(name, ['help', 'version']);
    return `unknown option ${rawName}; ${close ? `did you mean --${close}?` : 'the options are --help and --version'}`;
  }
  const close = await closest(name, Object.keys(COMMANDS[command].options));
  if (close !== undefined) return `unknown option ${rawName}; did you mean --${close}?`;
  if (takers.length === 1) return `unknown option ${rawName}; did you mean \`oscontainer ${takers[0]} ${rawName}\`?`;
  if (takers.length > 1) return `unknown option ${rawName}; ${either(takers)} take it, ${command} does not`;
  return `unknown option ${rawName}; \`${where} --help\` lists the options`;
}

/** The message for an unknown command. */
async function unknownCommand(command) {
  const known = Object.keys(COMMANDS);
  const close = COMMAND_ALIASES[command.toLowerCase()] ?? (await closest(command, known));
  if (close !== undefined) return `unknown command "${command}"; did you mean \`oscontainer ${close}\`?`;
  return `unknown command "${command}"; the commands are ${known.join(', ')}`;
}

/**
 * The options and positionals of `command`. parseArgs runs leniently and the tokens are
 * checked here, so that every mistake is one line of ours (with a did-you-mean) rather
 * than Node's own text.
 */
async function parse(command, args) {
  const { options } = COMMANDS[command];
  const { values, positionals, tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (spec === undefined) throw new UsageError(await unknownOption(command, token.rawName));
    if (spec.type === 'boolean' && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value (given "${token.value}")`);
    }
    if (spec.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && token.value !== '-'))) {
      // A value that starts with a dash is most likely the next option: say so rather than
      // take it (one that does is written --format=-x).
      const hint = token.value === undefined ? '' : ` (got the option ${token.value})`;
      throw new UsageError(`${token.rawName} needs a value${hint}`);
    }
  }
  return { values, positionals };
}

// ---- files -----------------------------------------------------------------------

/**
 * A file-name glob as find -name reads it: `*` any run of characters, `?` one, `[...]` one
 * of a set (`[!...]` or `[^...]` none of it), `\` makes the next character itself;
 * everything else is itself.
 */
function globToRegExp(glob) {
  const literal = (c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) {
      i += 1;
      pattern += literal(glob[i]);
    } else if (c === '*') pattern += '.*';
    else if (c === '?') pattern += '.';
    else if (c === '[') {
      let j = i + 1;
      const negated = glob[j] === '!' || glob[j] === '^';
      if (negated) j += 1;
      if (glob[j] === ']') j += 1; // a ']' first in the set is one of its members
      const close = glob.indexOf(']', j);
      if (close < 0) {
        pattern += '\\[';
        continue;
      }
      const members = glob.slice(negated ? i + 2 : i + 1, close).replace(/[\\\]^]/g, '\\$&');
      pattern += `[${negated ? '^' : ''}${members}]`;
      i = close;
    } else pattern += literal(c);
  }
  return new RegExp(`^${pattern}$`, 's');
}

/** The file-name globs of a run: --name and --all-json, else the default. */
function nameOption(values) {
  const globs = [...(values.name ?? []), ...(values['all-json'] ? ['*.json'] : [])];
  for (const glob of globs) {
    if (glob === '') throw new UsageError('--name must not be empty');
    if (glob.includes('/')) throw new UsageError(`--name ${glob}: --name matches file names, not paths (no "/")`);
  }
  return globs.length > 0 ? [...new Set(globs)] : DEFAULT_NAMES;
}

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

/**
 * The files to work on, sorted by path and each once; stdin (`-`) first. A PATH that
 * names nothing, or a directory without a matching file, is a task that fails with a
 * path error in its place (exit status 2, as eslint has it), and the others go on.
 */
async function collect(positionals, globs) {
  const patterns = globs.map(globToRegExp);
  const match = (name) => patterns.some((pattern) => pattern.test(name));
  const found = [];
  let stdin;
  for (const arg of positionals) {
    if (arg === '-') {
      if (stdin) throw new UsageError('- (stdin) can be given only once');
      stdin = { path: '<stdin>', bytes: await readStdin() };
      continue;
    }
    // As a walk names files (join normalises): ./a/meta.json is a/meta.json.
    const path = normalize(arg);
    let stat;
    try {
      stat = statSync(arg);
    } catch (error) {
      if (error.code === 'ENOENT' && !isSymbolicLink(arg)) {
        found.push({ path, file: path, pathError: true, error: { code: 'missing', message: 'no such file or directory' } });
        continue;
      }
      // Reading it will say what is wrong (a dangling link, no permission).
    }
    if (!stat?.isDirectory()) {
      found.push({ path, file: path });
      continue;
    }
    const before = found.length;
    walk(arg, match, found);
    if (found.length === before) {
      const what = globs === DEFAULT_NAMES ? 'no meta.json files found (--name GLOB looks for other names)' : `no files named ${either(globs)} found`;
      found.push({ path, file: path, pathError: true, error: { code: 'no-files', message: what } });
    }
  }
  const seen = new Set();
  const files = found.sort(byPath).filter((task) => {
    const key = resolve(task.file);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (stdin) files.unshift(stdin);
  return files;
}

function isSymbolicLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
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

  /**
   * Runs `tasks` with `settings`, calling `deliver(index, result)` as results arrive.
   * @returns {Promise<void>}
   */
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
  const settings = { command, profile: oneOf('profile', values.profile, ['canonical', 'compat'], 'canonical'), format: formatOption(values.format) };
  const jobs = jobsOption(values.jobs);
  const globs = nameOption(values);
  if (command === 'check') {
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
  const tasks = await collect(positionals, globs);
  if (settings.mode === 'write' && tasks.some((task) => task.bytes !== undefined)) {
    throw new UsageError('--write cannot write to stdin; without --write the upgraded text is printed');
  }
  // One file named (not found in a directory): its upgraded text rather than a diff.
  const [only] = positionals;
  if (settings.mode === 'diff' && positionals.length === 1 && (only === '-' || (tasks[0]?.path === normalize(only) && !tasks[0].pathError))) {
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

  const totals = { files: 0, errors: 0, warnings: 0, fixable: 0, fileErrors: 0, pathErrors: 0, changed: [], invalid: [] };
  const records = [];
  const bar = progress(tasks.length, command === 'check' ? 'checking' : 'upgrading');
  await runAll(tasks, settings, jobs, (index, result) => {
    bar.clear();
    out(result.out);
    err(result.err);
    if (result.record !== undefined) records.push(result.record);
    if (result.fileError) totals.fileErrors += 1;
    else if (result.pathError) totals.pathErrors += 1;
    else totals.files += 1;
    totals.errors += result.errors;
    totals.warnings += result.warnings;
    totals.fixable += result.fixable;
    if (result.changed) totals.changed.push(tasks[index].path);
    if (result.invalid) totals.invalid.push(tasks[index].path);
    bar.draw(index + 1);
  });
  bar.clear();
  if (settings.format === 'json') out(`${JSON.stringify(records, null, 2)}\n`);

  const failed = [];
  if (totals.fileErrors > 0) failed.push(`${plural(totals.fileErrors, 'file')} could not be ${command === 'check' ? 'checked' : 'upgraded'}`);
  if (totals.pathErrors > 0) failed.push(`${plural(totals.pathErrors, 'path')} matched no files`);
  const parts = [];
  if (command === 'check') {
    parts.push(`checked ${plural(totals.files, 'file')}: ${problems(totals)}`);
    if (totals.fixable > 0) parts.push(`${totals.fixable} fixable with \`oscontainer upgrade --write\``);
  } else {
    const changed = totals.changed.length;
    const listed = changed > 0 ? `: ${names(totals.changed)}` : '';
    parts.push(
      settings.mode === 'write'
        ? `upgraded ${changed} of ${plural(totals.files, 'file')}${listed}`
        : `${changed} of ${plural(totals.files, 'file')} would be upgraded${listed}`,
    );
    const invalid = totals.invalid.length;
    if (invalid > 0) parts.push(`${invalid} still ${invalid === 1 ? 'has' : 'have'} errors upgrade cannot fix: ${names(totals.invalid)}`);
  }
  err(`${[...parts, ...failed].join('; ')}\n`);
  if (totals.fileErrors > 0 || totals.pathErrors > 0) return 2;
  if (command === 'check') return totals.errors > 0 || (values.strict && totals.warnings > 0) ? 1 : 0;
  return settings.mode === 'check' && (totals.changed.length > 0 || totals.invalid.length > 0) ? 1 : 0;
}

// ---- arches and release ------------------------------------------------------------

/**
 * Reads the FILE arguments of arches/release, in the order given. A file error is printed
 * on stderr and in `format` on stdout, except json, whose records are returned in
 * `failed` for the one document.
 */
async function readFiles(api, positionals, format) {
  const read = [];
  const failed = [];
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
      out(formatFileErrorOut(format, task.path, error));
      failed.push(fileErrorRecord(task.path, error));
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
  const format = formatOption(values.format);
  if (positionals.length === 0) throw new UsageError('no FILE given: one meta.json per architecture of the build');
  const presence = presenceOption(values.presence);
  const api = await import('./node.js');
  const compare = (items) => {
    try {
      return api.compareArches(items, presence === undefined ? undefined : { presence });
    } catch (error) {
      // A presence rule Rust does not accept (an unknown key, a bad rule) is a usage error.
      if (error instanceof TypeError) throw new UsageError(`--presence: ${error.message.replace(/^options\.presence[.:]?\s*/, '')}`);
      throw error;
    }
  };
  // The rules first, so that a usage error comes before any output.
  if (presence !== undefined) compare([]);
  const { read, failed } = await readFiles(api, await expandBuildDirs(positionals, UsageError), format === 'json' ? 'text' : format);
  const files = read.map((file) => file.path);
  const report = compare(read.map((file) => ({ name: file.path, input: file.bytes })));
  if (format === 'json') {
    const diagnostics = report.diagnostics.map((d) => ({ file: files[d.document], ...d }));
    out(`${JSON.stringify({ files, ...report, diagnostics, fileErrors: failed }, null, 2)}\n`);
  } else if (format === 'jsonl') {
    // Per file, as check's jsonl; file errors were printed in their place as they were read.
    const lines = files.map((file, i) => ({
      file,
      arch: report.arches[i],
      buildId: report.buildIds[i],
      diagnostics: report.diagnostics.filter((d) => d.document === i),
    }));
    out(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  } else {
    out(report.diagnostics.map((d) => formatDiagnostics(format, files[d.document], [d])).join(''));
  }
  const counts = count(report.diagnostics);
  const unreadable = failed.length > 0 ? `; ${plural(failed.length, 'file')} could not be read` : '';
  const arches = report.arches.map((arch) => arch ?? '?').join(', ');
  err(`compared ${plural(files.length, 'file')}${files.length > 0 ? ` (${arches})` : ''}: ${problems(counts)}${unreadable}\n`);
  if (failed.length > 0) return 2;
  return counts.errors > 0 || (values.strict && counts.warnings > 0) ? 1 : 0;
}

async function release(values, positionals) {
  const profile = oneOf('profile', values.profile, ['canonical', 'compat'], 'canonical');
  const buildId = buildIdOption(values['build-id']);
  const format = formatOption(values.format);
  if (positionals.length !== 1) throw new UsageError(`expected one FILE, got ${positionals.length}`);
  const api = await import('./node.js');
  const { read, failed } = await readFiles(api, positionals, format === 'json' ? 'text' : format);
  if (read.length === 0) {
    if (format === 'json') out(`${JSON.stringify(failed[0], null, 2)}\n`);
    return 2;
  }
  const [{ path, bytes }] = read;
  const view = api.releaseView(bytes, { profile, buildId });
  if (format === 'text') out(formatReleaseText(path, view));
  else if (format === 'github') out(formatDiagnostics('github', path, view.diagnostics));
  else out(`${JSON.stringify({ file: path, ...view }, null, format === 'json' ? 2 : undefined)}\n`);
  // What it counts: the released entries cosa would write right release metadata for.
  const released = view.entries.filter((entry) => entry.released);
  const right = released.filter((entry) => entry.releaseMetadata !== null).map((entry) => entry.key ?? entry.pointer);
  const summary =
    released.length === 0
      ? 'no released entries (cosa makes release metadata from base-oscontainer and kubevirt only)'
      : `cosa writes right release metadata for ${right.length} of ${released.length} released ${released.length === 1 ? 'entry' : 'entries'}${right.length > 0 ? ` (${right.join(', ')})` : ''}`;
  err(`${path}: ${summary}; ${problems(count(view.diagnostics))}\n`);
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
      err(`oscontainer: ${await unknownCommand(topic)}\n`);
      return 2;
    }
    out(HELP[topic ?? 'main']);
    return 0;
  }
  if (command === undefined) {
    err(`oscontainer: no command given\n\n${HELP.main}`);
    return 2;
  }
  if (!(command in COMMANDS)) {
    const rawName = command.split('=')[0];
    const message = command.startsWith('-') && command !== '-' ? await unknownOption(undefined, rawName) : await unknownCommand(command);
    err(`oscontainer: ${message}\n`);
    return 2;
  }
  try {
    const { values, positionals } = await parse(command, rest);
    if (values.help) {
      out(HELP[command]);
      return 0;
    }
    return await COMMANDS[command].run(values, positionals, command);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`oscontainer ${command}: ${error.message}\n`);
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
