/**
 * ConvNet throughput benchmark: training and inference images/s of an architecture (default: the
 * reference net, 28x28x1, batch 64, SGD with momentum) on the wasm backend, and on the JS cpu
 * backend for contrast (fewer images). Each figure is the median of >= 5 timed runs after a
 * warm-up run, with min and max, in wall-clock images/s and in images per CPU-second of this
 * process (user + system time; the backends run on one thread, so this is what one dedicated core
 * sustains, and it is robust to other processes competing for the CPU).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/convnet.js [--arch reference] [--batch 64] [--runs 7]
 *       [--train-images 1280] [--infer-images 2560] [--cpu-images 64] [--backends wasm,cpu]
 *       [--profile] [--kernels] [--tfjs-plain] [--out bench-convnet.json]
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
import { copyStatistics, replacedWasmKernel, resetCopyStatistics } from '../src/convnet/wasm-kernels.js';
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
): Promise<{ backend: BackendInfo; train: Stats; infer: Stats; trainCpu: Stats; inferCpu: Stats }> {
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
  const trainCpu: number[] = [];
  const inferCpu: number[] = [];
  const cpuSeconds = (since: NodeJS.CpuUsage): number => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1e6;
  };
  for (let r = 0; r < runs; r++) {
    let c0 = process.cpuUsage();
    const result = await trainEpoch(model, images, labels, order, sgd);
    trainCpu.push(trainImages / cpuSeconds(c0));
    train.push(result.imagesPerSecond);
    c0 = process.cpuUsage();
    const t0 = performance.now();
    predict(model, inferSet, batch);
    infer.push(inferImages / ((performance.now() - t0) / 1000));
    inferCpu.push(inferImages / cpuSeconds(c0));
  }
  model.dispose();
  return { backend: info, train: stats(train), infer: stats(infer), trainCpu: stats(trainCpu), inferCpu: stats(inferCpu) };
}

/** Time per kernel (exclusive of nested kernels) over a few training steps. */
async function profileStep(arch: string, batch: number): Promise<{ kernels: Array<{ kernel: string; ms: number }>; copies: { megabytesPerStep: number; msPerStep: number } }> {
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
  resetCopyStatistics();
  try {
    for (let i = 0; i < reps; i++) step();
  } finally {
    engine.runKernelFunc = original;
  }
  const copied = copyStatistics();
  tf.dispose([x, y]);
  model.dispose();
  return {
    kernels: [...totals.entries()].map(([kernel, ms]) => ({ kernel, ms: ms / reps })).sort((a, b) => b.ms - a.ms),
    copies: { megabytesPerStep: (copied.bytesIn + copied.bytesOut) / 1e6 / reps, msPerStep: copied.milliseconds / reps },
  };
}

/**
 * CPU milliseconds (median of 7 runs of 3 calls) of tfjs-wasm's own kernels and of their
 * replacements, on the reference net's largest shapes at batch 64.
 */
