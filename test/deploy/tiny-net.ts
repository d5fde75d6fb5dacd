// A tiny ConvNet trained on a synthetic task, shared by the deployment tests.
import { initBackend, trainEpoch, type Architecture } from '../../src/convnet/index.js';
import { buildConvNet, type ConvNet } from '../../src/convnet/model.js';
import { loadDataset } from '../../src/data/load.js';
import type { Dataset } from '../../src/data/dataset.js';
import { Rng } from '../../src/data/random.js';

/** 4 classes of noisy, shifted blob prototypes, 12 x 12 pixels. */
export const TINY_DATASET = 'synthetic-prototypes:classes=4,size=12,train=600,test=200,noise=0.2,shift=1,seed=3';

/**
 * conv3x3-6 + ReLU, batch norm after the ReLU (folds into the next conv, per position at the
 * borders), pool2, conv3x3-8 without bias + batch norm + ReLU (folds into the conv), pool2,
 * dense-12 (features), head: the layer kinds and folds of the shipped architectures, small.
 */
export function tinyArch(pool: 'avgpool' | 'maxpool' = 'avgpool'): Architecture {
  return {
    name: 'tiny-test',
    description: 'test network',
    nativeInputShape: [12, 12, 1],
    trunk: [
      { type: 'conv', name: 'c1', filters: 6, kernelSize: 3, stride: 1, padding: 'same', bias: true, relu: true },
      { type: 'batchnorm', name: 'bn1', relu: false },
      { type: pool, size: 2, stride: 2 },
      { type: 'conv', name: 'c2', filters: 8, kernelSize: 3, stride: 1, padding: 'same', bias: false, relu: false },
      { type: 'batchnorm', name: 'bn2', relu: true },
      { type: pool, size: 2, stride: 2 },
      { type: 'flatten' },
      { type: 'dense', name: 'fc', units: 12, relu: false },
    ],
  };
}

export interface TinySetup {
  model: ConvNet;
  train: Dataset;
  test: Dataset;
}

export function imagesOf(ds: Dataset): { pixels: Uint8Array | Float32Array; count: number; shape: [number, number, number] } {
  return { pixels: ds.images, count: ds.shape.count, shape: [ds.shape.height, ds.shape.width, ds.shape.channels] };
}

/** Trains the tiny net (wasm backend, deterministic for a seed); about a second per epoch. */
export async function trainTinyNet(epochs = 6, seed = 3, pool: 'avgpool' | 'maxpool' = 'avgpool'): Promise<TinySetup> {
  await initBackend('wasm');
  const train = loadDataset(TINY_DATASET, 'train');
  const test = loadDataset(TINY_DATASET, 'test');
  const model = buildConvNet(tinyArch(pool), 'tiny-test', pool === 'avgpool' ? 'avg' : 'max', [12, 12, 1], 4, seed);
  const rng = new Rng(seed);
  for (let e = 0; e < epochs; e++) {
    await trainEpoch(model, imagesOf(train), train.labels, rng.permutation(train.shape.count), {
      batchSize: 32, learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4, headMomentum: 0.9,
    });
  }
  return { model, train, test };
}
