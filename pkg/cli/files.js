// The files of the command-line interface: which files a PATH names (directories walked,
// --name globs, stdin), reading one (a file error rather than a throw for what is wrong
// with it), and writing one back atomically. What an fs error is called comes from
// sources/files.js, shared with oscontainer/fs.

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
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, normalize, resolve, sep } from 'node:path';

import { reasonOf } from '../sources/files.js';
import { DEFAULT_NAMES, UsageError } from './options.js';
import { either, err, fileErrorRecord, formatFileError, formatFileErrorOut, out } from './output.js';

/** A problem with a file itself (not with its content): exit status 2. */
export class FileError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

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
  return new FileError('unreadable', `cannot read: ${reasonOf(error)}`);
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

export async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

// ---- writing ---------------------------------------------------------------------

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

// ---- finding files ---------------------------------------------------------------

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
export async function collect(positionals, globs) {
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

// ---- the FILE arguments of arches and release ----------------------------------------

/**
 * Reads the FILE arguments of arches/release, in the order given. A file error is printed
 * on stderr and in `format` on stdout, except json, whose records are returned in
 * `failed` for the one document.
 */
export async function readFiles(api, positionals, format) {
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
 * The FILE arguments of `arches` with each build directory replaced by its
 * `<arch>/meta.json` files (by arch); a builds directory (builds.json) is a usage error
 * that says what to give instead.
 */
export async function expandBuildDirs(positionals) {
  const files = [];
  for (const arg of positionals) {
    let directory = false;
    try {
      directory = arg !== '-' && statSync(arg).isDirectory();
    } catch {
      // Not there: reading it says so, in its place.
    }
    if (!directory) {
      files.push(arg);
      continue;
    }
    const { archFiles } = await import('../sources/folder.js');
    let found = [];
    try {
      statSync(join(arg, 'builds.json'));
      throw new UsageError(
        `${arg} is a builds directory (it has builds.json): give one build's directory (${join(arg, '<id>')}) or check them all with \`oscontainer builds ${arg}\``,
      );
    } catch (error) {
      if (error instanceof UsageError) throw error;
    }
    found = await archFiles(arg);
    if (found.length === 0) throw new UsageError(`${arg} is a directory without <arch>/meta.json files below it`);
    files.push(...found.map((file) => file.path));
  }
  return files;
}
