// AssemblyScript kernels that the TensorFlow.js wasm backend lacks or runs slowly; the host
// (src/convnet/wasm-kernels.ts) registers them with tf.registerKernel for the 'wasm' backend.
export { heapBase, padRows, unpadRows } from './memory';
export { conv2dBackpropFilter } from './conv2d-backprop-filter';
export { conv2dBackpropInput, dilateOutputGradient, flipFilter } from './conv2d-backprop-input';
export { conv2dForward, biasActivation } from './conv2d-forward';
export { maxPoolGrad } from './max-pool-grad';
export { avgPoolGrad } from './avg-pool-grad';
export { batchNormTrain, batchNormApply, batchNormGrad, channelSum, reluBiasGrad } from './batch-norm';
