// Stride-1 'valid' correlation, NHWC, the shared engine of the forward convolution and of the
// input gradient:
//   out[b, i, j, c] = sum over (fh, fw, k) of src[b, i + fh, j + fw, k] * filter[fh, fw, k, c]
// for i < oh, j < ow, with src of spatial size (oh + kh - 1) x (ow + kw - 1) (already padded by the
// caller, so the hot loop has no border tests) and filter [kh, kw, red, outC4].
//
// Register tile: 4 neighbouring output pixels x 8 output channels (8 f32x4 accumulators), reduction
// over (fh, fw, k); per reduction step 4 broadcast loads, 2 vector loads, 8 multiplies, 8 adds.
// Without fused multiply-add (relaxed SIMD needs a flag in Node 20) this is bound by the two SIMD
// arithmetic ports at 4 multiply-accumulates per cycle. Remainders: 4 pixels x 4 channels, then
// single pixels. outC4 must be a multiple of 4 (the host pads and compacts).

@inline function tile4x8(
  dp: usize, wp: usize, out: usize, kh: i32, kw: i32, red: i32,
  dRowStep: usize, pixStep: usize, wTapStep: usize, wRowStep: usize, outPixStep: usize,
): void {
  let a00 = f32x4.splat(0), a01 = f32x4.splat(0);
  let a10 = f32x4.splat(0), a11 = f32x4.splat(0);
  let a20 = f32x4.splat(0), a21 = f32x4.splat(0);
  let a30 = f32x4.splat(0), a31 = f32x4.splat(0);
  let wTap = wp;
  for (let fh = 0; fh < kh; fh++) {
    let dTap = dp + <usize>fh * dRowStep;
    for (let fw = 0; fw < kw; fw++) {
      let d = dTap;
      let wq = wTap;
      for (let k = 0; k < red; k++) {
        const w0 = v128.load(wq), w1 = v128.load(wq, 16);
        const d0 = v128.load32_splat(d);
        const d1 = v128.load32_splat(d + pixStep);
        const d2 = v128.load32_splat(d + 2 * pixStep);
        const d3 = v128.load32_splat(d + 3 * pixStep);
        a00 = f32x4.add(a00, f32x4.mul(d0, w0)); a01 = f32x4.add(a01, f32x4.mul(d0, w1));
        a10 = f32x4.add(a10, f32x4.mul(d1, w0)); a11 = f32x4.add(a11, f32x4.mul(d1, w1));
        a20 = f32x4.add(a20, f32x4.mul(d2, w0)); a21 = f32x4.add(a21, f32x4.mul(d2, w1));
        a30 = f32x4.add(a30, f32x4.mul(d3, w0)); a31 = f32x4.add(a31, f32x4.mul(d3, w1));
        d += 4;
        wq += wRowStep;
      }
      dTap += pixStep;
      wTap += wTapStep;
    }
  }
  v128.store(out, a00); v128.store(out, a01, 16);
  v128.store(out + outPixStep, a10); v128.store(out + outPixStep, a11, 16);
  v128.store(out + 2 * outPixStep, a20); v128.store(out + 2 * outPixStep, a21, 16);
  v128.store(out + 3 * outPixStep, a30); v128.store(out + 3 * outPixStep, a31, 16);
}

@inline function tile4x4(
  dp: usize, wp: usize, out: usize, kh: i32, kw: i32, red: i32,
  dRowStep: usize, pixStep: usize, wTapStep: usize, wRowStep: usize, outPixStep: usize,
): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let wTap = wp;
  for (let fh = 0; fh < kh; fh++) {
    let dTap = dp + <usize>fh * dRowStep;
    for (let fw = 0; fw < kw; fw++) {
      let d = dTap;
      let wq = wTap;
      for (let k = 0; k < red; k++) {
        const w0 = v128.load(wq);
        a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(d), w0));
        a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(d + pixStep), w0));
        a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(d + 2 * pixStep), w0));
        a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(d + 3 * pixStep), w0));
        d += 4;
        wq += wRowStep;
      }
      dTap += pixStep;
      wTap += wTapStep;
    }
  }
  v128.store(out, a0); v128.store(out + outPixStep, a1);
  v128.store(out + 2 * outPixStep, a2); v128.store(out + 3 * outPixStep, a3);
}

