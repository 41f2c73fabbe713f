// A worker thread of checkBuildsDir (pkg/fs.js, options.jobs > 1): checks the builds the
// main thread read, with its own instance of the package, and sends back what the library
// says, as fs.js's outcomeOf does on one thread. A TypeError (misuse; the options were
// checked before any work) goes back as one.

import { parentPort } from 'node:worker_threads';

import { checkBuild, checkRelease } from './node.js';

parentPort.on('message', ({ seq, docs, checkOptions, release }) => {
  try {
    const outcome = release === undefined ? { report: checkBuild(docs, checkOptions) } : { checked: checkRelease(release, docs, checkOptions) };
    parentPort.postMessage({ seq, outcome });
  } catch (error) {
    parentPort.postMessage({ seq, error: { name: error?.name, message: String(error?.message ?? error), code: error?.code } });
  }
});
