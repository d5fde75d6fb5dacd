import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ValidationError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../report/atomic.js';
import { packageVersion } from '../report/run-info.js';
import type { Architecture, Pooling } from './architectures.js';
import { buildConvNet, type ConvNet } from './model.js';

/**
 * ConvNet checkpoints: a directory with model.json (tfjs model-artifacts layout: modelTopology +
 * weightsManifest) and weights.bin (all tensors, float32, little-endian, in manifest order), written
 * through a tfjs IO handler. weights.bin is written first and model.json last, each atomically;
 * model.json records the byte length and SHA-256 of weights.bin, so a checkpoint interrupted
 * between the two writes is detected on load instead of being read with mismatched weights.
 *
 * Weight names: the model's parameter names (conv1/kernel, bn1/moving_mean, head/bias, ...) and,
 * when the optimiser state is included, its momentum buffers as optimizer/momentum/<parameter>.
 */

export const CHECKPOINT_FORMAT = 'deep-stdp-convnet';
export const CHECKPOINT_VERSION = 1;
const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const MOMENTUM_PREFIX = 'optimizer/momentum/';

/** What modelTopology holds: enough to rebuild the network without the built-in registry. */
interface ConvNetTopology {
  archName: string;
  pooling: Pooling | null;
  arch: Architecture;
  inputShape: [number, number, number];
  numClasses: number;
  featureDim: number;
  seed: number;
}

interface ModelJson {
  format: string;
  formatVersion: number;
  generatedBy: string;
  modelTopology: ConvNetTopology;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  weightsBytes: number;
  weightsSha256: string;
  userDefinedMetadata?: Record<string, unknown>;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function weightBytes(data: tf.io.WeightData): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const parts = data.map((b) => new Uint8Array(b));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A tfjs IO handler that writes model artifacts into `dir` as model.json + weights.bin. */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
    const bytes = weightBytes(artifacts.weightData ?? new ArrayBuffer(0));
    const json: ModelJson = {
      format: CHECKPOINT_FORMAT,
      formatVersion: CHECKPOINT_VERSION,
      generatedBy: artifacts.generatedBy ?? `deep-stdp ${packageVersion}`,
      modelTopology: artifacts.modelTopology as unknown as ConvNetTopology,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      weightsBytes: bytes.length,
      weightsSha256: sha256(bytes),
      userDefinedMetadata: artifacts.userDefinedMetadata as Record<string, unknown> | undefined,
    };
    writeFileAtomic(join(dir, WEIGHTS_FILE), bytes);
    writeJsonAtomic(join(dir, MODEL_FILE), json);
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        modelTopologyBytes: JSON.stringify(json.modelTopology).length,
        weightSpecsBytes: JSON.stringify(json.weightsManifest).length,
        weightDataBytes: bytes.length,
      },
    };
  });
}

/** A tfjs IO handler that reads what fileSaveHandler wrote, checking format and integrity. */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const modelPath = join(dir, MODEL_FILE);
      if (!existsSync(modelPath)) throw new ValidationError('checkpoint', dir, `a directory containing ${MODEL_FILE}`);
      let json: ModelJson;
      try {
        json = JSON.parse(readFileSync(modelPath, 'utf8')) as ModelJson;
      } catch (err) {
        throw new ValidationError('checkpoint', modelPath, `valid JSON (${err instanceof Error ? err.message : String(err)})`);
      }
      if (json.format !== CHECKPOINT_FORMAT) throw new ValidationError(`${modelPath}: format`, json.format, JSON.stringify(CHECKPOINT_FORMAT));
      if (json.formatVersion !== CHECKPOINT_VERSION) throw new ValidationError(`${modelPath}: formatVersion`, json.formatVersion, String(CHECKPOINT_VERSION));
      const manifest = json.weightsManifest?.[0];
      if (manifest === undefined || manifest.paths.length !== 1) {
        throw new ValidationError(`${modelPath}: weightsManifest`, json.weightsManifest, 'one group with one weights file');
      }
      const weightsPath = join(dir, manifest.paths[0]!);
      if (!existsSync(weightsPath)) throw new ValidationError('checkpoint', weightsPath, 'an existing weights file');
      const bytes = new Uint8Array(readFileSync(weightsPath));
      if (bytes.length !== json.weightsBytes || sha256(bytes) !== json.weightsSha256) {
        throw new ValidationError(weightsPath, `${bytes.length} bytes`, `${json.weightsBytes} bytes with the SHA-256 recorded in ${MODEL_FILE} (incomplete or mixed checkpoint)`);
      }
      return {
        modelTopology: json.modelTopology as unknown as tf.io.ModelArtifacts['modelTopology'],
        weightSpecs: manifest.weights,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
        format: json.format,
        generatedBy: json.generatedBy,
        userDefinedMetadata: json.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
      };
    },
  };
}

