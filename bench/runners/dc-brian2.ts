/**
 * Runner for "dc-brian2" scenarios: the Diehl & Cook training pass on the same images, once on our core and once
 * in Brian2 (C++ standalone, bench/peers/brian2.ts), within every repetition. Both sides start from fresh weights
 * and present every image once: Brian2's standalone binary cannot re-present an image, so our retry rule is off
 * here. The repetition's rates are our side's (wall clock); the extra numbers carry both sides' images/s (wall and
 * CPU time) and the ratios ours / Brian2's, wall with wall and CPU with CPU. Skipped when no Python imports brian2.
 */
import { loadavg } from 'node:os';
import type { Backend } from '../../src/core/layer.js';
import { WtaNetwork } from '../../src/snn/wta-network.js';
import { BRIAN2_INPUT_MODES, BRIAN2_INSTALL_HINT, BRIAN2_MODELS, findBrian2Python, runBrian2DiehlCook, type Brian2Result } from '../peers/brian2.js';
import { brian2ParamsFromPreset } from '../peers/brian2-params.js';
import type { PreparedRun, Runner, ScenarioParams } from '../harness.js';
import { cpuSecondsSince, dcMnistPreset, dcPass, dcWorkload, loadBenchImages, resolveDcMnistParams } from './dc-mnist.js';
import type { Counters } from '../../src/core/counters.js';

export interface DcBrian2Params {
  dataset: string;
  images: number;
  neurons: number;
  backend: Backend;
  seed: number;
  /** Brian2 script model: `core` (matches our core; the ratio) or `dc2015` (the published network). */
  model: (typeof BRIAN2_MODELS)[number];
  /** `poisson`: Brian2 draws inputs inside the timed loop, as we do; `generator`: drawn beforehand, untimed. */
  inputMode: (typeof BRIAN2_INPUT_MODES)[number];
  /** Limit for one Brian2 process (build + run), s. */
  timeoutS: number;
}

export const paramsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['dataset', 'images', 'neurons', 'backend', 'seed'],
  properties: {
    dataset: { type: 'string', minLength: 1 },
    images: { type: 'integer', minimum: 1, maximum: 10_000 },
    neurons: { type: 'integer', minimum: 1, maximum: 100_000 },
    backend: { enum: ['wasm', 'wasm-scalar', 'reference'] },
    seed: { type: 'integer', minimum: 0, maximum: 2147483000 },
    model: { enum: [...BRIAN2_MODELS] },
    inputMode: { enum: [...BRIAN2_INPUT_MODES] },
    timeoutS: { type: 'integer', minimum: 1 },
  },
} as const;

/** Why the peer cannot run here (with the install command), or null when a Python imports brian2. */
export async function brian2Unavailable(): Promise<string | null> {
  const found = await findBrian2Python();
  return found === null ? `Brian2 not installed (no Python here imports brian2); install it with: ${BRIAN2_INSTALL_HINT}` : null;
}

function describeBrian2(b: Brian2Result): Record<string, unknown> {
  return {
    brian2Version: b.brian2Version,
    python: b.python,
    pythonVersion: b.pythonVersion,
    numpyVersion: b.numpyVersion,
    device: b.device,
    brian2Threads: b.threads,
    compileArgs: b.compileArgs,
    brian2Command: b.command.join(' '),
  };
}

/** What the runner calls for the peer side (injectable, so tests can run without Brian2). */
export interface DcBrian2Deps {
  runPeer: typeof runBrian2DiehlCook;
  unavailable: () => Promise<string | null> | string | null;
}

export function makeDcBrian2Runner(deps: DcBrian2Deps = { runPeer: runBrian2DiehlCook, unavailable: brian2Unavailable }): Runner {
  return {
    kind: 'dc-brian2',
    paramsSchema: paramsSchema as unknown as Record<string, unknown>,
    unavailable: deps.unavailable,
    prepare(raw: ScenarioParams): PreparedRun {
      const p = { model: 'core', inputMode: 'poisson', timeoutS: 1800, ...raw } as unknown as DcBrian2Params;
      const dc = resolveDcMnistParams({ dataset: p.dataset, images: p.images, neurons: p.neurons, learn: true, retry: false, backend: p.backend, seed: p.seed });
      const images = loadBenchImages(p.dataset, p.images);
      if (!(images.pixels instanceof Uint8Array)) throw new Error(`dc-brian2: dataset ${p.dataset} is not 8-bit images; the Brian2 script reads uint8 pixels`);
      const pixels = images.pixels;
      const preset = dcMnistPreset(dc, images.nIn);
      const mapping = brian2ParamsFromPreset(preset);
      let repetition = 0;
      let last: Counters | null = null;
      // The harness keeps this object and writes it out after the runs, so what Brian2 ran with is added as it runs.
      const info: Record<string, unknown> = {
        model: p.model,
        inputMode: p.inputMode,
        images: images.count,
        dataset: images.name,
        brian2Params: mapping.params,
        differences: mapping.differences,
        retryRule: 'off on both sides (Brian2 standalone presents every image once)',
      };
      return {
        info,
        run: async () => {
          const seed = p.seed + repetition++;
          // Ours: a fresh network (like Brian2's fresh binary run); building and initialising it is not timed.
          const net = new WtaNetwork(preset, seed, p.backend);
          let ours: { wall: number; cpu: number; spikes: number; counters: Counters };
          try {
            net.initialise();
            net.resetCounters();
            const cpu0 = process.cpuUsage();
            const t0 = performance.now();
            const r = dcPass(net, images, true);
            const wall = (performance.now() - t0) / 1000;
            ours = { wall, cpu: cpuSecondsSince(cpu0), spikes: r.spikes, counters: net.counters() };
          } finally {
            net.dispose();
          }
          last = ours.counters;
          const load1m = loadavg()[0]!;
          const b = await deps.runPeer({
            images: pixels,
            count: images.count,
            inputs: images.nIn,
            neurons: p.neurons,
            seed,
            timeoutMs: p.timeoutS * 1000,
            model: p.model,
            inputMode: p.inputMode,
            learning: true,
            ...(p.model === 'core' ? { params: mapping.params } : {}),
          });
          if (b.skipped) throw new Error(`Brian2 peer ${b.cause}: ${b.reason}`);
          Object.assign(info, describeBrian2(b));
          const n = images.count;
          const oursWall = n / ours.wall;
          const oursCpu = n / ours.cpu;
          return {
            events: ours.counters.synapticEvents,
            neuronUpdates: ours.counters.neuronUpdates,
            samples: n,
            seconds: ours.wall,
            extra: {
              oursImagesPerSecond: oursWall,
              oursImagesPerCpuSecond: oursCpu,
              brian2ImagesPerSecond: b.imagesPerSecond,
              brian2ImagesPerCpuSecond: b.imagesPerCpuSecond,
              ratioWall: oursWall / b.imagesPerSecond,
              ratioCpu: oursCpu / b.imagesPerCpuSecond,
              oursSpikesPerImage: ours.spikes / n,
              brian2SpikesPerImage: b.spikesPerImage,
              oursInputSpikesPerImage: ours.counters.inputSpikes / n,
              brian2InputSpikesPerImage: b.inputSpikesPerImage,
              brian2BuildSeconds: b.buildSeconds,
              brian2SetupSeconds: b.setupSeconds,
              loadAverage1m: load1m,
            },
          };
        },
        workload: () => dcWorkload(`bench dc-brian2 ${preset.nNeurons} neurons train (ours)`, preset, images.count, last!),
      };
    },
  };
}

export const runner: Runner = makeDcBrian2Runner();
