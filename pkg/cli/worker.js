// A worker of `oscontainer check|upgrade` over many files (cli/run.js, pool.js): loads the
// package once, takes the settings of the run (sent once, before the tasks), then runs
// each task it is sent (cli/task.js) and posts the result back.

import * as api from '../node.js';
import { serve } from '../pool.js';
import { runTask } from './task.js';

serve((task, settings) => runTask(api, task, settings));
