/**
 * Synaptic device models of the fidelity sweep and the blocks the core's weight writers read
 * (layout: assembly/device-layout.ts; kernel: assembly/device.ts, twin src/core/reference/device.ts).
 *
 * A device model is NeuroSim's "real device" (MLP_NeuroSim_V3.0 Cell.cpp / formula.cpp):
 *   G(P) = B (1 - exp(-P / A)) + Gmin,  B = (Gmax - Gmin) / (1 - exp(-Pmax / A)),
 * Pmax programming pulses from Gmin to Gmax ("levels = pulses"), A set by the non-linearity label NL
 * (separately for potentiation and depression; NL < 0 gives A < 0, NeuroSim's depression convention),
 * cycle-to-cycle noise of sigma (Gmax - Gmin) sqrt(|pulses|) per write and device-to-device spread of NL.
 * The weight is the normalised conductance u = (G - Gmin) / (Gmax - Gmin) times wMax.
 */
import * as D from '../../assembly/device-layout.js';
import { ROUND_NEAREST, ROUND_STOCHASTIC, ROUND_TRUNCATE, STREAM_DEVICE } from '../../assembly/context.js';
import { hash } from '../core/reference/rng.js';
import { ValidationError, requireFinite, requireInteger } from '../errors.js';

const f = Math.fround;

/** Intervals of every curve table (interpolation error below 1e-5 of the range for |NL| <= 6). */
export const CURVE_INTERVALS = 4096;
/** Device-to-device classes: NL quantised to this many values spanning mean +- 4 sigma. */
export const D2D_CLASSES = 33;
const D2D_SPAN_SIGMAS = 4;
/** NeuroSim's NL label: the largest distance of the normalised curve from the straight line is 0.07 |NL|. */
const NL_DISTANCE_PER_LABEL = 0.07;
/** |NL| below this is treated as a linear device. */
const LINEAR_NL = 0.005;
/** Largest |NL| accepted (the range of NeuroSim's table). */
export const MAX_NL = 9;

export type Rounding = 'nearest' | 'stochastic' | 'truncate';
export const ROUNDING_CODE: Record<Rounding, number> = { nearest: ROUND_NEAREST, stochastic: ROUND_STOCHASTIC, truncate: ROUND_TRUNCATE };

/** A device as the writer sees it (one per sweep point; pulses = 2^bits - 1). */
export interface DeviceSpec {
  /** Pulses from Gmin to Gmax (NeuroSim's levels); the ideal device has pulses + 1 levels. */
  pulses: number;
  nonlinearityLtp: number;
  nonlinearityLtd: number;
  /** Cycle-to-cycle sigma as a fraction of (Gmax - Gmin), times sqrt(|pulses|) per write. */
  cycleToCycleSigma: number;
  /** Sigma of NL across devices (each synapse draws its LTP and LTD NL independently). */
  deviceToDeviceSigmaNl: number;
}

/**
 * Normalised A (A / Pmax) of the non-linearity label NL, signed like NL; Infinity for a linear device.
 * Solves max_p (g(p) - p) = 0.07 sqrt(2) |NL| for g(p) = (1 - e^(-p/a)) / (1 - e^(-1/a)) by bisection
 * (NeuroSim tabulates the same relation, formula.cpp getParamA, in steps of 0.01).
 */
export function nonlinearityToA(nl: number): number {
  requireFinite('non-linearity', nl, -MAX_NL, MAX_NL);
  const mag = Math.abs(nl);
  if (mag < LINEAR_NL) return Infinity;
  const target = NL_DISTANCE_PER_LABEL * Math.SQRT2 * mag;
  // Deviation is decreasing in a; bracket in log space.
  let lo = Math.log(1e-4);
  let hi = Math.log(1e6);
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (maxDeviation(Math.exp(mid)) > target) lo = mid;
    else hi = mid;
  }
  const a = Math.exp(0.5 * (lo + hi));
  return nl < 0 ? -a : a;
}

