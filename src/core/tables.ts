/**
 * Tables and factors the host computes once (in f64, rounded to f32) and passes to the kernels, so that
 * no kernel evaluates exp, log or pow and every backend reads the same numbers.
 */
import { DECAY_TABLE_MAX, E_TABLE_SIZE, MU_TABLE_INTERVALS } from '../../assembly/context.js';

const f = Math.fround;

let eTableCache: Float32Array | null = null;

/** E = -ln U for U = (k + 0.5) / 65536, k = 0..65535: exponential variates indexed by 16 hash bits. */
export function exponentialTable(): Float32Array {
  if (!eTableCache) {
    eTableCache = new Float32Array(E_TABLE_SIZE);
    for (let k = 0; k < E_TABLE_SIZE; k++) eTableCache[k] = -Math.log((k + 0.5) / E_TABLE_SIZE);
  }
  return eTableCache;
}

/** Decay factor exp(-dt / tau) as f32 (1 for tau = Infinity, 0 for tau = 0). */
export function decayFactor(dtMs: number, tauMs: number): number {
  if (tauMs === Infinity) return 1;
  if (tauMs === 0) return 0;
  return f(Math.exp(-dtMs / tauMs));
}

/**
 * a^n = exp(-n dt / tau) for n = 0, 1, ... as f32, up to and including the first entry that rounds to 0
 * (at most DECAY_TABLE_MAX entries, at least 2).
 */
export function decayTable(dtMs: number, tauMs: number): Float32Array {
  const values: number[] = [];
  for (let n = 0; n < DECAY_TABLE_MAX; n++) {
    const x = f(Math.exp((-n * dtMs) / tauMs));
    values.push(x);
    if (x === 0) break;
  }
  if (values.length < 2) values.push(values[0]);
  return Float32Array.from(values);
}

/** y^mu on y = k / N, k = 0..N (N = MU_TABLE_INTERVALS), for the Diehl & Cook weight dependence. */
export function muTable(mu: number): Float32Array {
  const t = new Float32Array(MU_TABLE_INTERVALS + 1);
  for (let k = 0; k <= MU_TABLE_INTERVALS; k++) t[k] = Math.pow(k / MU_TABLE_INTERVALS, mu);
  return t;
}

export interface RestTables {
  /** aMem^m, m = n - r integrating steps after r held (refractory) steps, r = 0..min(R, n). */
  a: Float32Array;
  /** aSyn^(r+1) (aMem^m - aSyn^m) / (aMem - aSyn): contribution of the synaptic current. */
  c: Float32Array;
  /** gain iBias (1 - aMem^m) / (1 - aMem): contribution of the bias current. */
  b: Float32Array;
  /** aSyn^n. */
  synPow: number;
  /** aTheta^n. */
  thetaPow: number;
}

/**
 * Closed-form rest of n silent steps. Powers are of the f32 per-step factors the kernels step with, so a
 * closed-form rest differs from stepping only by the rounding of the stepped recurrence.
 */
export function restTables(
  n: number, refractorySteps: number, aMem: number, aSyn: number, gain: number, iBias: number, aTheta: number,
): RestTables {
  const len = Math.min(refractorySteps, n) + 1;
  const a = new Float32Array(len);
  const c = new Float32Array(len);
  const b = new Float32Array(len);
  for (let r = 0; r < len; r++) {
    const m = n - r;
    const am = Math.pow(aMem, m);
    const sm = Math.pow(aSyn, m);
    a[r] = am;
    const lead = Math.pow(aSyn, r + 1);
    const diff = aMem - aSyn;
    c[r] = lead === 0 ? 0 : lead * (Math.abs(diff) > 1e-12 ? (am - sm) / diff : m * Math.pow(aMem, m - 1));
    b[r] = gain * iBias * (aMem !== 1 ? (1 - am) / (1 - aMem) : m);
  }
  return { a, c, b, synPow: f(Math.pow(aSyn, n)), thetaPow: f(Math.pow(aTheta, n)) };
}
