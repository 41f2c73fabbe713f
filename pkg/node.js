// Node entry: the .wasm in wasm/ next to this file is compiled and instantiated synchronously at
// import, so `import { validate } from "oscontainer"` is ready to use without await.
// No top-level await either, so that Node 20.19+ can also `require` this module.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// The glue is imported only to instantiate it; every call goes through api.js.
import { initSync } from './wasm/oscontainer.js';
import * as schemaGlue from './wasm/oscontainer_schema.js';
import { attachSchemaSupport, loadSchemaModuleNow, markReady, setSchemaLoader, version } from './api.js';

const wasmUrl = new URL('./wasm/oscontainer_bg.wasm', import.meta.url);
const schemaWasmUrl = new URL('./wasm/oscontainer_schema_bg.wasm', import.meta.url);

/**
 * A missing or mismatched .wasm is a broken build or install, not a bug in the caller's
 * code; Node's own error (a bare ENOENT, "expected magic word") would not say how to repair it.
 */
function unusable(problem, error) {
  return new Error(
    `oscontainer: ${problem}. In a checkout of oscontainer, run \`make pkg\`; in a project that ` +
      `installed it, reinstall the package: npm install /path/to/oscontainer/target/oscontainer-${version}.tgz ` +
      '(written by `make pkg`).',
    { cause: error },
  );
}

/** Compiles and instantiates the .wasm at `url` for `glue`, synchronously. */
function instantiate(url, glue) {
  let bytes;
  try {
    bytes = readFileSync(url);
  } catch (error) {
    throw unusable(`cannot read ${fileURLToPath(url)} (${error.code ?? error.message})`, error);
  }
  try {
    glue.initSync({ module: new WebAssembly.Module(bytes) });
  } catch (error) {
    // CompileError: truncated or not a .wasm; LinkError: a .wasm from another build than its glue.
    if (!(error instanceof WebAssembly.CompileError || error instanceof WebAssembly.LinkError)) throw error;
    throw unusable(
      `${fileURLToPath(url)} is not the module ${glue === schemaGlue ? 'oscontainer_schema.js' : 'oscontainer.js'} was built with (${error.name}: ${error.message})`,
      error,
    );
  }
}

instantiate(wasmUrl, { initSync });
markReady();
// The module with jsonschema is read and compiled only when a call first passes a schema.
setSchemaLoader(() => {
  instantiate(schemaWasmUrl, schemaGlue);
  attachSchemaSupport(schemaGlue);
});

export * from './public.js';

/** Nothing to wait for in Node; here so that code shared with browsers can `await init()`. */
export default async function init() {}
export { init };

/**
 * Loads the module that `options.schema` needs. Node loads it by itself on the first call
 * with a schema; this is here so that code shared with browsers can await it.
 */
export async function loadSchemaSupport() {
  loadSchemaModuleNow();
}
