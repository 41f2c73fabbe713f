// What the command-line interface prints, and how: stdout and stderr (`out`, `err`, which
// stop writing to a stdout whose reader went away), the words of summaries, the formats of
// findings and file errors (text, github; json and jsonl are JSON.stringify), the release
// view for people, and the progress lines on a terminal. Pure functions but `out`, `err`
// and the progress lines, so that a worker (cli/worker.js) formats what the main thread prints.

/** Set when stdout's reader went away (`oscontainer check . | head`). */
let stdoutClosed = false;

/** Called by cli/main.js when stdout's reader went away (EPIPE): nothing more is written there. */
export function stdoutWentAway() {
  stdoutClosed = true;
}

export function out(text) {
  if (text && !stdoutClosed) process.stdout.write(text);
}

export function err(text) {
  if (text) process.stderr.write(text);
}

export function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `a`, `a or b`, `a, b or c`. */
export function either(words) {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** Names for a summary: all of a few, else the first three and how many more. */
export function names(list) {
  return list.length <= 5 ? list.join(', ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more`;
}

/** `N problems (E errors, W warnings)`, as eslint counts them, or `no problems`. */
export function problems({ errors, warnings }) {
  if (errors + warnings === 0) return 'no problems';
  return `${plural(errors + warnings, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
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

// ---- progress --------------------------------------------------------------------

/** More files than this, and stderr a terminal: show progress. */
const PROGRESS_THRESHOLD = 50;

/** check and upgrade: a progress line on stderr, redrawn at most ten times a second; only on a terminal. */
export function progress(total, verb) {
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

const BAR_WIDTH = 24;

/**
 * builds: a progress bar on `stream` (stderr), drawn only when it is a terminal (`isTTY`), at
 * most ten times a second; `now` is the clock (a test's own).
 */
export function progressBar(stream, total, { now = Date.now } = {}) {
  const active = Boolean(stream.isTTY) && total > 0;
  let shown = false;
  let last = -Infinity;
  return {
    draw(done) {
      if (!active) return;
      const time = now();
      if (time - last < 100 && done < total) return;
      last = time;
      const filled = Math.round((done / total) * BAR_WIDTH);
      stream.write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total} builds`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
