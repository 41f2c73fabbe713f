// A worker thread of checkBuildsDir (sources/folder.js, options.jobs > 1; pool.js): checks
// the builds the main thread read, with its own instance of the package, and sends back
// what the library says (outcome.js). A TypeError (misuse; the options were checked before
// any work) goes back as one.

import { serve } from '../pool.js';
import { outcomeOf } from './outcome.js';

serve(({ docs, checkOptions, release }) => outcomeOf(docs, checkOptions, release));
