// Crossbar synapse array: row-major, w[i * stride + j] is the synapse from input i to neuron j
// (stride = nOut rounded up to 16; the padding holds zeros). A presynaptic spike reads one row.
// f32 rows are added into an f32 input vector in ascending input order. Fixed-point rows hold integer
// levels (u8) that are summed exactly as integers and scaled by the level step once per step, so the
// order of spikes cannot change the result.

// @ts-ignore: decorator
@inline
function at4(p: usize, j: i32): usize {
  return p + (<usize>j << 2);
}

/** inp[j] += row[j] for j < n (f32). */
export function addRowF32(inp: usize, row: usize, n: i32, stride: i32): void {
  if (ASC_FEATURE_SIMD) {
    const bytes = <usize>stride << 2;
    for (let o: usize = 0; o < bytes; o += 64) {
      v128.store(inp + o, f32x4.add(v128.load(inp + o), v128.load(row + o)));
      v128.store(inp + o, f32x4.add(v128.load(inp + o, 16), v128.load(row + o, 16)), 16);
      v128.store(inp + o, f32x4.add(v128.load(inp + o, 32), v128.load(row + o, 32)), 32);
      v128.store(inp + o, f32x4.add(v128.load(inp + o, 48), v128.load(row + o, 48)), 48);
    }
  } else {
    for (let j = 0; j < n; j++) {
      store<f32>(at4(inp, j), load<f32>(at4(inp, j)) + load<f32>(at4(row, j)));
    }
  }
}

/** acc16[j] += q[j] for j < n: u8 levels into u16 accumulators (the caller flushes before overflow). */
export function addRowLevels16(acc16: usize, row: usize, n: i32, stride: i32): void {
  if (ASC_FEATURE_SIMD) {
    const bytes = <usize>stride;
    for (let o: usize = 0; o < bytes; o += 16) {
      const q = v128.load(row + o);
      const a = acc16 + (o << 1);
      v128.store(a, i16x8.add(v128.load(a), i16x8.extend_low_i8x16_u(q)));
      v128.store(a, i16x8.add(v128.load(a, 16), i16x8.extend_high_i8x16_u(q)), 16);
    }
  } else {
    for (let j = 0; j < n; j++) {
      const a = acc16 + (<usize>j << 1);
      store<u16>(a, load<u16>(a) + <u16>load<u8>(row + <usize>j));
    }
  }
}

/** acc32[j] += acc16[j]; acc16[j] = 0. */
export function flushLevels16(acc16: usize, acc32: usize, n: i32, stride: i32): void {
  if (ASC_FEATURE_SIMD) {
    const z = i32x4.splat(0);
    for (let j = 0; j < stride; j += 8) {
      const a = acc16 + (<usize>j << 1);
      const x = v128.load(a);
      v128.store(a, z);
      const b = at4(acc32, j);
      v128.store(b, i32x4.add(v128.load(b), i32x4.extend_low_i16x8_u(x)));
      v128.store(b, i32x4.add(v128.load(b, 16), i32x4.extend_high_i16x8_u(x)), 16);
    }
  } else {
    for (let j = 0; j < n; j++) {
      const a = acc16 + (<usize>j << 1);
      store<i32>(at4(acc32, j), load<i32>(at4(acc32, j)) + <i32>load<u16>(a));
      store<u16>(a, 0);
    }
  }
}

/** inp[j] = f32(acc16[j]) * delta; acc16[j] = 0. */
export function levels16ToInput(acc16: usize, inp: usize, delta: f32, n: i32, stride: i32): void {
  if (ASC_FEATURE_SIMD) {
    const z = i32x4.splat(0);
    const d = f32x4.splat(delta);
    for (let j = 0; j < stride; j += 8) {
      const a = acc16 + (<usize>j << 1);
      const x = v128.load(a);
      v128.store(a, z);
      const b = at4(inp, j);
      v128.store(b, f32x4.mul(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(x)), d));
      v128.store(b, f32x4.mul(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(x)), d), 16);
    }
  } else {
    for (let j = 0; j < n; j++) {
      const a = acc16 + (<usize>j << 1);
      store<f32>(at4(inp, j), <f32>load<u16>(a) * delta);
      store<u16>(a, 0);
    }
  }
}

/** inp[j] = f32(acc32[j]) * delta; acc32[j] = 0. */
export function levels32ToInput(acc32: usize, inp: usize, delta: f32, n: i32, stride: i32): void {
  if (ASC_FEATURE_SIMD) {
    const z = i32x4.splat(0);
    const d = f32x4.splat(delta);
    for (let j = 0; j < stride; j += 4) {
      const a = at4(acc32, j);
      const x = v128.load(a);
      v128.store(a, z);
      v128.store(at4(inp, j), f32x4.mul(f32x4.convert_i32x4_s(x), d));
    }
  } else {
    for (let j = 0; j < n; j++) {
      const a = at4(acc32, j);
      store<f32>(at4(inp, j), <f32>load<i32>(a) * delta);
      store<i32>(a, 0);
    }
  }
}

/** Dense clock-driven step, f32: inp[j] += s_i * w[i][j] over every input i in ascending order. */
export function denseStepF32(inp: usize, w: usize, flags: usize, nIn: i32, n: i32, stride: i32): void {
  const rowBytes = <usize>stride << 2;
  for (let i = 0; i < nIn; i++) {
    const s = <f32>load<u8>(flags + <usize>i);
    const row = w + <usize>i * rowBytes;
    if (ASC_FEATURE_SIMD) {
      const sv = f32x4.splat(s);
      for (let o: usize = 0; o < rowBytes; o += 16) {
        v128.store(inp + o, f32x4.add(v128.load(inp + o), f32x4.mul(sv, v128.load(row + o))));
      }
    } else {
      for (let j = 0; j < n; j++) {
        store<f32>(at4(inp, j), load<f32>(at4(inp, j)) + s * load<f32>(at4(row, j)));
      }
    }
  }
}

/** Dense clock-driven step, fixed point: acc32[j] += s_i * q[i][j] over every input i. */
export function denseStepLevels(acc32: usize, w: usize, flags: usize, nIn: i32, n: i32, stride: i32): void {
  for (let i = 0; i < nIn; i++) {
    const s = <i32>load<u8>(flags + <usize>i);
    const row = w + <usize>i * <usize>stride;
    if (ASC_FEATURE_SIMD) {
      const sv = i32x4.splat(s);
      for (let j = 0; j < stride; j += 16) {
        const q = v128.load(row + <usize>j);
        const lo = i16x8.extend_low_i8x16_u(q);
        const hi = i16x8.extend_high_i8x16_u(q);
        const a = at4(acc32, j);
        v128.store(a, i32x4.add(v128.load(a), i32x4.mul(sv, i32x4.extend_low_i16x8_u(lo))));
        v128.store(a, i32x4.add(v128.load(a, 16), i32x4.mul(sv, i32x4.extend_high_i16x8_u(lo))), 16);
        v128.store(a, i32x4.add(v128.load(a, 32), i32x4.mul(sv, i32x4.extend_low_i16x8_u(hi))), 32);
        v128.store(a, i32x4.add(v128.load(a, 48), i32x4.mul(sv, i32x4.extend_high_i16x8_u(hi))), 48);
      }
    } else {
      for (let j = 0; j < n; j++) {
        const a = at4(acc32, j);
        store<i32>(a, load<i32>(a) + s * <i32>load<u8>(row + <usize>j));
      }
    }
  }
}
