// Gradient of 2-D average pooling, NHWC: each output gradient dy[b, o, q, c] / (fh * fw) is added to
// every in-image position of its window. The constant divisor is tfjs's convention (its cpu and
// wasm kernels do the same); it is the exact gradient for 'valid' pooling, where every window is
// full, which is what the architectures here use.

export function avgPoolGrad(
  dy: usize, dx: usize,
  n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  memory.fill(dx, 0, <usize>n * h * w * c * 4);
  const pix = <usize>c << 2;
  const c4 = c & ~3;
  const scale: f32 = 1.0 / <f32>(fh * fw);
  const scaleV = f32x4.splat(scale);
  for (let b = 0; b < n; b++) {
    const dxImg = dx + <usize>b * h * w * pix;
    for (let o = 0; o < oh; o++) {
      const i0 = max(0, o * sh - pt);
      const i1 = min(h, o * sh - pt + fh);
      for (let q = 0; q < ow; q++) {
        const j0 = max(0, q * sw - pl);
        const j1 = min(w, q * sw - pl + fw);
        const dyPix = dy + <usize>((b * oh + o) * ow + q) * pix;
        for (let i = i0; i < i1; i++) {
          for (let j = j0; j < j1; j++) {
            const p = dxImg + <usize>(i * w + j) * pix;
            for (let k = 0; k < c4; k += 4) {
              const off = <usize>k << 2;
              v128.store(p + off, f32x4.add(v128.load(p + off), f32x4.mul(v128.load(dyPix + off), scaleV)));
            }
            for (let k = c4; k < c; k++) {
              const off = <usize>k << 2;
              store<f32>(p + off, load<f32>(p + off) + load<f32>(dyPix + off) * scale);
            }
          }
        }
      }
    }
  }
}
