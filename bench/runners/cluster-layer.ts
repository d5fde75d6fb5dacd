/**
 * Runner for "cluster-layer" scenarios: the Deep-STDP clustering layer (src/cluster/stdp.ts) at its default
 * parameters — `features` signed feature dimensions rate-coded ON/OFF into 2 x features inputs, `clusters`
 * winner-take-all STDP neurons (the Diehl & Cook preset with the clustering layer's overrides). A repetition is
 * one learning pass (learn: STDP, adaptation, normalisation, retries) or one frozen pass (responses with
 * learning and adaptation off) over `samples` feature rows, and reports the layer's counter deltas.
 *
 * The features are synthetic and seeded: `clusters` Gaussian blobs in `features` dimensions, each row
 * L2-normalised, the shape of the PCA-whitened, L2-normalised ConvNet features the layer clusters in a
 * Deep-STDP run (src/cluster/preprocess.ts). Throughput depends on the spike counts this produces, not on
 * which images the features came from.
 */
import { Rng, deriveSeed } from '../../src/data/random.js';
import type { FeatureMatrix } from '../../src/cluster/features.js';
import { encodeOnOff, resolveStdpParams, stdpClusterPreset } from '../../src/cluster/stdp.js';
import { WtaNetwork } from '../../src/snn/wta-network.js';
import type { PreparedRun, Runner, ScenarioParams } from '../harness.js';
import { coreRunParamsSchema, dcRepetitions, dcWorkload, type CoreRunParams } from './dc-mnist.js';

export interface ClusterLayerParams extends CoreRunParams {
  /** Feature dimension d (the layer has 2d inputs when onOff is true). */
  features: number;
  /** ON/OFF coding (the adapter's only coding; kept as a parameter so the scenario states it). */
  onOff: true;
  clusters: number;
  samples: number;
  learn: boolean;
}

export const paramsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['features', 'clusters', 'samples', 'learn', 'backend', 'seed'],
  properties: {
    features: { type: 'integer', minimum: 1, maximum: 100_000 },
    onOff: { const: true },
    clusters: { type: 'integer', minimum: 1, maximum: 100_000 },
    samples: { type: 'integer', minimum: 1, maximum: 10_000_000 },
    learn: { type: 'boolean' },
    ...coreRunParamsSchema,
  },
} as const;

/** `k` Gaussian blobs (centres N(0, 1), spread 0.5) in `d` dimensions, rows L2-normalised; seeded. */
export function syntheticFeatures(rows: number, d: number, k: number, seed: number): FeatureMatrix {
  const rng = new Rng(deriveSeed(seed, 'bench-cluster-features'));
  const centres = new Float32Array(k * d);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.nextNormal();
  const data = new Float32Array(rows * d);
  for (let s = 0; s < rows; s++) {
    const c = rng.nextInt(k) * d;
    let norm = 0;
    for (let i = 0; i < d; i++) {
      const x = centres[c + i]! + 0.5 * rng.nextNormal();
      data[s * d + i] = x;
      norm += x * x;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < d; i++) data[s * d + i]! *= inv;
  }
  return { data, rows, cols: d };
}

export const runner: Runner = {
  kind: 'cluster-layer',
  paramsSchema: paramsSchema as unknown as Record<string, unknown>,
  prepare(raw: ScenarioParams): PreparedRun {
    const p = { onOff: true, ...raw } as unknown as ClusterLayerParams;
    const params = resolveStdpParams(p.dtMs === undefined ? {} : { dtMs: p.dtMs });
    const preset = stdpClusterPreset(p.features, p.clusters, params);
    const features = syntheticFeatures(p.samples, p.features, p.clusters, p.seed);
    const intensities = { pixels: encodeOnOff(features), count: p.samples, nIn: preset.nInputs };
    const net = new WtaNetwork(preset, deriveSeed(p.seed, 'stdp-layer') >>> 0, p.backend);
    net.initialise();
    const repetitions = dcRepetitions(net, intensities, p.learn);
    return {
      info: { backend: net.backend, inputs: preset.nInputs, neurons: preset.nNeurons, stdpParams: params, features: 'synthetic Gaussian blobs, L2-normalised rows' },
      run: repetitions.run,
      workload: () => dcWorkload(`bench cluster-layer ${preset.nInputs}x${preset.nNeurons} ${p.learn ? 'learn' : 'frozen'}`, preset, p.samples, repetitions.last()),
      dispose: () => net.dispose(),
    };
  },
};
