// Write statistics of one kernel call: when the layer has a device / statistics block
// (assembly/device-layout.ts, pointer in CTX_P_DEVICE), every update that reaches a weight writer is
// recorded in the block's section of the current phase (STDP or normalisation): attempts, lost,
// saturated, writes, programming pulses, and a histogram of the applied change in bins of 1 / DEV_UNIT_INV
// weight units (one level for fixed point and device weights). Without a block nothing is recorded.
import * as D from './device-layout';

/** The current call's block (0 = none). */
export let gDevice: usize = 0;
/** Start of the current phase's statistics section. */
let gStats: usize = 0;
let gHalf: i32 = 0;
let gUnitInv: f32 = 0;

/** Called at the start of every kernel entry with the layer's block pointer. */
export function beginDevice(block: usize): void {
  gDevice = block;
  if (block == 0) return;
  gHalf = load<i32>(block + D.DEV_HIST_HALF);
  gUnitInv = load<f32>(block + D.DEV_UNIT_INV);
  setWritePhase(D.PHASE_STDP);
}

/** Selects the statistics section that the following writes go to. */
export function setWritePhase(phase: i32): void {
  if (gDevice == 0) return;
  const slots = D.ST_FIXED_SLOTS + 2 * gHalf + 3;
  gStats = gDevice + <usize>load<u32>(gDevice + D.DEV_O_STATS) + ((<usize>(phase * slots)) << 3);
}

// @ts-ignore: decorator
@inline
function bump(slot: i32, v: f64): void {
  const a = gStats + (<usize>slot << 3);
  store<f64>(a, load<f64>(a) + v);
}

/** Histogram bin of an applied change of x bins (nearest, half away from zero; clamped to +-(H + 1)). */
// @ts-ignore: decorator
@inline
export function binOf(x: f32): i32 {
  const lim = <f32>(gHalf + 1);
  x = min<f32>(max<f32>(x, -lim), lim);
  const t = trunc<f32>(x);
  const r = x - t;
  let k = <i32>t;
  if (r >= 0.5) k++;
  else if (r <= -0.5) k--;
  return k;
}

/** An update whose requested change rounded to zero. */
export function recordLost(): void {
  bump(D.ST_ATTEMPTS, 1);
  bump(D.ST_LOST, 1);
  bump(D.ST_HIST + gHalf + 1, 1);
}

/** An update applied as `bin` histogram bins with `pulses` programming pulses; `changed` = the stored value changed. */
export function recordApplied(bin: i32, pulses: i32, changed: bool): void {
  const lim = gHalf + 1;
  bin = bin < -lim ? -lim : bin > lim ? lim : bin;
  bump(D.ST_ATTEMPTS, 1);
  bump(changed ? D.ST_WRITES : D.ST_SATURATED, 1);
  bump(D.ST_PULSES, <f64>pulses);
  bump(D.ST_HIST + gHalf + 1 + bin, 1);
}

/** Histogram units per weight unit of the current block. */
// @ts-ignore: decorator
@inline
export function unitInv(): f32 {
  return gUnitInv;
}
