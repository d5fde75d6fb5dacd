import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';

/**
 * Finds the ConvNet checkpoint (a folder with model.json + weights.bin) that `--checkpoint PATH`
 * names. Accepted: the ConvNet folder itself; a `train` run's method folder
 * (checkpoints/<method>-s<seed>/, through its latest.json); or a `train` run folder holding
 * checkpoints/, where `run` picks the method folder (default: the first stdp-* one, else the first).
 */
export interface ResolvedCheckpoint {
  /** The ConvNet folder. */
  dir: string;
  /** How it was found, for the report. */
  via: string;
  /** The train run's method folder when one was used (e.g. "stdp-s1"). */
  run: string | null;
  /** Epoch of a train checkpoint. */
  epoch: number | null;
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function fromLatest(runDir: string, name: string | null): ResolvedCheckpoint {
  const latestPath = join(runDir, 'latest.json');
  let latest: { dir?: unknown; epoch?: unknown };
  try {
    latest = JSON.parse(readFileSync(latestPath, 'utf8')) as { dir?: unknown; epoch?: unknown };
  } catch (err) {
    throw new ValidationError('--checkpoint', latestPath, `a readable latest.json (${(err as Error).message})`);
  }
  if (typeof latest.dir !== 'string') throw new ValidationError('--checkpoint', latestPath, 'a latest.json naming the epoch folder ("dir")');
  const dir = join(runDir, latest.dir, 'convnet');
  if (!existsSync(join(dir, 'model.json'))) throw new ValidationError('--checkpoint', dir, 'the ConvNet folder named by latest.json');
  return { dir, via: `${latestPath} -> ${latest.dir}/convnet`, run: name, epoch: typeof latest.epoch === 'number' ? latest.epoch : null };
}

export function resolveCheckpoint(path: string, run?: string): ResolvedCheckpoint {
  const p = resolve(path);
  if (!isDir(p)) throw new ValidationError('--checkpoint', path, 'an existing folder (a ConvNet checkpoint or a train run)');
  if (existsSync(join(p, 'model.json'))) return { dir: p, via: 'ConvNet folder', run: null, epoch: null };
  if (existsSync(join(p, 'latest.json'))) return fromLatest(p, null);
  const runs = join(p, 'checkpoints');
  if (isDir(runs)) {
    const names = readdirSync(runs).filter((n) => existsSync(join(runs, n, 'latest.json'))).sort();
    if (names.length === 0) throw new ValidationError('--checkpoint', runs, 'a train run with at least one completed epoch');
    if (run !== undefined) {
      if (!names.includes(run)) throw new ValidationError('--run', run, `one of ${names.join(', ')}`);
      return fromLatest(join(runs, run), run);
    }
    const chosen = names.find((n) => n.startsWith('stdp')) ?? names[0]!;
    return fromLatest(join(runs, chosen), chosen);
  }
  throw new ValidationError('--checkpoint', path, 'a ConvNet folder (model.json), a train run folder (checkpoints/) or a method folder (latest.json)');
}
