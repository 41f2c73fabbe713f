// A worker of `oscontainer check|upgrade` over many files (see pkg/cli.js): loads the
// package once, takes the settings of the run, then runs each task it is sent and posts
// the result back.

import { parentPort } from 'node:worker_threads';

import * as api from './node.js';
import { runTask } from './cli-work.js';

let settings;
parentPort.on('message', (message) => {
  if (message.settings) {
    settings = message.settings;
    return;
  }
  parentPort.postMessage({ index: message.index, result: runTask(api, message.task, settings) });
});
