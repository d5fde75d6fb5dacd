// Twin of assembly/index.ts: the same entry points over the same memory layout, in plain TypeScript.
import * as C from '../../../assembly/context.js';
import type { Mem } from './mem.js';
import { CallCounters } from './counters.js';
import {
  addRowF32, addRowLevels16, denseStepF32, denseStepLevels, flushLevels16, levels16ToInput, levels32ToInput,
} from './crossbar.js';
import { clearBuckets, poissonStart, popPoisson, popRegular, regularStart, sortInputs } from './encode.js';
import { neuronStep, restNeurons } from './lif.js';
import { applySpikes, selectSpikes } from './wta.js';
import { depressRow, depressionList, postTraceSpike, potentiateColumn, preTraceSpike, preTracesNow } from './stdp.js';
import { markDirty, normaliseColumnF32, normaliseColumnLevels } from './normalise.js';
import { stepKey } from './rng.js';
import { beginDevice, setWritePhase } from './write-stats.js';
import { deviceWriterOn, normaliseColumnDevice } from './device.js';
import { PHASE_NORM } from '../../../assembly/device-layout.js';
import { commitColumn } from './commit.js';

const i32At = (m: Mem, ctx: number, off: number): number => m.i32[(ctx + off) >>> 2];
const u32At = (m: Mem, ctx: number, off: number): number => m.u32[(ctx + off) >>> 2];
const f32At = (m: Mem, ctx: number, off: number): number => m.f32[(ctx + off) >>> 2];

function propagateEvents(m: Mem, c: CallCounters, ctx: number, list: number, n: number): void {
  const nOut = i32At(m, ctx, C.CTX_N_OUT);
  const stride = i32At(m, ctx, C.CTX_STRIDE);
  const w = u32At(m, ctx, C.CTX_P_W);
  const nnz = u32At(m, ctx, C.CTX_P_NNZ);
  const inp = u32At(m, ctx, C.CTX_P_INP);
  const L = list >>> 2;
  for (let k = 0; k < n; k++) c.synapticEvents += m.i32[(nnz >>> 2) + m.i32[L + k]];
  c.inputSpikes += n;
  if (i32At(m, ctx, C.CTX_FORMAT) === C.FORMAT_F32) {
    for (let k = 0; k < n; k++) addRowF32(m, inp, w + m.i32[L + k] * stride * 4, nOut);
  } else {
    const acc16 = u32At(m, ctx, C.CTX_P_ACC16);
    const acc32 = u32At(m, ctx, C.CTX_P_ACC32);
    const limit = i32At(m, ctx, C.CTX_ACC_LIMIT);
    const delta = f32At(m, ctx, C.CTX_DELTA);
    if (n <= limit) {
      for (let k = 0; k < n; k++) addRowLevels16(m, acc16, w + m.i32[L + k] * stride, nOut);
      levels16ToInput(m, acc16, inp, delta, nOut);
    } else {
      let k = 0;
      while (k < n) {
        const end = Math.min(n, k + limit);
        for (; k < end; k++) addRowLevels16(m, acc16, w + m.i32[L + k] * stride, nOut);
        flushLevels16(m, acc16, acc32, nOut);
      }
      levels32ToInput(m, acc32, inp, delta, nOut);
    }
  }
}

function propagateDense(m: Mem, c: CallCounters, ctx: number, list: number, n: number): void {
  const nIn = i32At(m, ctx, C.CTX_N_IN);
  const nOut = i32At(m, ctx, C.CTX_N_OUT);
  const stride = i32At(m, ctx, C.CTX_STRIDE);
  const w = u32At(m, ctx, C.CTX_P_W);
  const nnz = u32At(m, ctx, C.CTX_P_NNZ);
  const flags = u32At(m, ctx, C.CTX_P_FLAGS);
  const L = list >>> 2;
  for (let k = 0; k < n; k++) {
    const i = m.i32[L + k];
    c.synapticEvents += m.i32[(nnz >>> 2) + i];
    m.u8[flags + i] = 1;
  }
  c.inputSpikes += n;
  if (i32At(m, ctx, C.CTX_FORMAT) === C.FORMAT_F32) {
    denseStepF32(m, u32At(m, ctx, C.CTX_P_INP), w, flags, nIn, nOut, stride);
  } else {
    const acc32 = u32At(m, ctx, C.CTX_P_ACC32);
    denseStepLevels(m, acc32, w, flags, nIn, nOut, stride);
    levels32ToInput(m, acc32, u32At(m, ctx, C.CTX_P_INP), f32At(m, ctx, C.CTX_DELTA), nOut);
  }
  for (let k = 0; k < n; k++) m.u8[flags + m.i32[L + k]] = 0;
}

