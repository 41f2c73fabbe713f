// `oscontainer upgrade [--write | --check] PATH...`: the entries rewritten into the agreed
// form: printed (one file), as a diff (several), written back, or only listed.

import { normalize } from 'node:path';

import { collect } from './files.js';
import { DISCOVERY_FLAGS, DISCOVERY_HELP, FORMAT_FLAG, formatHelp, formatOption, HELP_FLAG, jobsOption, nameOption, profileOption, UsageError } from './options.js';
import { err, names, plural } from './output.js';
import { failures, runFiles } from './run.js';

export const help = `Usage: oscontainer upgrade [--write | --check] [options] PATH...

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
`;

export const options = {
  write: { type: 'boolean' },
  check: { type: 'boolean' },
  profile: { type: 'string' },
  format: FORMAT_FLAG,
  ...DISCOVERY_FLAGS,
  help: HELP_FLAG,
};

export async function run(values, positionals) {
  const settings = { command: 'upgrade', profile: profileOption(values.profile), format: formatOption(values.format) };
  const jobs = jobsOption(values.jobs);
  const globs = nameOption(values);
  if (values.write && values.check) throw new UsageError('--write and --check cannot be combined');
  settings.mode = values.write ? 'write' : values.check ? 'check' : 'diff';
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

  const totals = await runFiles(tasks, settings, jobs);
  const changed = totals.changed.length;
  const listed = changed > 0 ? `: ${names(totals.changed)}` : '';
  const parts = [
    settings.mode === 'write'
      ? `upgraded ${changed} of ${plural(totals.files, 'file')}${listed}`
      : `${changed} of ${plural(totals.files, 'file')} would be upgraded${listed}`,
  ];
  const invalid = totals.invalid.length;
  if (invalid > 0) parts.push(`${invalid} still ${invalid === 1 ? 'has' : 'have'} errors upgrade cannot fix: ${names(totals.invalid)}`);
  err(`${[...parts, ...failures(totals, 'upgraded')].join('; ')}\n`);
  if (totals.fileErrors > 0 || totals.pathErrors > 0) return 2;
  return settings.mode === 'check' && (totals.changed.length > 0 || totals.invalid.length > 0) ? 1 : 0;
}
