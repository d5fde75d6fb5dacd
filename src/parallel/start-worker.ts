import { Worker } from 'node:worker_threads';

/**
 * The worker module `name` next to the calling module, with the caller's own extension: the compiled
 * .js when running from dist/, the .ts source under tests and `tsx`.
 */
export function workerEntry(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}

/**
 * Starts a worker on `entry`: a .js module directly; a .ts module through a small bootstrap that
 * registers tsx's loader in the worker first (Node 20 does not pass `--import tsx` on to workers).
 */
export function startWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.href.endsWith('.ts')) return new Worker(entry, { workerData });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
