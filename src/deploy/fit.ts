import { createConvNet, saveConvNet, trainEpoch, type ConvNet, type Pooling } from '../convnet/index.js';
import type { Dataset } from '../data/dataset.js';
import { Rng } from '../data/random.js';
import { requireInteger } from '../errors.js';

/**
 * A quick supervised ConvNet to deploy when no `train` checkpoint is at hand (`deploy --fit-epochs`):
 * the architecture trained on the true labels with SGD (momentum 0.9, weight decay 5e-4, one shuffled
 * pass per epoch), saved as a ConvNet checkpoint so the deployment can be repeated from it.
 */
export interface FitOptions {
  arch: string;
  pooling?: Pooling;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Checkpoint folder to write. */
  saveTo: string;
  onProgress?: (epoch: number, done: number, total: number, meanLoss: number) => void;
}

export async function fitSupervised(train: Dataset, opts: FitOptions): Promise<{ model: ConvNet; losses: number[]; seconds: number }> {
  requireInteger('fitEpochs', opts.epochs, 1);
  const shape: [number, number, number] = [train.shape.height, train.shape.width, train.shape.channels];
  const model = createConvNet({ arch: opts.arch, inputShape: shape, numClasses: train.classNames.length, seed: opts.seed, pooling: opts.pooling });
  const images = { pixels: train.images, count: train.shape.count, shape };
  const rng = new Rng(opts.seed);
  const losses: number[] = [];
  const start = performance.now();
  for (let e = 0; e < opts.epochs; e++) {
    const r = await trainEpoch(model, images, train.labels, rng.permutation(train.shape.count), {
      batchSize: opts.batchSize, learningRate: opts.learningRate, momentum: 0.9, weightDecay: 5e-4, headMomentum: 0.9,
      onProgress: (p) => opts.onProgress?.(e + 1, p.done, p.total, p.meanLoss),
    });
    losses.push(r.meanLoss);
  }
  const seconds = (performance.now() - start) / 1000;
  await saveConvNet(model, opts.saveTo, {
    includeOptimizer: false,
    metadata: { trainedBy: 'deep-stdp deploy --fit-epochs', labels: 'classes', dataset: train.spec, epochs: opts.epochs, losses, seed: opts.seed },
  });
  return { model, losses, seconds };
}
