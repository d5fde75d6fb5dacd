import { serveTasks } from '../parallel/serve-tasks.js';
import { runPoint, type PointOutcome, type PointTask } from './point.js';
import type { PointStatus } from './pool.js';
import type { WorkloadData } from './workload.js';

/** Worker side of the point pool: runs the points it is handed, one at a time. */
serveTasks<WorkloadData, PointTask, PointOutcome, PointStatus>((data) => ({
  run: (task, progress) => {
    let last = 0;
    return runPoint(data, task, (phase, done, total) => {
      // Progress is for a human: a few messages a second are enough.
      const now = performance.now();
      if (now - last < 250 && done < total) return;
      last = now;
      progress({ phase, done, total });
    });
  },
  transfer: (outcome) => [outcome.weights.buffer as ArrayBuffer, outcome.probeResponses.buffer as ArrayBuffer],
}));