function restSpan(m: Mem, c: CallCounters, ctx: number, adapt: boolean): void {
  const n = i32At(m, ctx, C.CTX_REST_STEPS);
  if (n <= 0) return;
  restNeurons(
    m, u32At(m, ctx, C.CTX_P_V), u32At(m, ctx, C.CTX_P_ISYN), u32At(m, ctx, C.CTX_P_REFR), u32At(m, ctx, C.CTX_P_THETA),
    i32At(m, ctx, C.CTX_N_OUT), n, u32At(m, ctx, C.CTX_P_REST_A), u32At(m, ctx, C.CTX_P_REST_C), u32At(m, ctx, C.CTX_P_REST_B),
    f32At(m, ctx, C.CTX_V_REST), f32At(m, ctx, C.CTX_GAIN), f32At(m, ctx, C.CTX_REST_SYN), f32At(m, ctx, C.CTX_REST_THETA),
    adapt && i32At(m, ctx, C.CTX_THETA_DECAY) !== 0,
  );
  c.stepsSkipped += n;
  m.u32[(ctx + C.CTX_GLOBAL_STEP) >>> 2] = (u32At(m, ctx, C.CTX_GLOBAL_STEP) + n) >>> 0;
}

function normaliseDirty(m: Mem, c: CallCounters, ctx: number): void {
  const count = i32At(m, ctx, C.CTX_DIRTY_COUNT);
  if (count === 0) return;
  const nIn = i32At(m, ctx, C.CTX_N_IN);
  const nOut = i32At(m, ctx, C.CTX_N_OUT);
  const stride = i32At(m, ctx, C.CTX_STRIDE);
  const w = u32At(m, ctx, C.CTX_P_W);
  const nnz = u32At(m, ctx, C.CTX_P_NNZ);
  const list = u32At(m, ctx, C.CTX_P_DIRTY_LIST);
  const columnSum = f32At(m, ctx, C.CTX_COLUMN_SUM);
  setWritePhase(m, PHASE_NORM);
  if (deviceWriterOn(m)) {
    const key = stepKey(i32At(m, ctx, C.CTX_SEED) >>> 0, C.STREAM_ROUND_NORM, u32At(m, ctx, C.CTX_GLOBAL_STEP));
    const wMax = f32At(m, ctx, C.CTX_W_MAX);
    for (let k = 0; k < count; k++) {
      normaliseColumnDevice(m, c, w, nnz, m.i32[(list >>> 2) + k], nIn, nOut, stride, columnSum, wMax, key);
    }
  } else if (i32At(m, ctx, C.CTX_FORMAT) === C.FORMAT_F32) {
    const wMax = f32At(m, ctx, C.CTX_W_MAX);
    for (let k = 0; k < count; k++) normaliseColumnF32(m, c, w, nnz, m.i32[(list >>> 2) + k], nIn, stride, columnSum, wMax);
  } else {
    const key = stepKey(i32At(m, ctx, C.CTX_SEED) >>> 0, C.STREAM_ROUND_NORM, u32At(m, ctx, C.CTX_GLOBAL_STEP));
    const delta = f32At(m, ctx, C.CTX_DELTA);
    const qMax = i32At(m, ctx, C.CTX_Q_MAX);
    const rounding = i32At(m, ctx, C.CTX_ROUNDING);
    for (let k = 0; k < count; k++) {
      normaliseColumnLevels(m, c, w, nnz, m.i32[(list >>> 2) + k], nIn, nOut, stride, columnSum, delta, qMax, rounding, key);
    }
  }
}

function clearDirty(m: Mem, ctx: number): void {
  const count = i32At(m, ctx, C.CTX_DIRTY_COUNT);
  const flag = u32At(m, ctx, C.CTX_P_DIRTY_FLAG);
  const list = u32At(m, ctx, C.CTX_P_DIRTY_LIST);
  for (let k = 0; k < count; k++) m.i32[(flag >>> 2) + m.i32[(list >>> 2) + k]] = 0;
  m.i32[(ctx + C.CTX_DIRTY_COUNT) >>> 2] = 0;
}

function normaliseColumns(m: Mem, c: CallCounters, ctx: number): void {
  normaliseDirty(m, c, ctx);
  clearDirty(m, ctx);
}

