/**
 * One fidelity point: train the workload's network from the seed's float initial weights with the
 * point's weight store, then freeze it and read its responses. Runs in a worker thread (or inline).
 *
 * Same workload, same seed, same input spikes: every point of a seed starts from the float network's
 * initial weights (rounded to the point's store with the point's rounding mode), trains on the same
 * images in the same order, and the layer's random stream is positioned at a key per sample before
 * every presentation, so sample s sees the same Poisson input spikes (and, with stochastic rounding,
 * the same uniform draws) in every point whatever the other samples did.
 */
import { STREAM_INIT } from '../../assembly/context.js';
import type { Layer } from '../core/layer.js';
import { addCounters, zeroCounters, type Counters } from '../core/counters.js';
import { hash, uniform24 } from '../core/reference/rng.js';
import { evaluateClustering } from '../cluster/metrics.js';
import { assignLabels, classify } from '../snn/labelling.js';
import { epochOrder } from '../snn/stdp-run.js';
import { WtaNetwork } from '../snn/wta-network.js';
import type { DiehlCookPreset } from '../snn/presets/diehl-cook.js';
import {
  buildDeviceBlock, buildStatsBlock, classNonlinearity, classOf, clearWriteStats, curve, D2D_STEP_LTP, deviceGaussian,
  inverseCurve, nonlinearityToA, readWriteStats, type DeviceSpec, type WriteStats,
} from './device-model.js';
import { winnerNmi } from './metrics.js';
import type { PointSpec, Rounding } from './sweep.js';
import { viewOf, type InputView, type WorkloadData } from './workload.js';

/** A layer with the core's device / statistics hook (docs/core.md, "Device and write statistics"). */
export interface DeviceHookLayer extends Layer {
  attachDevice(block: Uint8Array | null): void;
  deviceBlock(): Uint8Array | null;
}

export function requireDeviceHook(layer: Layer): DeviceHookLayer {
  const l = layer as Partial<DeviceHookLayer>;
  if (typeof l.attachDevice !== 'function' || typeof l.deviceBlock !== 'function') {
    throw new Error('this core has no device / write-statistics hook (Layer.attachDevice); the fidelity sweep needs it');
  }
  return layer as DeviceHookLayer;
}

export interface PointTask {
  point: PointSpec;
  /** Analog device of the point (null: float reference or ideal fixed-point levels). */
  device: DeviceSpec | null;
  epochs: number;
  /** Fixed-point points: commit each sample's changes once ('per-sample'); absent = per update. */
  commit?: 'per-sample';
  backend?: 'wasm' | 'wasm-scalar' | 'reference';
  /**
   * Float reference only: bit widths at which the trained float weights are also rounded (nearest, ideal
   * levels) and evaluated without further learning - training off-chip, then programming the weights.
   */
  postTrainingBits?: number[];
}

/** The trained float network with its weights rounded to `bits` ideal levels (nearest), evaluated frozen. */
export interface PostTrainingMeasurement {
  bits: number;
  accuracy: number;
  nmi: number;
  silent: number;
}

export interface PassSummary {
  samples: number;
  presentations: number;
  spikes: number;
  seconds: number;
}

/** What a point measures on its own (differences to float are added by the sweep). */
export interface PointMeasurement {
  accuracy: number;
  nmi: number;
  /** Test samples on which no labelled neuron fired (assign-labels) or no neuron fired (clustering). */
  silent: number;
  train: PassSummary;
  label: PassSummary | null;
  test: PassSummary;
  /** Layer counters of the training pass (learning on). */
  trainCounters: Counters;
  /** Write statistics of the training pass (STDP and normalisation sections). */
  writeStats: WriteStats;
  /** Neurons that never fired in the labelling / evaluation pass. */
  silentNeurons: number;
  /**
   * True when the store rounded every initial weight to 0 (and there is no bias current): such a network
   * can never fire, so it never learns, and the point is reported without simulating it (accuracy 0,
   * every test sample unclassified, no writes; counters not measured).
   */
  dead: boolean;
  /** Float reference: the trained weights rounded after training, per bit width of postTrainingBits. */
  postTraining: PostTrainingMeasurement[];
  wallSeconds: number;
  backend: string;
}

