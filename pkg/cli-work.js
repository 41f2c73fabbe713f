// One file's work for the command-line interface (pkg/cli.js): read it, check or upgrade
// it, write it back, and format what to print. Runs on the main thread or in a worker
// (pkg/cli-worker.js), so it returns plain data and the text to print, never prints.

import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { unifiedDiff } from './cli-diff.js';

/** A problem with a file itself (not with its content): exit status 2. */
export class FileError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const REASONS = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  ENOTDIR: 'a component of the path is not a directory',
  ENAMETOOLONG: 'the name is too long',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
};

/** What went wrong with `file`, as a FileError with a plain reason. */
export function describeFsError(error, file) {
  if (error.code === 'ENOENT') {
    let dangling = false;
    try {
      dangling = lstatSync(file).isSymbolicLink();
    } catch {
      // Not there at all.
    }
    return new FileError('missing', dangling ? 'dangling symbolic link (its target does not exist)' : 'no such file or directory');
  }
  const reason = REASONS[error.code] ?? error.message;
  return new FileError('unreadable', `cannot read: ${reason}`);
}

/**
 * The bytes of a task: stdin's, or the file's. Bytes that are not UTF-8 are a file error
 * (a binary or mis-encoded file), located with the library's own json-syntax finding.
 */
export function readTask(api, task) {
  if (task.error) throw new FileError(task.error.code, task.error.message);
  let bytes = task.bytes;
  if (bytes === undefined) {
    try {
      bytes = readFileSync(task.file);
    } catch (error) {
      throw describeFsError(error, task.file);
    }
  }
  if (!isUtf8(bytes)) {
    const [finding] = api.validate(bytes).diagnostics;
    throw new FileError('not-utf8', `not UTF-8 text: line ${finding.line}, column ${finding.column}: ${finding.message}`);
  }
  return bytes;
}

/**
 * Replaces `file` with `text` atomically: a temporary file in the same directory (so the
 * rename cannot cross file systems), written, given the original's mode (and owner, when
 * allowed), flushed to disk, then renamed over the original. A symbolic link is followed,
 * so the link stays and its target is replaced.
 */
