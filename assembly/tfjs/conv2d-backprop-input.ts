import { correlate } from './correlate';

// Gradient of a 2-D convolution with respect to its input, NHWC, dilation 1:
//   dx[b, i, j, c] = sum over taps (fh, fw) and output positions (o, q) with o*sh + fh - pt = i and
//                    q*sw + fw - pl = j of dy[b, o, q, k] * W[fh, fw, c, k]
// computed as a stride-1 'valid' correlation (correlate.ts) of a zero-dilated, zero-padded copy of dy
// (`dyDilated`, built by dilateOutputGradient) with the spatially flipped, transposed filter
// (`filterFlipped`, built by flipFilter). Strided convolutions pay for the inserted zeros (sh*sw times
// the work); the architectures here use stride 1. dx is written with ci4 channels (ci rounded up to a
// multiple of 4); the host compacts it when ci is not a multiple of 4.

/**
 * dyDilated[b, o*sh + offH, q*sw + offW, :] = dy[b, o, q, :], zeros elsewhere, with
 * dh = h + kh - 1, dwid = w + kw - 1, offH = kh - 1 - pt, offW = kw - 1 - pl. Positions falling
 * outside [0, dh) x [0, dwid) only feed input rows/columns that do not exist and are dropped.
 */
export function dilateOutputGradient(
  dy: usize, dyDilated: usize, n: i32, oh: i32, ow: i32, co: i32,
  dh: i32, dwid: i32, sh: i32, sw: i32, offH: i32, offW: i32,
): void {
  const rowBytes = <usize>co << 2;
  memory.fill(dyDilated, 0, <usize>n * dh * dwid * rowBytes);
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < oh; o++) {
      const a = o * sh + offH;
      if (a < 0 || a >= dh) continue;
      if (sw == 1) {
        // Columns q land at q + offW: one contiguous copy of the part that fits.
        const q0 = max(0, -offW);
        const q1 = min(ow, dwid - offW);
        if (q0 < q1) {
          memory.copy(
            dyDilated + <usize>((b * dh + a) * dwid + q0 + offW) * rowBytes,
            dy + <usize>((b * oh + o) * ow + q0) * rowBytes,
            <usize>(q1 - q0) * rowBytes,
          );
        }
        continue;
      }
      for (let q = 0; q < ow; q++) {
        const c = q * sw + offW;
        if (c < 0 || c >= dwid) continue;
        memory.copy(
          dyDilated + <usize>((b * dh + a) * dwid + c) * rowBytes,
          dy + <usize>((b * oh + o) * ow + q) * rowBytes,
          rowBytes,
        );
      }
    }
  }
}

/** filterFlipped[fh, fw, k, c] = W[kh-1-fh, kw-1-fw, c, k] for c < ci, 0 for ci <= c < ci4. */
export function flipFilter(w: usize, flipped: usize, kh: i32, kw: i32, ci: i32, co: i32, ci4: i32): void {
  memory.fill(flipped, 0, <usize>kh * kw * co * ci4 * 4);
  // Transpose each tap's ci x co matrix in 16 x 16 blocks so reads and writes both stay in a few
  // cache lines (dense layers reuse this with ci x co up to thousands).
  const B = 16;
  for (let fh = 0; fh < kh; fh++) {
    for (let fw = 0; fw < kw; fw++) {
      const src = w + (<usize>((kh - 1 - fh) * kw + (kw - 1 - fw)) * ci * co << 2);
      const dst = flipped + (<usize>(fh * kw + fw) * co * ci4 << 2);
      for (let c0 = 0; c0 < ci; c0 += B) {
        const c1 = min(ci, c0 + B);
        for (let k0 = 0; k0 < co; k0 += B) {
          const k1 = min(co, k0 + B);
          for (let k = k0; k < k1; k++) {
            for (let c = c0; c < c1; c++) {
              store<f32>(dst + (<usize>(k * ci4 + c) << 2), load<f32>(src + (<usize>(c * co + k) << 2)));
            }
          }
        }
      }
    }
  }
}

/**
 * dx4[b, i, j, 0..ci4) from dyDilated [n, h + kh - 1, w + kw - 1, co] and filterFlipped [kh, kw, co, ci4].
 */
export function conv2dBackpropInput(
  dyDilated: usize, filterFlipped: usize, dx4: usize,
  n: i32, h: i32, w: i32, ci4: i32, co: i32, kh: i32, kw: i32,
): void {
  correlate(dyDilated, filterFlipped, dx4, n, h, w, ci4, co, kh, kw);
}
