// Types of `oscontainer/fs` (pkg/fs.js): Node only.

import type { BuildReport, EntryKey, Presence, Profile, ReleaseFindings } from './index.js';

/** Why a file could not be read, or a builds.json problem; the CLI's file-error codes. */
export interface FileProblem {
  /**
   * `missing` (no such file), `unreadable` (e.g. a directory where the file should be,
   * permission denied), `not-utf8` (the bytes are not UTF-8 text).
   */
  code: 'missing' | 'unreadable' | 'not-utf8';
  /** One plain sentence, e.g. `no such file or directory`, `cannot read: is a directory`. */
  message: string;
}

/** A problem with the builds directory rather than with one build's files. */
export interface BuildsProblem {
  /**
   * `builds-json-invalid`: builds.json is not JSON, not of the layout's shape, or one of
   * its entries is not (a finding: the other entries are still checked);
   * `builds-schema-unsupported`: its `schema-version` is a major version cosa refuses (no
   * build is read); `unreadable`: builds.json could not be read; `build-not-found`: a build
   * asked for (`options.build`, or the build `options.release` names) that builds.json does
   * not list.
   */
  code: 'builds-json-invalid' | 'builds-schema-unsupported' | 'unreadable' | 'build-not-found';
  message: string;
  /** In builds.json, for `builds-json-invalid`: where (1-based; `null` when not known). */
  line?: number | null;
  column?: number | null;
  /** RFC 6901 pointer into builds.json, for a `builds-*` finding about its shape or version. */
  pointer?: string;
}

/** One architecture's meta.json of a build. */
export interface BuildFile {
  /** The architecture builds.json (or the directory) names; `null` for a build's own meta.json. */
  arch: string | null;
  /** The path of the meta.json, joined to the `dir` given. */
  path: string;
  /** Present when the file could not be read; the build is then checked without it. */
  error?: FileProblem;
}

/** What `checkBuildsDir` yields: one build, or a problem of the directory. */
export interface BuildResult {
  /** The build id; `null` for a problem of builds.json itself. */
  id: string | null;
  /** The build's directory (for a builds.json problem, the builds directory). */
  dir: string;
  /** True when every file was read and neither the build nor the release check has an error. */
  valid: boolean;
  /** Each architecture's meta.json, in builds.json's order (a build directory: by name). */
  files: BuildFile[];
  /** `checkBuild` over the files that could be read (names: their paths); `null` for a problem result. */
  report: BuildReport | null;
  /** The findings of `checkRelease` about `options.release`, on the build it names. */
  release?: ReleaseFindings;
  /** Why this result is not a build: see `BuildsProblem`. */
  error?: BuildsProblem;
  /** builds.json's path, on results about it. */
  file?: string;
}

/** What `onProgress` is told after each build. */
export interface BuildsProgress {
  /** Builds checked so far, and in all. */
  done: number;
  total: number;
  /** The build just checked. */
  id: string;
  /** meta.json files listed so far (read or not). */
  files: number;
}

export interface BuildsDirOptions {
  /** Only these builds (ids); those builds.json does not list are `build-not-found` results. */
  build?: string | string[] | null;
  /** Only the N newest builds (of those `build` picks). */
  last?: number | null;
  /**
   * A published release.json: checked with `checkRelease` against the build its `release`
   * names (checked even when `build`/`last` leave it out); when it names none, against the
   * one build selected.
   */
  release?: string | Uint8Array | ArrayBuffer | ArrayBufferView | null;
  profile?: Profile | null;
  presence?: Partial<Record<EntryKey, Presence>> | null;
  /**
   * Worker threads that check builds while this thread reads the next ones (default 1:
   * this thread does everything). Used from 16 builds on; results come in the same order.
   */
  jobs?: number | null;
  onProgress?: ((progress: BuildsProgress) => void) | null;
}

/**
 * Checks every build of a coreos-assembler builds directory (`builds.json`, newest first,
 * and `<id>/<arch>/meta.json`), or the one build of a build directory (`<arch>/meta.json`
 * below it). Reads one build ahead and keeps nothing of the builds it has yielded.
 * Throws a TypeError for bad options at the call; the first `next()` rejects when `dir`
 * is not there (ENOENT), is a file (ENOTDIR) or is neither layout (ENOBUILDS).
 */
export function checkBuildsDir(dir: string | URL, options?: BuildsDirOptions | null): AsyncGenerator<BuildResult, void, undefined>;

/**
 * The meta.json files of one build directory: `<arch>/meta.json` below it (by arch), else
 * its own `meta.json` (arch `null`); none when it has neither.
 */
export function archFiles(dir: string): Promise<{ arch: string | null; path: string }[]>;
