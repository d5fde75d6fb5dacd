/**
 * ConvNet throughput benchmark: training and inference images/s of an architecture (default: the
 * reference net, 28x28x1, batch 64, SGD with momentum) on the wasm backend, and on the JS cpu
 * backend for contrast (fewer images). Each figure is the median of >= 5 timed runs after a
 * warm-up run, with min and max.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/convnet.js [--arch reference] [--batch 64] [--runs 7]
 *       [--train-images 1280] [--infer-images 2560] [--cpu-images 128] [--backends wasm,cpu]
 *       [--profile] [--out bench-convnet.json]
 *
 * Goals (issue: PyTorch 1.13 on one CPU thread of these machines trains the reference net at ~890
 * images/s and infers at ~1850 images/s): wasm training >= 445 images/s, inference >= 1295 images/s.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendInfo } from '../src/convnet/backend.js';
import { createConvNet, forwardLogits } from '../src/convnet/model.js';
import { trainEpoch } from '../src/convnet/train.js';
import { predict } from '../src/convnet/inference.js';
import type { ImageSet } from '../src/convnet/images.js';
import { Rng } from '../src/convnet/random.js';
import { requireInteger, requireOneOf } from '../src/errors.js';
import { writeJsonAtomic } from '../src/report/atomic.js';
import { runInfo } from '../src/report/run-info.js';

const PYTORCH_TRAIN = 890;
const PYTORCH_INFER = 1850;

interface Stats { median: number; min: number; max: number; runs: number[] }

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: values };
}

function syntheticImages(count: number, shape: [number, number, number], classes: number): { images: ImageSet; labels: Int32Array } {
  const rng = new Rng(1, 'bench');
  const pixels = new Uint8Array(count * shape[0] * shape[1] * shape[2]);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextUint32() & 255;
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = rng.nextUint32() % classes;
  return { images: { pixels, count, shape }, labels };
}

async function benchBackend(
  backend: string, arch: string, batch: number, runs: number, trainImages: number, inferImages: number,
): Promise<{ backend: BackendInfo; train: Stats; infer: Stats }> {
  const info = await initBackend(backend);
  const model = createConvNet({ arch, numClasses: 10, seed: 1 });
  const { images, labels } = syntheticImages(Math.max(trainImages, inferImages), model.inputShape, 10);
  const order = Int32Array.from({ length: trainImages }, (_, i) => i);
  const sgd = { learningRate: 0.01, momentum: 0.9, weightDecay: 1e-5, batchSize: batch, headMomentum: 0.9 };
  const inferSet: ImageSet = { pixels: images.pixels, count: inferImages, shape: images.shape };
  await trainEpoch(model, images, labels, order.subarray(0, Math.min(trainImages, 2 * batch)), sgd); // warm-up
  predict(model, { ...inferSet, count: Math.min(inferImages, 2 * batch) }, batch);
  const train: number[] = [];
  const infer: number[] = [];
  for (let r = 0; r < runs; r++) {
    const result = await trainEpoch(model, images, labels, order, sgd);
    train.push(result.imagesPerSecond);
    const t0 = performance.now();
    predict(model, inferSet, batch);
    infer.push(inferImages / ((performance.now() - t0) / 1000));
  }
  model.dispose();
  return { backend: info, train: stats(train), infer: stats(infer) };
}

/** Time per kernel (exclusive of nested kernels) over a few training steps. */
async function profileStep(arch: string, batch: number): Promise<Array<{ kernel: string; ms: number }>> {
  const model = createConvNet({ arch, numClasses: 10, seed: 1 });
  const [h, w, c] = model.inputShape;
  const x = tf.randomUniform([batch, h, w, c]) as tf.Tensor4D;
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32'), 10);
  const vars = model.trainableVariables();
  const step = (): void => tf.tidy(() => {
    const { value } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, forwardLogits(model, x, 'train')) as tf.Scalar, vars);
    value.dataSync();
  });
  step();
  const engine = tf.engine() as unknown as { runKernelFunc: (args: { kernelName?: string; inputs?: Record<string, tf.TensorInfo> }) => unknown };
  const original = engine.runKernelFunc.bind(engine);
  const totals = new Map<string, number>();
  const stack: number[] = [];
  engine.runKernelFunc = (args) => {
    stack.push(0);
    const t0 = performance.now();
    const out = original(args);
    const elapsed = performance.now() - t0;
    const nested = stack.pop()!;
    if (stack.length > 0) stack[stack.length - 1]! += elapsed;
    const first = Object.values(args.inputs ?? {})[0];
    const key = `${args.kernelName ?? 'customGrad'} ${first ? JSON.stringify(first.shape) : ''}`;
    totals.set(key, (totals.get(key) ?? 0) + elapsed - nested);
    return out;
  };
  const reps = 5;
  try {
    for (let i = 0; i < reps; i++) step();
  } finally {
    engine.runKernelFunc = original;
  }
  tf.dispose([x, y]);
  model.dispose();
  return [...totals.entries()].map(([kernel, ms]) => ({ kernel, ms: ms / reps })).sort((a, b) => b.ms - a.ms);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      arch: { type: 'string', default: 'reference' },
      batch: { type: 'string', default: '64' },
      runs: { type: 'string', default: '7' },
      'train-images': { type: 'string', default: '1280' },
      'infer-images': { type: 'string', default: '2560' },
      'cpu-images': { type: 'string', default: '128' },
      backends: { type: 'string', default: 'wasm,cpu' },
      profile: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const batch = requireInteger('batch', Number(values.batch), 1);
  const runs = requireInteger('runs', Number(values.runs), 5);
  const trainImages = requireInteger('train-images', Number(values['train-images']), 1);
  const inferImages = requireInteger('infer-images', Number(values['infer-images']), 1);
  const cpuImages = requireInteger('cpu-images', Number(values['cpu-images']), 1);
  const backends = values.backends!.split(',').map((b) => requireOneOf('backends', b, ['wasm', 'cpu', 'tensorflow'] as const));
  const results: Record<string, unknown> = {};
  const fmt = (s: Stats): string => `${s.median.toFixed(0).padStart(6)}  (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)})`;
  console.log(`ConvNet benchmark: arch ${values.arch}, batch ${batch}, SGD momentum, ${runs} runs (median, min, max images/s)`);
  for (const backend of backends) {
    const small = backend === 'cpu';
    const r = await benchBackend(backend, values.arch!, batch, runs, small ? cpuImages : trainImages, small ? cpuImages : inferImages);
    results[backend] = r;
    const extra = r.backend.name === 'wasm' ? ` [${r.backend.wasmBinary}, ${r.backend.wasmThreads} thread]` : '';
    console.log(`${backend}${extra}`);
    console.log(`  training   ${fmt(r.train)}`);
    console.log(`  inference  ${fmt(r.infer)}`);
    if (backend === 'wasm' && values.arch === 'reference') {
      console.log(`  vs PyTorch 1 thread: training ${(r.train.median / PYTORCH_TRAIN).toFixed(2)}x of ${PYTORCH_TRAIN} (goal 0.5x), ` +
        `inference ${(r.infer.median / PYTORCH_INFER).toFixed(2)}x of ${PYTORCH_INFER} (goal 0.7x)`);
    }
  }
  if (values.profile) {
    await initBackend(backends[0]);
    const profile = await profileStep(values.arch!, batch);
    results.profile = profile;
    console.log(`time per training step by kernel (${backends[0]}, exclusive, ms):`);
    for (const p of profile.slice(0, 20)) console.log(`  ${p.ms.toFixed(2).padStart(7)}  ${p.kernel}`);
  }
  if (values.out !== undefined) {
    writeJsonAtomic(values.out, { ...runInfo('bench/convnet', values as Record<string, unknown>, 1), results });
    console.log(`wrote ${values.out}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
