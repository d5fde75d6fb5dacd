import { join, resolve } from 'node:path';
import { ValidationError, requireFinite, requireInteger, requireOneOf } from '../errors.js';
import { initBackend, loadConvNet, predict, type BackendInfo, type ConvNet, type ImageSet } from '../convnet/index.js';
import { loadDataset } from '../data/load.js';
import type { Dataset } from '../data/dataset.js';
import { resolveModels } from '../hw/model-registry.js';
import { energyReport, type EnergyReport, type ModelEstimate } from '../hw/estimate.js';
import { estimateLatency } from '../hw/latency.js';
import type { HardwareModel, LoadedModel } from '../hw/model.js';
import type { Workload } from '../hw/workload.js';
import type { NeuroBenchMetrics } from '../hw/neurobench.js';
import type { AnnBaseline } from '../hw/ann-baseline.js';
import { runInfo, type RunInfo } from '../report/run-info.js';
import { annForward } from './ann.js';
import { balanceThresholds, calibrate, type Calibration } from './calibrate.js';
import { resolveCheckpoint, type ResolvedCheckpoint } from './checkpoint.js';
import { convertConvNet } from './convert.js';
import { fitSupervised } from './fit.js';
import { defaultDeployBackend, type Backend } from './kernels.js';
import { agreement, isIdentity, majorityMapping, mappedAccuracy } from './labels.js';
import { mapSize, neuronsOf, type NetworkSpec } from './network-spec.js';
import { defaultPassThreads, spikingPass } from './pass-pool.js';
import { READOUTS, type Readout } from './readout.js';
import { INPUT_CODINGS, SpikingNetwork, type InputCoding } from './simulator.js';
import { quantizeOptions, type QuantizationStats, type WeightScale } from './quantize.js';
import { deployWorkload, layerGeometry, snapshotCounters } from './workload.js';

/** Options of `deep-stdp deploy` (docs/deploy.md). */
export interface DeployOptions {
  /** ConvNet checkpoint folder, train method folder, or train run folder. */
  checkpoint?: string;
  /** Method folder inside a train run (e.g. "kmeans-s1"). */
  run?: string;
  /** Without a checkpoint: train a supervised ConvNet for this many epochs first. */
  fitEpochs?: number;
  /** Architecture for --fit-epochs. */
  arch: string;
  /** Pooling for --fit-epochs ('avg' converts exactly). */
  pooling: 'max' | 'avg';
  fitBatchSize: number;
  fitLearningRate: number;
  dataset: string;
  /** Step counts at which accuracy, spikes and energy are read (one run of the largest). */
  timesteps: number[];
  /** Hardware models: a name, "all", a path, or a comma list. */
  model: string;
  input: InputCoding;
  /** Headline read-out (both are always computed). */
  readout: Readout;
  /** 0 = f32 weights, else signed fixed point with 2..8 bits. */
  weightBits: number;
  /** Fixed point: one delta per layer ('layer') or per output channel ('channel'). */
  weightScale: WeightScale;
  /** Fixed point: percentile of |w| per scale group used as the range, (50, 100]; 100 = max|w|. */
  weightClip: number;
  /** Percentile of positive activations mapped to one spike per step. */
  percentile: number;
  /** Calibration images (stratified from the train split). */
  calibration: number;
  /** Test images (the first n of the test split). */
  test: number;
  threads?: number;
  /** Kernel backend of the spiking network. */
  backend?: Backend;
  /** tfjs backend for the ANN passes. */
  tfBackend?: string;
  seed: number;
  /** Hardware timestep (one simulated step), ms. */
  timestepMs: number;
  out: string;
  json?: boolean;
  quiet?: boolean;
}

export const DEPLOY_DEFAULTS: Omit<DeployOptions, 'out'> = {
  arch: 'reference',
  pooling: 'avg',
  fitBatchSize: 64,
  fitLearningRate: 0.05,
  dataset: 'mnist',
  timesteps: [8, 16, 32, 64, 128],
  model: 'all',
  input: 'current',
  readout: 'membrane',
  weightBits: 0,
  weightScale: 'layer',
  weightClip: 100,
  percentile: 99.9,
  calibration: 1000,
  test: 10000,
  seed: 1,
  timestepMs: 1,
};

