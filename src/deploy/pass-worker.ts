import { serveTasks } from '../parallel/serve-tasks.js';
import type { SampleRange } from '../parallel/range-pass.js';
import type { PassWorkerData } from './pass-pool.js';
import { SpikingNetwork } from './simulator.js';
import { counterLength, runRange, type PassBuffers } from './spiking-pass.js';

/** Worker side of the deployment pool: builds the spiking network once, then runs ranges of samples. */
serveTasks<PassWorkerData, SampleRange, void, never, Float64Array>((data) => {
  const pixels = data.pixelKind === 'u8' ? new Uint8Array(data.pixels) : new Float32Array(data.pixels);
  const net = new SpikingNetwork(data.spec, data.options);
  const out: PassBuffers = {
    membrane: new Int32Array(data.membrane),
    spikes: new Int32Array(data.spikes),
    counters: new Float64Array(counterLength(data.spec, data.options.snapshotSteps.length)),
  };
  const images = { pixels, count: data.count, size: data.size };
  return {
    run: ({ start, end }) => runRange(net, images, start, end, out),
    finish: () => out.counters,
  };
});
