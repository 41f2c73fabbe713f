// `oscontainer release FILE`: the release view of one meta.json (releaseView), what
// cosa's generate-release-meta would write from it.

import { readFiles } from './files.js';
import { buildIdOption, FORMAT_FLAG, formatHelp, formatOption, HELP_FLAG, profileOption, UsageError } from './options.js';
import { count, err, formatDiagnostics, formatReleaseText, out, problems } from './output.js';

export const help = `Usage: oscontainer release [options] FILE

Show the release view of one meta.json: per entry whether cosa's generate-release-meta
reads it (base-oscontainer and kubevirt only), the floating tag, the build tags, the
{"image", "digest-ref"} pair cosa would write, and the entry's readiness for pulling by
digest, release metadata, signing and pruning; then the findings (why cosa would fail on
a released entry, or write a wrong reference).

Options:
  --build-id ID               the build id (default: the document's "buildid")
  --profile canonical|compat  severities of document-level findings (default canonical)
${formatHelp({ text: 'the view for people, then the findings', json: 'the view as one JSON document (indented)', jsonl: 'the view on one line' })}
  -h, --help                  this help

Exit status: 0 cosa writes right release metadata for every released entry (or there is
none), 1 it would fail or write a wrong reference, 2 usage or file errors.
`;

export const options = { 'build-id': { type: 'string' }, profile: { type: 'string' }, format: FORMAT_FLAG, help: HELP_FLAG };

export async function run(values, positionals) {
  const profile = profileOption(values.profile);
  const buildId = buildIdOption(values['build-id']);
  const format = formatOption(values.format);
  if (positionals.length !== 1) throw new UsageError(`expected one FILE, got ${positionals.length}`);
  const api = await import('../node.js');
  const { read, failed } = await readFiles(api, positionals, format === 'json' ? 'text' : format);
  if (read.length === 0) {
    if (format === 'json') out(`${JSON.stringify(failed[0], null, 2)}\n`);
    return 2;
  }
  const [{ path, bytes }] = read;
  const view = api.releaseView(bytes, { profile, buildId });
  if (format === 'text') out(formatReleaseText(path, view));
  else if (format === 'github') out(formatDiagnostics('github', path, view.diagnostics));
  else out(`${JSON.stringify({ file: path, ...view }, null, format === 'json' ? 2 : undefined)}\n`);
  // What it counts: the released entries cosa would write right release metadata for.
  const released = view.entries.filter((entry) => entry.released);
  const right = released.filter((entry) => entry.releaseMetadata !== null).map((entry) => entry.key ?? entry.pointer);
  const summary =
    released.length === 0
      ? 'no released entries (cosa makes release metadata from base-oscontainer and kubevirt only)'
      : `cosa writes right release metadata for ${right.length} of ${released.length} released ${released.length === 1 ? 'entry' : 'entries'}${right.length > 0 ? ` (${right.join(', ')})` : ''}`;
  err(`${path}: ${summary}; ${problems(count(view.diagnostics))}\n`);
  return view.valid ? 0 : 1;
}