/** max_p (g(p) - p) of the normalised curve with a > 0. */
function maxDeviation(a: number): number {
  const c = -Math.expm1(-1 / a); // 1 - e^(-1/a)
  const p = Math.min(1, Math.max(0, -a * Math.log(a * c)));
  return -Math.expm1(-p / a) / c - p;
}

/** Normalised conductance after pulse position p in [0, 1] (closed form, f64). */
export function curve(a: number, p: number): number {
  if (!Number.isFinite(a)) return p;
  return Math.expm1(-p / a) / Math.expm1(-1 / a);
}

/** Pulse position of normalised conductance u in [0, 1] (closed form, f64). */
export function inverseCurve(a: number, u: number): number {
  if (!Number.isFinite(a)) return u;
  return -a * Math.log1p(u * Math.expm1(-1 / a));
}

/**
 * Closed-form device update (f64, no tables, no noise): the normalised conductance u after n pulses
 * (n > 0 along the LTP curve with aLtp, n < 0 along the LTD curve with aLtd), clamped to [0, 1].
 */
export function closedFormUpdate(u: number, n: number, pulses: number, aLtp: number, aLtd: number): number {
  if (n === 0) return u;
  const a = n > 0 ? aLtp : aLtd;
  const p = inverseCurve(a, Math.min(1, Math.max(0, u))) + n / pulses;
  if (p >= 1) return 1;
  if (p <= 0) return 0;
  return curve(a, p);
}

/** Forward (p -> u) and inverse (u -> p) tables on K intervals, f32. */
export function curveTables(a: number, k = CURVE_INTERVALS): { forward: Float32Array; inverse: Float32Array } {
  const forward = new Float32Array(k + 1);
  const inverse = new Float32Array(k + 1);
  for (let i = 0; i <= k; i++) {
    forward[i] = curve(a, i / k);
    inverse[i] = inverseCurve(a, i / k);
  }
  forward[0] = 0;
  inverse[0] = 0;
  forward[k] = 1;
  inverse[k] = 1;
  return { forward, inverse };
}

/**
 * Inverse of the standard normal CDF (Wichura 1988, algorithm AS 241 PPND16; relative error ~1e-16).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new ValidationError('p', p, 'a probability in (0, 1)');
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r +
          13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r +
        5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r +
        3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r +
        0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    x =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r +
        0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r +
        0.0148753612908506148525) * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -x : x;
}

let gaussCache: Float32Array | null = null;

/** Standard normal quantiles at (k + 0.5) / 65536: the noise table indexed by 16 hash bits. */
export function gaussianTable(): Float32Array {
  if (!gaussCache) {
    gaussCache = new Float32Array(D.GAUSS_TABLE_SIZE);
    for (let k = 0; k < D.GAUSS_TABLE_SIZE; k++) gaussCache[k] = normalQuantile((k + 0.5) / D.GAUSS_TABLE_SIZE);
  }
  return gaussCache;
}

/** Standard normal draw of the device stream for (seed, step, index), from the same table as the kernel. */
export function deviceGaussian(seed: number, step: number, index: number): number {
  return gaussianTable()[hash(seed, STREAM_DEVICE, step, index) >>> (32 - D.GAUSS_TABLE_BITS)]!;
}

/** NL of device class c (0..D2D_CLASSES-1) around `mean` with spread `sigma`. */
export function classNonlinearity(mean: number, sigma: number, c: number): number {
  const step = (2 * D2D_SPAN_SIGMAS) / (D2D_CLASSES - 1);
  return Math.min(MAX_NL, Math.max(-MAX_NL, mean + sigma * (c - (D2D_CLASSES - 1) / 2) * step));
}

/** Class of a standard normal draw z. */
export function classOf(z: number): number {
  const step = (2 * D2D_SPAN_SIGMAS) / (D2D_CLASSES - 1);
  return Math.min(D2D_CLASSES - 1, Math.max(0, Math.round(z / step + (D2D_CLASSES - 1) / 2)));
}

/** Device-to-device draws: LTP on device step 0, LTD on device step 1, one per synapse index. */
export const D2D_STEP_LTP = 0;
export const D2D_STEP_LTD = 1;

