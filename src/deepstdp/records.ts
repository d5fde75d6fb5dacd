import type { Counters } from '../core/counters.js';
import type { Method } from './options.js';

/** Clustering quality of one labelling against the true classes. */
export interface SplitMetrics {
  accuracy: number;
  /** 'hungarian' when k equals the number of classes, else 'majority'. */
  accuracyMethod: 'hungarian' | 'majority';
  nmi: number;
  ari: number;
  samples: number;
}

/** Energy of the epoch's STDP clustering on one hardware model. */
export interface EpochEnergy {
  model: string;
  /** Total energy of the epoch's clustering work (learning and frozen passes), joules. */
  energyJ: number;
  /** Per presented sample, joules. */
  perSampleJ: number;
  /** False when the model lacks a cost the workload needs (the total is then a lower bound). */
  complete: boolean;
}

/** The STDP layer's side of an epoch. */
export interface StdpEpochStats {
  nInputs: number;
  neurons: number;
  deadBeforeReseed: number;
  reseeded: number;
  reseedRounds: number;
  emptyClusters: number;
  fallbackSamples: number;
  tiedSamples: number;
  spikesPerSample: number;
  learnPresentationsPerSample: number;
  frozenPresentationsPerSample: number;
  /** Frozen pass over the held-out set: silent samples labelled by the drive rule. */
  testFallbackSamples: number;
  /** Samples presented by the clustering (learning passes, reseeding relearning and frozen passes). */
  presentedSamples: number;
  /** Simulation step of the layer (ms): one step = one hardware timestep in the energy accounting. */
  timestepMs: number;
  /** Learning pass + frozen passes over the training set (the clustering itself). */
  counters: Counters;
  /** Frozen pass over the held-out set (evaluation only). */
  testCounters: Counters;
}

export interface KmeansEpochStats {
  reseeded: number;
  emptyClusters: number;
  /** Sum of squared distances after the final assignment. */
  objective: number;
}

/** Wall time of each phase of an epoch, seconds. */
export interface PhaseSeconds {
  features: number;
  preprocess: number;
  cluster: number;
  clusterTest: number;
  train: number;
  evaluate: number;
  fisher: number;
  checkpoint: number;
  total: number;
}

/**
 * One epoch of one run (method x seed). Epoch e clusters the features of the ConvNet as trained
 * for e - 1 epochs (epoch 1: the initial weights), then trains it once on those pseudo-labels.
 */
export interface EpochRecord {
  method: Method;
  seed: number;
  epoch: number;
  k: number;
  /** Pseudo-labels of the training images vs their classes (the loop's clustering accuracy). */
  clusterTrain: SplitMetrics;
  /** Held-out images assigned by the same clustering (nearest centroid / frozen STDP pass). */
  clusterTest: SplitMetrics;
  /** NMI between this epoch's and the previous epoch's pseudo-labels (null at epoch 1). */
  nmiPrevious: number | null;
  /** The ConvNet's head after this epoch's training, on the held-out images. */
  headTest: SplitMetrics;
  /** Mean cross-entropy of the training epoch on the pseudo-labels, nats. */
  trainLoss: number;
  trainImagesPerSecond: number;
  /** Empirical Fisher information trace on the probe images with their pseudo-labels, after training (null when --fisher-samples 0). */
  fisherTrace: number | null;
  clusterSizes: number[];
  nonEmptyClusters: number;
  pcaExplainedVariance: number;
  stdp: StdpEpochStats | null;
  kmeans: KmeansEpochStats | null;
  energy: EpochEnergy[] | null;
  seconds: PhaseSeconds;
  /** Wall time of this run from epoch 1 through this epoch, seconds. */
  cumulativeSeconds: number;
}

/** The comparable part of a record (no wall times), e.g. to check that a resumed run matches. */
export function withoutTimes(r: EpochRecord): Omit<EpochRecord, 'seconds' | 'cumulativeSeconds' | 'trainImagesPerSecond'> {
  const { seconds: _s, cumulativeSeconds: _c, trainImagesPerSecond: _t, ...rest } = r;
  return rest;
}