export interface LayerSummary {
  name: string;
  kind: string;
  input: string;
  output: string;
  neurons: number;
  /** Crossbar mapping for the hardware models (rows x cols x reuse positions). */
  crossbar: { nIn: number; nOut: number; outputPositions: number };
  /** Threshold-balancing scale (lambda). */
  scale: number;
  maxActivation: number;
  zeroWeightFraction: number;
  /** Fixed point (conv and dense layers): scale groups, clipped and rounded-to-zero weight fractions; else null. */
  quantization: QuantizationStats | null;
}

export interface TimestepResult {
  timesteps: number;
  accuracy: Record<Readout, number>;
  /** Fraction of test images where the SNN's prediction equals the converted ANN's. */
  agreementWithAnn: Record<Readout, number>;
  /** Accuracy of the headline read-out minus the ANN's (original model), in points. */
  gapToAnnPoints: number;
  withinOnePointOfAnn: boolean;
  spikesPerInference: number;
  spikesPerLayer: Record<string, number>;
  /** Spikes per neuron per step, per layer. */
  firingRatePerLayer: Record<string, number>;
  synapticEventsPerInference: number;
  neurobench: NeuroBenchMetrics;
  energy: ModelSummary[];
}

export interface ModelSummary {
  model: string;
  energyPerInferencePj: number;
  /** False when some occurring cost is not in the model: the energy is a lower bound. */
  complete: boolean;
  /** Dynamic energy per layer per inference, pJ. */
  perLayerPj: Record<string, number>;
  staticPj: number | null;
  latencyPerInferenceNs: number | null;
  /**
   * Latency per inference of each layer alone on the chip (its cores' work per step, plus routing and
   * synchronisation): the chip's latency is set by the slowest core over all layers in every step.
   */
  latencyPerLayerNs: Record<string, number> | null;
  snnOverAnnFp32: number | null;
}

export interface DeployResults {
  runInfo: RunInfo;
  tfBackend: BackendInfo;
  checkpoint: (ResolvedCheckpoint & { metadata: Record<string, unknown> | undefined }) | null;
  fitted: { dir: string; epochs: number; losses: number[]; seconds: number } | null;
  architecture: { name: string; pooling: string | null; inputShape: number[]; outputs: number };
  dataset: { spec: string; testImages: number; calibrationImages: number; classes: number };
  conversion: {
    notes: string[];
    percentile: number;
    layers: LayerSummary[];
    input: InputCoding;
    weightBits: number;
    weightScale: WeightScale;
    weightClip: number;
    readout: Readout;
  };
  labelMapping: { kind: 'identity' | 'majority'; mapping: number[] };
  ann: { accuracy: number; convertedAccuracy: number; calibrationAccuracy: number };
  snn: {
    backend: Backend;
    threads: number;
    seconds: number;
    /** Test images / wall time of the spiking pass (all snapshots come from one run of the largest T). */
    inferencesPerSecond: number;
    timestepsRun: number;
    timesteps: TimestepResult[];
  };
  /** Smallest T within one point of the ANN (headline read-out), else the largest T. */
  operatingPoint: { timesteps: number; reason: string };
  annBaseline: AnnBaseline;
  /** Full energy report at the operating point. */
  energyReport: EnergyReport;
  /** Workload at the operating point (read by `deep-stdp energy --from`). */
  workload: Workload;
}

export type Print = (text: string) => void;