export interface PointOutcome {
  measurement: PointMeasurement;
  /** Final weights, row-major nIn x nOut. */
  weights: Float32Array;
  /** Spike counts of the probe samples, probe x nOut. */
  probeResponses: Uint32Array;
}

export type PointProgress = (phase: 'train' | 'label' | 'test', done: number, total: number) => void;

const f = Math.fround;

/** Level of x (in levels, >= 0) rounded with `rounding`; stochastic draws use (seed, INIT, step 1, index). */
function roundInit(x: number, rounding: Rounding, seed: number, index: number): number {
  if (rounding === 'nearest') return Math.floor(x + 0.5);
  if (rounding === 'truncate') return Math.floor(x);
  const fl = Math.floor(x);
  return fl + (uniform24(hash(seed, STREAM_INIT, 1, index)) < x - fl ? 1 : 0);
}

/** Fixed-point levels of the float initial weights. */
export function initialLevels(w0: Float32Array, bits: number, wMax: number, rounding: Rounding, seed: number): Uint8Array {
  const qMax = 2 ** bits - 1;
  const q = new Uint8Array(w0.length);
  for (let k = 0; k < w0.length; k++) q[k] = Math.min(qMax, Math.max(0, roundInit((w0[k]! * qMax) / wMax, rounding, seed, k)));
  return q;
}

/**
 * Device conductances of the float initial weights: each device is programmed from Gmin with the
 * rounded number of potentiation pulses that reaches its target on its own LTP curve (no noise).
 */
export function initialDeviceWeights(w0: Float32Array, spec: DeviceSpec, wMax: number, rounding: Rounding, seed: number): Float32Array {
  const out = new Float32Array(w0.length);
  const d2d = spec.deviceToDeviceSigmaNl > 0;
  const aMean = nonlinearityToA(spec.nonlinearityLtp);
  const aByClass = new Map<number, number>();
  for (let k = 0; k < w0.length; k++) {
    let a = aMean;
    if (d2d) {
      const c = classOf(deviceGaussian(seed, D2D_STEP_LTP, k));
      let ac = aByClass.get(c);
      if (ac === undefined) aByClass.set(c, (ac = nonlinearityToA(classNonlinearity(spec.nonlinearityLtp, spec.deviceToDeviceSigmaNl, c))));
      a = ac;
    }
    const x = inverseCurve(a, Math.min(1, w0[k]! / wMax)) * spec.pulses;
    const n = Math.min(spec.pulses, Math.max(0, roundInit(x, rounding, seed, k)));
    out[k] = Math.min(f(wMax), f(curve(a, n / spec.pulses) * wMax));
  }
  return out;
}

/** The float network's initial weights of a seed (uniform, then normalised). */
export function floatInitialWeights(preset: DiehlCookPreset, seed: number, backend?: PointTask['backend']): Float32Array {
  const net = new WtaNetwork(preset, seed, backend);
  try {
    net.initialise();
    return net.layer.getWeights();
  } finally {
    net.dispose();
  }
}

function presetFor(base: DiehlCookPreset, point: PointSpec, device: DeviceSpec | null, commit?: 'per-sample'): DiehlCookPreset {
  if (point.bits === 0 || device !== null) return { ...base, weights: { format: 'f32', wMax: base.weights.wMax } };
  return { ...base, weights: { format: 'fixed', bits: point.bits, wMax: base.weights.wMax, rounding: point.rounding!, ...(commit ? { commit } : {}) } };
}

/** One frozen pass over `set` (samples [0, count)) with RNG keys keyBase + s; responses count x nOut. */
function frozenPass(net: WtaNetwork, set: InputView, count: number, keyBase: number, phase: 'label' | 'test', onProgress?: PointProgress): { responses: Uint32Array; summary: PassSummary } {
  const nOut = net.preset.nNeurons;
  const nIn = net.preset.nInputs;
  const responses = new Uint32Array(count * nOut);
  const row = new Uint32Array(nOut);
  const t0 = performance.now();
  let presentations = 0;
  let spikes = 0;
  for (let s = 0; s < count; s++) {
    const r = net.respond(set.inputs, s * nIn, keyBase + s, row);
    responses.set(row, s * nOut);
    presentations += r.presentations;
    spikes += r.spikes;
    if (onProgress && ((s & 63) === 63 || s === count - 1)) onProgress(phase, s + 1, count);
  }
  return { responses, summary: { samples: count, presentations, spikes, seconds: (performance.now() - t0) / 1000 } };
}