export interface SaveConvNetOptions {
  /** Include the SGD momentum buffers (needed for an exact resume); default true. */
  includeOptimizer?: boolean;
  /** Free-form JSON stored in model.json (e.g. epoch, run options). */
  metadata?: Record<string, unknown>;
}

/** Model artifacts of a ConvNet (topology, weights, optional optimiser state). */
export async function convNetArtifacts(model: ConvNet, opts: SaveConvNetOptions = {}): Promise<tf.io.ModelArtifacts> {
  model.assertUsable();
  const named: tf.NamedTensorMap = {};
  for (const [name, v] of model.namedWeights()) named[name] = v;
  if (opts.includeOptimizer ?? true) {
    for (const [name, v] of model.momentum) named[`${MOMENTUM_PREFIX}${name}`] = v;
  }
  const { data, specs } = await tf.io.encodeWeights(named);
  const topology: ConvNetTopology = {
    archName: model.archName,
    pooling: model.pooling ?? null,
    arch: model.arch,
    inputShape: [...model.inputShape],
    numClasses: model.numClasses,
    featureDim: model.featureDim,
    seed: model.seed,
  };
  return {
    modelTopology: topology as unknown as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: specs,
    weightData: data,
    format: CHECKPOINT_FORMAT,
    generatedBy: `deep-stdp ${packageVersion} (TensorFlow.js ${tf.version.tfjs})`,
    userDefinedMetadata: opts.metadata as tf.io.ModelArtifacts['userDefinedMetadata'],
  };
}

/** Writes the model to `dir` (created if needed) through fileSaveHandler. */
export async function saveConvNet(model: ConvNet, dir: string, opts: SaveConvNetOptions = {}): Promise<void> {
  await fileSaveHandler(dir).save!(await convNetArtifacts(model, opts));
}

export interface LoadedConvNet {
  model: ConvNet;
  metadata: Record<string, unknown> | undefined;
  /** Whether momentum buffers were restored. */
  optimizerRestored: boolean;
}

/**
 * Rebuilds a ConvNet from a checkpoint directory (or any tfjs IO handler producing the same
 * artifacts): architecture from the stored topology, every weight checked by name and shape.
 * Initialise the backend first (initBackend).
 */
export async function loadConvNet(dirOrHandler: string | tf.io.IOHandler): Promise<LoadedConvNet> {
  const handler = typeof dirOrHandler === 'string' ? fileLoadHandler(dirOrHandler) : dirOrHandler;
  const where = typeof dirOrHandler === 'string' ? dirOrHandler : 'checkpoint';
  const artifacts = await handler.load!();
  const topo = artifacts.modelTopology as unknown as ConvNetTopology | undefined;
  if (topo === undefined || typeof topo !== 'object' || topo.arch === undefined) {
    throw new ValidationError(`${where}: modelTopology`, topo, 'a deep-stdp ConvNet topology');
  }
  const model = buildConvNet(topo.arch, topo.archName, topo.pooling ?? undefined, topo.inputShape, topo.numClasses, topo.seed);
  try {
    const tensors = tf.io.decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), artifacts.weightSpecs ?? []);
    const expected = new Map(model.namedWeights());
    let optimizerRestored = false;
    for (const [name, t] of Object.entries(tensors)) {
      if (name.startsWith(MOMENTUM_PREFIX)) {
        const param = name.slice(MOMENTUM_PREFIX.length);
        const p = model.params.get(param);
        if (p === undefined || !tf.util.arraysEqual(p.shape, t.shape)) {
          throw new ValidationError(`${where}: ${name}`, t.shape, `momentum for a parameter of this model`);
        }
        model.momentum.set(param, tf.variable(t, false));
        t.dispose();
        optimizerRestored = true;
        continue;
      }
      const v = expected.get(name);
      if (v === undefined) throw new ValidationError(`${where}: weight`, name, `one of ${[...expected.keys()].join(', ')}`);
      if (!tf.util.arraysEqual(v.shape, t.shape)) throw new ValidationError(`${where}: ${name}.shape`, t.shape, JSON.stringify(v.shape));
      v.assign(t);
      t.dispose();
      expected.delete(name);
    }
    if (expected.size > 0) throw new ValidationError(`${where}: weights`, 'missing', [...expected.keys()].join(', '));
    return { model, metadata: artifacts.userDefinedMetadata as Record<string, unknown> | undefined, optimizerRestored };
  } catch (err) {
    model.dispose();
    throw err;
  }
}
