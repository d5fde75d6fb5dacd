/**
 * A layer of the event-driven core: an nIn x nOut crossbar feeding nOut LIF neurons, with lateral
 * inhibition and on-chip STDP. One host call presents a whole sample; all state lives in the layer's
 * linear memory (WebAssembly instance or, for the reference backend, an ArrayBuffer of the same layout).
 * Semantics: docs/core.md.
 */
import * as C from '../../assembly/context.js';
import { ValidationError, requireInteger } from '../errors.js';
import { COUNTER_NAMES, type Counters } from './counters.js';
import { resolveConfig, deriveParameters, type Derived, type ResolvedConfig } from './config.js';
import { createEngine, defaultBackend, type Engine } from './engine.js';
import { computeLayout, layoutTail, type Layout, type TailCapacity } from './layout.js';
import { exponentialTable, restTables, type RestTables } from './tables.js';
import { hash, uniform24 } from './reference/rng.js';
import { roundLevels } from './reference/quant.js';
import { gridValue } from './reference/commit.js';
import type { Mem } from './reference/mem.js';
import { decodeState, encodeState, checkStateFits, STATE_FORMAT, STATE_VERSION } from './state.js';
import { checkDeviceBlock } from './device-block.js';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../report/atomic.js';
import type {
  Backend, LayerConfig, LayerState, SampleInput, SampleResult,
} from './types.js';

export type {
  Backend, LayerConfig, NeuronConfig, WeightConfig, StdpConfig, InhibitionConfig, SampleInput, SampleResult, LayerState,
} from './types.js';
export type { Counters } from './counters.js';

const f = Math.fround;
const MAX_STEPS = 1 << 24;
const MAX_REST = 2 ** 30;

export interface Layer {
  /** The configuration with every default filled in. */
  readonly config: LayerConfig;
  /** The backend actually running ('wasm' = SIMD build). */
  readonly backend: Backend;
  /** f32 weights, row-major: w[i * nOut + j] is input i -> neuron j. Fixed point: rounded to the nearest level. */
  setWeights(w: Float32Array | ArrayLike<number>): void;
  getWeights(): Float32Array;
  /** Fixed-point levels (row-major), or null for f32 weights. */
  getWeightLevels(): Uint8Array | null;
  setWeightLevels(q: Uint8Array | ArrayLike<number>): void;
  /** Weights uniform in [lo, hi] from the counter RNG (stream INIT): identical on every backend. */
  initWeightsUniform(lo: number, hi: number): void;
  /** Runs one sample (all its steps, normalisation if learning, then restSteps in closed form). */
  present(input: SampleInput): SampleResult;
  /** Advances `steps` silent steps in closed form; theta decays when `adapt` (default true). */
  rest(steps: number, adapt?: boolean): void;
  /** Scales every neuron's incoming weights to config.normalise.columnSum now. */
  normalise(): void;
  getMembrane(): Float32Array;
  getTheta(): Float32Array;
  setTheta(t: Float32Array | ArrayLike<number>): void;
  /** Membranes to vRest; synaptic currents, traces and refractory counters to 0. Weights, theta, counters and the RNG position stay. */
  resetState(): void;
  /** The same as resetState (the name the network drivers use between samples). */
  resetNeurons(): void;
  /** RNG position: steps run + skipped since creation (mod 2^32); keys Poisson and stochastic-rounding draws. */
  readonly globalStep: number;
  /** Positions the RNG (e.g. so a frozen sample's response depends only on its own key). */
  setGlobalStep(step: number): void;
  counters(): Counters;
  resetCounters(): void;
  /**
   * Attaches a device / write-statistics block (layout: assembly/device-layout.ts; built by
   * src/fidelity/device-model.ts): every weight write is then recorded in it, and a device block makes an
   * f32 layer's writes program an analog device. null detaches. The block is copied into the layer.
   */
  attachDevice(block: Uint8Array | null): void;
  /** A copy of the attached block with its statistics as they are now, or null. */
  deviceBlock(): Uint8Array | null;
  toState(): LayerState;
  fromState(s: LayerState): void;
  saveState(path: string): void;
  loadState(path: string): void;
  dispose(): void;
}

export function createLayer(config: LayerConfig): Layer {
  return new CoreLayer(config);
}

export class CoreLayer implements Layer {
  readonly config: ResolvedConfig;
  readonly backend: Backend;
  private engine: Engine | null;
  private layout: Layout;
  private readonly d: Derived;
  private readonly restCache = new Map<number, RestTables>();
  /** Attached device / statistics block: byte offset in the layer memory and length (0 = none). */
  private devicePtr = 0;
  private deviceLength = 0;

