/** Programmatic API of deep-stdp. */
export { ValidationError } from './errors.js';

// ---- core: the event-driven layer (docs/core.md) ----
export type { Counters } from './core/counters.js';
export { COUNTER_NAMES, zeroCounters, addCounters } from './core/counters.js';
export { createLayer } from './core/layer.js';
export type {
  Layer, Backend, LayerConfig, NeuronConfig, WeightConfig, StdpConfig, InhibitionConfig, SampleInput, SampleResult,
  LayerState,
} from './core/layer.js';
export { defaultBackend } from './core/engine.js';
export { simdSupported } from './core/wasm.js';
export { encodeState, decodeState, STATE_FORMAT, STATE_VERSION } from './core/state.js';
// ---- end core ----

// ---- snn: networks built from the core (docs/stdp-mnist.md) ----
export { diehlCookPreset, diehlCookLayerConfig } from './snn/presets/diehl-cook.js';
export { WtaNetwork } from './snn/wta-network.js';
export { assignLabels, classify, classificationReport } from './snn/labelling.js';
export { runStdp } from './snn/stdp-run.js';
export type { StdpRunOptions, StdpResults } from './snn/stdp-run.js';
export { trainThroughput } from './snn/throughput.js';

// ---- data (docs/data.md) ----
export { loadDataset, parseDatasetSpec, DATASET_SPEC_HELP } from './data/load.js';
export type { Dataset } from './data/dataset.js';
export { Rng, deriveSeed } from './data/random.js';

// ---- cluster (docs/clustering.md) ----
export { fitPreprocess, applyPreprocess } from './cluster/preprocess.js';
export { kmeans, assignNearest } from './cluster/kmeans.js';
export { evaluateClustering, nmi, adjustedRandIndex, clusteringAccuracy, contingency } from './cluster/metrics.js';
export { uniformLabelSampler } from './cluster/sampler.js';

// ---- hw: hardware models and energy (docs/hardware-models.md, docs/energy.md) ----
export {
  resolveModels, loadModel, validateModel, energyReport, estimateModel, workloadFromCounters, readWorkload,
  annBaseline, neuroBenchMetrics, requireDeviceParameters,
} from './hw/index.js';
export type { HardwareModel, Workload, EnergyReport } from './hw/index.js';

// ---- Deep-STDP loop (docs/deep-stdp.md) ----
export { runTraining, runDeepStdp } from './deepstdp/index.js';
export type { TrainOutcome, RunSpec, RunResult } from './deepstdp/index.js';
export { stdpCluster, stdpAssign, encodeOnOff } from './cluster/stdp.js';

// ---- deploy: ConvNet to rate-coded SNN (docs/deploy.md) ----
export { convertConvNet, calibrate, balanceThresholds, SpikingNetwork, spikingPass, runDeploy } from './deploy/index.js';
export type { NetworkSpec, DeployOptions, DeployResults } from './deploy/index.js';