function validate(o: DeployOptions): void {
  if (o.checkpoint === undefined && o.fitEpochs === undefined) {
    throw new ValidationError('--checkpoint', o.checkpoint, 'a ConvNet checkpoint or train run folder, or --fit-epochs N to train a supervised ConvNet first');
  }
  if (o.fitEpochs !== undefined) {
    requireInteger('--fit-epochs', o.fitEpochs, 1, 1000);
    if (o.checkpoint !== undefined) throw new ValidationError('--fit-epochs', o.fitEpochs, 'no value when --checkpoint is given (deploy either a checkpoint or a freshly trained ConvNet)');
  }
  if (!Array.isArray(o.timesteps) || o.timesteps.length === 0) throw new ValidationError('--timesteps', o.timesteps, 'a comma-separated list of step counts, e.g. 8,16,32,64,128');
  o.timesteps.forEach((t, i) => {
    requireInteger(`--timesteps[${i}]`, t, 1, 100_000);
    if (i > 0 && t <= o.timesteps[i - 1]!) throw new ValidationError('--timesteps', o.timesteps, 'strictly ascending step counts');
  });
  requireOneOf('--input', o.input, INPUT_CODINGS);
  requireOneOf('--readout', o.readout, READOUTS);
  requireOneOf('--pooling', o.pooling, ['max', 'avg'] as const);
  requireInteger('--weight-bits', o.weightBits, 0, 8);
  if (o.weightBits === 1) throw new ValidationError('--weight-bits', 1, '0 (f32) or 2..8 (signed fixed point)');
  quantizeOptions(o.weightBits, { scale: o.weightScale, clip: o.weightClip }, { bits: '--weight-bits', scale: '--weight-scale', clip: '--weight-clip' });
  requireFinite('--percentile', o.percentile, 50, 100);
  requireInteger('--calibration', o.calibration, 1);
  requireInteger('--test', o.test, 1);
  requireInteger('--seed', o.seed, 0, 2 ** 32 - 1);
  requireFinite('--timestep-ms', o.timestepMs, 1e-6);
  if (o.threads !== undefined) requireInteger('--threads', o.threads, 1, 256);
  if (o.backend !== undefined) requireOneOf('--backend', o.backend, ['wasm', 'wasm-scalar', 'reference'] as const);
}

function imageSet(ds: Dataset): ImageSet {
  return { pixels: ds.images, count: ds.shape.count, shape: [ds.shape.height, ds.shape.width, ds.shape.channels] };
}

function layerSummaries(spec: NetworkSpec, calibration: Calibration, net: SpikingNetwork): LayerSummary[] {
  const shape = (s: { h: number; w: number; c: number }) => (s.h === 1 && s.w === 1 ? `${s.c}` : `${s.h}x${s.w}x${s.c}`);
  return spec.layers.map((l, i) => {
    const g = layerGeometry(l);
    return {
      name: l.name,
      kind: l.kind,
      input: shape(l.input),
      output: shape(l.output),
      neurons: neuronsOf(l),
      crossbar: { nIn: g.nIn, nOut: g.nOut, outputPositions: g.outputPositions },
      scale: calibration.layers[i]!.scale,
      maxActivation: calibration.layers[i]!.max,
      zeroWeightFraction: net.zeroWeightFraction(i),
      quantization: net.quantization(i),
    };
  });
}

function modelSummaries(report: EnergyReport, spec: NetworkSpec, workload: Workload, models: LoadedModel[]): ModelSummary[] {
  return report.models.map((m, k) => {
    const perLayerPj: Record<string, number> = {};
    m.layers.forEach((l, i) => {
      perLayerPj[spec.layers[i]!.name] = l.energy.perSamplePj;
    });
    const st = m.energy.components.find((c) => c.id === 'static');
    return {
      model: m.model.name,
      energyPerInferencePj: m.energy.perSamplePj,
      complete: m.energy.complete,
      perLayerPj,
      staticPj: st?.energyPj === null || st === undefined ? null : st.energyPj / report.workload.samples,
      latencyPerInferenceNs: m.latency.modelled ? m.latency.perSampleNs : null,
      latencyPerLayerNs: m.latency.modelled ? layerLatencies(workload, m, models[k]!.model, spec) : null,
      snnOverAnnFp32: m.snnOverAnnFp32,
    };
  });
}

function layerLatencies(workload: Workload, m: ModelEstimate, model: HardwareModel, spec: NetworkSpec): Record<string, number> {
  const out: Record<string, number> = {};
  workload.layers.forEach((layer, i) => {
    out[spec.layers[i]!.name] = estimateLatency({ ...workload, layers: [layer] }, [m.layers[i]!.mapping], model).perSampleNs;
  });
  return out;
}

