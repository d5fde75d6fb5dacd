// Threshold resolution and lateral inhibition (winner-take-all).
//   none: every candidate spikes.
//   soft: every candidate spikes; every other neuron is pushed down by strength * (spikes this step).
//   hard: only the candidate with the largest overshoot v - (vThresh + theta) spikes (ties: lower index);
//         every other neuron is pushed down by strength.
// Pushed-down membranes are clamped at vMin. A spiking neuron is reset (to vReset, or by subtracting
// its threshold), becomes refractory, and raises its theta by thetaPlus while adaptation is on.
import { INHIBIT_HARD, INHIBIT_NONE, INHIBIT_SOFT } from './context';

// @ts-ignore: decorator
@inline
function at4(p: usize, j: i32): usize {
  return p + (<usize>j << 2);
}

/** Picks the spiking neurons among the nc candidates (kept in cand[0..k)); returns k. */
export function selectSpikes(cand: usize, nc: i32, v: usize, theta: usize, vThresh: f32, mode: i32): i32 {
  if (mode != INHIBIT_HARD || nc <= 1) return nc;
  let best = load<i32>(cand);
  let bestOver = load<f32>(at4(v, best)) - (vThresh + load<f32>(at4(theta, best)));
  for (let k = 1; k < nc; k++) {
    const j = load<i32>(at4(cand, k));
    const over = load<f32>(at4(v, j)) - (vThresh + load<f32>(at4(theta, j)));
    if (over > bestOver) {
      best = j;
      bestOver = over;
    }
  }
  store<i32>(cand, best);
  return 1;
}

/**
 * Applies the spikes of step t: reset values first (from the pre-inhibition membrane), then inhibition of
 * every neuron, then the spiking neurons take their reset values. Records (t, j) in the output list.
 */
export function applySpikes(
  cand: usize, candV: usize, ns: i32, t: i32, v: usize, refr: usize, theta: usize, spikeCount: usize,
  outSteps: usize, outNeurons: usize, outCount: i32, nOut: i32, stride: i32,
  vThresh: f32, vReset: f32, subtract: bool, refractorySteps: i32, adapt: bool, thetaPlus: f32,
  mode: i32, strength: f32, vMin: f32,
): i32 {
  for (let k = 0; k < ns; k++) {
    const j = load<i32>(at4(cand, k));
    const th = load<f32>(at4(theta, j));
    store<f32>(at4(candV, k), subtract ? load<f32>(at4(v, j)) - (vThresh + th) : vReset);
    store<i32>(at4(refr, j), refractorySteps);
    if (adapt) store<f32>(at4(theta, j), th + thetaPlus);
    store<u32>(at4(spikeCount, j), load<u32>(at4(spikeCount, j)) + 1);
    store<i32>(at4(outSteps, outCount), t);
    store<i32>(at4(outNeurons, outCount), j);
    outCount++;
  }
  if (mode != INHIBIT_NONE && strength != 0) {
    const inh: f32 = mode == INHIBIT_SOFT ? strength * <f32>ns : strength;
    if (ASC_FEATURE_SIMD) {
      const inhV = f32x4.splat(inh);
      const vMinV = f32x4.splat(vMin);
      for (let j = 0; j < stride; j += 4) {
        const a = at4(v, j);
        v128.store(a, f32x4.max(f32x4.sub(v128.load(a), inhV), vMinV));
      }
    } else {
      for (let j = 0; j < nOut; j++) {
        const a = at4(v, j);
        store<f32>(a, max<f32>(load<f32>(a) - inh, vMin));
      }
    }
  }
  for (let k = 0; k < ns; k++) store<f32>(at4(v, load<i32>(at4(cand, k))), load<f32>(at4(candV, k)));
  return outCount;
}