export interface StatsBlockOptions {
  /** Histogram bin size in weight units (one level). */
  unit: number;
  /** H: histogram bins -H..H plus under/overflow. */
  histogramHalf?: number;
}

export interface DeviceBlockOptions extends StatsBlockOptions {
  nIn: number;
  nOut: number;
  wMax: number;
  seed: number;
  rounding: Rounding;
}

export const DEFAULT_HISTOGRAM_HALF = 16;

function statsBytes(half: number): number {
  return D.PHASES * (D.ST_FIXED_SLOTS + 2 * half + 3) * 8;
}

const align = (x: number, a: number): number => Math.ceil(x / a) * a;

function header(bytes: number, mode: number, unit: number, half: number): { block: Uint8Array; i32: Int32Array; f32: Float32Array; u32: Uint32Array } {
  const block = new Uint8Array(align(bytes, 16));
  const i32 = new Int32Array(block.buffer);
  const f32 = new Float32Array(block.buffer);
  const u32 = new Uint32Array(block.buffer);
  i32[D.DEV_MODE >>> 2] = mode;
  i32[D.DEV_HIST_HALF >>> 2] = half;
  f32[D.DEV_UNIT_INV >>> 2] = f(1 / unit);
  return { block, i32, f32, u32 };
}

/** A statistics-only block (fixed-point and f32 layers): records every write, changes nothing. */
export function buildStatsBlock(o: StatsBlockOptions): Uint8Array {
  const half = requireInteger('histogram half width', o.histogramHalf ?? DEFAULT_HISTOGRAM_HALF, 1, 1024);
  const stats = D.DEV_HEADER_BYTES;
  const { block, u32 } = header(stats + statsBytes(half), D.MODE_STATS, o.unit, half);
  u32[D.DEV_O_STATS >>> 2] = stats;
  return block;
}

/** A device block for an f32 layer of nIn x nOut synapses (tables, per-synapse classes, noise tables, statistics). */
export function buildDeviceBlock(spec: DeviceSpec, o: DeviceBlockOptions): Uint8Array {
  const pulses = requireInteger('device pulses', spec.pulses, 1, 65535);
  const half = requireInteger('histogram half width', o.histogramHalf ?? DEFAULT_HISTOGRAM_HALF, 1, 1024);
  const sigmaD2d = requireFinite('device-to-device sigma', spec.deviceToDeviceSigmaNl, 0, MAX_NL);
  const sigmaC2c = requireFinite('cycle-to-cycle sigma', spec.cycleToCycleSigma, 0, 1);
  requireFinite('NL LTP', spec.nonlinearityLtp, -MAX_NL, MAX_NL);
  requireFinite('NL LTD', spec.nonlinearityLtd, -MAX_NL, MAX_NL);
  const synapses = o.nIn * o.nOut;
  const classes = sigmaD2d > 0 ? D2D_CLASSES : 1;
  const k = CURVE_INTERVALS;
  const tableBytes = (k + 1) * 4;
  let p = D.DEV_HEADER_BYTES;
  const take = (bytes: number): number => {
    const at = p;
    p = align(p + bytes, 16);
    return at;
  };
  const oTables = take(classes * 4 * tableBytes);
  const oLtp = classes > 1 ? take(synapses) : 0;
  const oLtd = classes > 1 ? take(synapses) : 0;
  const oGauss = sigmaC2c > 0 ? take(D.GAUSS_TABLE_SIZE * 4) : 0;
  const oSqrt = take((D.MAX_PULSES + 1) * 4);
  const oStats = take(statsBytes(half));
  const { block, i32, f32, u32 } = header(p, D.MODE_DEVICE, o.unit, half);
  i32[D.DEV_ROUNDING >>> 2] = ROUNDING_CODE[o.rounding];
  i32[D.DEV_INTERVALS >>> 2] = k;
  i32[D.DEV_CLASSES >>> 2] = classes;
  i32[D.DEV_C2C >>> 2] = sigmaC2c > 0 ? 1 : 0;
  f32[D.DEV_INV_STEP >>> 2] = f(pulses / o.wMax);
  f32[D.DEV_PULSE_STEP >>> 2] = f(1 / pulses);
  f32[D.DEV_SIGMA_W >>> 2] = f(sigmaC2c);
  f32[D.DEV_K_F32 >>> 2] = k;
  f32[D.DEV_INV_W_MAX >>> 2] = f(1 / o.wMax);
  u32[D.DEV_O_TABLES >>> 2] = oTables;
  u32[D.DEV_O_LTP_CLASS >>> 2] = oLtp;
  u32[D.DEV_O_LTD_CLASS >>> 2] = oLtd;
  u32[D.DEV_O_GAUSS >>> 2] = oGauss;
  u32[D.DEV_O_SQRT >>> 2] = oSqrt;
  u32[D.DEV_O_STATS >>> 2] = oStats;
  for (let c = 0; c < classes; c++) {
    const nlP = classes > 1 ? classNonlinearity(spec.nonlinearityLtp, sigmaD2d, c) : spec.nonlinearityLtp;
    const nlD = classes > 1 ? classNonlinearity(spec.nonlinearityLtd, sigmaD2d, c) : spec.nonlinearityLtd;
    const ltp = curveTables(nonlinearityToA(nlP), k);
    const ltd = curveTables(nonlinearityToA(nlD), k);
    const base = (oTables >>> 2) + c * 4 * (k + 1);
    f32.set(ltp.forward, base);
    f32.set(ltp.inverse, base + (k + 1));
    f32.set(ltd.forward, base + 2 * (k + 1));
    f32.set(ltd.inverse, base + 3 * (k + 1));
  }
  if (classes > 1) {
    for (let s = 0; s < synapses; s++) {
      block[oLtp + s] = classOf(deviceGaussian(o.seed, D2D_STEP_LTP, s));
      block[oLtd + s] = classOf(deviceGaussian(o.seed, D2D_STEP_LTD, s));
    }
  }
  if (oGauss) f32.set(gaussianTable(), oGauss >>> 2);
  for (let n = 0; n <= D.MAX_PULSES; n++) f32[(oSqrt >>> 2) + n] = Math.sqrt(n);
  return block;
}

