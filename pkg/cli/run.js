// `check` and `upgrade` over many files: every task through runTask (cli/task.js), on this
// thread for a few files, else on a pool of worker threads (pool.js, cli/worker.js) each
// loading the package once; what each file prints comes out in path order whatever the
// number of workers, and the totals for the command's summary.

import { workerPool } from '../pool.js';
import { err, out, plural, progress } from './output.js';
import { runTask } from './task.js';

/** Below this many files the main thread does the work: starting workers costs more. */
const WORKER_THRESHOLD = 64;
/** Tasks sent ahead to each worker, so that none waits for the main thread. */
const IN_FLIGHT = 4;

/**
 * Runs every task, calling `report(i, result)` in task order. Many files go to `jobs`
 * worker threads; a few are done here, since a worker takes 50-100 ms to start (a new V8
 * isolate, the package's modules, the .wasm).
 */
async function runAll(tasks, settings, jobs, report) {
  const results = new Array(tasks.length);
  let next = 0;
  const deliver = (index, result) => {
    results[index] = result;
    while (next < tasks.length && results[next] !== undefined) {
      report(next, results[next]);
      results[next] = null;
      next += 1;
    }
  };
  if (jobs === 1 || tasks.length < WORKER_THRESHOLD) {
    const api = await import('../node.js');
    tasks.forEach((task, i) => deliver(i, runTask(api, task, settings)));
    return;
  }
  // The settings go to each worker once; the tasks, IN_FLIGHT at a time per worker.
  const pool = workerPool(new URL('./worker.js', import.meta.url), Math.min(jobs, tasks.length), { init: settings, perWorker: IN_FLIGHT });
  try {
    await Promise.all(tasks.map((task, i) => pool.run(task).then((result) => deliver(i, result))));
  } finally {
    await pool.close();
  }
}

/**
 * Runs `check` or `upgrade` (`settings.command`) over `tasks`, printing each file's output
 * as it comes (json: one document at the end), with a progress line on a terminal.
 * Returns the totals: `{ files, errors, warnings, fixable, fileErrors, pathErrors, changed, invalid }`.
 */
export async function runFiles(tasks, settings, jobs) {
  const totals = { files: 0, errors: 0, warnings: 0, fixable: 0, fileErrors: 0, pathErrors: 0, changed: [], invalid: [] };
  const records = [];
  const bar = progress(tasks.length, settings.command === 'check' ? 'checking' : 'upgrading');
  await runAll(tasks, settings, jobs, (index, result) => {
    bar.clear();
    out(result.out);
    err(result.err);
    if (result.record !== undefined) records.push(result.record);
    if (result.fileError) totals.fileErrors += 1;
    else if (result.pathError) totals.pathErrors += 1;
    else totals.files += 1;
    totals.errors += result.errors;
    totals.warnings += result.warnings;
    totals.fixable += result.fixable;
    if (result.changed) totals.changed.push(tasks[index].path);
    if (result.invalid) totals.invalid.push(tasks[index].path);
    bar.draw(index + 1);
  });
  bar.clear();
  if (settings.format === 'json') out(`${JSON.stringify(records, null, 2)}\n`);
  return totals;
}

/** The end of the summary: the files that failed (`checked`/`upgraded`) and the paths that matched none. */
export function failures(totals, done) {
  const failed = [];
  if (totals.fileErrors > 0) failed.push(`${plural(totals.fileErrors, 'file')} could not be ${done}`);
  if (totals.pathErrors > 0) failed.push(`${plural(totals.pathErrors, 'path')} matched no files`);
  return failed;
}
