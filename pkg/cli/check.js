// `oscontainer check PATH...`: the findings of each file, as a compiler prints them.

import { readFileSync } from 'node:fs';

import { collect, describeFsError } from './files.js';
import {
  buildIdOption,
  DISCOVERY_FLAGS,
  DISCOVERY_HELP,
  FORMAT_FLAG,
  formatHelp,
  formatOption,
  HELP_FLAG,
  jobsOption,
  nameOption,
  profileOption,
  UsageError,
} from './options.js';
import { err, plural, problems } from './output.js';
import { failures, runFiles } from './run.js';

export const help = `Usage: oscontainer check [options] PATH...

Check the container entries of each meta.json. PATH is a file (always checked, whatever
its name), a directory (every meta.json and *meta.json below it) or - for stdin.

Options:
  --profile canonical|compat  rules: the agreed form (default) or legacy shapes as warnings
  --schema FILE               also check each whole document against this JSON Schema
  --build-id ID               the build id for the readiness in the JSON reports
                              (default: each document's "buildid")
${formatHelp()}
  --strict                    warnings fail too (exit status 1)
${DISCOVERY_HELP}
  --jobs N                    worker threads for many files (default: CPU count)
  -h, --help                  this help

Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage or file errors
(missing, unreadable, not UTF-8, a PATH that matched no file: named on stderr; the
other files are still checked). The summary goes to stderr:
checked N files: P problems (E errors, W warnings); F fixable with \`oscontainer upgrade --write\`
`;

export const options = {
  profile: { type: 'string' },
  schema: { type: 'string' },
  'build-id': { type: 'string' },
  format: FORMAT_FLAG,
  strict: { type: 'boolean' },
  ...DISCOVERY_FLAGS,
  help: HELP_FLAG,
};

export async function run(values, positionals) {
  const settings = { command: 'check', profile: profileOption(values.profile), format: formatOption(values.format) };
  const jobs = jobsOption(values.jobs);
  const globs = nameOption(values);
  settings.buildId = buildIdOption(values['build-id']);
  if (values.schema !== undefined) {
    try {
      settings.schema = readFileSync(values.schema, 'utf8');
    } catch (error) {
      throw new UsageError(`--schema ${values.schema}: ${describeFsError(error, values.schema).message}`);
    }
  }
  if (positionals.length === 0) throw new UsageError('no PATH given (use - for stdin)');
  const tasks = await collect(positionals, globs);
  if (settings.schema !== undefined) {
    // A schema that does not compile is a usage error, said once, before any work.
    const api = await import('../node.js');
    try {
      api.validate('{}', { schema: settings.schema });
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw new UsageError(`--schema ${values.schema}: ${error.message.replace(/^options\.schema cannot be used: /, '')}`);
    }
  }

  const totals = await runFiles(tasks, settings, jobs);
  const parts = [`checked ${plural(totals.files, 'file')}: ${problems(totals)}`];
  if (totals.fixable > 0) parts.push(`${totals.fixable} fixable with \`oscontainer upgrade --write\``);
  err(`${[...parts, ...failures(totals, 'checked')].join('; ')}\n`);
  if (totals.fileErrors > 0 || totals.pathErrors > 0) return 2;
  return totals.errors > 0 || (values.strict && totals.warnings > 0) ? 1 : 0;
}
