import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../errors.js';
import { writeJsonAtomic } from '../report/atomic.js';
import type { WtaNetwork } from './wta-network.js';

/** Where a training run stands; everything besides the layer state needed to continue it exactly. */
export interface TrainingProgress {
  /** Epoch in progress (0-based); equals `epochs` once training is complete. */
  epoch: number;
  /** Samples of the current epoch already trained. */
  position: number;
  /** Samples trained over all epochs. */
  samplesDone: number;
  /** Presentations used (samples + retries). */
  presentations: number;
  /** Output spikes of the counted presentations. */
  spikes: number;
  /** Training wall time over all sessions (s). */
  wallSeconds: number;
  /** Sessions that worked on this run (1 + resumes). */
  sessions: number;
}

/**
 * A training checkpoint: checkpoint.json (this record) next to the layer state file it names.
 * `fingerprint` holds every option that changes the trained state; a resume must match it.
 */
export interface TrainingCheckpoint {
  format: 'deep-stdp-stdp-checkpoint';
  version: 1;
  fingerprint: Record<string, unknown>;
  progress: TrainingProgress;
  /** File name (in the same folder) of the layer state (weights, theta, traces, RNG position, counters). */
  layerState: string;
  savedAt: string;
}

export const CHECKPOINT_FILE = 'checkpoint.json';
const LAYER_PREFIX = 'checkpoint-';
const LAYER_SUFFIX = '.layer';

export function freshProgress(): TrainingProgress {
  return { epoch: 0, position: 0, samplesDone: 0, presentations: 0, spikes: 0, wallSeconds: 0, sessions: 1 };
}

export function checkpointExists(dir: string): boolean {
  return existsSync(join(dir, CHECKPOINT_FILE));
}

/**
 * Saves the layer state under a new name, then points checkpoint.json at it (atomic rename), then
 * removes older layer states. A crash at any moment leaves a complete checkpoint behind: either the
 * previous one or this one.
 */
export function saveCheckpoint(dir: string, net: WtaNetwork, fingerprint: Record<string, unknown>, progress: TrainingProgress): void {
  const layerName = `${LAYER_PREFIX}${String(progress.samplesDone).padStart(9, '0')}${LAYER_SUFFIX}`;
  net.layer.saveState(join(dir, layerName));
  const record: TrainingCheckpoint = {
    format: 'deep-stdp-stdp-checkpoint',
    version: 1,
    fingerprint,
    progress: { ...progress },
    layerState: layerName,
    savedAt: new Date().toISOString(),
  };
  writeJsonAtomic(join(dir, CHECKPOINT_FILE), record);
  for (const name of readdirSync(dir)) {
    if (name.startsWith(LAYER_PREFIX) && name.endsWith(LAYER_SUFFIX) && name !== layerName) rmSync(join(dir, name), { force: true });
  }
}

/** Reads checkpoint.json and checks that it belongs to a run with the same fingerprint. */
export function readCheckpoint(dir: string, fingerprint: Record<string, unknown>): TrainingCheckpoint {
  const path = join(dir, CHECKPOINT_FILE);
  let record: TrainingCheckpoint;
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as TrainingCheckpoint;
  } catch (err) {
    throw new ValidationError('--resume', path, `a readable checkpoint.json (${(err as Error).message})`);
  }
  if (record?.format !== 'deep-stdp-stdp-checkpoint' || record.version !== 1 || typeof record.layerState !== 'string') {
    throw new ValidationError('--resume', path, 'a deep-stdp stdp checkpoint, format version 1');
  }
  for (const key of new Set([...Object.keys(fingerprint), ...Object.keys(record.fingerprint ?? {})])) {
    const want = JSON.stringify(fingerprint[key]);
    const have = JSON.stringify(record.fingerprint?.[key]);
    if (want !== have) {
      throw new ValidationError(`--${key}`, fingerprint[key], `the checkpointed run's value ${have} (a resumed run must use the same options)`);
    }
  }
  if (record.layerState.includes('/') || record.layerState.includes('\\') || !existsSync(join(dir, record.layerState))) {
    throw new ValidationError('--resume', join(dir, record.layerState), 'the layer state file named by checkpoint.json');
  }
  return record;
}

/** Loads the checkpoint's layer state into `net` (same preset and seed). */
export function restoreCheckpoint(dir: string, record: TrainingCheckpoint, net: WtaNetwork): TrainingProgress {
  net.layer.loadState(join(dir, record.layerState));
  return { ...record.progress, sessions: record.progress.sessions + 1 };
}