/** The outcome of a network that can never fire (all weights 0, no bias): known without simulating it. */
function deadOutcome(data: WorkloadData, task: PointTask, writeStats: WriteStats, backend: string, t0: number): PointOutcome {
  const nOut = data.preset.nNeurons;
  const test = viewOf(data.test);
  const responses = new Uint32Array(test.count * nOut);
  const presentations = data.preset.maxRetries + 1;
  const pass = (samples: number): PassSummary => ({ samples, presentations: samples * presentations, spikes: 0, seconds: 0 });
  return {
    measurement: {
      accuracy: data.evaluation === 'assign-labels' ? 0 : evaluateClustering(new Int32Array(test.count), test.labels, nOut, data.classes).accuracy,
      nmi: winnerNmi(responses, test.labels, nOut, data.classes),
      silent: test.count,
      train: pass(data.train.count * task.epochs),
      label: data.label ? pass(data.label.count) : null,
      test: pass(test.count),
      trainCounters: zeroCounters(),
      writeStats,
      silentNeurons: nOut,
      dead: true,
      postTraining: [],
      wallSeconds: (performance.now() - t0) / 1000,
      backend,
    },
    weights: new Float32Array(data.nIn * nOut),
    probeResponses: responses.slice(0, data.probe * nOut),
  };
}

/** Runs one point of the sweep on `data`. */
export function runPoint(data: WorkloadData, task: PointTask, onProgress?: PointProgress): PointOutcome {
  const t0 = performance.now();
  const { point, device } = task;
  const base = data.preset;
  const wMax = base.weights.wMax;
  const nIn = base.nInputs;
  const nOut = base.nNeurons;
  const train = viewOf(data.train);
  const test = viewOf(data.test);
  const label = data.label ? viewOf(data.label) : null;

  const w0 = floatInitialWeights(base, point.seed, task.backend);
  const net = new WtaNetwork(presetFor(base, point, device, task.commit), point.seed, task.backend);
  try {
    const layer = requireDeviceHook(net.layer);
    const levelUnit = point.bits === 0 ? wMax / 255 : wMax / (2 ** point.bits - 1);
    const block = device
      ? buildDeviceBlock(device, { nIn, nOut, wMax, seed: point.seed, rounding: point.rounding!, unit: levelUnit })
      : buildStatsBlock({ unit: levelUnit });
    layer.attachDevice(block);
    if (point.bits === 0) layer.setWeights(w0);
    else if (device) layer.setWeights(initialDeviceWeights(w0, device, wMax, point.rounding!, point.seed));
    else layer.setWeightLevels(initialLevels(w0, point.bits, wMax, point.rounding!, point.seed));
    if (point.bits !== 0) layer.normalise();
    // Statistics and counters cover the training pass only (the initial normalisation is set-up).
    const cleared = layer.deviceBlock()!;
    clearWriteStats(cleared);
    layer.attachDevice(cleared);
    net.resetCounters();

    if (base.neuron.iBias === 0 && net.layer.getWeights().every((x) => x === 0)) {
      return deadOutcome(data, task, readWriteStats(cleared), net.backend, t0);
    }

    // Training: the same order and the same per-sample random stream in every point of the seed.
    const stepsPerSample = net.stepsPerSampleMax;
    const trainSummary: PassSummary = { samples: 0, presentations: 0, spikes: 0, seconds: 0 };
    const tTrain = performance.now();
    const total = train.count * task.epochs;
    for (let epoch = 0; epoch < task.epochs; epoch++) {
      const order = epochOrder(point.seed, epoch, train.count);
      for (let s = 0; s < train.count; s++) {
        const key = epoch * train.count + s;
        layer.setGlobalStep(Math.imul(key, stepsPerSample) >>> 0);
        const r = net.trainSample(train.inputs, order[s]! * nIn);
        trainSummary.samples++;
        trainSummary.presentations += r.presentations;
        trainSummary.spikes += r.spikes;
        if (onProgress && ((key & 63) === 63 || key === total - 1)) onProgress('train', key + 1, total);
      }
    }
    trainSummary.seconds = (performance.now() - tTrain) / 1000;
    const trainCounters = addCounters(zeroCounters(), net.counters());
    const writeStats = readWriteStats(layer.deviceBlock()!);

    // Frozen passes: keys after the training keys, so no frozen sample reuses a training sample's spikes.
    const { accuracy, nmi, silent, silentNeurons, labelSummary, testPass } = evaluate(net, data, label, test, total, onProgress);
    const trained = net.layer.getWeights();
    // Off-chip training baseline: the same network and frozen input spikes, weights rounded once.
    const postTraining: PostTrainingMeasurement[] = [];
    for (const bits of point.bits === 0 ? task.postTrainingBits ?? [] : []) {
      const qMax = 2 ** bits - 1;
      const levels = initialLevels(trained, bits, wMax, 'nearest', point.seed);
      net.layer.setWeights(Float32Array.from(levels, (q) => f((q * wMax) / qMax)));
      const e = evaluate(net, data, label, test, total);
      postTraining.push({ bits, accuracy: e.accuracy, nmi: e.nmi, silent: e.silent });
    }
    return {
      measurement: {
        accuracy,
        nmi,
        silent,
        train: trainSummary,
        label: labelSummary,
        test: testPass.summary,
        trainCounters,
        writeStats,
        silentNeurons,
        dead: false,
        postTraining,
        wallSeconds: (performance.now() - t0) / 1000,
        backend: net.backend,
      },
      weights: trained,
      probeResponses: testPass.responses.slice(0, data.probe * nOut),
    };
  } finally {
    net.dispose();
  }
}

