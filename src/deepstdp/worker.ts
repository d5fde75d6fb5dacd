import { parentPort, workerData } from 'node:worker_threads';
import { ValidationError } from '../errors.js';
import { loadHwModels } from './energy.js';
import { runDeepStdp } from './run.js';
import type { FromRunWorker, RunWorkerData, ToRunWorker } from './pool.js';

/** Worker side of the run pool: one run (method x seed) of the loop, events relayed to the main thread. */
const data = workerData as RunWorkerData;
const port = parentPort!;
const send = (msg: FromRunWorker) => port.postMessage(msg);
const controller = new AbortController();
port.on('message', (msg: ToRunWorker) => {
  if (msg.type === 'abort') controller.abort(new Error('interrupted'));
});

try {
  const hwModels = loadHwModels(data.hwModels);
  const result = await runDeepStdp(data.spec, data.data, {
    hwModels,
    signal: controller.signal,
    onPhase: (epoch, phase, total) => {
      send({ type: 'phase', epoch, phase, total });
      return (done, metric) => send({ type: 'progress', done, ...(metric !== undefined ? { metric } : {}) });
    },
    onEpoch: (record) => send({ type: 'epoch', record }),
    log: (line) => send({ type: 'log', line }),
  });
  send({ type: 'done', result });
} catch (err) {
  const e = err as Error;
  send({
    type: 'error',
    message: e.message,
    ...(e.stack ? { stack: e.stack } : {}),
    aborted: controller.signal.aborted,
    ...(err instanceof ValidationError ? { validation: { field: err.field, value: String(err.value), allowed: err.allowed } } : {}),
  });
} finally {
  port.close();
}
