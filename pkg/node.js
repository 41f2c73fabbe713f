// Node entry: the .wasm next to this file is compiled and instantiated synchronously at
// import, so `import { validate } from "oscontainer"` is ready to use without await.

import { readFileSync } from 'node:fs';
import { initSync } from './oscontainer.js';
import { markReady } from './api.js';

const module = new WebAssembly.Module(readFileSync(new URL('./oscontainer_bg.wasm', import.meta.url)));
initSync({ module });
markReady();

export { validate, upgrade, releaseView, compareArches, parseReference, schema, version } from './api.js';

/** Nothing to wait for in Node; here so that code shared with browsers can `await init()`. */
export default async function init() {}
export { init };
