// `oscontainer builds DIR`: every build of a coreos-assembler builds directory (or the one
// build of a build directory) through checkBuildsDir (sources/folder.js, `oscontainer/fs`),
// as a table for people or records for machines. The package itself (its .wasm) is loaded
// only when the command runs, as for the others.

import { readFileSync } from 'node:fs';

import { describeFsError } from './files.js';
import { buildOption, formatHelp, formatOption, jobsOption, lastOption, presenceOption, profileOption, UsageError } from './options.js';
import { count, err, formatDiagnostics, formatFileError, formatFileErrorOut, out, plural, problems, progressBar } from './output.js';

const ENTRY_KEYS = ['oscontainer', 'base-oscontainer', 'extensions-container', 'kubevirt'];

/** The command's options, for parseArgs in cli/main.js. */
export const options = {
  build: { type: 'string', multiple: true },
  last: { type: 'string' },
  release: { type: 'string' },
  profile: { type: 'string' },
  presence: { type: 'string', multiple: true },
  format: { type: 'string' },
  strict: { type: 'boolean' },
  jobs: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const help = `Usage: oscontainer builds [options] DIR

Check every build of a coreos-assembler builds directory (DIR/builds.json, newest first,
and DIR/<id>/<arch>/meta.json), or the one build of a build directory (DIR/<arch>/meta.json):
each architecture's meta.json, the architectures against each other (as arches does), and
what cosa's generate-release-meta would write for the build.

Options:
  --build ID                  only this build; may be repeated
  --last N                    only the N newest builds (of those --build picks)
  --release FILE              also check a published release.json against the meta.json
                              files of the build it names ("release"); that build is
                              checked even when --build or --last leave it out
  --profile canonical|compat  rules (default canonical)
  --presence KEY=RULE         which entries must be on every architecture, as for arches
${formatHelp({
  text: 'a table (build, arches, one column per entry key: shape, on how many\n                              architectures, worst severity; a ! marks an architecture\n                              whose meta.json could not be read), then the findings\n                              (file:line:col: severity[code]: message)',
  json: 'one JSON array of builds (indented)',
  jsonl: 'one JSON object per build, as each is checked',
})}
  --strict                    warnings fail too
  --jobs N                    worker threads for many builds (default: CPU count)
  -h, --help                  this help

A progress bar is drawn on stderr when it is a terminal.

Exit status: 0 no errors, 1 errors (or warnings with --strict; a builds.json that is not
JSON or not of the layout's shape), 2 usage or file errors (a meta.json builds.json lists
that is missing or unreadable, a --build that is not there).
`;

// ---- the text table ----------------------------------------------------------------

/**
 * One entry key of one build, for the table: its shape (`mixed` when the architectures
 * differ), on how many of the build's architectures it is, and the worst severity of the
 * findings under it when there are errors or warnings; `-` when no architecture has it.
 */
function entryCell(byArch, total) {
  const present = Object.values(byArch ?? {}).filter((cell) => cell !== null && cell !== undefined);
  if (present.length === 0) return '-';
  const shapes = [...new Set(present.map((cell) => cell.shape))];
  const worst = present.some((cell) => cell.severity === 'error') ? ' error' : present.some((cell) => cell.severity === 'warning') ? ' warning' : '';
  return `${shapes.length === 1 ? shapes[0] : 'mixed'} ${present.length}/${total}${worst}`;
}

/** What makes two findings the same: a document's report, its release view and the cross-arch findings repeat some (a syntax error). */
function key(file, d) {
  return `${file}\0${d.code}\0${d.pointer}\0${d.line}\0${d.column}\0${d.message}`;
}

/** The codes of builds.json's findings (the library's builds index): findings, not file errors. */
const BUILDS_JSON_CODES = new Set(['builds-json-invalid', 'builds-schema-unsupported']);

/** Every diagnostic of a build result, each with the file it is located in, each once. */
function located(result, releaseFile) {
  const found = [];
  const seen = new Set();
  const add = (file, d) => {
    const k = key(file, d);
    if (seen.has(k)) return;
    seen.add(k);
    found.push({ file, d });
  };
  if (result.report !== null) {
    for (const arch of result.report.arches) for (const d of [...arch.report.diagnostics, ...arch.release.diagnostics]) add(arch.name, d);
    for (const d of result.report.diagnostics) add(d.name ?? result.report.arches[d.document]?.name ?? result.dir, d);
  }
  if (result.release !== undefined) for (const d of result.release.diagnostics) add(releaseFile, d);
  if (BUILDS_JSON_CODES.has(result.error?.code)) {
    const { code, message, line, column } = result.error;
    add(result.file, { severity: 'error', code, message, line: line ?? null, column: column ?? null, hint: null });
  }
  return found;
}

/** Rows padded into columns two spaces apart, no trailing blanks. */
function columns(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/**
 * One build's row of the table, as text: `{ id, arches, cells: { entryKey: text }, result }`
 * (`null` for a result that is not a build). Kept instead of the result, so that text
 * output holds a few strings per build, not its reports.
 */
export function tableRow(result) {
  if (result.report === null) return null;
  const total = result.files.length;
  const cells = {};
  for (const key of ENTRY_KEYS) {
    const cell = entryCell(result.report.entries?.[key], total);
    if (cell !== '-') cells[key] = cell;
  }
  const { errors, warnings } = count(located(result).map(({ d }) => d));
  const unread = result.files.filter((file) => file.error !== undefined).length;
  const parts = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  if (unread > 0) parts.push(`${unread} unreadable`);
  const arches = result.files.map((file) => `${file.arch ?? '?'}${file.error === undefined ? '' : '!'}`).join(' ');
  return { id: result.id, arches: arches === '' ? '-' : arches, cells, result: parts.length === 0 ? 'ok' : parts.join(', ') };
}

/** The table of the builds checked (their `tableRow`s): build, arches, one column per entry key any build has, the result. */
export function buildsTable(rows) {
  const builds = rows.filter((row) => row !== null);
  if (builds.length === 0) return '';
  const keys = ENTRY_KEYS.filter((key) => builds.some((row) => key in row.cells));
  const lines = [['build', 'arches', ...keys, 'result']];
  for (const row of builds) lines.push([row.id, row.arches, ...keys.map((key) => row.cells[key] ?? '-'), row.result]);
  return `${columns(lines)}\n`;
}

// ---- the command ---------------------------------------------------------------------

/** Runs `oscontainer builds`; returns the exit status. */
export async function run(values, positionals) {
  const format = formatOption(values.format);
  const profile = profileOption(values.profile);
  const presence = presenceOption(values.presence);
  const last = lastOption(values.last);
  const jobs = jobsOption(values.jobs);
  buildOption(values.build);
  if (positionals.length === 0) throw new UsageError('no DIR given: a builds directory (with builds.json) or one build\'s directory');
  if (positionals.length > 1) throw new UsageError(`expected one DIR, got ${positionals.length}`);
  const [dir] = positionals;
  let release;
  if (values.release !== undefined) {
    try {
      release = readFileSync(values.release);
    } catch (error) {
      throw new UsageError(`--release ${values.release}: ${describeFsError(error, values.release).message}`);
    }
  }

  const { checkBuildsDir } = await import('../sources/folder.js');
  const options = { build: values.build, last, release, profile, presence: presence ?? undefined, jobs };
  let bar = progressBar(process.stderr, 0);
  options.onProgress = ({ done, total }) => {
    if (done === 1) bar = progressBar(process.stderr, total);
    bar.draw(done);
  };
  let results;
  try {
    results = checkBuildsDir(dir, options);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    // Only presence can be wrong here; the rest was checked above.
    throw new UsageError(`--presence: ${error.message.replace(/^options\.presence[.:]?\s*/, '')}`);
  }

  const records = [];
  const table = [];
  const findings = [];
  const totals = { builds: 0, files: 0, errors: 0, warnings: 0, fileErrors: 0, notFound: 0, unreadable: 0 };
  const say = (stdout, stderr) => {
    // The bar stays unless something is written (text prints at the end).
    if (stdout === '' && stderr === '') return;
    bar.clear();
    out(stdout);
    err(stderr);
  };
  try {
    for await (const result of results) {
      let stdout = '';
      let stderr = '';
      const releaseFile = values.release;
      if (result.error !== undefined && !BUILDS_JSON_CODES.has(result.error.code)) {
        if (result.error.code === 'build-not-found') totals.notFound += 1;
        else totals.unreadable += 1;
        const file = result.file ?? result.dir;
        stderr += result.error.code === 'build-not-found' ? `oscontainer: ${result.error.message}\n` : formatFileError(file, result.error);
        stdout += formatFileErrorOut(format, file, result.error);
      }
      if (result.report !== null) {
        totals.builds += 1;
        totals.files += result.files.length;
      }
      for (const file of result.files) {
        if (file.error === undefined) continue;
        totals.fileErrors += 1;
        stderr += formatFileError(file.path, file.error);
        stdout += formatFileErrorOut(format, file.path, file.error);
      }
      const diagnostics = located(result, releaseFile);
      const { errors, warnings } = count(diagnostics.map(({ d }) => d));
      totals.errors += errors;
      totals.warnings += warnings;
      const record = releaseFile === undefined || result.release === undefined ? result : { ...result, release: { file: releaseFile, ...result.release } };
      if (format === 'json') records.push(record);
      else if (format === 'jsonl') stdout = `${JSON.stringify(record)}\n`;
      else if (format === 'github') stdout += diagnostics.map(({ file, d }) => formatDiagnostics('github', file, [d])).join('');
      else {
        table.push(tableRow(result));
        findings.push(diagnostics.map(({ file, d }) => formatDiagnostics('text', file, [d])).join(''));
        stdout = '';
      }
      say(stdout, stderr);
    }
  } catch (error) {
    bar.clear();
    if (error instanceof TypeError && error.message.includes('options.release')) {
      throw new UsageError(`--release ${values.release}: ${error.message.replace(/^checkBuildsDir\(\): options\.release /, '').replace('options.build', '--build ID')}`);
    }
    if (error.code === 'ENOENT') throw new UsageError(`${dir}: no such file or directory`);
    if (error.code === 'ENOTDIR' || error.code === 'ENOBUILDS') throw new UsageError(error.message);
    if (typeof error.code === 'string' && error.code.startsWith('E')) throw new UsageError(`${dir}: ${describeFsError(error, dir).message}`);
    throw error;
  }
  bar.clear();
  if (format === 'json') out(`${JSON.stringify(records, null, 2)}\n`);
  if (format === 'text') {
    const listed = findings.join('');
    out([buildsTable(table), listed].filter((part) => part !== '').join('\n'));
  }

  const failed = [];
  if (totals.fileErrors > 0) failed.push(`${plural(totals.fileErrors, 'file')} could not be read`);
  if (totals.unreadable > 0) failed.push('builds.json could not be read');
  if (totals.notFound > 0) failed.push(`${plural(totals.notFound, 'build')} not found`);
  err(`checked ${plural(totals.builds, 'build')} (${plural(totals.files - totals.fileErrors, 'file')}): ${problems(totals)}${failed.map((part) => `; ${part}`).join('')}\n`);
  if (totals.fileErrors > 0 || totals.unreadable > 0 || totals.notFound > 0) return 2;
  return totals.errors > 0 || (values.strict && totals.warnings > 0) ? 1 : 0;
}
