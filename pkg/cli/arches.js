// `oscontainer arches FILE...`: the meta.json files of one build compared across
// architectures (compareArches); a FILE may be a build's directory.

import { expandBuildDirs, readFiles } from './files.js';
import { FORMAT_FLAG, formatHelp, formatOption, HELP_FLAG, presenceOption, UsageError } from './options.js';
import { count, err, formatDiagnostics, out, plural, problems } from './output.js';

export const help = `Usage: oscontainer arches [options] FILE...

Compare the meta.json files of one build, one per architecture: digests shared between
architectures, entries missing on some, images, tags or manifest lists that differ,
different builds, duplicates. A file's architecture is its "coreos-assembler.basearch",
else what its path says (builds/<id>/<arch>/meta.json, rhcos-<arch>.json). A FILE may
be a build's directory (builds/<id>): its <arch>/meta.json files, by arch.

Which entries must be on which architectures follows the pipelines: base-oscontainer,
oscontainer and extensions-container on every one (once on one), kubevirt on any subset.

Options:
  --presence KEY=RULE         override that for an entry key; RULE is all (every arch),
                              any (a subset is fine) or ARCH[,ARCH...] (required on
                              those); may be repeated, e.g. --presence kubevirt=all
${formatHelp({ jsonl: 'one JSON object per file (its arch and findings)' })}
  --strict                    warnings fail too
  -h, --help                  this help

Exit status: 0 consistent, 1 findings, 2 usage or file errors.
`;

export const options = {
  presence: { type: 'string', multiple: true },
  format: FORMAT_FLAG,
  strict: { type: 'boolean' },
  help: HELP_FLAG,
};

export async function run(values, positionals) {
  const format = formatOption(values.format);
  if (positionals.length === 0) throw new UsageError('no FILE given: one meta.json per architecture of the build');
  const presence = presenceOption(values.presence);
  const api = await import('../node.js');
  const compare = (items) => {
    try {
      return api.compareArches(items, presence === undefined ? undefined : { presence });
    } catch (error) {
      // A presence rule Rust does not accept (an unknown key, a bad rule) is a usage error.
      if (error instanceof TypeError) throw new UsageError(`--presence: ${error.message.replace(/^options\.presence[.:]?\s*/, '')}`);
      throw error;
    }
  };
  // The rules first, so that a usage error comes before any output.
  if (presence !== undefined) compare([]);
  const { read, failed } = await readFiles(api, await expandBuildDirs(positionals), format === 'json' ? 'text' : format);
  const files = read.map((file) => file.path);
  const report = compare(read.map((file) => ({ name: file.path, input: file.bytes })));
  if (format === 'json') {
    const diagnostics = report.diagnostics.map((d) => ({ file: files[d.document], ...d }));
    out(`${JSON.stringify({ files, ...report, diagnostics, fileErrors: failed }, null, 2)}\n`);
  } else if (format === 'jsonl') {
    // Per file, as check's jsonl; file errors were printed in their place as they were read.
    const lines = files.map((file, i) => ({
      file,
      arch: report.arches[i],
      buildId: report.buildIds[i],
      diagnostics: report.diagnostics.filter((d) => d.document === i),
    }));
    out(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  } else {
    out(report.diagnostics.map((d) => formatDiagnostics(format, files[d.document], [d])).join(''));
  }
  const counts = count(report.diagnostics);
  const unreadable = failed.length > 0 ? `; ${plural(failed.length, 'file')} could not be read` : '';
  const arches = report.arches.map((arch) => arch ?? '?').join(', ');
  err(`compared ${plural(files.length, 'file')}${files.length > 0 ? ` (${arches})` : ''}: ${problems(counts)}${unreadable}\n`);
  if (failed.length > 0) return 2;
  return counts.errors > 0 || (values.strict && counts.warnings > 0) ? 1 : 0;
}
