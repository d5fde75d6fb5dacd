// Gradient of a 2-D convolution with respect to its filter, NHWC, dilation 1:
//   dW[fh, fw, c, k] = sum over (b, o, q) of x[b, o*sh + fh - pt, q*sw + fw - pl, c] * dy[b, o, q, k]
// with out-of-image taps contributing nothing (zero padding).
//
// Layout: x is [n, h, w, ci] packed; dy is [n, oh, ow, co4] and dW is [kh, kw, ci, co4], where co4 is
// the output-channel count rounded up to a multiple of 4 (the host pads dy with zero columns and
// compacts dW afterwards). The reduction over (b, o, q) runs image by image and in blocks of output
// rows so the x and dy rows in use stay in cache; within a block an 4 x 8 register tile of dW
// (4 input channels x 8 output channels, 8 f32x4 accumulators) is updated per (o, q) tap.

@inline function ceilDiv(a: i32, b: i32): i32 {
  // b > 0; rounds toward +infinity for negative a as well.
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

@inline function floorDiv(a: i32, b: i32): i32 {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

@inline function tile4x8(
  xp: usize, dyp: usize, dwp: usize, dwRow: usize, rows: i32, cols: i32,
  xRowStep: usize, xColStep: usize, dyRowStep: usize, dyColStep: usize,
): void {
  let a00 = v128.load(dwp), a01 = v128.load(dwp, 16);
  let a10 = v128.load(dwp + dwRow), a11 = v128.load(dwp + dwRow, 16);
  let a20 = v128.load(dwp + 2 * dwRow), a21 = v128.load(dwp + 2 * dwRow, 16);
  let a30 = v128.load(dwp + 3 * dwRow), a31 = v128.load(dwp + 3 * dwRow, 16);
  for (let r = 0; r < rows; r++) {
    let xq = xp + <usize>r * xRowStep;
    let dq = dyp + <usize>r * dyRowStep;
    for (let q = 0; q < cols; q++) {
      const d0 = v128.load(dq), d1 = v128.load(dq, 16);
      const x0 = v128.load32_splat(xq), x1 = v128.load32_splat(xq, 4);
      const x2 = v128.load32_splat(xq, 8), x3 = v128.load32_splat(xq, 12);
      a00 = f32x4.add(a00, f32x4.mul(x0, d0)); a01 = f32x4.add(a01, f32x4.mul(x0, d1));
      a10 = f32x4.add(a10, f32x4.mul(x1, d0)); a11 = f32x4.add(a11, f32x4.mul(x1, d1));
      a20 = f32x4.add(a20, f32x4.mul(x2, d0)); a21 = f32x4.add(a21, f32x4.mul(x2, d1));
      a30 = f32x4.add(a30, f32x4.mul(x3, d0)); a31 = f32x4.add(a31, f32x4.mul(x3, d1));
      xq += xColStep;
      dq += dyColStep;
    }
  }
  v128.store(dwp, a00); v128.store(dwp, a01, 16);
  v128.store(dwp + dwRow, a10); v128.store(dwp + dwRow, a11, 16);
  v128.store(dwp + 2 * dwRow, a20); v128.store(dwp + 2 * dwRow, a21, 16);
  v128.store(dwp + 3 * dwRow, a30); v128.store(dwp + 3 * dwRow, a31, 16);
}

@inline function tile4x4(
  xp: usize, dyp: usize, dwp: usize, dwRow: usize, rows: i32, cols: i32,
  xRowStep: usize, xColStep: usize, dyRowStep: usize, dyColStep: usize,
): void {
  let a0 = v128.load(dwp), a1 = v128.load(dwp + dwRow);
  let a2 = v128.load(dwp + 2 * dwRow), a3 = v128.load(dwp + 3 * dwRow);
  for (let r = 0; r < rows; r++) {
    let xq = xp + <usize>r * xRowStep;
    let dq = dyp + <usize>r * dyRowStep;
    for (let q = 0; q < cols; q++) {
      const d0 = v128.load(dq);
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xq), d0));
      a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(xq, 4), d0));
      a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(xq, 8), d0));
      a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(xq, 12), d0));
      xq += xColStep;
      dq += dyColStep;
    }
  }
  v128.store(dwp, a0); v128.store(dwp + dwRow, a1);
  v128.store(dwp + 2 * dwRow, a2); v128.store(dwp + 3 * dwRow, a3);
}

