// Runs the package off the main thread, so that validating a pasted 5 MB document never
// blocks typing. Errors (bad options, a trapped instance that the package has already
// re-instantiated) go back as messages; the page shows them and keeps working.

import * as oscontainer from 'oscontainer';
import { ready } from './package-ready.js';

const operations = {
  validate: (text, options) => oscontainer.validate(text, options),
  upgrade: (text, options) => oscontainer.upgrade(text, options),
};

self.onmessage = async ({ data: { id, op, text, options } }) => {
  try {
    await ready(oscontainer);
    self.postMessage({ id, result: operations[op](text, options) });
  } catch (error) {
    self.postMessage({ id, error: { name: error?.name ?? 'Error', message: String(error?.message ?? error) } });
  }
};
