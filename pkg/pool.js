// Node only: the one pool of worker threads, for checkBuildsDir (sources/worker.js) and the
// CLI's check and upgrade over many files (cli/worker.js). Each worker loads the package
// once (its own instance of the .wasm); `run(task)` resolves to what the worker's handler
// returns for it, or rejects with the error it threw.
//
// Bounded: a worker has at most `perWorker` tasks in flight; more wait here, in order, and
// go to the first worker with room. A worker keeps the process alive only while it has
// work, so an abandoned run (an early `break` out of checkBuildsDir's generator) does not
// hang the process.

import { parentPort, Worker } from 'node:worker_threads';

/**
 * `size` workers running the script at `url` (a worker script calls `serve`). `init`, when
 * given, is sent to every worker before its first task (the settings of a run, sent once
 * rather than with every task).
 * @param {URL} url
 * @param {number} size
 * @param {{ init?: unknown, perWorker?: number }} [options]
 */
export function workerPool(url, size, { init, perWorker = Infinity } = {}) {
  const waiting = new Map();
  /** Tasks no worker has room for yet: `{ id, task }`, in the order they came. */
  const queued = [];
  let seq = 0;
  let next = 0;
  let closing = false;
  // A worker inherits the caller's Node options, but one started from a file refuses
  // --input-type (node --input-type=module -e …); a list of our own must leave out the
  // per-process ones (--expose-gc) too, so then there are none.
  const execArgv = process.execArgv.some((arg) => arg.startsWith('--input-type')) ? [] : undefined;

  const post = (slot, id, task) => {
    if (slot.busy === 0) slot.worker.ref();
    slot.busy += 1;
    slot.worker.postMessage({ seq: id, task });
  };

  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(url, { execArgv });
    const slot = { worker, busy: 0 };
    worker.unref();
    if (init !== undefined) worker.postMessage({ init });
    worker.on('message', ({ seq: done, result, error }) => {
      const { resolve, reject } = waiting.get(done);
      waiting.delete(done);
      slot.busy -= 1;
      if (queued.length > 0 && !closing) {
        const { id, task } = queued.shift();
        post(slot, id, task);
      }
      // Once closing, the workers stay referenced until they have exited: a result that
      // arrives after close() must not let the process end under its awaited terminate()
      // (an early `break` out of the generator then never settled; fs.test.mjs).
      if (slot.busy === 0 && !closing) worker.unref();
      if (error === undefined) resolve(result);
      else reject(Object.assign(new (error.name === 'TypeError' ? TypeError : Error)(error.message), { code: error.code }));
    });
    worker.on('error', (error) => {
      for (const { reject } of waiting.values()) reject(error);
      waiting.clear();
    });
    worker.on('exit', (code) => {
      if (closing || waiting.size === 0) return;
      const stopped = new Error(`a worker thread stopped (exit code ${code})`);
      for (const { reject } of waiting.values()) reject(stopped);
      waiting.clear();
    });
    return slot;
  });

  return {
    /** Runs `task` on a worker (round robin among those with room); resolves to its result. */
    run(task) {
      seq += 1;
      const id = seq;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        for (let tried = 0; tried < workers.length; tried++) {
          const slot = workers[next];
          next = (next + 1) % workers.length;
          if (slot.busy < perWorker) {
            post(slot, id, task);
            return;
          }
        }
        queued.push({ id, task });
      });
    },
    /** Ends the workers; tasks still waiting are dropped. */
    close() {
      // Referenced again, so that the event loop waits for them to end.
      closing = true;
      queued.length = 0;
      return Promise.all(
        workers.map(({ worker }) => {
          worker.ref();
          return worker.terminate();
        }),
      );
    },
  };
}

/**
 * The worker's side of `workerPool`: `handle(task, init)` for each task, its return value
 * or its error (name, message, code) posted back. A TypeError goes back as one.
 * @param {(task: any, init: any) => unknown} handle
 */
export function serve(handle) {
  let init;
  parentPort.on('message', (message) => {
    if ('init' in message) {
      init = message.init;
      return;
    }
    const { seq, task } = message;
    try {
      parentPort.postMessage({ seq, result: handle(task, init) });
    } catch (error) {
      parentPort.postMessage({ seq, error: { name: error?.name, message: String(error?.message ?? error), code: error?.code } });
    }
  });
}
