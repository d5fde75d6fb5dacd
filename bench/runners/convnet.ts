/**
 * Runners for "convnet" and "convnet-tfjs-node" scenarios: the ConvNet (src/convnet/, default the reference net)
 * on TensorFlow.js. A repetition is one SGD pass over `images` training images in batches of `batch` (train) or
 * one inference pass over them (predict, batch-norm in eval mode), on the backend named by `backend`. Only
 * images/s is reported: a ConvNet has no synaptic events or neuron updates. "convnet-tfjs-node" is the same
 * runner, skipped when @tensorflow/tfjs-node cannot be loaded (it is an optional dependency).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/convnet/backend.js';
import { createConvNet, type ConvNet } from '../../src/convnet/model.js';
import { trainEpoch } from '../../src/convnet/train.js';
import { predict } from '../../src/convnet/inference.js';
import type { ImageSet } from '../../src/convnet/images.js';
import { loadDataset } from '../../src/data/load.js';
import type { PreparedRun, Runner, ScenarioParams } from '../harness.js';
import { cpuSecondsSince } from './dc-mnist.js';

export interface ConvNetParams {
  /** Architecture (`--arch`): reference | vgg-28 | vgg-64. */
  arch: string;
  /** Dataset spec whose first `images` training images are used (default mnist). */
  dataset: string;
  batch: number;
  images: number;
  /** TensorFlow.js backend: wasm, tensorflow (tfjs-node) or cpu (plain JS). */
  backend: 'wasm' | 'tensorflow' | 'cpu';
  train: boolean;
  seed: number;
}

export const paramsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['arch', 'batch', 'images', 'backend', 'train', 'seed'],
  properties: {
    arch: { enum: ['reference', 'vgg-28', 'vgg-64'] },
    dataset: { type: 'string', minLength: 1 },
    batch: { type: 'integer', minimum: 1, maximum: 4096 },
    images: { type: 'integer', minimum: 1, maximum: 60_000 },
    backend: { enum: ['wasm', 'tensorflow', 'cpu'] },
    train: { type: 'boolean' },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
  },
} as const;

/** SGD settings of the Deep-STDP loop's defaults (src/deepstdp/options.ts). */
const SGD = { learningRate: 0.05, momentum: 0.9, weightDecay: 1e-5, headMomentum: 0.9 };

/** Whether @tensorflow/tfjs-node loads here; a reason to skip otherwise. */
export async function tfjsNodeUnavailable(): Promise<string | null> {
  try {
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return null;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return `@tensorflow/tfjs-node is not installed or does not load (${why}); install it with: npm install @tensorflow/tfjs-node`;
  }
}

async function prepare(raw: ScenarioParams): Promise<PreparedRun> {
  const p = { dataset: 'mnist', ...raw } as unknown as ConvNetParams;
  const backend = await initBackend(p.backend);
  const model: ConvNet = createConvNet({ arch: p.arch, numClasses: 10, seed: p.seed });
  const data = loadDataset(p.dataset, 'train', { limit: p.images });
  const [h, w, c] = model.inputShape;
  if (data.shape.height !== h || data.shape.width !== w || data.shape.channels !== c) {
    model.dispose();
    throw new Error(`convnet ${p.arch} takes ${h}x${w}x${c} images; ${p.dataset} has ${data.shape.height}x${data.shape.width}x${data.shape.channels}`);
  }
  const images: ImageSet = { pixels: data.images, count: data.shape.count, shape: [h, w, c] };
  const labels = Int32Array.from(data.labels, (l) => l % 10);
  const order = Int32Array.from({ length: images.count }, (_, i) => i);
  return {
    info: { backend: backend.name, wasmBinary: backend.wasmBinary, wasmThreads: backend.wasmThreads, customKernels: backend.customKernels?.length ?? 0, tfjsVersion: backend.tfjsVersion, notes: backend.notes },
    run: async () => {
      const cpu0 = process.cpuUsage();
      let meanLoss = Number.NaN;
      if (p.train) meanLoss = (await trainEpoch(model, images, labels, order, { ...SGD, batchSize: p.batch })).meanLoss;
      else predict(model, images, p.batch);
      const cpuSeconds = cpuSecondsSince(cpu0);
      return {
        events: 0,
        neuronUpdates: 0,
        samples: images.count,
        extra: { samplesPerCpuSecond: cpuSeconds > 0 ? images.count / cpuSeconds : Number.NaN, ...(p.train ? { meanLoss } : {}), tensors: tf.memory().numTensors },
      };
    },
    dispose: () => model.dispose(),
  };
}

export const runner: Runner = {
  kind: 'convnet',
  paramsSchema: paramsSchema as unknown as Record<string, unknown>,
  prepare,
};

export const tfjsNodeRunner: Runner = {
  kind: 'convnet-tfjs-node',
  paramsSchema: paramsSchema as unknown as Record<string, unknown>,
  unavailable: tfjsNodeUnavailable,
  prepare,
};
