// What the library says about one build that was read, on the calling thread (folder.js)
// or on a worker thread (worker.js): the same function in both places.

import { checkBuild, checkRelease } from '../node.js';

/**
 * `{ report }` (checkBuild), or `{ checked }` (checkRelease) when `release` is given.
 * A TypeError (misuse) is thrown; the options were checked before any work.
 */
export function outcomeOf(docs, checkOptions, release) {
  if (release === undefined) return { report: checkBuild(docs, checkOptions) };
  return { checked: checkRelease(release, docs, checkOptions) };
}
