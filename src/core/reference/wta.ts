// Twin of assembly/wta.ts.
import type { Mem } from './mem.js';
import { INHIBIT_HARD, INHIBIT_NONE, INHIBIT_SOFT } from '../../../assembly/context.js';

const f = Math.fround;

export function selectSpikes(m: Mem, cand: number, nc: number, v: number, theta: number, vThresh: number, mode: number): number {
  if (mode !== INHIBIT_HARD || nc <= 1) return nc;
  const F = m.f32;
  const pc = cand >>> 2;
  let best = m.i32[pc];
  let bestOver = f(F[(v >>> 2) + best] - f(vThresh + F[(theta >>> 2) + best]));
  for (let k = 1; k < nc; k++) {
    const j = m.i32[pc + k];
    const over = f(F[(v >>> 2) + j] - f(vThresh + F[(theta >>> 2) + j]));
    if (over > bestOver) {
      best = j;
      bestOver = over;
    }
  }
  m.i32[pc] = best;
  return 1;
}

export function applySpikes(
  m: Mem, cand: number, candV: number, ns: number, t: number, v: number, refr: number, theta: number, spikeCount: number,
  outSteps: number, outNeurons: number, outCount: number, nOut: number,
  vThresh: number, vReset: number, subtract: boolean, refractorySteps: number, adapt: boolean, thetaPlus: number,
  mode: number, strength: number, vMin: number,
): number {
  const F = m.f32;
  const I = m.i32;
  const pc = cand >>> 2, pcv = candV >>> 2, pv = v >>> 2, pt = theta >>> 2;
  for (let k = 0; k < ns; k++) {
    const j = I[pc + k];
    const th = F[pt + j];
    F[pcv + k] = subtract ? f(F[pv + j] - f(vThresh + th)) : vReset;
    I[(refr >>> 2) + j] = refractorySteps;
    if (adapt) F[pt + j] = f(th + thetaPlus);
    m.u32[(spikeCount >>> 2) + j] += 1;
    I[(outSteps >>> 2) + outCount] = t;
    I[(outNeurons >>> 2) + outCount] = j;
    outCount++;
  }
  if (mode !== INHIBIT_NONE && strength !== 0) {
    const inh = mode === INHIBIT_SOFT ? f(strength * ns) : strength;
    for (let j = 0; j < nOut; j++) F[pv + j] = Math.max(f(F[pv + j] - inh), vMin);
  }
  for (let k = 0; k < ns; k++) F[pv + I[pc + k]] = F[pcv + k];
  return outCount;
}
