import { serveTasks } from '../parallel/serve-tasks.js';
import type { SampleRange } from '../parallel/range-pass.js';
import type { RangeTotals, WorkerData } from './eval-pool.js';
import { rebuildNetwork, respondRange, type PassStats } from './response-pass.js';

/** Worker side of the response pool: rebuilds the frozen network once, then answers ranges. */
serveTasks<WorkerData, SampleRange, RangeTotals, never, PassStats['counters']>((data) => {
  const images = data.imageKind === 'u8' ? new Uint8Array(data.images) : new Float32Array(data.images);
  const responses = new Uint32Array(data.responses);
  const net = rebuildNetwork(data.frozen);
  return {
    run: ({ start, end }) => {
      const nOut = net.preset.nNeurons;
      const view = responses.subarray(start * nOut, end * nOut);
      return respondRange(net, images, start, end, data.keyBase, view, 0);
    },
    finish: () => {
      const counters = net.counters();
      net.dispose();
      return counters;
    },
  };
});
