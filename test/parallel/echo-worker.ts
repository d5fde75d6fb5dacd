// A worker for the pool tests: doubles numbers, after a delay, and fails or hangs when told to.
import { isMainThread } from 'node:worker_threads';
import { serveTasks } from '../../src/parallel/serve-tasks.js';

export interface EchoTask {
  value: number;
  /** Milliseconds to block before answering. */
  delay?: number;
  /** Throw this message instead of answering. */
  fail?: string;
  /** Never answer (until terminated). */
  hang?: boolean;
}

export interface EchoData {
  failSetup?: string;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);

// The test runner imports every file under test/parallel/ as well; only a worker serves.
if (!isMainThread) serveTasks<EchoData, EchoTask, number, number, number>((data) => {
  if (data.failSetup) throw new Error(data.failSetup);
  let ran = 0;
  return {
    run: (task, progress) => {
      if (task.hang) for (;;) sleep(1000);
      if (task.delay) sleep(task.delay);
      if (task.fail) throw new Error(task.fail);
      progress(task.value);
      ran += 1;
      return task.value * 2;
    },
    finish: () => ran,
  };
});
