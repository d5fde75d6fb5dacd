// Batch normalisation over the leading axes of an [rows, c] matrix (NHWC images flattened to rows),
// training mode: per-channel batch mean and biased variance, y = (x - mean) * invStd * gamma + beta,
// optionally followed by ReLU. Sums run in f32 within blocks of rows and are carried across blocks
// in f64, so means stay accurate for large batches. Vectorised over channels with a scalar tail.

const ROW_BLOCK: i32 = 256;

/**
 * sumOut[k] = sum over rows of a[r, k] (or of a[r, k] * b[r, k] when b != 0); blockAcc is scratch
 * for c f32 values, sumOut receives c f64 values.
 */
function channelSums(a: usize, b: usize, rows: i32, c: i32, blockAcc: usize, sumOut: usize): void {
  const pix = <usize>c << 2;
  const c4 = c & ~3;
  memory.fill(sumOut, 0, <usize>c << 3);
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const r1 = min(rows, r0 + ROW_BLOCK);
    memory.fill(blockAcc, 0, pix);
    for (let r = r0; r < r1; r++) {
      const ap = a + <usize>r * pix;
      if (b != 0) {
        const bp = b + <usize>r * pix;
        for (let k = 0; k < c4; k += 4) {
          const o = <usize>k << 2;
          v128.store(blockAcc + o, f32x4.add(v128.load(blockAcc + o), f32x4.mul(v128.load(ap + o), v128.load(bp + o))));
        }
        for (let k = c4; k < c; k++) {
          const o = <usize>k << 2;
          store<f32>(blockAcc + o, load<f32>(blockAcc + o) + load<f32>(ap + o) * load<f32>(bp + o));
        }
      } else {
        for (let k = 0; k < c4; k += 4) {
          const o = <usize>k << 2;
          v128.store(blockAcc + o, f32x4.add(v128.load(blockAcc + o), v128.load(ap + o)));
        }
        for (let k = c4; k < c; k++) {
          const o = <usize>k << 2;
          store<f32>(blockAcc + o, load<f32>(blockAcc + o) + load<f32>(ap + o));
        }
      }
    }
    for (let k = 0; k < c; k++) {
      const o = <usize>k << 3;
      store<f64>(sumOut + o, load<f64>(sumOut + o) + <f64>load<f32>(blockAcc + (<usize>k << 2)));
    }
  }
}

/** Per-channel sum of an [rows, c] matrix into out (c f32 values). scratch: c*12 bytes. */
export function channelSum(a: usize, rows: i32, c: i32, out: usize, scratch: usize): void {
  const sums = scratch + (<usize>c << 2);
  channelSums(a, 0, rows, c, scratch, sums);
  for (let k = 0; k < c; k++) store<f32>(out + (<usize>k << 2), <f32>load<f64>(sums + (<usize>k << 3)));
}

/**
 * Training-mode forward. Writes y (may alias nothing), mean and variance (biased, c values each).
 * scratch: c*12 bytes.
 */
export function batchNormTrain(
  x: usize, gamma: usize, beta: usize, y: usize, mean: usize, variance: usize,
  rows: i32, c: i32, epsilon: f32, relu: i32, scratch: usize,
): void {
  const pix = <usize>c << 2;
  const c4 = c & ~3;
  const sums = scratch + (<usize>c << 2);
  channelSums(x, 0, rows, c, scratch, sums);
  for (let k = 0; k < c; k++) {
    store<f32>(mean + (<usize>k << 2), <f32>(load<f64>(sums + (<usize>k << 3)) / <f64>rows));
  }
  // Second pass on centred values: the textbook E[x^2] - E[x]^2 loses digits in f32.
  memory.fill(sums, 0, <usize>c << 3);
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const r1 = min(rows, r0 + ROW_BLOCK);
    memory.fill(scratch, 0, pix);
    for (let r = r0; r < r1; r++) {
      const xp = x + <usize>r * pix;
      for (let k = 0; k < c4; k += 4) {
        const o = <usize>k << 2;
        const d = f32x4.sub(v128.load(xp + o), v128.load(mean + o));
        v128.store(scratch + o, f32x4.add(v128.load(scratch + o), f32x4.mul(d, d)));
      }
      for (let k = c4; k < c; k++) {
        const o = <usize>k << 2;
        const d = load<f32>(xp + o) - load<f32>(mean + o);
        store<f32>(scratch + o, load<f32>(scratch + o) + d * d);
      }
    }
    for (let k = 0; k < c; k++) {
      const o = <usize>k << 3;
      store<f64>(sums + o, load<f64>(sums + o) + <f64>load<f32>(scratch + (<usize>k << 2)));
    }
  }
  for (let k = 0; k < c; k++) {
    store<f32>(variance + (<usize>k << 2), <f32>(load<f64>(sums + (<usize>k << 3)) / <f64>rows));
  }
  // y = x * scale + shift with scale = gamma / sqrt(var + eps), shift = beta - mean * scale.
  const scale = scratch;
  const shift = scratch + (<usize>c << 2);
  for (let k = 0; k < c; k++) {
    const o = <usize>k << 2;
    const s = load<f32>(gamma + o) / Mathf.sqrt(load<f32>(variance + o) + epsilon);
    store<f32>(scale + o, s);
    store<f32>(shift + o, load<f32>(beta + o) - load<f32>(mean + o) * s);
  }
  batchNormApply(x, scale, shift, y, rows, c, relu);
}