/** Loads or trains the ConvNet named by the options. */
async function obtainModel(o: DeployOptions, print: Print): Promise<{ model: ConvNet; checkpoint: DeployResults['checkpoint']; fitted: DeployResults['fitted'] }> {
  if (o.checkpoint !== undefined) {
    const resolved = resolveCheckpoint(o.checkpoint, o.run);
    const { model, metadata } = await loadConvNet(resolved.dir);
    if (!o.quiet) print(`checkpoint: ${resolved.dir}${resolved.run ? ` (run ${resolved.run}, epoch ${resolved.epoch})` : ''}`);
    return { model, checkpoint: { ...resolved, metadata }, fitted: null };
  }
  const train = loadDataset(o.dataset, 'train');
  const saveTo = join(resolve(o.out), 'convnet');
  if (!o.quiet) print(`training a supervised ${o.arch} ConvNet (${o.pooling} pooling) for ${o.fitEpochs} epoch(s) on ${train.shape.count} ${o.dataset} images`);
  let lastPrint = 0;
  const fit = await fitSupervised(train, {
    arch: o.arch, pooling: o.pooling, epochs: o.fitEpochs!, batchSize: o.fitBatchSize, learningRate: o.fitLearningRate, seed: o.seed, saveTo,
    onProgress: (epoch, done, total, loss) => {
      const now = performance.now();
      if (!o.quiet && (now - lastPrint > 15000 || done === total)) {
        lastPrint = now;
        process.stderr.write(`  fit epoch ${epoch}: ${done}/${total} images, mean loss ${loss.toFixed(4)}\n`);
      }
    },
  });
  if (!o.quiet) print(`  trained in ${fit.seconds.toFixed(1)} s (losses ${fit.losses.map((l) => l.toFixed(4)).join(', ')}); saved to ${saveTo}`);
  return { model: fit.model, checkpoint: null, fitted: { dir: saveTo, epochs: o.fitEpochs!, losses: fit.losses, seconds: fit.seconds } };
}

/**
 * The whole deployment study: convert, calibrate, run the spiking network over the test images once
 * for the largest T (reading accuracy, spikes and counters at every requested T), and account energy
 * and latency per inference on the hardware models. No files are written here (see commands/deploy.ts).
 */
