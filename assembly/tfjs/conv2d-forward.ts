// Forward 2-D convolution, stride 1, NHWC, dilation 1, with bias and optional ReLU:
//   y[b, i, j, k] = act(bias[k] + sum over (fh, fw, c) of x[b, i + fh - pt, j + fw - pl, c] * W[fh, fw, c, k])
// The host zero-pads x into xPadded [n, oh + kh - 1, ow + kw - 1, ci] (dilateOutputGradient with
// stride 1 does exactly that) and pads W's output channels to co4; correlate() does the work and
// biasActivation() the epilogue. Measured faster than tfjs-wasm's XNNPACK convolution for every
// layer shape of the architectures here (docs/convnet.md).
import { correlate } from './correlate';

export function conv2dForward(
  xPadded: usize, filter: usize, y4: usize,
  n: i32, oh: i32, ow: i32, co4: i32, ci: i32, kh: i32, kw: i32,
): void {
  correlate(xPadded, filter, y4, n, oh, ow, co4, ci, kh, kw);
}

/** y[r, k] = act(y[r, k] + bias[k]) over rows of c4 floats (bias holds c4 values; relu != 0: max(0, .)). */
export function biasActivation(y: usize, bias: usize, rows: i32, c4: i32, relu: i32): void {
  const pix = <usize>c4 << 2;
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const yp = y + <usize>r * pix;
    for (let k = 0; k < c4; k += 4) {
      const o = <usize>k << 2;
      let v = f32x4.add(v128.load(yp + o), v128.load(bias + o));
      if (relu != 0) v = f32x4.max(zero, v);
      v128.store(yp + o, v);
    }
  }
}
