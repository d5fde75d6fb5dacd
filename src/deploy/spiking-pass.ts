import { SNAP_COUNT } from '../core/reference/spiking-dense.js';
import type { NetworkSpec } from './network-spec.js';
import { readoutMembrane, readoutSpikes } from './readout.js';
import { SpikingNetwork, type SimulatorOptions } from './simulator.js';

/** Images as the pass reads them: NHWC rows of `size` values, u8 (scaled by 1/255) or f32 in [0, 1]. */
export interface PassImages {
  pixels: Uint8Array | Float32Array;
  count: number;
  size: number;
}

/** Results of a spiking pass over samples [start, end) (written into caller-owned arrays). */
export interface PassBuffers {
  /** [nSnap][count]: membrane read-out per snapshot and sample. */
  membrane: Int32Array;
  /** [nSnap][count]: spike-count read-out. */
  spikes: Int32Array;
  /** [layers][nSnap][SNAP_COUNT] counters summed over the samples run. */
  counters: Float64Array;
}

export function counterLength(spec: NetworkSpec, nSnap: number): number {
  return spec.layers.length * nSnap * SNAP_COUNT;
}

/** Runs samples [start, end) on `net`, writing read-outs and adding counters into `out`. */
export function runRange(net: SpikingNetwork, images: PassImages, start: number, end: number, out: PassBuffers): void {
  const nSnap = net.snapshotSteps.length;
  const scale = images.pixels instanceof Uint8Array ? 1 / 255 : 1;
  const last = net.layerCount - 1;
  const vThresh = net.spec.layers[last]!.vThresh;
  const counts = new Int32Array(net.spec.layers[last]!.output.c);
  for (let i = start; i < end; i++) {
    net.run(i, images.pixels.subarray(i * images.size, (i + 1) * images.size), scale);
    for (let s = 0; s < nSnap; s++) {
      net.outputCounts(s, counts);
      const v = net.outputMembranes(s);
      out.membrane[s * images.count + i] = readoutMembrane(counts, v, vThresh);
      out.spikes[s * images.count + i] = readoutSpikes(counts, v);
      for (let l = 0; l <= last; l++) {
        const c = net.counters(l, s);
        const base = (l * nSnap + s) * SNAP_COUNT;
        for (let j = 0; j < SNAP_COUNT; j++) out.counters[base + j] += c[j]!;
      }
    }
  }
}

/** Single-thread pass over every image. */
export function spikingPassSync(spec: NetworkSpec, images: PassImages, options: SimulatorOptions, onProgress?: (done: number) => void): PassBuffers {
  const net = new SpikingNetwork(spec, options);
  const nSnap = net.snapshotSteps.length;
  const out: PassBuffers = {
    membrane: new Int32Array(nSnap * images.count),
    spikes: new Int32Array(nSnap * images.count),
    counters: new Float64Array(counterLength(spec, nSnap)),
  };
  const chunk = 16;
  for (let a = 0; a < images.count; a += chunk) {
    const b = Math.min(images.count, a + chunk);
    runRange(net, images, a, b, out);
    onProgress?.(b);
  }
  return out;
}
