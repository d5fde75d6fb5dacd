import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { workerEntry } from '../../src/parallel/start-worker.js';
import { WorkerPool } from '../../src/parallel/worker-pool.js';
import type { EchoData, EchoTask } from './echo-worker.js';

const entry = workerEntry(import.meta.url, 'echo-worker');

function echoPool(threads: number, data: EchoData = {}, signal?: AbortSignal) {
  return new WorkerPool<EchoTask, number, number, number>({
    entry,
    workerData: data,
    threads,
    name: 'echo worker',
    describe: (task) => `task ${task.value}`,
    signal,
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => assert.unreachable('should reject') as never,
    (err: Error) => err,
  );
}

test('workerEntry picks the worker module with the caller’s extension', () => {
  assert.is(workerEntry('file:///a/src/x/pool.ts', 'w').href, 'file:///a/src/x/w.ts');
  assert.is(workerEntry('file:///a/dist/src/x/pool.js', 'w').href, 'file:///a/dist/src/x/w.js');
});

test('results come in task order whatever order the tasks finish in', async () => {
  const pool = echoPool(2);
  try {
    // The first task is slow enough for the other worker to start and run every later one first.
    const tasks: EchoTask[] = [1, 2, 3, 4, 5, 6].map((value) => ({ value, delay: value === 1 ? 800 : 10 }));
    const finishing: number[] = [];
    const progress: number[] = [];
    const results = await pool.run(tasks, {
      onResult: (result, task, index) => {
        assert.is(result, task.value * 2);
        assert.is(tasks[index], task);
        finishing.push(task.value);
      },
      onProgress: (p) => progress.push(p),
    });
    assert.equal(results, [2, 4, 6, 8, 10, 12]);
    assert.not.equal(finishing, [1, 2, 3, 4, 5, 6], 'tasks finished out of order');
    assert.equal([...finishing].sort(), [1, 2, 3, 4, 5, 6]);
    assert.equal([...progress].sort(), [1, 2, 3, 4, 5, 6]);
    assert.equal(await pool.run([{ value: 10 }]), [20], 'a pool runs again');
    const ran = await pool.close();
    assert.is(ran.length, 2, 'one summary per worker');
    assert.is(ran[0]! + ran[1]!, 7);
  } finally {
    await pool.dispose();
  }
  assert.is(pool.liveWorkers, 0);
});

test('a failed task rejects with the worker’s message, naming the task', async () => {
  const pool = echoPool(2);
  try {
    const err = await rejection(pool.run([{ value: 1 }, { value: 2, fail: 'boom' }, { value: 3 }]));
    assert.is(err.message, 'echo worker (task 2): boom');
    assert.match(err.stack ?? '', 'echo-worker', 'the stack is the worker’s');
    assert.is((await rejection(pool.run([{ value: 1 }]))).message, 'echo worker (task 2): boom', 'the pool stays failed');
  } finally {
    await pool.dispose();
  }
  assert.is(pool.liveWorkers, 0);
});

test('a failed setup rejects without naming a task', async () => {
  const pool = echoPool(2, { failSetup: 'no data' });
  try {
    assert.is((await rejection(pool.run([{ value: 1 }]))).message, 'echo worker: no data');
  } finally {
    await pool.dispose();
  }
});

test('a rejected onResult fails the run', async () => {
  const pool = echoPool(2);
  try {
    const run = pool.run([{ value: 1 }, { value: 2 }], { onResult: async () => Promise.reject(new Error('cannot save')) });
    assert.is((await rejection(run)).message, 'cannot save');
  } finally {
    await pool.dispose();
  }
});

test('the abort signal terminates the workers and rejects with its reason', async () => {
  const controller = new AbortController();
  const pool = echoPool(2, {}, controller.signal);
  try {
    const run = pool.run([{ value: 1 }, { value: 2, hang: true }, { value: 3, hang: true }], { onResult: () => controller.abort(new Error('stop')) });
    assert.is((await rejection(run)).message, 'stop');
  } finally {
    await pool.dispose();
  }
  assert.is(pool.liveWorkers, 0);
});

test('dispose terminates busy workers and rejects what is pending', async () => {
  const pool = echoPool(2);
  const run = pool.run([{ value: 1, hang: true }, { value: 2, hang: true }], { onProgress: () => {} });
  const failed = rejection(run);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.is(pool.liveWorkers, 2);
  await pool.dispose();
  assert.is((await failed).message, 'echo worker pool disposed');
  assert.is(pool.liveWorkers, 0);
  assert.is((await rejection(pool.run([{ value: 1 }]))).message, 'echo worker pool disposed');
});

test.run();
