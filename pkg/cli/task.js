// One file's work for `check` and `upgrade`: read it, check or upgrade it, write it back,
// and format what to print. Runs on the main thread or in a worker (cli/worker.js), so it
// returns plain data and the text to print, never prints.

import { reasonOf } from '../sources/files.js';
import { unifiedDiff } from './diff.js';
import { FileError, readTask, writeAtomically } from './files.js';
import { count, fileErrorRecord, formatDiagnostics, formatFileError, formatFileErrorOut, formatUpgradeGithub } from './output.js';

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
        throw new FileError('write-failed', `cannot write: ${reasonOf(error)}`);
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