interface Evaluation {
  accuracy: number;
  nmi: number;
  silent: number;
  silentNeurons: number;
  labelSummary: PassSummary | null;
  testPass: { responses: Uint32Array; summary: PassSummary };
}

/** Frozen labelling (assign-labels) and test passes of the trained network; keys from keyBase on. */
function evaluate(net: WtaNetwork, data: WorkloadData, label: InputView | null, test: InputView, keyBase: number, onProgress?: PointProgress): Evaluation {
  const nOut = net.preset.nNeurons;
  let labelSummary: PassSummary | null = null;
  let accuracy: number;
  let silent: number;
  let silentNeurons: number;
  let testPass: { responses: Uint32Array; summary: PassSummary };
  if (data.evaluation === 'assign-labels') {
    if (!label) throw new Error('assign-labels evaluation needs a labelling set');
    const lp = frozenPass(net, label, label.count, keyBase, 'label', onProgress);
    keyBase += label.count;
    labelSummary = lp.summary;
    const assignment = assignLabels(lp.responses, label.labels, nOut, data.classes);
    testPass = frozenPass(net, test, test.count, keyBase, 'test', onProgress);
    const predictions = classify(testPass.responses, assignment);
    let correct = 0;
    silent = 0;
    for (let s = 0; s < test.count; s++) {
      if (predictions[s] === -1) silent++;
      else if (predictions[s] === test.labels[s]) correct++;
    }
    accuracy = correct / test.count;
    silentNeurons = Array.from(assignment.assignments).filter((c) => c < 0).length;
  } else {
    testPass = frozenPass(net, test, test.count, keyBase, 'test', onProgress);
    const winners = new Int32Array(test.count);
    silent = 0;
    for (let s = 0; s < test.count; s++) {
      let best = 0;
      for (let j = 1; j < nOut; j++) if (testPass.responses[s * nOut + j]! > testPass.responses[s * nOut + best]!) best = j;
      if (testPass.responses[s * nOut + best] === 0) silent++;
      winners[s] = best;
    }
    accuracy = evaluateClustering(winners, test.labels, nOut, data.classes).accuracy;
    const fired = new Uint8Array(nOut);
    for (let s = 0; s < test.count; s++) for (let j = 0; j < nOut; j++) if (testPass.responses[s * nOut + j]! > 0) fired[j] = 1;
    silentNeurons = nOut - fired.reduce((a, b) => a + b, 0);
  }
  const nmi = winnerNmi(testPass.responses, test.labels, nOut, data.classes);
  return { accuracy, nmi, silent, silentNeurons, labelSummary, testPass };
}
