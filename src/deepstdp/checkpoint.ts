import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../errors.js';
import { writeJsonAtomic } from '../report/atomic.js';
import { loadConvNet, saveConvNet } from '../convnet/checkpoint.js';
import type { ConvNet } from '../convnet/model.js';
import type { PreprocessTransform } from '../cluster/preprocess.js';
import { saveStdpModel, type StdpClusterModel } from '../cluster/stdp.js';
import type { Method } from './options.js';
import type { EpochRecord } from './records.js';

/**
 * Per-epoch checkpoints of one run (method x seed), in <out>/checkpoints/<method>-s<seed>/:
 *
 *   epoch-0003/convnet/model.json, weights.bin   ConvNet weights, batch-norm statistics and SGD momentum
 *                                                 (tfjs IO handler, src/convnet/checkpoint.ts)
 *   epoch-0003/pca.json                          the epoch's PCA-whitening transform
 *   epoch-0003/stdp-layer.state                  the epoch's STDP layer (weights, thresholds; core format)
 *   epoch-0003/kmeans-centroids.json             or the k-means centroids
 *   latest.json                                  written last: epoch, records so far, previous
 *                                                 pseudo-labels, wall time, the run fingerprint
 *
 * Every random draw of epoch e is keyed by (seed, phase, e) (deriveSeed), so the ConvNet state and
 * the records are all a resumed run needs to continue exactly as an uninterrupted one.
 */
export const LATEST_FILE = 'latest.json';
export const CHECKPOINT_FORMAT = 'deep-stdp-train-checkpoint';

export interface RunCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: 1;
  method: Method;
  seed: number;
  fingerprint: Record<string, unknown>;
  /** Epochs completed. */
  epoch: number;
  /** Folder of the completed epoch's files, relative to the run's checkpoint folder. */
  dir: string;
  records: EpochRecord[];
  /** Pseudo-labels of the last completed epoch (for the NMI against the next one). */
  assignments: number[];
  /** SHA-256 of the initial ConvNet weights (equal for every method of a seed). */
  initialWeightsSha256: string;
  /** Random streams: every draw of epoch e uses deriveSeed(seed, phase, e); nothing else to store. */
  rng: { scheme: string };
  wallSeconds: number;
  sessions: number;
  savedAt: string;
}

export function runCheckpointDir(out: string, method: Method, seed: number): string {
  return join(out, 'checkpoints', `${method}-s${seed}`);
}

export function epochDirName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}`;
}

export interface EpochArtifacts {
  model: ConvNet;
  pca: PreprocessTransform;
  stdpModel: StdpClusterModel | null;
  centroids: Float32Array | null;
}

/** Writes the epoch's files, then latest.json pointing at them (a crash leaves the previous checkpoint intact). */
export async function saveRunCheckpoint(runDir: string, artifacts: EpochArtifacts, record: Omit<RunCheckpoint, 'format' | 'version' | 'dir' | 'savedAt'>): Promise<void> {
  const name = epochDirName(record.epoch);
  const dir = join(runDir, name);
  await saveConvNet(artifacts.model, join(dir, 'convnet'), { includeOptimizer: true, metadata: { method: record.method, seed: record.seed, epoch: record.epoch } });
  writeJsonAtomic(join(dir, 'pca.json'), artifacts.pca);
  if (artifacts.stdpModel) saveStdpModel(artifacts.stdpModel, join(dir, 'stdp-layer.state'));
  if (artifacts.centroids) writeJsonAtomic(join(dir, 'kmeans-centroids.json'), { k: record.records.at(-1)?.k, centroids: Array.from(artifacts.centroids) });
  const full: RunCheckpoint = { format: CHECKPOINT_FORMAT, version: 1, ...record, dir: name, savedAt: new Date().toISOString() };
  writeJsonAtomic(join(runDir, LATEST_FILE), full);
}

export function hasRunCheckpoint(runDir: string): boolean {
  return existsSync(join(runDir, LATEST_FILE));
}

/** Reads latest.json and checks it belongs to this run (same method, seed and fingerprint). */
export function readRunCheckpoint(runDir: string, method: Method, seed: number, fingerprint: Record<string, unknown>): RunCheckpoint {
  const path = join(runDir, LATEST_FILE);
  let cp: RunCheckpoint;
  try {
    cp = JSON.parse(readFileSync(path, 'utf8')) as RunCheckpoint;
  } catch (err) {
    throw new ValidationError('--resume', path, `a readable checkpoint (${(err as Error).message})`);
  }
  if (cp?.format !== CHECKPOINT_FORMAT || cp.version !== 1 || cp.method !== method || cp.seed !== seed) {
    throw new ValidationError('--resume', path, `a ${CHECKPOINT_FORMAT} version 1 checkpoint of method ${method}, seed ${seed}`);
  }
  for (const key of new Set([...Object.keys(fingerprint), ...Object.keys(cp.fingerprint ?? {})])) {
    const want = JSON.stringify(fingerprint[key] ?? null);
    const have = JSON.stringify(cp.fingerprint?.[key] ?? null);
    if (want !== have) throw new ValidationError(`--${key}`, fingerprint[key], `the checkpointed run's value ${have} (a resumed run must use the same options)`);
  }
  if (!/^epoch-\d{4}$/.test(cp.dir) || !existsSync(join(runDir, cp.dir, 'convnet'))) {
    throw new ValidationError('--resume', join(runDir, String(cp.dir)), 'the epoch folder named by latest.json');
  }
  return cp;
}

/** The ConvNet saved with a checkpoint (weights, statistics, momentum). */
export async function loadCheckpointConvNet(runDir: string, cp: RunCheckpoint): Promise<ConvNet> {
  const { model, optimizerRestored } = await loadConvNet(join(runDir, cp.dir, 'convnet'));
  if (!optimizerRestored && cp.epoch > 0) {
    model.dispose();
    throw new ValidationError('--resume', join(runDir, cp.dir, 'convnet'), 'a checkpoint with the SGD momentum buffers');
  }
  return model;
}

/** Epoch folders present in a run's checkpoint folder (sorted). */
export function listEpochDirs(runDir: string): string[] {
  if (!existsSync(runDir)) return [];
  return readdirSync(runDir).filter((n) => /^epoch-\d{4}$/.test(n)).sort();
}
