import { parentPort, workerData } from 'node:worker_threads';
import type { FromPassWorker, PassWorkerData, ToPassWorker } from './pass-pool.js';
import { SpikingNetwork } from './simulator.js';
import { counterLength, runRange, type PassBuffers } from './spiking-pass.js';

/** Worker side of the deployment pool: builds the spiking network once, then runs ranges of samples. */
const data = workerData as PassWorkerData;
const port = parentPort!;
const send = (msg: FromPassWorker) => port.postMessage(msg);

try {
  const pixels = data.pixelKind === 'u8' ? new Uint8Array(data.pixels) : new Float32Array(data.pixels);
  const net = new SpikingNetwork(data.spec, data.options);
  const out: PassBuffers = {
    membrane: new Int32Array(data.membrane),
    spikes: new Int32Array(data.spikes),
    counters: new Float64Array(counterLength(data.spec, data.options.snapshotSteps.length)),
  };
  const images = { pixels, count: data.count, size: data.size };
  port.on('message', (msg: ToPassWorker) => {
    try {
      if (msg.type === 'range') {
        runRange(net, images, msg.start, msg.end, out);
        send({ type: 'done', start: msg.start, end: msg.end });
      } else {
        send({ type: 'counters', counters: out.counters });
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
