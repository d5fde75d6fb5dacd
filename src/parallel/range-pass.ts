import { WorkerPool } from './worker-pool.js';

/** A range of samples [start, end): the task a pass over a data set hands one worker at a time. */
export interface SampleRange {
  start: number;
  end: number;
}

export interface RangePassOptions<R> {
  /** The worker module; its TaskServer runs one SampleRange per task. */
  entry: URL;
  workerData: unknown;
  threads: number;
  /** Starts error messages, e.g. 'deploy worker'. */
  name: string;
  /** Samples 0..count, handed out `chunk` at a time. */
  count: number;
  chunk: number;
  /** Samples done so far, as ranges finish. */
  onProgress?: (done: number) => void;
  /** Each range's result as it finishes. */
  onRange?: (result: R, range: SampleRange) => void;
  signal?: AbortSignal;
}

/**
 * One pass over samples 0..count on worker threads, in ranges of `chunk` samples (small enough that
 * uneven ranges still keep every thread busy). Returns each worker's summary (TaskServer.finish).
 */
export async function rangePass<R, F>(options: RangePassOptions<R>): Promise<F[]> {
  const ranges: SampleRange[] = [];
  for (let start = 0; start < options.count; start += options.chunk) ranges.push({ start, end: Math.min(options.count, start + options.chunk) });
  const { entry, workerData, threads, name, signal } = options;
  const pool = new WorkerPool<SampleRange, R, never, F>({ entry, workerData, threads, name, signal });
  let done = 0;
  try {
    await pool.run(ranges, {
      onResult: (result, range) => {
        done += range.end - range.start;
        options.onRange?.(result, range);
        options.onProgress?.(done);
      },
    });
    return await pool.close();
  } finally {
    await pool.dispose();
  }
}