@inline function tile1x8(
  xp: usize, dyp: usize, dwp: usize, rows: i32, cols: i32,
  xRowStep: usize, xColStep: usize, dyRowStep: usize, dyColStep: usize,
): void {
  let a0 = v128.load(dwp), a1 = v128.load(dwp, 16);
  for (let r = 0; r < rows; r++) {
    let xq = xp + <usize>r * xRowStep;
    let dq = dyp + <usize>r * dyRowStep;
    for (let q = 0; q < cols; q++) {
      const xv = v128.load32_splat(xq);
      a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(dq)));
      a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(dq, 16)));
      xq += xColStep;
      dq += dyColStep;
    }
  }
  v128.store(dwp, a0); v128.store(dwp, a1, 16);
}

@inline function tile1x4(
  xp: usize, dyp: usize, dwp: usize, rows: i32, cols: i32,
  xRowStep: usize, xColStep: usize, dyRowStep: usize, dyColStep: usize,
): void {
  let a0 = v128.load(dwp);
  for (let r = 0; r < rows; r++) {
    let xq = xp + <usize>r * xRowStep;
    let dq = dyp + <usize>r * dyRowStep;
    for (let q = 0; q < cols; q++) {
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xq), v128.load(dq)));
      xq += xColStep;
      dq += dyColStep;
    }
  }
  v128.store(dwp, a0);
}

/** Bytes of x and dy rows one block of output rows may touch (kept well inside L2). */
const BLOCK_BYTES: i32 = 192 * 1024;

export function conv2dBackpropFilter(
  x: usize, dy: usize, dw: usize,
  n: i32, h: i32, w: i32, ci: i32,
  oh: i32, ow: i32, co4: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  memory.fill(dw, 0, <usize>kh * kw * ci * co4 * 4);
  const xRowStep = <usize>sh * w * ci * 4;
  const xColStep = <usize>sw * ci * 4;
  const dyRowStep = <usize>ow * co4 * 4;
  const dyColStep = <usize>co4 * 4;
  const dwRow = <usize>co4 * 4;
  const bytesPerOutRow = (ow * co4 + sh * w * ci) * 4;
  const blockRows = max(1, BLOCK_BYTES / max(1, bytesPerOutRow));
  for (let b = 0; b < n; b++) {
    for (let r0 = 0; r0 < oh; r0 += blockRows) {
      const r1 = min(oh, r0 + blockRows);
      for (let fh = 0; fh < kh; fh++) {
        // Output rows o whose input row o*sh + fh - pt lies inside the image.
        const o0 = max(r0, ceilDiv(pt - fh, sh));
        const o1 = min(r1, floorDiv(h - 1 + pt - fh, sh) + 1);
        if (o0 >= o1) continue;
        const rows = o1 - o0;
        for (let fw = 0; fw < kw; fw++) {
          const q0 = max(0, ceilDiv(pl - fw, sw));
          const q1 = min(ow, floorDiv(w - 1 + pl - fw, sw) + 1);
          if (q0 >= q1) continue;
          const cols = q1 - q0;
          const xBase = x + ((<usize>(b * h + o0 * sh + fh - pt) * w + <usize>(q0 * sw + fw - pl)) * ci << 2);
          const dyBase = dy + ((<usize>(b * oh + o0) * ow + q0) * co4 << 2);
          const dwBase = dw + (<usize>(fh * kw + fw) * ci * co4 << 2);
          let c = 0;
          for (; c + 4 <= ci; c += 4) {
            const xp = xBase + (<usize>c << 2);
            const dwc = dwBase + <usize>c * dwRow;
            let k = 0;
            for (; k + 8 <= co4; k += 8) {
              tile4x8(xp, dyBase + (<usize>k << 2), dwc + (<usize>k << 2), dwRow, rows, cols,
                xRowStep, xColStep, dyRowStep, dyColStep);
            }
            if (k < co4) {
              tile4x4(xp, dyBase + (<usize>k << 2), dwc + (<usize>k << 2), dwRow, rows, cols,
                xRowStep, xColStep, dyRowStep, dyColStep);
            }
          }
          for (; c < ci; c++) {
            const xp = xBase + (<usize>c << 2);
            const dwc = dwBase + <usize>c * dwRow;
            let k = 0;
            for (; k + 8 <= co4; k += 8) {
              tile1x8(xp, dyBase + (<usize>k << 2), dwc + (<usize>k << 2), rows, cols,
                xRowStep, xColStep, dyRowStep, dyColStep);
            }
            if (k < co4) {
              tile1x4(xp, dyBase + (<usize>k << 2), dwc + (<usize>k << 2), rows, cols,
                xRowStep, xColStep, dyRowStep, dyColStep);
            }
          }
        }
      }
    }
  }
}