@inline function tile1x8(
  dp: usize, wp: usize, out: usize, kh: i32, kw: i32, red: i32,
  dRowStep: usize, pixStep: usize, wTapStep: usize, wRowStep: usize,
): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
  let wTap = wp;
  for (let fh = 0; fh < kh; fh++) {
    let dTap = dp + <usize>fh * dRowStep;
    for (let fw = 0; fw < kw; fw++) {
      let d = dTap;
      let wq = wTap;
      for (let k = 0; k < red; k++) {
        const dv = v128.load32_splat(d);
        a0 = f32x4.add(a0, f32x4.mul(dv, v128.load(wq)));
        a1 = f32x4.add(a1, f32x4.mul(dv, v128.load(wq, 16)));
        d += 4;
        wq += wRowStep;
      }
      dTap += pixStep;
      wTap += wTapStep;
    }
  }
  v128.store(out, a0); v128.store(out, a1, 16);
}

@inline function tile1x4(
  dp: usize, wp: usize, out: usize, kh: i32, kw: i32, red: i32,
  dRowStep: usize, pixStep: usize, wTapStep: usize, wRowStep: usize,
): void {
  let a0 = f32x4.splat(0);
  let wTap = wp;
  for (let fh = 0; fh < kh; fh++) {
    let dTap = dp + <usize>fh * dRowStep;
    for (let fw = 0; fw < kw; fw++) {
      let d = dTap;
      let wq = wTap;
      for (let k = 0; k < red; k++) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(d), v128.load(wq)));
        d += 4;
        wq += wRowStep;
      }
      dTap += pixStep;
      wTap += wTapStep;
    }
  }
  v128.store(out, a0);
}

export function correlate(
  src: usize, filter: usize, out: usize,
  n: i32, oh: i32, ow: i32, outC4: i32, red: i32, kh: i32, kw: i32,
): void {
  const sh = oh + kh - 1;
  const swid = ow + kw - 1;
  const pixStep = <usize>red << 2;
  const dRowStep = <usize>swid * pixStep;
  const wRowStep = <usize>outC4 << 2;
  const wTapStep = <usize>red * wRowStep;
  const outPixStep = <usize>outC4 << 2;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      const dRow = src + <usize>(b * sh + i) * dRowStep;
      const outRow = out + <usize>(b * oh + i) * ow * outPixStep;
      let j = 0;
      for (; j + 4 <= ow; j += 4) {
        const dp = dRow + <usize>j * pixStep;
        const o = outRow + <usize>j * outPixStep;
        let c = 0;
        for (; c + 8 <= outC4; c += 8) {
          tile4x8(dp, filter + (<usize>c << 2), o + (<usize>c << 2), kh, kw, red,
            dRowStep, pixStep, wTapStep, wRowStep, outPixStep);
        }
        if (c < outC4) {
          tile4x4(dp, filter + (<usize>c << 2), o + (<usize>c << 2), kh, kw, red,
            dRowStep, pixStep, wTapStep, wRowStep, outPixStep);
        }
      }
      for (; j < ow; j++) {
        const dp = dRow + <usize>j * pixStep;
        const o = outRow + <usize>j * outPixStep;
        let c = 0;
        for (; c + 8 <= outC4; c += 8) {
          tile1x8(dp, filter + (<usize>c << 2), o + (<usize>c << 2), kh, kw, red,
            dRowStep, pixStep, wTapStep, wRowStep);
        }
        if (c < outC4) {
          tile1x4(dp, filter + (<usize>c << 2), o + (<usize>c << 2), kh, kw, red,
            dRowStep, pixStep, wTapStep, wRowStep);
        }
      }
    }
  }
}
