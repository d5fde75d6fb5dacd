// Gradient of 2-D max pooling, NHWC: each output gradient dy[b, o, q, c] goes to the first position
// (row-major within the window) holding the window's maximum of x, as in tfjs's CPU kernel. Windows
// may overlap (contributions add up) and may hang over the border (padding never wins).
// Vectorised over channels: 4 channels at a time share the window walk, with a lane mask marking
// which lanes already found their maximum.

export function maxPoolGrad(
  x: usize, dy: usize, dx: usize,
  n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  memory.fill(dx, 0, <usize>n * h * w * c * 4);
  const pix = <usize>c << 2;
  const c4 = c & ~3;
  const overlapping = fh > sh || fw > sw;
  for (let b = 0; b < n; b++) {
    const xImg = x + <usize>b * h * w * pix;
    const dxImg = dx + <usize>b * h * w * pix;
    for (let o = 0; o < oh; o++) {
      const i0 = max(0, o * sh - pt);
      const i1 = min(h, o * sh - pt + fh);
      for (let q = 0; q < ow; q++) {
        const j0 = max(0, q * sw - pl);
        const j1 = min(w, q * sw - pl + fw);
        if (i0 >= i1 || j0 >= j1) continue;
        const dyPix = dy + <usize>((b * oh + o) * ow + q) * pix;
        for (let k = 0; k < c4; k += 4) {
          const off = <usize>k << 2;
          let m = f32x4.splat(-Infinity);
          for (let i = i0; i < i1; i++) {
            for (let j = j0; j < j1; j++) {
              m = f32x4.max(m, v128.load(xImg + <usize>(i * w + j) * pix + off));
            }
          }
          const g = v128.load(dyPix + off);
          let found = i32x4.splat(0);
          for (let i = i0; i < i1; i++) {
            for (let j = j0; j < j1; j++) {
              const p = <usize>(i * w + j) * pix + off;
              const hit = v128.andnot(f32x4.eq(v128.load(xImg + p), m), found);
              found = v128.or(found, hit);
              // Disjoint windows own their pixels: store instead of accumulate.
              const add = overlapping ? v128.load(dxImg + p) : f32x4.splat(0);
              v128.store(dxImg + p, f32x4.add(add, v128.and(g, hit)));
            }
          }
        }
        for (let k = c4; k < c; k++) {
          const off = <usize>k << 2;
          let best: f32 = -Infinity;
          let bestP: usize = <usize>(i0 * w + j0) * pix + off;
          for (let i = i0; i < i1; i++) {
            for (let j = j0; j < j1; j++) {
              const p = <usize>(i * w + j) * pix + off;
              const v = load<f32>(xImg + p);
              if (v > best) { best = v; bestP = p; }
            }
          }
          store<f32>(dxImg + bestP, load<f32>(dxImg + bestP) + load<f32>(dyPix + off));
        }
      }
    }
  }
}
