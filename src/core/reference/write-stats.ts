// Twin of assembly/write-stats.ts: per-phase write statistics in the layer's device / statistics block.
import type { Mem } from './mem.js';
import * as D from '../../../assembly/device-layout.js';

const f = Math.fround;

/** The current call's block (0 = none). */
export let gDevice = 0;
let gStats = 0;
let gHalf = 0;
let gUnitInv = 0;

export function beginDevice(m: Mem, block: number): void {
  gDevice = block;
  if (block === 0) return;
  gHalf = m.i32[(block + D.DEV_HIST_HALF) >>> 2];
  gUnitInv = m.f32[(block + D.DEV_UNIT_INV) >>> 2];
  setWritePhase(m, D.PHASE_STDP);
}

export function setWritePhase(m: Mem, phase: number): void {
  if (gDevice === 0) return;
  const slots = D.ST_FIXED_SLOTS + 2 * gHalf + 3;
  gStats = gDevice + m.u32[(gDevice + D.DEV_O_STATS) >>> 2] + phase * slots * 8;
}

function bump(m: Mem, slot: number, v: number): void {
  m.f64[(gStats >>> 3) + slot] += v;
}

export function binOf(x: number): number {
  const lim = gHalf + 1;
  x = Math.min(Math.max(x, -lim), lim);
  const t = Math.trunc(x);
  const r = f(x - t);
  let k = t;
  if (r >= 0.5) k++;
  else if (r <= -0.5) k--;
  return k;
}

export function recordLost(m: Mem): void {
  bump(m, D.ST_ATTEMPTS, 1);
  bump(m, D.ST_LOST, 1);
  bump(m, D.ST_HIST + gHalf + 1, 1);
}

export function recordApplied(m: Mem, bin: number, pulses: number, changed: boolean): void {
  const lim = gHalf + 1;
  bin = bin < -lim ? -lim : bin > lim ? lim : bin;
  bump(m, D.ST_ATTEMPTS, 1);
  bump(m, changed ? D.ST_WRITES : D.ST_SATURATED, 1);
  bump(m, D.ST_PULSES, pulses);
  bump(m, D.ST_HIST + gHalf + 1 + bin, 1);
}

export function unitInv(): number {
  return gUnitInv;
}
