/** ConvNet on TensorFlow.js: the public surface used by the Deep-STDP loop and the SNN conversion. */
export { initBackend, activeBackend, BACKEND_NAMES, type BackendInfo, type BackendName } from './backend.js';
export {
  ARCHITECTURES, ARCHITECTURE_NAMES, BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM, getArchitecture,
  type Architecture, type LayerSpec, type Pooling,
} from './architectures.js';
export {
  ConvNet, createConvNet, cloneConvNet, resetHead, exportWeights, forwardFeatures, forwardLogits,
  type CreateConvNetOptions, type ForwardMode, type WeightArray,
} from './model.js';
export { trainEpoch, type TrainEpochOptions, type TrainEpochResult, type TrainProgress } from './train.js';
export { extractFeatures, predict, evaluate, type Prediction, type Evaluation } from './inference.js';
export { fisherTrace, empiricalFisherTrace, type FisherResult } from './fisher.js';
export {
  saveConvNet, loadConvNet, convNetArtifacts, fileSaveHandler, fileLoadHandler,
  type SaveConvNetOptions, type LoadedConvNet,
} from './checkpoint.js';
export type { ImageSet } from './images.js';
export type { SgdOptions } from './sgd.js';
