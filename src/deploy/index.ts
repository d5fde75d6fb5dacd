/** Rate-coded deployment of a trained ConvNet on the core's event-driven kernels (docs/deploy.md). */
export type { MapShape, NetworkSpec, SpikingLayerSpec, ConvLayerSpec, AvgPoolLayerSpec, DenseLayerSpec } from './network-spec.js';
export { mapSize, neuronsOf, denseOpsPerStep } from './network-spec.js';
export { convertConvNet, convGeometry } from './convert.js';
export { annForward, PositiveValues, type AnnForwardResult, type ActivationSink } from './ann.js';
export { calibrate, balanceThresholds, type Calibration, type LayerCalibration } from './calibrate.js';
export {
  quantizeSigned, quantizeOptions, rowNonZeros, WEIGHT_SCALES, type QuantizedWeights, type QuantizeOptions, type QuantizationStats, type WeightScale,
} from './quantize.js';
export { createDeployKernels, defaultDeployBackend, type DeployKernels, type Backend } from './kernels.js';
export { SpikingNetwork, INPUT_CODINGS, SNAPSHOT_COUNTERS, type InputCoding, type SimulatorOptions } from './simulator.js';
export { READOUTS, readoutMembrane, readoutSpikes, type Readout } from './readout.js';
export { spikingPassSync, runRange, type PassBuffers, type PassImages } from './spiking-pass.js';
export { spikingPass, type PassOptions } from './pass-pool.js';
export { majorityMapping, mappedAccuracy, agreement, isIdentity, type LabelMapping } from './labels.js';
export { deployWorkload, layerGeometry, snapshotCounters } from './workload.js';
export { resolveCheckpoint, type ResolvedCheckpoint } from './checkpoint.js';
export { fitSupervised, type FitOptions } from './fit.js';
export { runDeploy, DEPLOY_DEFAULTS, type DeployOptions, type DeployResults, type TimestepResult, type ModelSummary } from './run.js';
