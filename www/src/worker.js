// Runs the package off the main thread, so that validating a pasted 5 MB document never
// blocks typing. Errors (bad options, a trapped instance that the package has already
// re-instantiated) go back as messages; the page shows them and keeps working.

import init, {
  validate, upgrade, parseReference, loadSchemaSupport, checkBuild, checkRelease, readBuildsIndex,
} from 'oscontainer';

const operations = {
  validate,
  upgrade,
  // A reference that does not parse is the answer, not a failed call: it comes back as
  // `{ error: { code, message, offset } }`. Anything else (a crash) is thrown as usual.
  reference(text) {
    try {
      return { reference: parseReference(text) };
    } catch (error) {
      if (typeof error?.offset !== 'number' || error.code === 'internal-error') throw error;
      return { error: { code: error.code, message: error.message, offset: error.offset } };
    }
  },
  // The builds view: `text` carries one build's documents (and its release.json).
  build({ docs }, options) {
    return checkBuild(docs, options);
  },
  release({ release, docs }, options) {
    return checkRelease(release, docs, options);
  },
  // The builds view: builds.json's bytes, read as `checkBuildsDir` reads them.
  buildsIndex(bytes) {
    return readBuildsIndex(bytes);
  },
};

self.onmessage = async ({ data: { id, op, text, options } }) => {
  try {
    // Loads the .wasm (next to this bundle) once; after a failed load, the next call retries.
    await init();
    // jsonschema is a second, larger module: fetched only once a schema is in use.
    if (options?.schema != null) await loadSchemaSupport();
    self.postMessage({ id, result: operations[op](text, options) });
  } catch (error) {
    self.postMessage({ id, error: { name: error?.name ?? 'Error', message: String(error?.message ?? error) } });
  }
};
