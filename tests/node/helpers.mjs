// Shared by the Node tests: where the built packages are, pasted texts with marked
// positions, and the corpus beside the checkout.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const rootDir = fileURLToPath(new URL('../../', import.meta.url));
/** The package as shipped (`make pkg`). */
export const pkgDir = fileURLToPath(new URL('../../pkg/', import.meta.url));
/** The same package built with the `test-hooks` feature (`make node-test` builds it). */
export const testPkgDir = fileURLToPath(new URL('../../target/pkg-test/', import.meta.url));
export const corpusRoot = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/** What both entries export, sorted: the package's public API (pkg/public.js and init). */
export const PUBLIC_API = [
  'checkBuild',
  'checkRelease',
  'compareArches',
  'default',
  'init',
  'loadSchemaSupport',
  'parseReference',
  'readBuildsIndex',
  'releaseView',
  'schema',
  'upgrade',
  'validate',
  'version',
];

/** The mark that stands for "a diagnostic points here" in the texts below. */
export const MARK = '‸';

/**
 * Removes every MARK from `source` and returns the text with the 1-based line and
 * UTF-16 column of each mark, counted here in JS (line breaks: \r\n, \n, \r), so that
 * the expectations do not come from the Rust code under test.
 */
export function marked(source) {
  const at = [];
  let text = '';
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === MARK) {
      at.push({ line, column: text.length - lineStart + 1 });
      continue;
    }
    text += ch;
    if (ch === '\n' || (ch === '\r' && source[i + 1] !== '\n')) {
      line += 1;
      lineStart = text.length;
    }
  }
  return { text, at };
}

/** The JS string index of a 1-based line/column in `text` (the inverse of `marked`). */
export function indexOf(text, line, column) {
  let index = 0;
  for (let l = 1; l < line; l++) {
    const next = text.slice(index).search(/\r\n|\n|\r/);
    if (next < 0) return -1;
    index += next + (text.startsWith('\r\n', index + next) ? 2 : 1);
  }
  return index + column - 1;
}

/**
 * The `*.json` files of a corpus folder as [name, text], sorted; no files and the reason
 * when the folder is missing outside CI (under CI a missing corpus is a failure).
 */
export function corpus(sub) {
  const dir = `${corpusRoot}${sub}`;
  if (!existsSync(dir)) {
    const reason = `corpus folder ${dir} is missing`;
    if (process.env.CI) throw new Error(`${reason} and CI is set`);
    console.log(`# skipped: ${reason}`);
    return { files: null, reason };
  }
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => [name, readFileSync(`${dir}/${name}`, 'utf8')]);
  return { files, reason: undefined };
}

/** `sha256:` followed by `pair` repeated to 64 hex characters. */
export function sha256(pair) {
  return `sha256:${pair.repeat(32)}`;
}

const NO_POSITION = { line: null, column: null, endLine: null, endColumn: null };

/**
 * The diagnostics as they come for a parsed value (the wrapper wrote the text, so a place
 * in it means nothing): no positions, related places without theirs, fixes without edits.
 */
export function positionless(diagnostics) {
  return diagnostics.map((d) => ({
    ...d,
    ...NO_POSITION,
    related: d.related.map((r) => ({ ...r, ...NO_POSITION })),
    fix: d.fix && { ...d.fix, edits: null },
  }));
}
