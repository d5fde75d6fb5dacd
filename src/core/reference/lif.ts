// Twin of assembly/lif.ts (scalar branch, same order of f32 operations).
import type { Mem } from './mem.js';

const f = Math.fround;

export function neuronStep(
  m: Mem, v: number, isyn: number, refr: number, theta: number, inp: number, cand: number, nOut: number,
  vRest: number, aMem: number, gain: number, iBias: number, aSyn: number, instant: boolean, aTheta: number,
  decayTheta: boolean, vThresh: number,
): number {
  const F = m.f32;
  const I = m.i32;
  const pv = v >>> 2, pi = isyn >>> 2, pr = refr >>> 2, pt = theta >>> 2, px = inp >>> 2, pc = cand >>> 2;
  let nc = 0;
  for (let j = 0; j < nOut; j++) {
    const x = F[px + j];
    F[px + j] = 0;
    let cur = x;
    if (!instant) {
      cur = f(f(F[pi + j] * aSyn) + x);
      F[pi + j] = cur;
    }
    const r = I[pr + j];
    let vv = F[pv + j];
    const held = r > 0;
    if (held) {
      I[pr + j] = r - 1;
    } else {
      vv = f(f(vRest + f(f(vv - vRest) * aMem)) + f(gain * f(cur + iBias)));
      F[pv + j] = vv;
    }
    let th = F[pt + j];
    if (decayTheta) {
      th = f(th * aTheta);
      F[pt + j] = th;
    }
    if (!held && vv >= f(vThresh + th)) I[pc + nc++] = j;
  }
  return nc;
}

export function restNeurons(
  m: Mem, v: number, isyn: number, refr: number, theta: number, nOut: number, n: number,
  tabA: number, tabC: number, tabB: number, vRest: number, gain: number, synPow: number, thetaPow: number, decayTheta: boolean,
): void {
  const F = m.f32;
  const I = m.i32;
  for (let j = 0; j < nOut; j++) {
    const r = I[(refr >>> 2) + j];
    const k = r < n ? r : n;
    const u = f(F[(v >>> 2) + j] - vRest);
    const cur = F[(isyn >>> 2) + j];
    const a = f(u * F[(tabA >>> 2) + k]);
    const c = f(f(gain * cur) * F[(tabC >>> 2) + k]);
    F[(v >>> 2) + j] = f(vRest + f(f(a + c) + F[(tabB >>> 2) + k]));
    F[(isyn >>> 2) + j] = f(cur * synPow);
    I[(refr >>> 2) + j] = r - k;
    if (decayTheta) F[(theta >>> 2) + j] = f(F[(theta >>> 2) + j] * thetaPow);
  }
}