export function writeAtomically(file, text) {
  const target = realpathSync(file);
  // The rename needs only the directory's permission; a file its owner made read-only
  // would be replaced all the same. Refuse, as writing to it in place would.
  accessSync(target, constants.W_OK);
  const directory = dirname(target);
  sweepLeftovers(directory);
  const temporary = join(directory, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const original = lstatSync(target);
  const mode = original.mode & 0o7777;
  let fd = openSync(temporary, 'wx', mode);
  try {
    writeFileSync(fd, text);
    fchmodSync(fd, mode); // the umask may have narrowed the mode given to open
    const created = fstatSync(fd);
    if (created.uid !== original.uid || created.gid !== original.gid) {
      try {
        fchownSync(fd, original.uid, original.gid);
      } catch {
        // Only root may give a file away; the new file then belongs to the caller.
      }
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  // The rename itself is durable once the directory is flushed; not every platform can.
  try {
    const dirFd = openSync(directory, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Best effort.
  }
}

/** A temporary file of writeAtomically: `.<file name>.<pid>.<12 hex>.tmp`. */
const TEMPORARY = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/;
const swept = new Set();

/**
 * Removes the temporary files that killed runs left in `directory` (a SIGKILL gives no
 * chance to clean up): those of our naming, next to the file they were to replace, whose
 * process is gone. Those of a live process (another run, or a worker of this one) are
 * its writes in flight. Once per directory and process.
 */
function sweepLeftovers(directory) {
  if (swept.has(directory)) return;
  swept.add(directory);
  let names;
  try {
    names = readdirSync(directory);
  } catch {
    return;
  }
  const present = new Set(names);
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (!match || !present.has(match[1]) || isRunning(Number(match[2]))) continue;
    const path = join(directory, name);
    try {
      if (lstatSync(path).isFile()) rmSync(path, { force: true });
    } catch {
      // Not ours to insist on: the write itself goes on.
    }
  }
}

/** Whether a process with this id exists (one we may not signal exists too). */
function isRunning(pid) {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// ---- output formats --------------------------------------------------------------

/** GitHub workflow commands: the message part. */
function escapeData(text) {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub workflow commands: a property value (also `:` and `,`, which delimit them). */
function escapeProperty(text) {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const ANNOTATION = { error: 'error', warning: 'warning', info: 'notice' };

/** One diagnostic as a compiler prints it: `file:line:col: severity[code]: message`. */
export function formatText(file, d) {
  const at = d.line === null ? `${file}: ` : `${file}:${d.line}:${d.column}: `;
  const hint = d.hint ? `    hint: ${d.hint}\n` : '';
  return `${at}${d.severity}[${d.code}]: ${d.message}\n${hint}`;
}

/**
 * One diagnostic as a GitHub Actions workflow annotation, marking its range: GitHub takes
 * `col`/`endColumn` only within one line, so a range over several lines gives its lines
 * and its start column. `endColumn` is exclusive, as ours is (and ruff's annotations').
 */
export function formatGithub(file, d) {
  const properties = [`file=${escapeProperty(file)}`];
  if (d.line !== null) {
    const endLine = d.endLine ?? d.line;
    properties.push(`line=${d.line}`, `endLine=${endLine}`, `col=${d.column}`);
    if (endLine === d.line && d.endColumn != null && d.endColumn > d.column) properties.push(`endColumn=${d.endColumn}`);
  }
  properties.push(`title=${escapeProperty(d.code)}`);
  const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
  return `::${ANNOTATION[d.severity]} ${properties.join(',')}::${escapeData(message)}\n`;
}

/** A file error, for stderr. */
export function formatFileError(file, error) {
  return `oscontainer: ${file}: ${error.message}\n`;
}

/** A file error as a record of the machine formats: `{ file, error: { code, message } }`. */
export function fileErrorRecord(file, error) {
  return { file, error: { code: error.code, message: error.message } };
}

/**
 * A file error for stdout in `format`: a line of jsonl, an annotation; '' for text (stderr
 * has it) and for json (its record goes into the one document).
 */
export function formatFileErrorOut(format, file, error) {
  if (format === 'jsonl') return `${JSON.stringify(fileErrorRecord(file, error))}\n`;
  if (format === 'github') return `::error file=${escapeProperty(file)},title=${escapeProperty(error.code)}::${escapeData(error.message)}\n`;
  return '';
}

/** Counts of errors, warnings, and of those two that `upgrade` fixes. */
export function count(diagnostics) {
  let errors = 0;
  let warnings = 0;
  let fixable = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors += 1;
    else if (d.severity === 'warning') warnings += 1;
    else continue;
    if (d.fixable) fixable += 1;
  }
  return { errors, warnings, fixable };
}

/** Diagnostics in `format` ('text' or 'github'), one file's worth. */
export function formatDiagnostics(format, file, diagnostics) {
  const one = format === 'github' ? formatGithub : formatText;
  return diagnostics.map((d) => one(file, d)).join('');
}

/**
 * What `oscontainer upgrade` did or would do to a file, as one annotation: an error with
 * --check (it fails the run), else a notice; the message lists the changes.
 */
export function formatUpgradeGithub(file, mode, changes) {
  const level = mode === 'check' ? 'error' : 'notice';
  const what = mode === 'write' ? 'upgraded' : 'would be upgraded by `oscontainer upgrade --write`';
  const message = [`${what}:`, ...changes.map((c) => `${c.pointer}: ${c.message}`)].join('\n');
  return `::${level} file=${escapeProperty(file)},title=upgrade::${escapeData(message)}\n`;
}

const READINESS = [
  ['pullByDigest', 'pull by digest'],
  ['releaseMetadata', 'release metadata'],
  ['signing', 'signing'],
  ['garbageCollection', 'garbage collection'],
];

/**
 * The release view of one file for people: the build id, then per top-level entry whether
 * cosa's generate-release-meta reads it, the strings it would join, what it would write
 * after `oscontainer upgrade`, and the readiness for each downstream use (the reason when
 * not ready; `--format json` has the reasons for "not applicable" too).
 */
export function formatReleaseText(file, view) {
  const lines = [`${file}: ${view.buildId === null ? 'no build id' : `build ${view.buildId}`}`];
  if (view.entries.length === 0) lines.push('no container entries');
  const row = (label, value) => `    ${(label === '' ? '' : `${label}:`).padEnd(20)}${value}`;
  for (const entry of view.entries) {
    const name = entry.key ?? (entry.pointer === '' ? 'the document (a bare entry)' : entry.pointer);
    const notRead = entry.readiness.releaseMetadata.state === 'not-applicable' ? `: ${entry.readiness.releaseMetadata.reason}` : '';
    lines.push(`${name}: ${entry.released ? 'released' : `not released${notRead}`}`);
    if (entry.image !== null) lines.push(row('image', entry.image));
    if (entry.digestRef !== null) lines.push(row('digest-ref', entry.digestRef));
    if (entry.floatingTag !== null) lines.push(row('floating tag', entry.floatingTag));
    if (entry.buildTags.length > 0) lines.push(row('build tags', entry.buildTags.join(', ')));
    if (entry.afterUpgrade !== null) {
      lines.push(row('after upgrade', entry.afterUpgrade.image), row('', entry.afterUpgrade['digest-ref']));
    }
    for (const [key, label] of READINESS) {
      const { state, reason } = entry.readiness[key];
      lines.push(row(label, state === 'not-ready' ? `not ready: ${reason}` : state.replace('-', ' ')));
    }
  }
  return `${lines.join('\n')}\n${formatDiagnostics('text', file, view.diagnostics)}`;
}

// ---- tasks -----------------------------------------------------------------------

/**
 * Why an upgraded file is still invalid (`valid: false` always says why): the errors
 * upgrade cannot fix, located in the file as it is on disk after the command. Written (or
 * unchanged), that is the output; otherwise the input, whose errors that upgrade does not
 * fix are the ones that remain. Should none of those be left to show, the output's own
 * errors are given rather than nothing.
 */
function remainingErrors(api, bytes, upgraded, settings, options) {
  const isError = (d) => d.severity === 'error';
  let errors = upgraded.diagnostics.filter(isError);
  if (upgraded.changed && settings.mode !== 'write') {
    const unfixed = api.validate(bytes, options).diagnostics.filter((d) => isError(d) && !d.fixable);
    if (unfixed.length > 0) errors = unfixed;
  }
  return errors;
}

/**
 * The output of one file in a machine format: `record` for json (the main thread prints
 * all of them as one array), a line for jsonl.
 */
function emit(result, format, record) {
  if (format === 'json') result.record = record;
  else if (format === 'jsonl') result.out = `${JSON.stringify(record)}\n`;
}

/**
 * Runs one task; never throws for problems with the file or its content. Returns
 * `{ out, err, record, errors, warnings, fixable, fileError, pathError, changed, invalid }`:
 * what to print on stdout and stderr, the record for `--format json`, the counts, whether
 * the file itself failed (or the path named nothing), and for upgrade whether it changed
 * (or would) and whether errors remain after it.
 */
export function runTask(api, task, settings) {
  const result = {
    out: '',
    err: '',
    record: undefined,
    errors: 0,
    warnings: 0,
    fixable: 0,
    fileError: false,
    pathError: false,
    changed: false,
    invalid: false,
  };
  const { format } = settings;
  const options = { profile: settings.profile, schema: settings.schema, buildId: settings.buildId };
  try {
    const bytes = readTask(api, task);
    if (settings.command === 'check') {
      const report = api.validate(bytes, options);
      Object.assign(result, count(report.diagnostics));
      if (format === 'text' || format === 'github') result.out = formatDiagnostics(format, task.path, report.diagnostics);
      else emit(result, format, { file: task.path, ...report });
      return result;
    }
    const upgraded = api.upgrade(bytes, options);
    if (upgraded.changed && settings.mode === 'write') {
      try {
        writeAtomically(task.file, upgraded.output);
      } catch (error) {
        const reason = REASONS[error.code] ?? error.message;
        throw new FileError('write-failed', `cannot write: ${reason}`);
      }
    }
    result.changed = upgraded.changed;
    result.invalid = !upgraded.valid;
    const remaining = result.invalid ? remainingErrors(api, bytes, upgraded, settings, options) : [];
    if (format === 'text') {
      result.err = formatDiagnostics('text', task.path, remaining);
      if (settings.mode === 'print') {
        result.out = upgraded.output;
      } else if (settings.mode === 'diff') {
        if (upgraded.changed) {
          const before = new TextDecoder().decode(bytes);
          result.out = unifiedDiff(before, upgraded.output, { oldName: task.path, newName: task.path });
        }
      } else if (upgraded.changed) {
        // --check lists what would change; --write lists what it changed.
        result.out = `${task.path}\n`;
      }
    } else if (format === 'github') {
      result.out = (upgraded.changed ? formatUpgradeGithub(task.path, settings.mode, upgraded.changes) : '') + formatDiagnostics('github', task.path, remaining);
    } else {
      // The upgrade result with its file; `output` only when it is not what the file now
      // holds, as eslint's --fix-dry-run gives it. Its diagnostics are located in the
      // upgraded text: `output` when given, else the file.
      const { output, ...rest } = upgraded;
      const record = { file: task.path, ...rest };
      if (upgraded.changed && settings.mode !== 'write') record.output = output;
      emit(result, format, record);
    }
  } catch (error) {
    if (!(error instanceof FileError)) {
      // A crash of the WebAssembly instance (code "internal-error"): a bug, reported
      // against this file; the instance has been replaced and the others go on.
      if (error?.code !== 'internal-error') throw error;
      error = new FileError('internal-error', error.message);
    }
    // A file that could not be read or written counts as neither changed nor checked.
    Object.assign(result, { fileError: !task.pathError, pathError: Boolean(task.pathError), changed: false, invalid: false });
    Object.assign(result, { errors: 0, warnings: 0, fixable: 0, out: '' });
    result.err = formatFileError(task.path, error);
    if (format === 'json') result.record = fileErrorRecord(task.path, error);
    else result.out = formatFileErrorOut(format, task.path, error);
  }
  return result;
}