/** y = x * scale[k] + shift[k] per channel, then max(0, .) if relu != 0. */
export function batchNormApply(x: usize, scale: usize, shift: usize, y: usize, rows: i32, c: i32, relu: i32): void {
  const pix = <usize>c << 2;
  const c4 = c & ~3;
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const xp = x + <usize>r * pix;
    const yp = y + <usize>r * pix;
    if (relu != 0) {
      for (let k = 0; k < c4; k += 4) {
        const o = <usize>k << 2;
        v128.store(yp + o, f32x4.max(zero, f32x4.add(f32x4.mul(v128.load(xp + o), v128.load(scale + o)), v128.load(shift + o))));
      }
      for (let k = c4; k < c; k++) {
        const o = <usize>k << 2;
        store<f32>(yp + o, max<f32>(0, load<f32>(xp + o) * load<f32>(scale + o) + load<f32>(shift + o)));
      }
    } else {
      for (let k = 0; k < c4; k += 4) {
        const o = <usize>k << 2;
        v128.store(yp + o, f32x4.add(f32x4.mul(v128.load(xp + o), v128.load(scale + o)), v128.load(shift + o)));
      }
      for (let k = c4; k < c; k++) {
        const o = <usize>k << 2;
        store<f32>(yp + o, load<f32>(xp + o) * load<f32>(scale + o) + load<f32>(shift + o));
      }
    }
  }
}

/** g = dy where y > 0, else 0 (ReLU gradient from the ReLU's output); g may equal dy. */
function reluMask(dy: usize, y: usize, g: usize, rows: i32, c: i32): void {
  const pix = <usize>c << 2;
  const c4 = c & ~3;
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const dp = dy + <usize>r * pix;
    const yp = y + <usize>r * pix;
    const gp = g + <usize>r * pix;
    for (let k = 0; k < c4; k += 4) {
      const o = <usize>k << 2;
      v128.store(gp + o, v128.and(v128.load(dp + o), f32x4.gt(v128.load(yp + o), zero)));
    }
    for (let k = c4; k < c; k++) {
      const o = <usize>k << 2;
      store<f32>(gp + o, load<f32>(yp + o) > 0 ? load<f32>(dp + o) : 0);
    }
  }
}

/**
 * Training-mode backward. With xhat = (x - mean) * invStd and g = dy (masked by y > 0 when relu != 0):
 *   dbeta = sum g, dgamma = sum g * xhat,
 *   dx = gamma * invStd * (g - dbeta / rows - xhat * dgamma / rows).
 * Inputs are never written (with relu the masked g is built in dx, then overwritten element by
 * element). y is only read when relu != 0. scratch: c*28 bytes.
 */
