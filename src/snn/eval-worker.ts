import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerData } from './eval-pool.js';
import { rebuildNetwork, respondRange } from './response-pass.js';

/** Worker side of the response pool: rebuilds the frozen network once, then answers ranges. */
const data = workerData as WorkerData;
const port = parentPort!;
const send = (msg: FromWorker) => port.postMessage(msg);

try {
  const images = data.imageKind === 'u8' ? new Uint8Array(data.images) : new Float32Array(data.images);
  const responses = new Uint32Array(data.responses);
  const net = rebuildNetwork(data.frozen);
  port.on('message', (msg: ToWorker) => {
    try {
      if (msg.type === 'range') {
        const nOut = net.preset.nNeurons;
        const view = responses.subarray(msg.start * nOut, msg.end * nOut);
        const r = respondRange(net, images, msg.start, msg.end, data.keyBase, view, 0);
        send({ type: 'done', start: msg.start, end: msg.end, ...r });
      } else {
        send({ type: 'counters', counters: net.counters() });
        net.dispose();
        port.close();
      }
    } catch (err) {
      send({ type: 'error', message: (err as Error).message, stack: (err as Error).stack });
    }
  });
  send({ type: 'ready' });
} catch (err) {
  send({ type: 'error', message: (err as Error).message, stack: (err as Error).stack });
}
