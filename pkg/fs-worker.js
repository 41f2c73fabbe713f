// A worker thread of checkBuildsDir (pkg/fs.js, options.jobs > 1): checks the builds the
// main thread read, with its own instance of the package, and sends back what the library
// says. A TypeError (misuse; the options were checked before any work) goes back as one.

import { parentPort } from 'node:worker_threads';

import { outcomeOf } from './fs.js';

parentPort.on('message', ({ seq, docs, checkOptions, release }) => {
  try {
    parentPort.postMessage({ seq, outcome: outcomeOf(docs, checkOptions, release) });
  } catch (error) {
    parentPort.postMessage({ seq, error: { name: error?.name, message: String(error?.message ?? error), code: error?.code } });
  }
});
