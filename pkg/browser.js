// Browser and bundler entry: call `await init()` once before anything else. Without an
// argument the .wasm is fetched from `oscontainer_bg.wasm` next to the glue, wasm/ (or next
// to the bundle that contains it); pass a URL, a Response, the bytes or a compiled
// WebAssembly.Module to load it from elsewhere.

// The glue is imported only to instantiate it; every call goes through api.js.
import initWasm from './wasm/oscontainer.js';
import { attachSchemaSupport, markReady } from './api.js';

export * from './public.js';

let loading;

export default function init(source) {
  loading ??= initWasm(source === undefined ? undefined : { module_or_path: source }).then(
    () => markReady(),
    (error) => {
      loading = undefined; // let a later call try again, e.g. after a network error
      throw error;
    },
  );
  return loading;
}
export { init };

let loadingSchemas;

/**
 * Loads the module that `options.schema` needs (the core plus jsonschema, several times
 * the size of the core), once; calls with a schema throw a TypeError until it is loaded.
 * Without an argument its .wasm is fetched from `oscontainer_schema_bg.wasm` next to its
 * glue (wasm/); pass a URL, a Response, the bytes or a compiled WebAssembly.Module to load it
 * from elsewhere.
 */
export function loadSchemaSupport(source) {
  loadingSchemas ??= import('./wasm/oscontainer_schema.js')
    .then(async (glue) => {
      await glue.default(source === undefined ? undefined : { module_or_path: source });
      attachSchemaSupport(glue);
    })
    .catch((error) => {
      loadingSchemas = undefined; // let a later call try again
      throw error;
    });
  return loadingSchemas;
}