  constructor(config: LayerConfig) {
    this.config = resolveConfig(config);
    this.d = deriveParameters(this.config);
    const engine = createEngine(this.config.backend ?? defaultBackend());
    this.engine = engine;
    this.backend = engine.backend;
    const c = this.config;
    this.layout = computeLayout(
      engine.base,
      {
        nIn: c.nIn,
        nOut: c.nOut,
        bytesPerWeight: this.d.format === C.FORMAT_F32 ? 4 : 1,
        levels: this.d.commit,
        refractorySteps: c.neuron.refractorySteps,
        preDecayLen: this.d.preDecay.length,
        postDecayLen: this.d.postDecay.length,
      },
      this.tailFor(c.maxSteps, 0),
    );
    if (this.layout.end > 2 ** 32 - 2 ** 16) {
      throw new ValidationError('nIn x nOut', `${c.nIn} x ${c.nOut}`, 'a layer whose memory fits in 4 GiB');
    }
    engine.reserve(this.layout.end);
    this.writeStatic();
    this.resetState();
    const m = this.mem();
    m.f32.fill(f(c.neuron.thetaInit), this.layout.theta >>> 2, (this.layout.theta >>> 2) + this.layout.stride);
  }

  // ---- memory helpers ----

  private mem(): Mem {
    if (!this.engine) throw new Error('layer has been disposed');
    return this.engine.mem();
  }
  private eng(): Engine {
    if (!this.engine) throw new Error('layer has been disposed');
    return this.engine;
  }
  private setI(off: number, v: number): void {
    this.mem().i32[(this.layout.ctx + off) >>> 2] = v;
  }
  private setU(off: number, v: number): void {
    this.mem().u32[(this.layout.ctx + off) >>> 2] = v >>> 0;
  }
  private setF(off: number, v: number): void {
    this.mem().f32[(this.layout.ctx + off) >>> 2] = v;
  }
  private getU(off: number): number {
    return this.mem().u32[(this.layout.ctx + off) >>> 2];
  }

  private tailFor(steps: number, explicit: number): TailCapacity {
    const hard = this.config.inhibition.mode === 'hard';
    return {
      maxSteps: steps,
      outCapacity: hard ? steps : steps * this.config.nOut,
      explicitCapacity: explicit,
    };
  }

  /** Grows the per-sample tail when a sample needs more steps or explicit spikes than reserved. */
  private ensureTail(steps: number, explicit: number): void {
    const cap = this.layout.capacity;
    if (steps <= cap.maxSteps && explicit <= cap.explicitCapacity) return;
    const want = this.tailFor(Math.max(cap.maxSteps, steps), Math.max(cap.explicitCapacity, explicit, explicit > 0 ? 1024 : 0));
    if (explicit > cap.explicitCapacity) want.explicitCapacity = Math.max(want.explicitCapacity, cap.explicitCapacity * 2);
    const device = this.deviceBlock();
    this.layout = layoutTail(this.layout, want);
    if (this.layout.end + this.deviceLength > 2 ** 32 - 2 ** 16) {
      throw new ValidationError('steps', steps, 'a sample whose buffers fit in the 4 GiB layer memory');
    }
    this.eng().reserve(this.layout.end);
    this.writeTailPointers();
    if (device) this.placeDevice(device);
  }

  /** Copies a device block to the end of the layer memory and points the context at it. */
  private placeDevice(block: Uint8Array): void {
    const at = Math.ceil(this.layout.end / 64) * 64;
    this.eng().reserve(at + block.length);
    this.mem().u8.set(block, at);
    this.devicePtr = at;
    this.deviceLength = block.length;
    this.setU(C.CTX_P_DEVICE, at);
  }

  attachDevice(block: Uint8Array | null): void {
    if (block === null) {
      this.devicePtr = 0;
      this.deviceLength = 0;
      this.setU(C.CTX_P_DEVICE, 0);
      return;
    }
    checkDeviceBlock(block, this.config);
    this.placeDevice(block);
  }

  deviceBlock(): Uint8Array | null {
    if (this.devicePtr === 0) return null;
    return this.mem().u8.slice(this.devicePtr, this.devicePtr + this.deviceLength);
  }