async function compareKernels(): Promise<Array<{ kernel: string; tfjsMs: number | null; oursMs: number }>> {
  await initBackend('wasm');
  const backend = tf.backend();
  const cpuMs = (f: () => void): number => {
    f();
    const runs: number[] = [];
    for (let r = 0; r < 7; r++) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < 3; i++) f();
      const d = process.cpuUsage(c0);
      runs.push((d.user + d.system) / 3000);
    }
    return stats(runs).median;
  };
  /** Runs a kernel function directly (tfjs's replaced one, or ours through the engine) and frees its outputs. */
  const direct = (name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown>): (() => void) | null => {
    const config = replacedWasmKernel(name);
    if (config === undefined) return null;
    // Unregistered before the backend started, so tfjs never ran its setup (cwrap of the C++ entry).
    config.setupFunc?.(backend);
    return () => {
      const out = config.kernelFunc({ inputs, backend, attrs } as unknown as Parameters<tf.KernelFunc>[0]);
      for (const t of Array.isArray(out) ? out : [out]) backend.disposeData(t.dataId);
    };
  };
  const viaEngine = (name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown>) => () => {
    tf.dispose(tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[]);
  };
  const x1 = tf.randomNormal([64, 28, 28, 32]);
  const dyPool = tf.randomNormal([64, 14, 14, 32]);
  const x2 = tf.randomNormal([64, 14, 14, 32]);
  const w2 = tf.randomNormal([3, 3, 32, 64]);
  const b2 = tf.randomNormal([64]);
  const dy2 = tf.randomNormal([64, 14, 14, 64]);
  const pooled = tf.maxPool(x1 as tf.Tensor4D, 2, 2, 'valid');
  const conv = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC' };
  const pool = { filterSize: 2, strides: 2, pad: 'valid' };
  const rows: Array<[string, (() => void) | null, () => void]> = [
    ['Conv2DBackpropFilter x[64,14,14,32] dy[64,14,14,64]', null,
      viaEngine('Conv2DBackpropFilter', { x: x2, dy: dy2 }, { ...conv, filterShape: [3, 3, 32, 64] })],
    ['Conv2DBackpropInput dy[64,14,14,64] -> [64,14,14,32]', direct('Conv2DBackpropInput', { dy: dy2, filter: w2 }, { ...conv, inputShape: [64, 14, 14, 32] }),
      viaEngine('Conv2DBackpropInput', { dy: dy2, filter: w2 }, { ...conv, inputShape: [64, 14, 14, 32] })],
    ['conv forward + bias + ReLU [64,14,14,32] -> 64', viaEngine('FusedConv2D', { x: x2, filter: w2, bias: b2 }, { ...conv, dilations: [1, 1], activation: 'relu' }),
      viaEngine('DeepStdpConv2D', { x: x2, filter: w2, bias: b2 }, { pad: 'same', relu: true })],
    ['MaxPoolGrad [64,28,28,32]', direct('MaxPoolGrad', { dy: dyPool, input: x1, output: pooled }, pool),
      viaEngine('MaxPoolGrad', { dy: dyPool, input: x1, output: pooled }, pool)],
    ['AvgPoolGrad [64,28,28,32]', direct('AvgPoolGrad', { dy: dyPool, input: x1 }, pool),
      viaEngine('AvgPoolGrad', { dy: dyPool, input: x1 }, pool)],
    ['sum over N,H,W of [64,28,28,32]', () => tf.tidy(() => { tf.sum(x1, [0, 1, 2]); }),
      viaEngine('DeepStdpChannelSum', { x: x1 }, {})],
    ['Identity (clone) [64,28,28,32]', direct('Identity', { x: x1 }, {}), viaEngine('Identity', { x: x1 }, {})],
  ];
  const result = rows.map(([kernel, theirs, ours]) => ({ kernel, tfjsMs: theirs === null ? null : cpuMs(theirs), oursMs: cpuMs(ours) }));
  tf.dispose([x1, dyPool, x2, w2, b2, dy2, pooled]);
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      arch: { type: 'string', default: 'reference' },
      batch: { type: 'string', default: '64' },
      runs: { type: 'string', default: '7' },
      'train-images': { type: 'string', default: '1280' },
      'infer-images': { type: 'string', default: '2560' },
      'cpu-images': { type: 'string', default: '64' },
      backends: { type: 'string', default: 'wasm,cpu' },
      profile: { type: 'boolean', default: false },
      kernels: { type: 'boolean', default: false },
      'tfjs-plain': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const batch = requireInteger('batch', Number(values.batch), 1);
  const runs = requireInteger('runs', Number(values.runs), 5);
  const trainImages = requireInteger('train-images', Number(values['train-images']), 1);
  const inferImages = requireInteger('infer-images', Number(values['infer-images']), 1);
  const cpuImages = requireInteger('cpu-images', Number(values['cpu-images']), 1);
  const backends = values.backends!.split(',').filter((b) => b !== '').map((b) => requireOneOf('backends', b, ['wasm', 'cpu', 'tensorflow'] as const));
  if (values['tfjs-plain']) {
    // Measure tfjs-backend-wasm's non-SIMD binary (this project's kernels stay SIMD). The flag
    // exists once the backend package is loaded.
    await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_SIMD_SUPPORT', false);
  }
  const results: Record<string, unknown> = {};
  const num = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
  const fmt = (s: Stats): string => `${num(s.median).padStart(6)}  (min ${num(s.min)}, max ${num(s.max)})`;
  console.log(`ConvNet benchmark: arch ${values.arch}, batch ${batch}, SGD momentum, ${runs} runs (median, min, max images/s)`);
  for (const backend of backends) {
    const small = backend === 'cpu';
    const r = await benchBackend(backend, values.arch!, batch, runs, small ? cpuImages : trainImages, small ? cpuImages : inferImages);
    results[backend] = r;
    const extra = r.backend.name === 'wasm' ? ` [${r.backend.wasmBinary}, ${r.backend.wasmThreads} thread]` : '';
    console.log(`${backend}${extra}`);
    console.log(`  training   ${fmt(r.train)}   per CPU-second ${fmt(r.trainCpu)}`);
    console.log(`  inference  ${fmt(r.infer)}   per CPU-second ${fmt(r.inferCpu)}`);
    if (backend === 'wasm' && values.arch === 'reference') {
      console.log(`  vs PyTorch 1 thread: training ${(r.train.median / PYTORCH_TRAIN).toFixed(2)}x of ${PYTORCH_TRAIN} (goal 0.5x), ` +
        `inference ${(r.infer.median / PYTORCH_INFER).toFixed(2)}x of ${PYTORCH_INFER} (goal 0.7x)`);
    }
  }
  if (values.profile) {
    const profiled = backends[0] ?? 'wasm';
    await initBackend(profiled);
    const profile = await profileStep(values.arch!, batch);
    results.profile = profile;
    console.log(`time per training step by kernel (${profiled}, exclusive, ms):`);
    for (const p of profile.kernels.slice(0, 20)) console.log(`  ${p.ms.toFixed(2).padStart(7)}  ${p.kernel}`);
    console.log(`copies between the tfjs heap and tfjs-kernels.wasm: ${profile.copies.megabytesPerStep.toFixed(1)} MB, ` +
      `${profile.copies.msPerStep.toFixed(2)} ms per step`);
  }
  if (values.kernels) {
    const rows = await compareKernels();
    results.kernels = rows;
    console.log('kernels, CPU ms per call (median of 7 x 3 calls): tfjs-backend-wasm vs this project');
    for (const r of rows) {
      const theirs = r.tfjsMs === null ? 'missing' : r.tfjsMs.toFixed(2);
      const ratio = r.tfjsMs === null ? '' : `  x${(r.tfjsMs / r.oursMs).toFixed(1)}`;
      console.log(`  ${r.kernel.padEnd(52)} ${theirs.padStart(8)}  ${r.oursMs.toFixed(2).padStart(8)}${ratio}`);
    }
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
