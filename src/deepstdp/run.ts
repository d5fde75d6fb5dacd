import { createHash } from 'node:crypto';
import { initBackend, type BackendInfo } from '../convnet/backend.js';
import { convNetArtifacts } from '../convnet/checkpoint.js';
import { fisherTrace } from '../convnet/fisher.js';
import { extractFeatures, predict } from '../convnet/inference.js';
import { createConvNet, resetHead, type ConvNet } from '../convnet/model.js';
import { trainEpoch } from '../convnet/train.js';
import { addCounters, zeroCounters } from '../core/counters.js';
import { assignNearest, kmeans } from '../cluster/kmeans.js';
import { contingency, evaluateClustering, nmi } from '../cluster/metrics.js';
import { applyPreprocess, explainedVarianceRatio, fitPreprocess } from '../cluster/preprocess.js';
import { uniformLabelSampler } from '../cluster/sampler.js';
import { stdpAssign, stdpCluster, type StdpClusterModel } from '../cluster/stdp.js';
import { Rng, deriveSeed } from '../data/random.js';
import type { LoadedModel } from '../hw/model.js';
import type { Workload } from '../hw/workload.js';
import {
  hasRunCheckpoint, loadCheckpointConvNet, readRunCheckpoint, runCheckpointDir, saveRunCheckpoint,
} from './checkpoint.js';
import { augmentImages } from './augment.js';
import { augmentOptions, imageSetOf, type TrainData } from './data.js';
import { clusteringWorkload, epochEnergy } from './energy.js';
import type { Method, ResolvedTrainOptions } from './options.js';
import type { EpochRecord, PhaseSeconds, SplitMetrics } from './records.js';

/** Phases reported to progress displays. */
export type Phase = 'features' | 'stdp-learn' | 'stdp-frozen' | 'kmeans' | 'train' | 'evaluate' | 'fisher';

/** One run of the loop: one method, one seed. */
export interface RunSpec {
  method: Method;
  seed: number;
  options: ResolvedTrainOptions;
  /** Number of clusters (head outputs). */
  k: number;
  /** Resolved architecture name. */
  arch: string;
  fingerprint: Record<string, unknown>;
}

export interface RunHooks {
  /** A phase starts; returns the per-item progress callback. */
  onPhase?: (epoch: number, phase: Phase, total: number) => ((done: number, metric?: number) => void) | void;
  onEpoch?: (record: EpochRecord) => void;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Called after each epoch's checkpoint (throwing simulates a crash; tests use it). */
  afterEpoch?: (epoch: number) => void;
  /** Hardware models for the energy per epoch (already loaded). */
  hwModels?: LoadedModel[];
}

export interface RunResult {
  method: Method;
  seed: number;
  records: EpochRecord[];
  /** Pseudo-labels and cluster sizes of the last epoch. */
  finalAssignments: Int32Array;
  initialWeightsSha256: string;
  backend: BackendInfo;
  /** Workload of the last epoch's STDP clustering (null for k-means). */
  workload: Workload | null;
  sessions: number;
  /** Epochs run by this session (the rest came from a checkpoint). */
  epochsRun: number;
}

async function weightsSha256(model: ConvNet): Promise<string> {
  const artifacts = await convNetArtifacts(model, { includeOptimizer: false });
  const data = artifacts.weightData!;
  const parts = data instanceof ArrayBuffer ? [data] : data;
  const h = createHash('sha256');
  for (const p of parts) h.update(new Uint8Array(p));
  return h.digest('hex');
}