  private writeTailPointers(): void {
    const l = this.layout;
    this.setU(C.CTX_P_HEAD, l.head);
    this.setU(C.CTX_P_OUT_STEPS, l.outSteps);
    this.setU(C.CTX_P_OUT_NEURONS, l.outNeurons);
    this.setU(C.CTX_P_EXPLICIT_PTR, l.explicitPtr);
    this.setU(C.CTX_P_EXPLICIT_INPUTS, l.explicitInputs);
    this.setI(C.CTX_OUT_CAPACITY, l.capacity.outCapacity);
  }

  private writeStatic(): void {
    const c = this.config;
    const d = this.d;
    const l = this.layout;
    const n = c.neuron;
    this.setI(C.CTX_N_IN, c.nIn);
    this.setI(C.CTX_N_OUT, c.nOut);
    this.setI(C.CTX_STRIDE, l.stride);
    this.setI(C.CTX_FORMAT, d.format);
    this.setI(C.CTX_Q_MAX, d.qMax);
    this.setI(C.CTX_ROUNDING, d.rounding);
    this.setI(C.CTX_RULE, d.rule);
    this.setI(C.CTX_MULTIPLICATIVE, d.multiplicative ? 1 : 0);
    this.setI(C.CTX_TRACE_RESET, d.traceReset ? 1 : 0);
    this.setI(C.CTX_INHIBITION, d.inhibition);
    this.setI(C.CTX_RESET_SUBTRACT, n.reset === 'subtract' ? 1 : 0);
    this.setI(C.CTX_REFRACTORY_STEPS, n.refractorySteps);
    this.setI(C.CTX_DENSE, c.propagation === 'dense' ? 1 : 0);
    this.setU(C.CTX_SEED, c.seed);
    this.setI(C.CTX_INSTANT_SYN, d.instant ? 1 : 0);
    this.setI(C.CTX_MU_MODE, d.muMode);
    this.setI(C.CTX_MU_N, C.MU_TABLE_INTERVALS);
    this.setI(C.CTX_PRE_DECAY_LEN, d.preDecay.length);
    this.setI(C.CTX_POST_DECAY_LEN, d.postDecay.length);
    this.setI(C.CTX_THETA_DECAY, d.thetaDecay ? 1 : 0);
    this.setI(C.CTX_ACC_LIMIT, d.accLimit);
    this.setI(C.CTX_HAS_TRACES, c.stdp.rule === 'none' ? 0 : 1);
    this.setI(C.CTX_COMMIT, d.commit ? 1 : 0);

    this.setF(C.CTX_V_REST, n.vRest);
    this.setF(C.CTX_V_RESET, n.vReset);
    this.setF(C.CTX_V_THRESH, n.vThresh);
    this.setF(C.CTX_V_MIN, n.vMin);
    this.setF(C.CTX_A_MEM, d.aMem);
    this.setF(C.CTX_A_SYN, d.aSyn);
    this.setF(C.CTX_GAIN, n.inputGain);
    this.setF(C.CTX_I_BIAS, n.iBias);
    this.setF(C.CTX_A_THETA, d.aTheta);
    this.setF(C.CTX_THETA_PLUS, n.thetaPlus);
    this.setF(C.CTX_W_MAX, c.weights.wMax);
    this.setF(C.CTX_DELTA, d.delta);
    this.setF(C.CTX_INV_DELTA, d.invDelta);
    this.setF(C.CTX_DEP_RATE, d.depRate);
    this.setF(C.CTX_POT_RATE, d.potRate);
    this.setF(C.CTX_X_TAR, d.xTar);
    this.setF(C.CTX_INH_STRENGTH, c.inhibition.strength);
    this.setF(C.CTX_COLUMN_SUM, c.normalise ? c.normalise.columnSum : 0);
    this.setF(C.CTX_MU_SCALE, d.muScale);
    this.setF(C.CTX_INV_W_MAX, f(1 / c.weights.wMax));

    const ptrs: [number, number][] = [
      [C.CTX_P_W, l.w], [C.CTX_P_NNZ, l.nnz], [C.CTX_P_V, l.v], [C.CTX_P_ISYN, l.isyn], [C.CTX_P_THETA, l.theta],
      [C.CTX_P_REFR, l.refr], [C.CTX_P_X_PRE, l.xPre], [C.CTX_P_LAST_PRE, l.lastPre], [C.CTX_P_X_POST, l.xPost],
      [C.CTX_P_LAST_POST, l.lastPost], [C.CTX_P_ACTIVE_POST, l.activePost], [C.CTX_P_ACTIVE_FLAG, l.activeFlag],
      [C.CTX_P_INP, l.inp], [C.CTX_P_ACC16, l.acc16], [C.CTX_P_ACC32, l.acc32], [C.CTX_P_SPIKE_COUNT, l.spikeCount],
      [C.CTX_P_STEP_LIST, l.stepList], [C.CTX_P_FLAGS, l.flags], [C.CTX_P_NEXT, l.next], [C.CTX_P_P_IN, l.pIn],
      [C.CTX_P_INV_LOG, l.invLog], [C.CTX_P_REG_COUNT, l.regCount], [C.CTX_P_E_TABLE, l.eTable],
      [C.CTX_P_PRE_DECAY, l.preDecay], [C.CTX_P_POST_DECAY, l.postDecay], [C.CTX_P_MU_TABLE, l.muTable],
      [C.CTX_P_D_IDX, l.dIdx], [C.CTX_P_D_VAL, l.dVal], [C.CTX_P_X_PRE_NOW, l.xPreNow], [C.CTX_P_COL_SUM, l.colSum],
      [C.CTX_P_REST_A, l.restA], [C.CTX_P_REST_C, l.restC], [C.CTX_P_REST_B, l.restB], [C.CTX_P_COUNTERS, l.counters],
      [C.CTX_P_CAND, l.cand], [C.CTX_P_CAND_V, l.candV], [C.CTX_P_D_VEC, l.dVec],
      [C.CTX_P_DIRTY_FLAG, l.dirtyFlag], [C.CTX_P_DIRTY_LIST, l.dirtyList], [C.CTX_P_LEVELS, l.levels],
    ];
    for (const [off, p] of ptrs) this.setU(off, p);
    this.writeTailPointers();

    const m = this.mem();
    m.f32.set(exponentialTable(), l.eTable >>> 2);
    m.f32.set(d.preDecay, l.preDecay >>> 2);
    m.f32.set(d.postDecay, l.postDecay >>> 2);
    m.f32.set(d.muTable, l.muTable >>> 2);
  }