/** Write statistics of one phase, read back from a block. */
export interface PhaseWriteStats {
  attempts: number;
  lost: number;
  saturated: number;
  writes: number;
  pulses: number;
  /** Applied change in bins: counts[0] is "< -H", counts[1 + H + k] is k, the last is "> H". */
  histogram: number[];
}

export interface WriteStats {
  /** Histogram bin size in weight units. */
  unit: number;
  histogramHalf: number;
  stdp: PhaseWriteStats;
  normalisation: PhaseWriteStats;
}

export function readWriteStats(block: Uint8Array): WriteStats {
  const dv = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const half = dv.getInt32(D.DEV_HIST_HALF, true);
  const unit = 1 / dv.getFloat32(D.DEV_UNIT_INV, true);
  const base = dv.getUint32(D.DEV_O_STATS, true);
  const slots = D.ST_FIXED_SLOTS + 2 * half + 3;
  const phase = (k: number): PhaseWriteStats => {
    const at = (s: number) => dv.getFloat64(base + (k * slots + s) * 8, true);
    const histogram: number[] = [];
    for (let b = 0; b < 2 * half + 3; b++) histogram.push(at(D.ST_HIST + b));
    return {
      attempts: at(D.ST_ATTEMPTS),
      lost: at(D.ST_LOST),
      saturated: at(D.ST_SATURATED),
      writes: at(D.ST_WRITES),
      pulses: at(D.ST_PULSES),
      histogram,
    };
  };
  return { unit, histogramHalf: half, stdp: phase(D.PHASE_STDP), normalisation: phase(D.PHASE_NORM) };
}

/** Zeroes the statistics of a block in place. */
export function clearWriteStats(block: Uint8Array): void {
  const dv = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const half = dv.getInt32(D.DEV_HIST_HALF, true);
  const base = dv.getUint32(D.DEV_O_STATS, true);
  block.fill(0, base, base + statsBytes(half));
}