function splitMetrics(assignments: ArrayLike<number>, labels: ArrayLike<number>, k: number, classes: number): SplitMetrics {
  const e = evaluateClustering(assignments, labels, k, classes);
  return { accuracy: e.accuracy, accuracyMethod: e.accuracyMethod, nmi: e.nmi, ari: e.ari, samples: labels.length };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The fixed probe subset of the Fisher information (the same for every method and seed). */
export function fisherProbe(trainCount: number, samples: number, dataSeed: number): Int32Array {
  const pick = new Rng(deriveSeed(dataSeed, 'fisher-probe')).sampleWithoutReplacement(trainCount, samples);
  return Int32Array.from(pick).sort();
}

/**
 * Runs (or resumes) the loop for one method and seed; checkpoints after every epoch when the run
 * has an output folder. Deterministic: the same spec gives the same records (up to wall times)
 * however it is split into sessions.
 */
export async function runDeepStdp(spec: RunSpec, data: TrainData, hooks: RunHooks = {}): Promise<RunResult> {
  const o = spec.options;
  const { method, seed, k } = spec;
  const backend = await initBackend(o.backend);
  const train = imageSetOf(data.train);
  const test = imageSetOf(data.test);
  const classes = data.classNames.length;
  const n = train.count;
  const runDir = o.out === null ? null : runCheckpointDir(o.out, method, seed);
  const log = hooks.log ?? (() => {});
  const phase = (epoch: number, p: Phase, total: number) => hooks.onPhase?.(epoch, p, total) ?? undefined;

  let model: ConvNet;
  let records: EpochRecord[] = [];
  let previous: Int32Array | null = null;
  let initialWeightsSha256: string;
  let wallSeconds = 0;
  let sessions = 1;
  if (o.resume && runDir !== null && hasRunCheckpoint(runDir)) {
    const cp = readRunCheckpoint(runDir, method, seed, spec.fingerprint);
    model = await loadCheckpointConvNet(runDir, cp);
    records = cp.records;
    previous = Int32Array.from(cp.assignments);
    initialWeightsSha256 = cp.initialWeightsSha256;
    wallSeconds = cp.wallSeconds;
    sessions = cp.sessions + 1;
    log(`${method} seed ${seed}: resuming after epoch ${cp.epoch}`);
  } else {
    // The initial weights depend only on the seed: every method of a seed starts from the same ConvNet.
    model = createConvNet({ arch: spec.arch, inputShape: data.train.shape, numClasses: k, seed });
    initialWeightsSha256 = await weightsSha256(model);
  }
  const augment = augmentOptions(o, data.train.shape);
  const probe = o.fisherSamples > 0 ? fisherProbe(n, o.fisherSamples, o.dataSeed) : null;
  let finalAssignments = previous ?? new Int32Array(0);
  let workload: Workload | null = null;
  let epochsRun = 0;

  try {
    for (let epoch = records.length + 1; epoch <= o.epochs; epoch++) {
      hooks.signal?.throwIfAborted();
      const t0 = performance.now();
      const seconds: PhaseSeconds = { features: 0, preprocess: 0, cluster: 0, clusterTest: 0, train: 0, evaluate: 0, fisher: 0, checkpoint: 0, total: 0 };
      let t = performance.now();
      const lap = (key: keyof PhaseSeconds) => {
        const now = performance.now();
        seconds[key] += (now - t) / 1000;
        t = now;
      };

      // 1. Features of every image (trunk output, running BN statistics, no augmentation).
      const onFeatures = phase(epoch, 'features', n + test.count);
      const trainRaw = extractFeatures(model, train);
      onFeatures?.(n);
      await tick();
      const testRaw = extractFeatures(model, test);
      onFeatures?.(n + test.count);
      lap('features');

      // 2. PCA to d dimensions with whitening, then L2 (fitted on this epoch's training features).
      const dims = Math.min(o.dims, model.featureDim);
      const { transform, features: trainX } = fitPreprocess({ data: trainRaw, rows: n, cols: model.featureDim }, { dims });
      const testX = applyPreprocess(transform, { data: testRaw, rows: test.count, cols: model.featureDim });
      lap('preprocess');

      // 3. Clustering into k clusters.
      let assignments: Int32Array;
      let testAssignments: Int32Array;
      let stdpModel: StdpClusterModel | null = null;
      let centroids: Float32Array | null = null;
      let stdpStats: EpochRecord['stdp'] = null;
      let kmeansStats: EpochRecord['kmeans'] = null;
      let energy: EpochRecord['energy'] = null;
      if (method === 'kmeans') {
        const onKmeans = phase(epoch, 'kmeans', 20);
        const km = kmeans(trainX, { k, seed: deriveSeed(seed, 'kmeans', epoch), onIteration: (i) => onKmeans?.(i.iteration + 1) });
        assignments = km.assignments;
        centroids = km.centroids;
        kmeansStats = { reseeded: km.reseeded, emptyClusters: km.emptyClusters, objective: km.objective.at(-1)! };
        lap('cluster');
        testAssignments = new Int32Array(test.count);
        assignNearest(testX, km.centroids, k, testAssignments);
        lap('clusterTest');
      } else {
        let progress: ((done: number) => void) | undefined;
        let current: string | null = null;
        const r = await stdpCluster(trainX, {
          ...o.stdpParams,
          k,
          seed: deriveSeed(seed, 'stdp', epoch),
          threads: o.threads,
          ...(o.coreBackend ? { backend: o.coreBackend } : {}),
          ...(hooks.signal ? { signal: hooks.signal } : {}),
          onProgress: (p, done, total) => {
            const name = p === 'learn' ? 'stdp-learn' : 'stdp-frozen';
            if (current !== name) {
              current = name;
              progress = phase(epoch, name, total) ?? undefined;
            }
            progress?.(done);
          },
        });
        lap('cluster');
        const ta = await stdpAssign(r.model, testX, { threads: o.threads, ...(hooks.signal ? { signal: hooks.signal } : {}) });
        lap('clusterTest');
        assignments = r.assignments;
        testAssignments = ta.assignments;
        stdpModel = r.model;
        const preset = r.model.frozen.preset;
        stdpStats = {
          nInputs: preset.nInputs,
          neurons: preset.nNeurons,
          deadBeforeReseed: r.deadBeforeReseed,
          reseeded: r.reseeded,
          reseedRounds: r.reseedRounds,
          emptyClusters: r.emptyClusters,
          fallbackSamples: r.fallbackSamples,
          tiedSamples: r.tiedSamples,
          spikesPerSample: r.spikesPerSample,
          learnPresentationsPerSample: r.learn.presentations / r.learn.samples,
          frozenPresentationsPerSample: r.frozen.presentations / r.frozen.samples,
          testFallbackSamples: ta.fallbackSamples,
          presentedSamples: r.learn.samples + r.frozen.samples,
          timestepMs: preset.dtMs,
          counters: addCounters(zeroCounters(), r.counters),
          testCounters: addCounters(zeroCounters(), ta.stats.counters),
        };
        energy = epochEnergy(clusteringWorkload(r.counters, r.learn.samples + r.frozen.samples, preset.nInputs, preset.nNeurons, preset.dtMs, epoch), hooks.hwModels ?? []);
        if (r.reseeded > 0) log(`${method} seed ${seed} epoch ${epoch}: ${r.deadBeforeReseed} dead neuron(s), ${r.reseeded} reseed(s), ${r.emptyClusters} still empty`);
      }
      const clusterTrain = splitMetrics(assignments, data.train.labels, k, classes);
      const clusterTest = splitMetrics(testAssignments, data.test.labels, k, classes);
      const nmiPrevious = previous !== null && previous.length === n ? nmi(contingency(assignments, previous, k, k)) : null;
      const sizes = new Int32Array(k);
      for (let i = 0; i < n; i++) sizes[assignments[i]!]! += 1;
      if (method === 'kmeans' && kmeansStats!.reseeded > 0) log(`${method} seed ${seed} epoch ${epoch}: ${kmeansStats!.reseeded} empty-cluster reseed(s)`);

      // 4. Fresh head with k outputs, one epoch of SGD on the pseudo-labels, uniform over clusters.
      resetHead(model, k, deriveSeed(seed, 'head', epoch));
      const order = uniformLabelSampler(assignments, k, new Rng(deriveSeed(seed, 'sampler', epoch)), o.samplesPerEpoch ?? n);
      const onTrain = phase(epoch, 'train', order.length);
      const augmented = augmentImages(train, augment, new Rng(deriveSeed(seed, 'augment', epoch)));
      const fit = await trainEpoch(model, augmented, assignments, order, {
        batchSize: o.batchSize,
        learningRate: o.learningRate,
        momentum: o.momentum,
        weightDecay: o.weightDecay,
        onProgress: (p) => {
          onTrain?.(p.done, p.meanLoss);
          hooks.signal?.throwIfAborted();
        },
      });
      lap('train');

      // 5. The trained head on the held-out images, against their classes.
      const onEval = phase(epoch, 'evaluate', test.count);
      const headTest = splitMetrics(predict(model, test).classes, data.test.labels, k, classes);
      onEval?.(test.count);
      lap('evaluate');

      // 6. Fisher information of the ConvNet for the current pseudo-labels on the probe images.
      let fisher: number | null = null;
      if (probe !== null) {
        const onFisher = phase(epoch, 'fisher', probe.length);
        fisher = fisherTrace(model, train, assignments, probe).trace;
        onFisher?.(probe.length);
        lap('fisher');
      }

      seconds.total = (performance.now() - t0) / 1000;
      wallSeconds += seconds.total;
      const record: EpochRecord = {
        method,
        seed,
        epoch,
        k,
        clusterTrain,
        clusterTest,
        nmiPrevious,
        headTest,
        trainLoss: fit.meanLoss,
        trainImagesPerSecond: fit.imagesPerSecond,
        fisherTrace: fisher,
        clusterSizes: Array.from(sizes),
        nonEmptyClusters: sizes.reduce((a, s) => a + (s > 0 ? 1 : 0), 0),
        pcaExplainedVariance: explainedVarianceRatio(transform),
        stdp: stdpStats,
        kmeans: kmeansStats,
        energy,
        seconds,
        cumulativeSeconds: wallSeconds,
      };
      records.push(record);
      previous = assignments;
      finalAssignments = assignments;
      epochsRun++;

      // 7. Checkpoint (its wall time goes into the returned record only: the saved copy was written before it was known).
      if (runDir !== null) {
        const tc = performance.now();
        await saveRunCheckpoint(runDir, { model, pca: transform, stdpModel, centroids }, {
          method, seed, fingerprint: spec.fingerprint, epoch, records, assignments: Array.from(assignments),
          initialWeightsSha256, rng: { scheme: 'deriveSeed(seed, phase, epoch) per phase: kmeans, stdp, head, sampler, augment' },
          wallSeconds, sessions,
        });
        const cs = (performance.now() - tc) / 1000;
        record.seconds.checkpoint = cs;
      }
      hooks.onEpoch?.(record);
      hooks.afterEpoch?.(epoch);
    }
  } finally {
    model.dispose();
  }
  const last = records.at(-1);
  if (last?.stdp) {
    const st = last.stdp;
    workload = clusteringWorkload(st.counters, st.presentedSamples ?? 2 * n, st.nInputs, st.neurons, st.timestepMs ?? o.stdpParams.dtMs, last.epoch);
  }
  return { method, seed, records, finalAssignments, initialWeightsSha256, backend, workload, sessions, epochsRun };
}