  /** Marks the columns in `flags` (every column when omitted) as changed since the last normalisation. */
  private markDirty(flags?: ArrayLike<number>): void {
    const m = this.mem();
    const l = this.layout;
    let count = 0;
    for (let j = 0; j < this.config.nOut; j++) {
      const d = flags ? (flags[j] ? 1 : 0) : 1;
      m.i32[(l.dirtyFlag >>> 2) + j] = d;
      if (d) m.i32[(l.dirtyList >>> 2) + count++] = j;
    }
    this.setI(C.CTX_DIRTY_COUNT, count);
  }

  private recountNnz(): void {
    const m = this.mem();
    const { nIn, nOut } = this.config;
    const l = this.layout;
    for (let i = 0; i < nIn; i++) {
      let nz = 0;
      if (this.d.format === C.FORMAT_F32) {
        const r = (l.w >>> 2) + i * l.stride;
        for (let j = 0; j < nOut; j++) if (m.f32[r + j] !== 0) nz++;
      } else {
        const r = l.w + i * l.stride;
        for (let j = 0; j < nOut; j++) if (m.u8[r + j] !== 0) nz++;
      }
      m.i32[(l.nnz >>> 2) + i] = nz;
    }
  }

  /** Row-major nIn x nOut copy of an f32 or u8 matrix stored with the padded row stride. */
  private readMatrix<T extends Float32Array | Uint8Array>(out: T, src: T, base: number): T {
    const { nIn, nOut } = this.config;
    const s = this.layout.stride;
    for (let i = 0; i < nIn; i++) out.set(src.subarray(base + i * s, base + i * s + nOut), i * nOut);
    return out;
  }

  private requireLength(field: string, value: unknown, length: number): ArrayLike<number> {
    if (
      value === null || typeof value !== 'object' || typeof (value as ArrayLike<number>).length !== 'number' ||
      (value as ArrayLike<number>).length !== length
    ) {
      throw new ValidationError(field, value, `an array of length ${length}`);
    }
    return value as ArrayLike<number>;
  }

  // ---- weights ----

  setWeights(w: Float32Array | ArrayLike<number>): void {
    const { nIn, nOut } = this.config;
    const wMax = this.config.weights.wMax;
    const src = this.requireLength('weights', w, nIn * nOut);
    const m = this.mem();
    const l = this.layout;
    for (let k = 0; k < src.length; k++) {
      const x = src[k];
      if (typeof x !== 'number' || !(x >= 0 && x <= wMax)) {
        throw new ValidationError(`weights[${k}]`, x, `a number in [0, wMax = ${wMax}]`);
      }
    }
    for (let i = 0; i < nIn; i++) {
      for (let j = 0; j < nOut; j++) {
        const x = f(src[i * nOut + j]);
        if (this.config.weights.format === 'f32') m.f32[(l.w >>> 2) + i * l.stride + j] = Math.min(x, f(wMax));
        else this.storeLevel(i * l.stride + j, this.nearestLevel(x));
      }
    }
    this.recountNnz();
    this.markDirty();
  }

