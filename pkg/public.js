// The package's functions, one list that both entries re-export (node.js, browser.js):
// each entry adds only how the WebAssembly module is loaded (`init`, `loadSchemaSupport`).
// pkg/index.d.ts declares them.

export {
  validate,
  upgrade,
  releaseView,
  compareArches,
  checkBuild,
  checkRelease,
  readBuildsIndex,
  parseReference,
  schema,
  version,
} from './api.js';
