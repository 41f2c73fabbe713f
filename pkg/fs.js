// Node only: the package's `oscontainer/fs` (types: fs.d.ts), the folder source of
// sources/: checkBuildsDir reads a coreos-assembler builds directory build by build,
// archFiles lists a build directory's meta.json files.

export { archFiles, checkBuildsDir } from './sources/folder.js';