  /** Stores level q in padded cell `cell`; a per-sample commit store also sets its f32 working weight to the grid value. */
  private storeLevel(cell: number, q: number): void {
    const m = this.mem();
    const l = this.layout;
    if (this.d.commit) {
      m.u8[l.levels + cell] = q;
      m.f32[(l.w >>> 2) + cell] = gridValue(q, this.d.delta, f(this.config.weights.wMax));
    } else {
      m.u8[l.w + cell] = q;
    }
  }

  /** Row-major copy of the levels of a fixed-point store (from the level array of a per-sample commit store). */
  private readLevels(): Uint8Array {
    const { nIn, nOut } = this.config;
    return this.readMatrix(new Uint8Array(nIn * nOut), this.mem().u8, this.d.commit ? this.layout.levels : this.layout.w);
  }

  private nearestLevel(x: number): number {
    const k = roundLevels(f(x * this.d.invDelta), C.ROUND_NEAREST, 0, 0);
    return Math.min(Math.max(k, 0), this.d.qMax);
  }

  getWeights(): Float32Array {
    const m = this.mem();
    const l = this.layout;
    const { nIn, nOut } = this.config;
    // f32 stores, and per-sample commit stores (whose working weights are the grid values between samples).
    if (this.d.format === C.FORMAT_F32) return this.readMatrix(new Float32Array(nIn * nOut), m.f32, l.w >>> 2);
    const q = this.readLevels();
    const out = new Float32Array(q.length);
    for (let k = 0; k < q.length; k++) out[k] = f(q[k] * this.d.delta);
    return out;
  }

  getWeightLevels(): Uint8Array | null {
    if (this.config.weights.format !== 'fixed') return null;
    return this.readLevels();
  }

