// Spike encoders. Every encoder yields, for each step, the inputs that spike in it in ascending order.
// Poisson and regular inputs wait in per-step bucket lists (head[step] -> next[input] chain), so a step
// touches only the inputs that spike in it: the cost is O(spikes), not O(inputs x steps).
import { hashAt, stepKey } from './rng';
import { E_TABLE_BITS, STREAM_POISSON, STREAM_POISSON_FIRST } from './context';

// @ts-ignore: decorator
@inline
function at4(p: usize, j: i32): usize {
  return p + (<usize>j << 2);
}

// @ts-ignore: decorator
@inline
function push(head: usize, next: usize, step: i32, i: i32): void {
  store<i32>(at4(next, i), load<i32>(at4(head, step)));
  store<i32>(at4(head, step), i);
}

/** Clears the bucket heads of a sample of `steps` steps. */
export function clearBuckets(head: usize, steps: i32): void {
  for (let t = 0; t < steps; t++) store<i32>(at4(head, t), -1);
}

/**
 * Poisson: the first spike of input i falls at step floor(E * invLog1mP[i]) (a geometric gap minus one),
 * with E = -ln U read from the host-built table eTable[top 16 bits of the hash]. invLog1mP < 0 marks a
 * silent input.
 */
export function poissonStart(
  head: usize, next: usize, invLog: usize, eTable: usize, nIn: i32, steps: i32, seed: u32, globalStep: u32,
): void {
  const key = stepKey(seed, STREAM_POISSON_FIRST, globalStep);
  const limit = <f32>steps;
  for (let i = 0; i < nIn; i++) {
    const inv = load<f32>(at4(invLog, i));
    if (inv < 0) continue;
    const e = load<f32>(at4(eTable, <i32>(hashAt(key, <u32>i) >>> (32 - E_TABLE_BITS))));
    const x = e * inv;
    if (x < limit) push(head, next, <i32>x, i);
  }
}

/** Regular (deterministic) rate code: the k-th spike (k = 1, 2, ...) falls at step ceil(k / p) - 1 (f64). */
export function regularStart(head: usize, next: usize, pIn: usize, count: usize, nIn: i32, steps: i32): void {
  for (let i = 0; i < nIn; i++) {
    store<i32>(at4(count, i), 0);
    const p = <f64>load<f32>(at4(pIn, i));
    if (p <= 0) continue;
    const t = Math.ceil(1.0 / p) - 1.0;
    if (t < <f64>steps) push(head, next, <i32>t, i);
  }
}

/**
 * Pops the inputs of step t into list (unsorted) and schedules each one's next spike.
 * Returns the number of inputs that spike in step t.
 */
export function popPoisson(
  head: usize, next: usize, list: usize, invLog: usize, eTable: usize, t: i32, steps: i32, seed: u32, globalStep: u32,
): i32 {
  let n = 0;
  let i = load<i32>(at4(head, t));
  while (i >= 0) {
    store<i32>(at4(list, n++), i);
    i = load<i32>(at4(next, i));
  }
  if (n == 0) return 0;
  const key = stepKey(seed, STREAM_POISSON, globalStep);
  const limit = <f32>(steps - t - 1);
  for (let k = 0; k < n; k++) {
    const inp = load<i32>(at4(list, k));
    const e = load<f32>(at4(eTable, <i32>(hashAt(key, <u32>inp) >>> (32 - E_TABLE_BITS))));
    const x = e * load<f32>(at4(invLog, inp));
    if (x < limit) push(head, next, t + 1 + <i32>x, inp);
  }
  return n;
}

/** Regular code: pops step t and schedules each input's next spike. */
export function popRegular(head: usize, next: usize, list: usize, pIn: usize, count: usize, t: i32, steps: i32): i32 {
  let n = 0;
  let i = load<i32>(at4(head, t));
  while (i >= 0) {
    store<i32>(at4(list, n++), i);
    i = load<i32>(at4(next, i));
  }
  for (let k = 0; k < n; k++) {
    const inp = load<i32>(at4(list, k));
    const c = load<i32>(at4(count, inp)) + 1;
    store<i32>(at4(count, inp), c);
    const nt = Math.ceil(<f64>(c + 1) / <f64>load<f32>(at4(pIn, inp))) - 1.0;
    if (nt < <f64>steps) push(head, next, <i32>nt, inp);
  }
  return n;
}

/** Sorts list[0..n) ascending: insertion sort for short lists, a flag scan over the inputs otherwise. */
export function sortInputs(list: usize, n: i32, flags: usize, nIn: i32): void {
  if (n <= 32) {
    for (let a = 1; a < n; a++) {
      const x = load<i32>(at4(list, a));
      let b = a - 1;
      while (b >= 0 && load<i32>(at4(list, b)) > x) {
        store<i32>(at4(list, b + 1), load<i32>(at4(list, b)));
        b--;
      }
      store<i32>(at4(list, b + 1), x);
    }
    return;
  }
  for (let k = 0; k < n; k++) store<u8>(flags + <usize>load<i32>(at4(list, k)), 1);
  let m = 0;
  for (let i = 0; i < nIn; i++) {
    if (load<u8>(flags + <usize>i)) {
      store<u8>(flags + <usize>i, 0);
      store<i32>(at4(list, m++), i);
    }
  }
}
