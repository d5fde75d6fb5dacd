// Leaky integrate-and-fire neuron array, current-based, with an adaptive threshold (theta).
// Per neuron and step, in this order (f32, no fused multiply-add):
//   isyn = instant ? inp : isyn * aSyn + inp   (an instantaneous current is not stored: it is not state)
//   held = refr > 0;  if held: refr -= 1 (membrane held) else
//   v = (vRest + (v - vRest) * aMem) + gain * (isyn + iBias)
//   theta = theta * aTheta                       (adaptation on and aTheta != 1)
//   candidate = !held && v >= vThresh + theta
// inp is cleared as it is read. The SIMD build runs the same lane-wise operations four neurons at a time.

// @ts-ignore: decorator
@inline
function at4(p: usize, j: i32): usize {
  return p + (<usize>j << 2);
}

/** One step of the neuron array; writes the candidates (ascending) to cand and returns their number. */
export function neuronStep(
  v: usize, isyn: usize, refr: usize, theta: usize, inp: usize, cand: usize, nOut: i32, stride: i32,
  vRest: f32, aMem: f32, gain: f32, iBias: f32, aSyn: f32, instant: bool, aTheta: f32, decayTheta: bool,
  vThresh: f32,
): i32 {
  let nc = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = i32x4.splat(0);
    const vRestV = f32x4.splat(vRest);
    const aMemV = f32x4.splat(aMem);
    const gainV = f32x4.splat(gain);
    const iBiasV = f32x4.splat(iBias);
    const aSynV = f32x4.splat(aSyn);
    const aThetaV = f32x4.splat(aTheta);
    const vThreshV = f32x4.splat(vThresh);
    for (let j = 0; j < stride; j += 4) {
      const o = <usize>j << 2;
      const x = v128.load(inp + o);
      v128.store(inp + o, zero);
      let cur = x;
      if (!instant) {
        cur = f32x4.add(f32x4.mul(v128.load(isyn + o), aSynV), x);
        v128.store(isyn + o, cur);
      }
      const r = v128.load(refr + o);
      const held = i32x4.gt_s(r, zero);
      if (v128.any_true(held)) v128.store(refr + o, i32x4.add(r, held));
      const vOld = v128.load(v + o);
      const vNew = f32x4.add(
        f32x4.add(vRestV, f32x4.mul(f32x4.sub(vOld, vRestV), aMemV)),
        f32x4.mul(gainV, f32x4.add(cur, iBiasV)),
      );
      const vv = v128.bitselect(vOld, vNew, held);
      v128.store(v + o, vv);
      let th = v128.load(theta + o);
      if (decayTheta) {
        th = f32x4.mul(th, aThetaV);
        v128.store(theta + o, th);
      }
      const c = v128.andnot(f32x4.ge(vv, f32x4.add(vThreshV, th)), held);
      let m = i32x4.bitmask(c);
      while (m) {
        const l = ctz(m);
        m &= m - 1;
        if (j + l < nOut) store<i32>(at4(cand, nc++), j + l);
      }
    }
  } else {
    for (let j = 0; j < nOut; j++) {
      const x = load<f32>(at4(inp, j));
      store<f32>(at4(inp, j), 0);
      let cur = x;
      if (!instant) {
        cur = load<f32>(at4(isyn, j)) * aSyn + x;
        store<f32>(at4(isyn, j), cur);
      }
      const r = load<i32>(at4(refr, j));
      let vv = load<f32>(at4(v, j));
      const held = r > 0;
      if (held) {
        store<i32>(at4(refr, j), r - 1);
      } else {
        vv = (vRest + (vv - vRest) * aMem) + gain * (cur + iBias);
        store<f32>(at4(v, j), vv);
      }
      let th = load<f32>(at4(theta, j));
      if (decayTheta) {
        th = th * aTheta;
        store<f32>(at4(theta, j), th);
      }
      if (!held && vv >= vThresh + th) store<i32>(at4(cand, nc++), j);
    }
  }
  return nc;
}

/**
 * Closed-form silent span of n steps (no input, no spikes). With r = min(refr, n) held steps and
 * m = n - r integrating steps, per neuron:
 *   v = vRest + (((v - vRest) * A[r] + (gain * isyn) * C[r]) + B[r])
 *   isyn = isyn * aSyn^n;  refr = max(0, refr - n);  theta = theta * aTheta^n (adaptation on)
 * where A[r] = aMem^m, C[r] = aSyn^(r+1) (aMem^m - aSyn^m) / (aMem - aSyn), B[r] = gain iBias (1 - aMem^m) / (1 - aMem)
 * are computed on the host in f64 and rounded to f32.
 */
export function restNeurons(
  v: usize, isyn: usize, refr: usize, theta: usize, nOut: i32, n: i32,
  tabA: usize, tabC: usize, tabB: usize, vRest: f32, gain: f32, synPow: f32, thetaPow: f32, decayTheta: bool,
): void {
  for (let j = 0; j < nOut; j++) {
    const r = load<i32>(at4(refr, j));
    const k = r < n ? r : n;
    const u = load<f32>(at4(v, j)) - vRest;
    const cur = load<f32>(at4(isyn, j));
    const vv = vRest + ((u * load<f32>(at4(tabA, k)) + (gain * cur) * load<f32>(at4(tabC, k))) + load<f32>(at4(tabB, k)));
    store<f32>(at4(v, j), vv);
    store<f32>(at4(isyn, j), cur * synPow);
    store<i32>(at4(refr, j), r - k);
    if (decayTheta) store<f32>(at4(theta, j), load<f32>(at4(theta, j)) * thetaPow);
  }
}