  setWeightLevels(q: Uint8Array | ArrayLike<number>): void {
    if (this.config.weights.format !== 'fixed') {
      throw new ValidationError('weights.format', this.config.weights.format, "'fixed' (levels exist only for fixed-point weights)");
    }
    const { nIn, nOut } = this.config;
    const src = this.requireLength('weightLevels', q, nIn * nOut);
    for (let k = 0; k < src.length; k++) {
      const x = src[k];
      if (!Number.isInteger(x) || x < 0 || x > this.d.qMax) {
        throw new ValidationError(`weightLevels[${k}]`, x, `an integer in [0, ${this.d.qMax}]`);
      }
    }
    const l = this.layout;
    for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) this.storeLevel(i * l.stride + j, src[i * nOut + j]);
    this.recountNnz();
    this.markDirty();
  }

  initWeightsUniform(lo: number, hi: number): void {
    const wMax = this.config.weights.wMax;
    if (typeof lo !== 'number' || !(lo >= 0 && lo <= wMax)) throw new ValidationError('lo', lo, `a number in [0, wMax = ${wMax}]`);
    if (typeof hi !== 'number' || !(hi >= lo && hi <= wMax)) throw new ValidationError('hi', hi, `a number in [lo = ${lo}, wMax = ${wMax}]`);
    const { nIn, nOut, seed } = this.config;
    const step = this.getU(C.CTX_GLOBAL_STEP);
    const flo = f(lo);
    const span = f(f(hi) - flo);
    const m = this.mem();
    const l = this.layout;
    for (let i = 0; i < nIn; i++) {
      for (let j = 0; j < nOut; j++) {
        const u = uniform24(hash(seed, C.STREAM_INIT, step, i * nOut + j));
        const x = f(flo + f(span * u));
        if (this.config.weights.format === 'f32') m.f32[(l.w >>> 2) + i * l.stride + j] = x;
        else this.storeLevel(i * l.stride + j, this.nearestLevel(x));
      }
    }
    this.recountNnz();
    this.markDirty();
  }

  // ---- running ----

  private writeRest(n: number): void {
    let t = this.restCache.get(n);
    if (!t) {
      const nc = this.config.neuron;
      t = restTables(n, nc.refractorySteps, this.d.aMem, this.d.aSyn, f(nc.inputGain), f(nc.iBias), this.d.aTheta);
      if (this.restCache.size > 64) this.restCache.clear();
      this.restCache.set(n, t);
    }
    const m = this.mem();
    const l = this.layout;
    m.f32.set(t.a, l.restA >>> 2);
    m.f32.set(t.c, l.restC >>> 2);
    m.f32.set(t.b, l.restB >>> 2);
    this.setF(C.CTX_REST_SYN, t.synPow);
    this.setF(C.CTX_REST_THETA, t.thetaPow);
    this.setI(C.CTX_REST_STEPS, n);
  }

  present(input: SampleInput): SampleResult {
    const c = this.config;
    if (input === null || typeof input !== 'object') throw new ValidationError('input', input, 'a SampleInput object');
    const steps = requireInteger('input.steps', input.steps, 0, MAX_STEPS);
    const learn = input.learn === undefined ? false : requireBool('input.learn', input.learn);
    const adapt = input.adapt === undefined ? learn : requireBool('input.adapt', input.adapt);
    const restSteps = input.restSteps === undefined ? 0 : requireInteger('input.restSteps', input.restSteps, 0, MAX_REST);
    if (input.rates !== undefined && input.spikeSteps !== undefined) {
      throw new ValidationError('input', 'rates and spikeSteps', 'either rates or spikeSteps, not both');
    }
    if (input.regular !== undefined && (typeof input.regular !== 'boolean' || (input.regular && input.rates === undefined))) {
      throw new ValidationError('input.regular', input.regular, 'a boolean, true only together with rates');
    }
    let encoder = C.ENCODER_SILENT;
    if (input.rates !== undefined) {
      encoder = input.regular ? C.ENCODER_REGULAR : C.ENCODER_POISSON;
      this.writeRates(input.rates, encoder === C.ENCODER_REGULAR);
      this.ensureTail(steps, 0);
    } else if (input.spikeSteps !== undefined) {
      encoder = C.ENCODER_EXPLICIT;
      this.writeExplicit(input.spikeSteps, steps);
    } else {
      this.ensureTail(steps, 0);
    }
    this.setI(C.CTX_STEPS, steps);
    this.setI(C.CTX_ENCODER, encoder);
    this.setI(C.CTX_LEARN, learn ? 1 : 0);
    this.setI(C.CTX_ADAPT, adapt ? 1 : 0);
    this.setI(C.CTX_DO_NORMALISE, learn && c.normalise !== null && c.stdp.rule !== 'none' ? 1 : 0);
    this.writeRest(restSteps);
    this.eng().runSample(this.layout.ctx);
    return this.readResult();
  }

  private writeRates(rates: unknown, regular: boolean): void {
    const { nIn, dt } = this.config;
    const src = this.requireLength('input.rates', rates, nIn);
    const m = this.mem();
    const l = this.layout;
    const maxRate = 1000 / dt;
    for (let i = 0; i < nIn; i++) {
      const r = src[i];
      if (typeof r !== 'number' || !Number.isFinite(r) || r < 0 || (r * dt) / 1000 > 1) {
        throw new ValidationError(`input.rates[${i}]`, r, `a rate in Hz in [0, 1000 / dt = ${maxRate}] (at most one spike per step)`);
      }
      const p = (r * dt) / 1000;
      if (regular) m.f32[(l.pIn >>> 2) + i] = p;
      else m.f32[(l.invLog >>> 2) + i] = p === 0 ? -1 : p >= 1 ? 0 : -1 / Math.log1p(-p);
    }
  }

  private writeExplicit(spikeSteps: unknown, steps: number): void {
    const { nIn } = this.config;
    const lists = this.requireLength('input.spikeSteps', spikeSteps, nIn) as unknown as ArrayLike<unknown>;
    const counts = new Int32Array(steps + 1);
    let total = 0;
    const sorted: Int32Array[] = new Array(nIn);
    for (let i = 0; i < nIn; i++) {
      const list = lists[i] as ArrayLike<number>;
      if (list === null || typeof list !== 'object' || typeof list.length !== 'number') {
        throw new ValidationError(`input.spikeSteps[${i}]`, list, 'an array of step indices');
      }
      const s = new Int32Array(list.length);
      for (let k = 0; k < list.length; k++) {
        const t = list[k];
        if (!Number.isInteger(t) || t < 0 || t >= steps) {
          throw new ValidationError(`input.spikeSteps[${i}][${k}]`, t, `an integer step in [0, ${steps - 1}]`);
        }
        s[k] = t;
      }
      s.sort();
      for (let k = 1; k < s.length; k++) {
        if (s[k] === s[k - 1]) throw new ValidationError(`input.spikeSteps[${i}]`, s[k], 'distinct steps (an input spikes at most once per step)');
      }
      for (let k = 0; k < s.length; k++) counts[s[k] + 1]++;
      total += s.length;
      sorted[i] = s;
    }
    this.ensureTail(steps, total);
    const m = this.mem();
    const l = this.layout;
    for (let t = 0; t < steps; t++) counts[t + 1] += counts[t];
    m.i32.set(counts, l.explicitPtr >>> 2);
    const pos = counts.slice(0, steps);
    const base = l.explicitInputs >>> 2;
    for (let i = 0; i < nIn; i++) {
      const s = sorted[i];
      for (let k = 0; k < s.length; k++) m.i32[base + pos[s[k]]++] = i;
    }
  }

  private readResult(): SampleResult {
    const m = this.mem();
    const l = this.layout;
    const n = m.i32[(l.ctx + C.CTX_OUT_COUNT) >>> 2];
    const nOut = this.config.nOut;
    return {
      spikeCounts: m.u32.slice(l.spikeCount >>> 2, (l.spikeCount >>> 2) + nOut),
      spikeSteps: m.i32.slice(l.outSteps >>> 2, (l.outSteps >>> 2) + n),
      spikeNeurons: m.i32.slice(l.outNeurons >>> 2, (l.outNeurons >>> 2) + n),
      totalSpikes: n,
    };
  }

  rest(steps: number, adapt = true): void {
    const n = requireInteger('steps', steps, 0, MAX_REST);
    requireBool('adapt', adapt);
    this.writeRest(n);
    this.setI(C.CTX_ADAPT, adapt ? 1 : 0);
    this.eng().rest(this.layout.ctx);
  }

  normalise(): void {
    if (this.config.normalise === null) {
      throw new ValidationError('normalise', null, 'a layer configured with normalise: { columnSum }');
    }
    this.markDirty();
    this.eng().normalise(this.layout.ctx);
  }

  /** Benchmark hook: event-driven propagation of `inputs` (ascending input indices), `reps` times. */
  propagateOnly(inputs: Int32Array, reps: number): void {
    this.ensureTail(1, inputs.length);
    const m = this.mem();
    m.i32.set(inputs, this.layout.explicitInputs >>> 2);
    this.eng().benchPropagate(this.layout.ctx, this.layout.explicitInputs, inputs.length, reps);
  }

  // ---- neuron state ----

  getMembrane(): Float32Array {
    const p = this.layout.v >>> 2;
    return this.mem().f32.slice(p, p + this.config.nOut);
  }

  getTheta(): Float32Array {
    const p = this.layout.theta >>> 2;
    return this.mem().f32.slice(p, p + this.config.nOut);
  }

  setTheta(t: Float32Array | ArrayLike<number>): void {
    const src = this.requireLength('theta', t, this.config.nOut);
    for (let j = 0; j < src.length; j++) {
      if (typeof src[j] !== 'number' || !Number.isFinite(src[j])) throw new ValidationError(`theta[${j}]`, src[j], 'a finite number (mV)');
    }
    this.mem().f32.set(Float32Array.from(src), this.layout.theta >>> 2);
  }

  resetState(): void {
    const m = this.mem();
    const l = this.layout;
    const s = l.stride;
    const nIn = this.config.nIn;
    m.f32.fill(f(this.config.neuron.vRest), l.v >>> 2, (l.v >>> 2) + s);
    for (const p of [l.isyn, l.xPost, l.inp, l.acc32]) m.f32.fill(0, p >>> 2, (p >>> 2) + s);
    for (const p of [l.refr, l.lastPost, l.activePost, l.activeFlag]) m.i32.fill(0, p >>> 2, (p >>> 2) + s);
    m.u16.fill(0, l.acc16 >>> 1, (l.acc16 >>> 1) + s);
    for (const p of [l.xPre, l.lastPre]) m.i32.fill(0, p >>> 2, (p >>> 2) + nIn);
    this.setI(C.CTX_ACTIVE_POST, 0);
  }

  resetNeurons(): void {
    this.resetState();
  }

  setGlobalStep(step: number): void {
    this.setU(C.CTX_GLOBAL_STEP, requireInteger('step', step, 0, 2 ** 32 - 1));
  }

  // ---- counters ----

  counters(): Counters {
    const m = this.mem();
    const b = this.layout.counters >>> 3;
    const out = {} as Counters;
    COUNTER_NAMES.forEach((name, k) => {
      out[name] = m.f64[b + k];
    });
    return out;
  }

  resetCounters(): void {
    const b = this.layout.counters >>> 3;
    this.mem().f64.fill(0, b, b + C.CNT_COUNT);
  }

  /** RNG position: steps run + skipped since creation (mod 2^32). */
  get globalStep(): number {
    return this.getU(C.CTX_GLOBAL_STEP);
  }

  // ---- state ----

  toState(): LayerState {
    const m = this.mem();
    const l = this.layout;
    const { nIn, nOut } = this.config;
    const fixed = this.config.weights.format === 'fixed';
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      config: structuredClone(this.config),
      globalStep: this.globalStep,
      counters: this.counters(),
      weights: fixed ? null : this.readMatrix(new Float32Array(nIn * nOut), m.f32, l.w >>> 2),
      weightLevels: fixed ? this.readLevels() : null,
      theta: m.f32.slice(l.theta >>> 2, (l.theta >>> 2) + nOut),
      membrane: m.f32.slice(l.v >>> 2, (l.v >>> 2) + nOut),
      synapticCurrent: m.f32.slice(l.isyn >>> 2, (l.isyn >>> 2) + nOut),
      refractory: m.i32.slice(l.refr >>> 2, (l.refr >>> 2) + nOut),
      preTrace: m.f32.slice(l.xPre >>> 2, (l.xPre >>> 2) + nIn),
      preTraceStep: m.u32.slice(l.lastPre >>> 2, (l.lastPre >>> 2) + nIn),
      postTrace: m.f32.slice(l.xPost >>> 2, (l.xPost >>> 2) + nOut),
      postTraceStep: m.u32.slice(l.lastPost >>> 2, (l.lastPost >>> 2) + nOut),
      dirtyColumns: Uint8Array.from(m.i32.subarray(l.dirtyFlag >>> 2, (l.dirtyFlag >>> 2) + nOut)),
    };
  }

  fromState(s: LayerState): void {
    checkStateFits(s, this.config);
    const m = this.mem();
    const l = this.layout;
    const { nIn, nOut } = this.config;
    this.resetState();
    for (let i = 0; i < nIn; i++) {
      if (s.weights) m.f32.set(s.weights.subarray(i * nOut, (i + 1) * nOut), (l.w >>> 2) + i * l.stride);
      else if (s.weightLevels && !this.d.commit) m.u8.set(s.weightLevels.subarray(i * nOut, (i + 1) * nOut), l.w + i * l.stride);
      else if (s.weightLevels) for (let j = 0; j < nOut; j++) this.storeLevel(i * l.stride + j, s.weightLevels[i * nOut + j]);
    }
    this.recountNnz();
    this.markDirty(s.dirtyColumns);
    m.f32.set(s.theta, l.theta >>> 2);
    m.f32.set(s.membrane, l.v >>> 2);
    m.f32.set(s.synapticCurrent, l.isyn >>> 2);
    m.i32.set(s.refractory, l.refr >>> 2);
    m.f32.set(s.preTrace, l.xPre >>> 2);
    m.u32.set(s.preTraceStep, l.lastPre >>> 2);
    m.f32.set(s.postTrace, l.xPost >>> 2);
    m.u32.set(s.postTraceStep, l.lastPost >>> 2);
    // Neurons with a non-zero post trace form the active list (its order does not affect results).
    let count = 0;
    for (let j = 0; j < nOut; j++) {
      if (s.postTrace[j] !== 0) {
        m.i32[(l.activeFlag >>> 2) + j] = 1;
        m.i32[(l.activePost >>> 2) + count++] = j;
      }
    }
    this.setI(C.CTX_ACTIVE_POST, count);
    this.setU(C.CTX_GLOBAL_STEP, s.globalStep);
    const b = l.counters >>> 3;
    COUNTER_NAMES.forEach((name, k) => {
      m.f64[b + k] = s.counters[name];
    });
  }

  saveState(path: string): void {
    writeFileAtomic(path, encodeState(this.toState()));
  }

  loadState(path: string): void {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      throw new ValidationError('state file', path, `a readable layer state file (${(err as Error).message})`);
    }
    this.fromState(decodeState(bytes, path));
  }

  dispose(): void {
    this.engine = null;
  }
}

function requireBool(field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ValidationError(field, v, 'true or false');
  return v;
}

/** Benchmark helper: event-driven propagation only (no neurons, no learning). */
export function benchPropagation(layer: Layer, inputs: Int32Array, reps: number): void {
  (layer as CoreLayer).propagateOnly(inputs, reps);
}