export async function runDeploy(options: DeployOptions, print: Print = () => {}): Promise<DeployResults> {
  const o = { ...DEPLOY_DEFAULTS, ...options };
  validate(o);
  const models = resolveModels(o.model);
  const tfBackend = await initBackend(o.tfBackend);
  const test = loadDataset(o.dataset, 'test', { limit: o.test });
  const cal = loadDataset(o.dataset, 'train', { limit: o.calibration, subsetSeed: o.seed });
  const { model, checkpoint, fitted } = await obtainModel(o, print);
  try {
    const [h, w, c] = model.inputShape;
    if (test.shape.height !== h || test.shape.width !== w || test.shape.channels !== c) {
      throw new ValidationError('--dataset', o.dataset, `images of the checkpoint's input shape ${h}x${w}x${c}`);
    }
    const classes = test.classNames.length;
    // ANN (the original model) and the label mapping from its calibration predictions.
    const annCal = predict(model, imageSet(cal));
    const annTest = predict(model, imageSet(test));
    const mapping = majorityMapping(annCal.classes, cal.labels, model.numClasses, classes);
    const annAccuracy = mappedAccuracy(annTest.classes, test.labels, mapping);
    // Conversion and threshold balancing.
    const converted = convertConvNet(model);
    const convertedAnn = annForward(converted, imageSet(test));
    const convertedAccuracy = mappedAccuracy(convertedAnn.classes, test.labels, mapping);
    const calibration = calibrate(converted, imageSet(cal), o.percentile);
    const spec = balanceThresholds(converted, calibration);
    const backend = o.backend ?? defaultDeployBackend();
    const simOptions = { backend, weightBits: o.weightBits, weightScale: o.weightScale, weightClip: o.weightClip, input: o.input, snapshotSteps: o.timesteps, seed: o.seed };
    const probe = new SpikingNetwork(spec, { ...simOptions, snapshotSteps: [1] });
    const layers = layerSummaries(spec, calibration, probe);
    if (!o.quiet) {
      print(`ANN accuracy ${(100 * annAccuracy).toFixed(2)}% (converted ANN ${(100 * convertedAccuracy).toFixed(2)}%) on ${test.shape.count} test images`);
      for (const note of converted.notes) print(`  conversion: ${note}`);
    }

    // The spiking pass: one run of the largest T, snapshots at every requested T.
    const n = test.shape.count;
    const threads = o.threads ?? Math.max(1, Math.min(defaultPassThreads(), Math.ceil(n / 8)));
    let lastPrint = performance.now();
    const t0 = performance.now();
    const pass = await spikingPass(spec, { pixels: test.images, count: n, size: h * w * c }, simOptions, {
      threads,
      onProgress: (done) => {
        const now = performance.now();
        if (!o.quiet && (now - lastPrint > 10000 || done === n)) {
          lastPrint = now;
          const rate = done / ((now - t0) / 1000);
          process.stderr.write(`  spiking pass (T = ${o.timesteps.at(-1)}): ${done}/${n} images, ${rate.toFixed(1)} inferences/s\n`);
        }
      },
    });
    const seconds = (performance.now() - t0) / 1000;

    const nSnap = o.timesteps.length;
    const annClasses = convertedAnn.classes;
    const info = spec.layers.map((_, i) => ({ zeroWeightFraction: probe.zeroWeightFraction(i), stateBytes: probe.stateBytes(i) }));
    const reports: EnergyReport[] = [];
    const workloads: Workload[] = [];
    const results: TimestepResult[] = o.timesteps.map((T, s) => {
      const preds = { membrane: pass.membrane.subarray(s * n, (s + 1) * n), spikes: pass.spikes.subarray(s * n, (s + 1) * n) };
      const accuracy = { membrane: mappedAccuracy(preds.membrane, test.labels, mapping), spikes: mappedAccuracy(preds.spikes, test.labels, mapping) };
      const spikesPerLayer: Record<string, number> = {};
      const firingRatePerLayer: Record<string, number> = {};
      let spikes = 0;
      let events = 0;
      spec.layers.forEach((l, i) => {
        const cnt = snapshotCounters(pass.counters, nSnap, i, s);
        spikesPerLayer[l.name] = cnt.outputSpikes / n;
        firingRatePerLayer[l.name] = cnt.outputSpikes / (n * T * mapSize(l.output));
        spikes += cnt.outputSpikes / n;
        events += cnt.synapticEvents / n;
      });
      const workload = deployWorkload(`deploy ${o.dataset} T=${T}`, spec, info, o.weightBits, o.input === 'current', pass.counters, nSnap, s, n, o.timestepMs);
      const report = energyReport(workload, models);
      workloads.push(workload);
      reports.push(report);
      const gap = 100 * (accuracy[o.readout] - annAccuracy);
      return {
        timesteps: T,
        accuracy,
        agreementWithAnn: { membrane: agreement(preds.membrane, annClasses), spikes: agreement(preds.spikes, annClasses) },
        gapToAnnPoints: gap,
        withinOnePointOfAnn: gap >= -1,
        spikesPerInference: spikes,
        spikesPerLayer,
        firingRatePerLayer,
        synapticEventsPerInference: events,
        neurobench: report.neurobench,
        energy: modelSummaries(report, spec, workload, models),
      };
    });
    const op = results.findIndex((r) => r.withinOnePointOfAnn);
    const opIndex = op >= 0 ? op : results.length - 1;
    const operatingPoint = {
      timesteps: o.timesteps[opIndex]!,
      reason: op >= 0 ? 'smallest T within 1 point of the ANN accuracy' : 'no T reached 1 point of the ANN accuracy: the largest T',
    };
    const arch = model.archName;
    return {
      runInfo: runInfo('deploy', { ...o }, o.seed),
      tfBackend,
      checkpoint,
      fitted,
      architecture: { name: arch, pooling: model.pooling ?? null, inputShape: [...model.inputShape], outputs: model.numClasses },
      dataset: { spec: o.dataset, testImages: n, calibrationImages: cal.shape.count, classes },
      conversion: { notes: converted.notes, percentile: o.percentile, layers, input: o.input, weightBits: o.weightBits, weightScale: o.weightScale, weightClip: o.weightClip, readout: o.readout },
      labelMapping: { kind: isIdentity(mapping) ? 'identity' : 'majority', mapping: Array.from(mapping) },
      ann: { accuracy: annAccuracy, convertedAccuracy, calibrationAccuracy: mappedAccuracy(annCal.classes, cal.labels, mapping) },
      snn: { backend, threads, seconds, inferencesPerSecond: n / seconds, timestepsRun: o.timesteps.at(-1)!, timesteps: results },
      operatingPoint,
      annBaseline: reports[opIndex]!.annBaseline,
      energyReport: reports[opIndex]!,
      workload: workloads[opIndex]!,
    };
  } finally {
    model.dispose();
  }
}
