/** The Deep-STDP training loop (ConvNet + STDP-WTA pseudo-labels vs DeepCluster k-means): programmatic API. */
export { runTraining, type TrainOutcome, type TrainMetrics, type TrainHooks, METRICS_FILE, RUN_FILE } from './train.js';
export { runDeepStdp, fisherProbe, type RunSpec, type RunHooks, type RunResult, type Phase } from './run.js';
export {
  resolveTrainOptions, runFingerprint, TRAIN_DEFAULTS, METHODS, METHOD_CHOICES,
  type TrainOptions, type ResolvedTrainOptions, type Method,
} from './options.js';
export { loadTrainData, resolveArch, augmentOptions, imageSetOf, type TrainData } from './data.js';
export { augmentImages, type AugmentOptions } from './augment.js';
export {
  isoAccuracy, gapAtEqualEpochs, compareMethods, curveOf, meanCurve, stat, COMPARISON_METRICS, PRIMARY_METRIC,
  type IsoAccuracy, type Gap, type Comparison, type ComparisonMetric, type CurvePoint, type Stat,
} from './analysis.js';
export { withoutTimes, type EpochRecord, type SplitMetrics, type EpochEnergy, type PhaseSeconds } from './records.js';
export { runAll } from './pool.js';