function normaliseAndCommit(m: Mem, c: CallCounters, ctx: number, doNormalise: boolean): void {
  if (doNormalise) normaliseDirty(m, c, ctx);
  c.weightWrites = 0;
  c.lostUpdates = 0;
  beginDevice(m, u32At(m, ctx, C.CTX_P_DEVICE));
  const count = i32At(m, ctx, C.CTX_DIRTY_COUNT);
  const list = u32At(m, ctx, C.CTX_P_DIRTY_LIST);
  const key = stepKey(i32At(m, ctx, C.CTX_SEED) >>> 0, C.STREAM_ROUND_COMMIT, u32At(m, ctx, C.CTX_GLOBAL_STEP));
  for (let k = 0; k < count; k++) {
    commitColumn(m, c, u32At(m, ctx, C.CTX_P_W), u32At(m, ctx, C.CTX_P_LEVELS), u32At(m, ctx, C.CTX_P_NNZ),
      m.i32[(list >>> 2) + k], i32At(m, ctx, C.CTX_N_IN), i32At(m, ctx, C.CTX_N_OUT), i32At(m, ctx, C.CTX_STRIDE),
      f32At(m, ctx, C.CTX_DELTA), f32At(m, ctx, C.CTX_INV_DELTA), f32At(m, ctx, C.CTX_W_MAX), i32At(m, ctx, C.CTX_Q_MAX),
      i32At(m, ctx, C.CTX_ROUNDING), key);
  }
  clearDirty(m, ctx);
}

function workingDevice(m: Mem, ctx: number): number {
  return i32At(m, ctx, C.CTX_COMMIT) !== 0 ? 0 : u32At(m, ctx, C.CTX_P_DEVICE);
}

