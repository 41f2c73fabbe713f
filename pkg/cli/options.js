// The command-line flags shared by the commands, checked: each mistake is a UsageError, one
// line of ours (exit status 2). What the API judges (a profile's rules, a presence rule, a
// schema) is left to it; the rules shared with the API's own options (profiles, build
// ids, whole numbers) come from pkg/options.js. Also the help text of the shared flags.

import { availableParallelism } from 'node:os';

import { isDirectoryName, PROFILES, WHOLE_NUMBER_TEXT } from '../options.js';
import { either } from './output.js';

/** A usage error: one line saying what is wrong; exit status 2. */
export class UsageError extends Error {}

export const FORMATS = ['text', 'json', 'jsonl', 'github'];
/** Names looked for in directories by default: meta.json, doozer's *-meta.json, *.meta.json. */
export const DEFAULT_NAMES = ['*meta.json'];

/** The --format lines of a command's help; what each format prints, where it differs. */
export function formatHelp({
  text = 'file:line:col: severity[code]: message',
  json = 'one JSON document for the whole run (indented)',
  jsonl = 'one JSON object per file, one per line',
} = {}) {
  return `  --format FORMAT             text (default): ${text}
                              json: ${json}
                              jsonl: ${jsonl}
                              github: GitHub Actions workflow annotations`;
}

export const DISCOVERY_HELP = `  --name GLOB                 in directories, look for files whose name matches GLOB
                              (*, ? and [...], as find -name) instead of meta.json and
                              *meta.json; may be repeated, e.g. --name 'rhcos-*.json'
  --all-json                  the same as --name '*.json'`;

/** The parseArgs specs every command has. */
export const HELP_FLAG = { type: 'boolean', short: 'h' };
export const FORMAT_FLAG = { type: 'string' };
/** The flags of the commands that find many files (check, upgrade): which files, how many threads. */
export const DISCOVERY_FLAGS = {
  name: { type: 'string', multiple: true },
  'all-json': { type: 'boolean' },
  jobs: { type: 'string' },
};

/** `value` if it is one of `allowed`, `fallback` if absent, else a usage error. */
export function oneOf(name, value, allowed, fallback) {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new UsageError(`--${name} must be ${either(allowed)}, not "${value}"`);
  }
  return value;
}

export function formatOption(value) {
  return oneOf('format', value, FORMATS, 'text');
}

/** `--profile canonical|compat`, canonical by default. */
export function profileOption(value) {
  return oneOf('profile', value, PROFILES, 'canonical');
}

export function jobsOption(value) {
  if (value === undefined) return availableParallelism();
  if (!WHOLE_NUMBER_TEXT.test(value)) throw new UsageError(`--jobs must be a positive whole number, not "${value}"`);
  return Number(value);
}

/** `--last N`: a positive whole number. */
export function lastOption(value) {
  if (value === undefined) return undefined;
  if (!WHOLE_NUMBER_TEXT.test(value)) throw new UsageError(`--last must be a positive whole number, not "${value}"`);
  return Number(value);
}

export function buildIdOption(value) {
  if (value === '') throw new UsageError('--build-id must not be empty');
  return value;
}

/** `--build ID`, each a build id: a directory name. */
export function buildOption(values) {
  for (const id of values ?? []) {
    if (id === '') throw new UsageError('--build must not be empty');
    if (!isDirectoryName(id)) throw new UsageError(`--build ${id}: not a build id (a build id is a directory name)`);
  }
  return values;
}

/**
 * `--presence KEY=RULE` options as the API's `presence` option: `all`, `any`, or a list of
 * architectures. Rust checks the keys and rules; this only splits the text.
 */
export function presenceOption(values) {
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

/** The file-name globs of a run: --name and --all-json, else the default. */
export function nameOption(values) {
  const globs = [...(values.name ?? []), ...(values['all-json'] ? ['*.json'] : [])];
  for (const glob of globs) {
    if (glob === '') throw new UsageError('--name must not be empty');
    if (glob.includes('/')) throw new UsageError(`--name ${glob}: --name matches file names, not paths (no "/")`);
  }
  return globs.length > 0 ? [...new Set(globs)] : DEFAULT_NAMES;
}
