// Reading files from disk, for the folder source and the CLI: what an fs error is called
// in a message (one table for every command and for oscontainer/fs), and the read of a
// regular file that cannot block.

import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/** Node's error codes in plain words, as file errors say them (`cannot read: …`, `cannot write: …`). */
export const REASONS = {
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

/** Why an fs call failed, in plain words: REASONS, else Node's own message. */
export function reasonOf(error) {
  return REASONS[error.code] ?? error.message;
}

/** A problem with a file or a directory name in builds.json: `{ code, message }`, as the CLI's file errors. */
export function fileError(error) {
  if (error.code === 'ENOENT') return { code: 'missing', message: 'no such file or directory' };
  return { code: 'unreadable', message: `cannot read: ${reasonOf(error)}` };
}

/**
 * The bytes of a regular file, `null` for a FIFO, socket or device (whose read could block
 * forever). Read synchronously: for files of a few KB, fs/promises' round trips through
 * the thread pool cost more than the read (about a quarter of the whole check).
 */
export function readRegularFile(path) {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return info.isFile() ? readFileSync(fd) : null;
  } finally {
    closeSync(fd);
  }
}