export function runSample(m: Mem, ctx: number): void {
  const c = new CallCounters();
  beginDevice(m, workingDevice(m, ctx));
  const nIn = i32At(m, ctx, C.CTX_N_IN);
  const nOut = i32At(m, ctx, C.CTX_N_OUT);
  const stride = i32At(m, ctx, C.CTX_STRIDE);
  const steps = i32At(m, ctx, C.CTX_STEPS);
  const encoder = i32At(m, ctx, C.CTX_ENCODER);
  const dense = i32At(m, ctx, C.CTX_DENSE) !== 0;
  const seed = i32At(m, ctx, C.CTX_SEED) >>> 0;
  const rule = i32At(m, ctx, C.CTX_RULE);
  const hasTraces = i32At(m, ctx, C.CTX_HAS_TRACES) !== 0;
  const learn = i32At(m, ctx, C.CTX_LEARN) !== 0 && rule !== C.RULE_NONE;
  const adapt = i32At(m, ctx, C.CTX_ADAPT) !== 0;
  const traceReset = i32At(m, ctx, C.CTX_TRACE_RESET) !== 0;
  const multiplicative = i32At(m, ctx, C.CTX_MULTIPLICATIVE) !== 0;
  const format = i32At(m, ctx, C.CTX_FORMAT);
  const rounding = i32At(m, ctx, C.CTX_ROUNDING);
  const qMax = i32At(m, ctx, C.CTX_Q_MAX);
  const inhibition = i32At(m, ctx, C.CTX_INHIBITION);

  const vRest = f32At(m, ctx, C.CTX_V_REST);
  const vReset = f32At(m, ctx, C.CTX_V_RESET);
  const vThresh = f32At(m, ctx, C.CTX_V_THRESH);
  const vMin = f32At(m, ctx, C.CTX_V_MIN);
  const aMem = f32At(m, ctx, C.CTX_A_MEM);
  const aSyn = f32At(m, ctx, C.CTX_A_SYN);
  const gain = f32At(m, ctx, C.CTX_GAIN);
  const iBias = f32At(m, ctx, C.CTX_I_BIAS);
  const aTheta = f32At(m, ctx, C.CTX_A_THETA);
  const thetaPlus = f32At(m, ctx, C.CTX_THETA_PLUS);
  const wMax = f32At(m, ctx, C.CTX_W_MAX);
  const delta = f32At(m, ctx, C.CTX_DELTA);
  const invDelta = f32At(m, ctx, C.CTX_INV_DELTA);
  const depRate = f32At(m, ctx, C.CTX_DEP_RATE);
  const potRate = f32At(m, ctx, C.CTX_POT_RATE);
  const xTar = f32At(m, ctx, C.CTX_X_TAR);
  const strength = f32At(m, ctx, C.CTX_INH_STRENGTH);
  const muScale = f32At(m, ctx, C.CTX_MU_SCALE);
  const invWMax = f32At(m, ctx, C.CTX_INV_W_MAX);
  const instant = i32At(m, ctx, C.CTX_INSTANT_SYN) !== 0;
  const decayTheta = adapt && i32At(m, ctx, C.CTX_THETA_DECAY) !== 0;
  const subtract = i32At(m, ctx, C.CTX_RESET_SUBTRACT) !== 0;
  const refractorySteps = i32At(m, ctx, C.CTX_REFRACTORY_STEPS);
  const muMode = i32At(m, ctx, C.CTX_MU_MODE);
  const muN = i32At(m, ctx, C.CTX_MU_N);
  const preLen = i32At(m, ctx, C.CTX_PRE_DECAY_LEN);
  const postLen = i32At(m, ctx, C.CTX_POST_DECAY_LEN);

  const P = (off: number): number => u32At(m, ctx, off);
  const w = P(C.CTX_P_W), nnz = P(C.CTX_P_NNZ), v = P(C.CTX_P_V), isyn = P(C.CTX_P_ISYN), theta = P(C.CTX_P_THETA);
  const refr = P(C.CTX_P_REFR), xPre = P(C.CTX_P_X_PRE), lastPre = P(C.CTX_P_LAST_PRE), xPost = P(C.CTX_P_X_POST);
  const lastPost = P(C.CTX_P_LAST_POST), active = P(C.CTX_P_ACTIVE_POST), activeFlag = P(C.CTX_P_ACTIVE_FLAG);
  const inp = P(C.CTX_P_INP), spikeCount = P(C.CTX_P_SPIKE_COUNT), outSteps = P(C.CTX_P_OUT_STEPS);
  const outNeurons = P(C.CTX_P_OUT_NEURONS), stepList = P(C.CTX_P_STEP_LIST), head = P(C.CTX_P_HEAD), next = P(C.CTX_P_NEXT);
  const pIn = P(C.CTX_P_P_IN), invLog = P(C.CTX_P_INV_LOG), regCount = P(C.CTX_P_REG_COUNT);
  const explicitPtr = P(C.CTX_P_EXPLICIT_PTR), explicitInputs = P(C.CTX_P_EXPLICIT_INPUTS), eTable = P(C.CTX_P_E_TABLE);
  const preTable = P(C.CTX_P_PRE_DECAY), postTable = P(C.CTX_P_POST_DECAY), muTable = P(C.CTX_P_MU_TABLE);
  const dIdx = P(C.CTX_P_D_IDX), dVal = P(C.CTX_P_D_VAL), xNow = P(C.CTX_P_X_PRE_NOW), cand = P(C.CTX_P_CAND);
  const candV = P(C.CTX_P_CAND_V);
  const activeCountPtr = ctx + C.CTX_ACTIVE_POST;
  const dirtyFlag = P(C.CTX_P_DIRTY_FLAG);
  const dirtyList = P(C.CTX_P_DIRTY_LIST);
  let dirty = i32At(m, ctx, C.CTX_DIRTY_COUNT);

  let g = u32At(m, ctx, C.CTX_GLOBAL_STEP);
  m.u32.fill(0, spikeCount >>> 2, (spikeCount >>> 2) + nOut);
  if (encoder === C.ENCODER_POISSON || encoder === C.ENCODER_REGULAR) {
    clearBuckets(m, head, steps);
    if (encoder === C.ENCODER_POISSON) poissonStart(m, head, next, invLog, eTable, nIn, steps, seed, g);
    else regularStart(m, head, next, pIn, regCount, nIn, steps);
  }

  let outCount = 0;
  for (let t = 0; t < steps; t++) {
    let list = stepList;
    let n = 0;
    if (encoder === C.ENCODER_POISSON) {
      n = popPoisson(m, head, next, stepList, invLog, eTable, t, steps, seed, g);
      if (n > 1) sortInputs(m, stepList, n);
    } else if (encoder === C.ENCODER_REGULAR) {
      n = popRegular(m, head, next, stepList, pIn, regCount, t, steps);
      if (n > 1) sortInputs(m, stepList, n);
    } else if (encoder === C.ENCODER_EXPLICIT) {
      const s = m.i32[(explicitPtr >>> 2) + t];
      n = m.i32[(explicitPtr >>> 2) + t + 1] - s;
      list = explicitInputs + s * 4;
    }
    if (dense) propagateDense(m, c, ctx, list, n);
    else if (n > 0) propagateEvents(m, c, ctx, list, n);
    const nc = neuronStep(m, v, isyn, refr, theta, inp, cand, nOut, vRest, aMem, gain, iBias, aSyn, instant, aTheta,
      decayTheta, vThresh);
    let ns = 0;
    if (nc > 0) {
      ns = selectSpikes(m, cand, nc, v, theta, vThresh, inhibition);
      outCount = applySpikes(m, cand, candV, ns, t, v, refr, theta, spikeCount, outSteps, outNeurons, outCount, nOut,
        vThresh, vReset, subtract, refractorySteps, adapt, thetaPlus, inhibition, strength, vMin);
      c.outputSpikes += ns;
    }
    if (hasTraces) {
      const L = list >>> 2;
      for (let k = 0; k < n; k++) preTraceSpike(m, xPre, lastPre, m.i32[L + k], g, preTable, preLen, traceReset);
      if (learn && n > 0) {
        c.stdpPreEvents += n;
        const nd = depressionList(m, xPost, lastPost, active, activeFlag, activeCountPtr, g, postTable, postLen, depRate, dIdx, dVal);
        if (nd > 0) {
          for (let k = 0; k < nd; k++) dirty = markDirty(m, dirtyFlag, dirtyList, dirty, m.i32[(dIdx >>> 2) + k]);
          const key = stepKey(seed, C.STREAM_ROUND_PRE, g);
          for (let k = 0; k < n; k++) {
            const i = m.i32[L + k];
            depressRow(m, c, w, nnz + i * 4, i, nOut, stride, dIdx, dVal, nd, format, multiplicative, wMax, delta, invDelta,
              qMax, rounding, key);
          }
        }
      }
      if (ns > 0) {
        let count = m.i32[activeCountPtr >>> 2];
        for (let k = 0; k < ns; k++) {
          count = postTraceSpike(m, xPost, lastPost, active, activeFlag, count, m.i32[(cand >>> 2) + k], g, postTable, postLen,
            traceReset);
        }
        m.i32[activeCountPtr >>> 2] = count;
      }
      if (learn && ns > 0) {
        c.stdpPostEvents += ns;
        preTracesNow(m, xPre, lastPre, xNow, nIn, g, preTable, preLen);
        const key = stepKey(seed, C.STREAM_ROUND_POST, g);
        for (let k = 0; k < ns; k++) {
          dirty = markDirty(m, dirtyFlag, dirtyList, dirty, m.i32[(cand >>> 2) + k]);
          potentiateColumn(m, c, w, nnz, m.i32[(cand >>> 2) + k], nIn, nOut, stride, xNow, rule, multiplicative, potRate, xTar,
            muMode, muTable, muN, muScale, format, wMax, invWMax, delta, invDelta, qMax, rounding, key);
        }
      }
    }
    g = (g + 1) >>> 0;
  }
  c.neuronUpdates += steps * nOut;
  c.denseSynapticOps += steps * nIn * nOut;
  c.stepsRun += steps;
  m.u32[(ctx + C.CTX_GLOBAL_STEP) >>> 2] = g;
  m.i32[(ctx + C.CTX_OUT_COUNT) >>> 2] = outCount;
  m.i32[(ctx + C.CTX_DIRTY_COUNT) >>> 2] = dirty;

  const doNormalise = i32At(m, ctx, C.CTX_DO_NORMALISE) !== 0;
  if (i32At(m, ctx, C.CTX_COMMIT) !== 0) {
    if (learn) normaliseAndCommit(m, c, ctx, doNormalise);
  } else if (doNormalise) normaliseColumns(m, c, ctx);
  restSpan(m, c, ctx, adapt);
  c.flush(m, u32At(m, ctx, C.CTX_P_COUNTERS));
}

export function rest(m: Mem, ctx: number): void {
  const c = new CallCounters();
  beginDevice(m, u32At(m, ctx, C.CTX_P_DEVICE));
  restSpan(m, c, ctx, i32At(m, ctx, C.CTX_ADAPT) !== 0);
  c.flush(m, u32At(m, ctx, C.CTX_P_COUNTERS));
}

export function normalise(m: Mem, ctx: number): void {
  const c = new CallCounters();
  beginDevice(m, workingDevice(m, ctx));
  if (i32At(m, ctx, C.CTX_COMMIT) !== 0) normaliseAndCommit(m, c, ctx, true);
  else normaliseColumns(m, c, ctx);
  c.flush(m, u32At(m, ctx, C.CTX_P_COUNTERS));
}

export function benchPropagate(m: Mem, ctx: number, list: number, n: number, reps: number): void {
  const c = new CallCounters();
  for (let r = 0; r < reps; r++) propagateEvents(m, c, ctx, list, n);
  const inp = u32At(m, ctx, C.CTX_P_INP);
  m.f32.fill(0, inp >>> 2, (inp >>> 2) + i32At(m, ctx, C.CTX_STRIDE));
}