export function batchNormGrad(
  dy: usize, x: usize, y: usize, mean: usize, variance: usize, gamma: usize,
  dx: usize, dgamma: usize, dbeta: usize,
  rows: i32, c: i32, epsilon: f32, relu: i32, scratch: usize,
): void {
  const pix = <usize>c << 2;
  const c4 = c & ~3;
  if (relu != 0) {
    reluMask(dy, y, dx, rows, c);
    dy = dx;
  }
  const blockAcc = scratch;
  const sums = scratch + (<usize>c << 2); // c f64
  const invStd = scratch + (<usize>c * 12);
  const a = invStd + (<usize>c << 2);
  const bcoef = a + (<usize>c << 2);
  const ccoef = bcoef + (<usize>c << 2);
  for (let k = 0; k < c; k++) {
    const o = <usize>k << 2;
    store<f32>(invStd + o, 1 / Mathf.sqrt(load<f32>(variance + o) + epsilon));
  }
  channelSums(dy, 0, rows, c, blockAcc, sums);
  for (let k = 0; k < c; k++) store<f32>(dbeta + (<usize>k << 2), <f32>load<f64>(sums + (<usize>k << 3)));
  // sum g * (x - mean), then scale by invStd: dgamma = invStd * sum g * (x - mean).
  memory.fill(sums, 0, <usize>c << 3);
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const r1 = min(rows, r0 + ROW_BLOCK);
    memory.fill(blockAcc, 0, pix);
    for (let r = r0; r < r1; r++) {
      const gp = dy + <usize>r * pix;
      const xp = x + <usize>r * pix;
      for (let k = 0; k < c4; k += 4) {
        const o = <usize>k << 2;
        const d = f32x4.sub(v128.load(xp + o), v128.load(mean + o));
        v128.store(blockAcc + o, f32x4.add(v128.load(blockAcc + o), f32x4.mul(v128.load(gp + o), d)));
      }
      for (let k = c4; k < c; k++) {
        const o = <usize>k << 2;
        store<f32>(blockAcc + o, load<f32>(blockAcc + o) + load<f32>(gp + o) * (load<f32>(xp + o) - load<f32>(mean + o)));
      }
    }
    for (let k = 0; k < c; k++) {
      const o = <usize>k << 3;
      store<f64>(sums + o, load<f64>(sums + o) + <f64>load<f32>(blockAcc + (<usize>k << 2)));
    }
  }
  // dx = a * g + bcoef * (x - mean) + ccoef, per channel:
  //   a = gamma * invStd, bcoef = -a * invStd^2 * sum(g (x-mean)) / rows, ccoef = -a * dbeta / rows.
  const invRows: f64 = 1.0 / <f64>rows;
  for (let k = 0; k < c; k++) {
    const o = <usize>k << 2;
    const s = load<f32>(invStd + o);
    const sgx = load<f64>(sums + (<usize>k << 3));
    store<f32>(dgamma + o, <f32>(sgx * <f64>s));
    const ak = load<f32>(gamma + o) * s;
    store<f32>(a + o, ak);
    store<f32>(bcoef + o, <f32>(-<f64>ak * <f64>s * <f64>s * sgx * invRows));
    store<f32>(ccoef + o, <f32>(-<f64>ak * <f64>load<f32>(dbeta + o) * invRows));
  }
  for (let r = 0; r < rows; r++) {
    const gp = dy + <usize>r * pix;
    const xp = x + <usize>r * pix;
    const dp = dx + <usize>r * pix;
    for (let k = 0; k < c4; k += 4) {
      const o = <usize>k << 2;
      const d = f32x4.sub(v128.load(xp + o), v128.load(mean + o));
      v128.store(dp + o, f32x4.add(
        f32x4.add(f32x4.mul(v128.load(a + o), v128.load(gp + o)), f32x4.mul(v128.load(bcoef + o), d)),
        v128.load(ccoef + o)));
    }
    for (let k = c4; k < c; k++) {
      const o = <usize>k << 2;
      store<f32>(dp + o, load<f32>(a + o) * load<f32>(gp + o)
        + load<f32>(bcoef + o) * (load<f32>(xp + o) - load<f32>(mean + o)) + load<f32>(ccoef + o));
    }
  }
}

/**
 * Gradient of ReLU followed by the per-channel bias sum (for a conv or dense layer with a fused
 * bias + ReLU): g = dy masked by y > 0, dbias[k] = sum over rows of g. scratch: c*12 bytes.
 */
export function reluBiasGrad(dy: usize, y: usize, g: usize, dbias: usize, rows: i32, c: i32, scratch: usize): void {
  reluMask(dy, y, g, rows, c);
  channelSum(g, rows, c, dbias, scratch);
}
