/**
 * The fidelity sweep: which points run. A point is one training run of the workload with one seed
 * and one weight store: the float32 reference, or `bits`-bit weights with a rounding mode on a device.
 * Every non-float point is compared with the float point of its seed (same workload, same seed, same
 * input spikes).
 */
import { ValidationError, requireInteger } from '../errors.js';

export const ROUNDINGS = ['nearest', 'stochastic', 'truncate'] as const;
export type Rounding = (typeof ROUNDINGS)[number];

/**
 * Device models (docs/fidelity.md):
 *   ideal      linear levels, exact: the core's fixed-point weights (2^bits levels)
 *   nonlinear  NeuroSim non-linear conductance update (NL_LTP, NL_LTD), 2^bits - 1 pulses full range
 *   c2c        linear update with cycle-to-cycle noise
 *   d2d        non-linear update with device-to-device spread of NL
 *   real       non-linear update with cycle-to-cycle noise and device-to-device spread (NeuroSim RealDevice)
 */
export const DEVICES = ['ideal', 'nonlinear', 'c2c', 'd2d', 'real'] as const;
export type DeviceName = (typeof DEVICES)[number];

export const WORKLOADS = ['dc-mnist', 'deep-stdp-cluster'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export const ALL_BITS = [1, 2, 3, 4, 5, 6, 8] as const;

/** When a fixed-point store rounds its changes: every update, or once per learning sample (docs/core.md). */
export const COMMITS = ['per-update', 'per-sample'] as const;
export type Commit = (typeof COMMITS)[number];

export interface SweepGrid {
  bits: number[];
  rounding: Rounding[];
  device: DeviceName[];
  seeds: number[];
  /** Present only for 'per-sample' (every ideal fixed-point point commits once per sample). */
  commit?: 'per-sample';
}

/** One point of the sweep. bits = 0 is the float32 reference (rounding and device null). */
export interface PointSpec {
  id: string;
  seed: number;
  bits: number;
  rounding: Rounding | null;
  device: DeviceName | 'float';
}

export function pointId(seed: number, bits: number, rounding: Rounding | null, device: DeviceName | 'float'): string {
  return bits === 0 ? `s${seed}-float` : `s${seed}-b${bits}-${rounding}-${device}`;
}

export function floatPoint(seed: number): PointSpec {
  return { id: pointId(seed, 0, null, 'float'), seed, bits: 0, rounding: null, device: 'float' };
}

/** Validates a grid (sorted, de-duplicated bit widths and seeds; known roundings and devices). */
export function resolveGrid(raw: { bits: unknown; rounding: unknown; device: unknown; seeds: unknown; commit?: unknown }): SweepGrid {
  const list = (field: string, v: unknown): unknown[] => {
    if (!Array.isArray(v) || v.length === 0) throw new ValidationError(field, v, 'a non-empty list');
    return v;
  };
  const bits = [...new Set(list('--bits', raw.bits).map((b) => requireInteger('--bits', b, 1, 8)))].sort((a, b) => a - b);
  const seeds = [...new Set(list('--seeds', raw.seeds).map((s) => requireInteger('--seeds', s, 0, 2 ** 32 - 1)))];
  const rounding = [...new Set(list('--rounding', raw.rounding))].map((r) => {
    if (!(ROUNDINGS as readonly unknown[]).includes(r)) throw new ValidationError('--rounding', r, `one of ${ROUNDINGS.join(', ')}`);
    return r as Rounding;
  });
  const device = [...new Set(list('--device', raw.device))].map((d) => {
    if (!(DEVICES as readonly unknown[]).includes(d)) throw new ValidationError('--device', d, `one of ${DEVICES.join(', ')}`);
    return d as DeviceName;
  });
  const commit = raw.commit === undefined ? 'per-update' : raw.commit;
  if (!(COMMITS as readonly unknown[]).includes(commit)) throw new ValidationError('--commit', commit, `one of ${COMMITS.join(', ')}`);
  if (commit === 'per-update') return { bits, rounding, device, seeds };
  // An analog device has no level grid to commit to.
  const analog = device.filter((d) => d !== 'ideal');
  if (analog.length) {
    throw new ValidationError('--commit', commit, `per-update with --device ${analog.join(',')} (--commit per-sample applies to ideal fixed-point levels)`);
  }
  return { bits, rounding, device, seeds, commit: 'per-sample' };
}

/** Every point of the grid: per seed the float reference first, then bits x rounding x device. */
export function expandSweep(grid: SweepGrid): PointSpec[] {
  const out: PointSpec[] = [];
  for (const seed of grid.seeds) {
    out.push(floatPoint(seed));
    for (const bits of grid.bits) {
      for (const rounding of grid.rounding) {
        for (const device of grid.device) out.push({ id: pointId(seed, bits, rounding, device), seed, bits, rounding, device });
      }
    }
  }
  return out;
}

export interface Shard {
  /** 0-based slice index. */
  index: number;
  count: number;
}

/** Parses "i/N" (0 <= i < N). */
export function parseShard(text: unknown): Shard {
  const m = typeof text === 'string' ? /^(\d+)\/(\d+)$/.exec(text.trim()) : null;
  if (!m) throw new ValidationError('--shard', text, '"i/N" with 0 <= i < N, e.g. 0/4');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new ValidationError('--shard', text, '"i/N" with 0 <= i < N, e.g. 0/4');
  return { index, count };
}

/**
 * The points slice `shard` runs: the non-float points are cut into `count` contiguous slices of
 * (almost) equal length in sweep order, and a slice also runs the float reference of every seed it
 * touches (so a slice computes its differences to float on its own; merging checks those duplicated
 * references agree). Returns the points in run order (float references first).
 */
export function shardPoints(all: PointSpec[], shard: Shard | null): PointSpec[] {
  if (!shard) return all.filter((p) => p.bits === 0).concat(all.filter((p) => p.bits !== 0));
  const work = all.filter((p) => p.bits !== 0);
  const start = Math.floor((shard.index * work.length) / shard.count);
  const end = Math.floor(((shard.index + 1) * work.length) / shard.count);
  const mine = work.slice(start, end);
  const seeds = [...new Set(mine.map((p) => p.seed))];
  if (mine.length === 0) return [];
  return seeds.map(floatPoint).concat(mine);
}

/** Parses a comma-separated option value ("1,2,4" or already a list) into strings. */
export function splitList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items
    .flatMap((v) => String(v).split(','))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** "all" expands to every allowed value. */
export function listOrAll<T extends string | number>(value: unknown, all: readonly T[], numeric: boolean): unknown[] {
  const items = splitList(value);
  if (items.length === 1 && items[0] === 'all') return [...all];
  return numeric ? items.map((s) => (/^-?\d+$/.test(s) ? Number(s) : s)) : items;
}
