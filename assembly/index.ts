// Entry points of the core. The host writes a layer's configuration and per-call parameters into a
// context block (layout in context.ts) and calls one function per sample; everything inside the sample
// (encoding, propagation, neurons, inhibition, STDP, normalisation, rest) runs here without crossing back.
import * as C from './context';
import {
  cDenseSynapticOps, cInputSpikes, cLostUpdates, cNeuronUpdates, cOutputSpikes, cStdpPostEvents, cStdpPreEvents, cStepsRun,
  cStepsSkipped, cSynapticEvents, cWeightWrites, clearCallCounters, flushCallCounters,
} from './counters';
import {
  addRowF32, addRowLevels16, denseStepF32, denseStepLevels, flushLevels16, levels16ToInput, levels32ToInput,
} from './crossbar';
import { clearBuckets, poissonStart, popPoisson, popRegular, regularStart, sortInputs } from './encode';
import { neuronStep, restNeurons } from './lif';
import { applySpikes, selectSpikes } from './wta';
import {
  depressRow, depressRowDenseF32, depressionList, depressionVector, postTraceSpike, potentiateColumn, preTraceSpike,
  preTracesNow,
} from './stdp';
import { markDirty, normaliseColumnF32, normaliseColumnLevels, normaliseRowsF32 } from './normalise';
import { stepKey } from './rng';
import { beginDevice, gDevice, setWritePhase } from './write-stats';
import { deviceWriterOn, normaliseColumnDevice } from './device';
import { PHASE_NORM } from './device-layout';
import { commitColumn } from './commit';

// @ts-ignore: decorator
@inline
function i32At(ctx: usize, off: i32): i32 {
  return load<i32>(ctx + <usize>off);
}
// @ts-ignore: decorator
@inline
function f32At(ctx: usize, off: i32): f32 {
  return load<f32>(ctx + <usize>off);
}
// @ts-ignore: decorator
@inline
function ptrAt(ctx: usize, off: i32): usize {
  return <usize>load<u32>(ctx + <usize>off);
}
// @ts-ignore: decorator
@inline
function at4(p: usize, j: i32): usize {
  return p + (<usize>j << 2);
}

/** First free byte after the module's static data: the host lays out layer memory from here. */
export function heapBase(): usize {
  return __heap_base;
}

/** 1 when this build uses v128 SIMD. */
export function simdBuild(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

/**
 * Adds the rows of the n inputs listed at `list` to the neuron input (f32) or level accumulators (fixed);
 * for fixed point, converts the levels to the f32 input. Counts input spikes and synaptic events.
 */
function propagateEvents(ctx: usize, list: usize, n: i32): void {
  const nOut = i32At(ctx, C.CTX_N_OUT);
  const stride = i32At(ctx, C.CTX_STRIDE);
  const w = ptrAt(ctx, C.CTX_P_W);
  const nnz = ptrAt(ctx, C.CTX_P_NNZ);
  const inp = ptrAt(ctx, C.CTX_P_INP);
  let events: i64 = 0;
  for (let k = 0; k < n; k++) events += <i64>load<i32>(at4(nnz, load<i32>(at4(list, k))));
  cSynapticEvents += events;
  cInputSpikes += <i64>n;
  if (i32At(ctx, C.CTX_FORMAT) == C.FORMAT_F32) {
    const rowBytes = <usize>stride << 2;
    for (let k = 0; k < n; k++) addRowF32(inp, w + <usize>load<i32>(at4(list, k)) * rowBytes, nOut, stride);
  } else {
    const acc16 = ptrAt(ctx, C.CTX_P_ACC16);
    const acc32 = ptrAt(ctx, C.CTX_P_ACC32);
    const limit = i32At(ctx, C.CTX_ACC_LIMIT);
    const delta = f32At(ctx, C.CTX_DELTA);
    if (n <= limit) {
      for (let k = 0; k < n; k++) addRowLevels16(acc16, w + <usize>load<i32>(at4(list, k)) * <usize>stride, nOut, stride);
      levels16ToInput(acc16, inp, delta, nOut, stride);
    } else {
      let k = 0;
      while (k < n) {
        const end = min(n, k + limit);
        for (; k < end; k++) addRowLevels16(acc16, w + <usize>load<i32>(at4(list, k)) * <usize>stride, nOut, stride);
        flushLevels16(acc16, acc32, nOut, stride);
      }
      levels32ToInput(acc32, inp, delta, nOut, stride);
    }
  }
}

/** Dense clock-driven propagation of one step: a matrix-vector product over every input. */
function propagateDense(ctx: usize, list: usize, n: i32): void {
  const nIn = i32At(ctx, C.CTX_N_IN);
  const nOut = i32At(ctx, C.CTX_N_OUT);
  const stride = i32At(ctx, C.CTX_STRIDE);
  const w = ptrAt(ctx, C.CTX_P_W);
  const nnz = ptrAt(ctx, C.CTX_P_NNZ);
  const flags = ptrAt(ctx, C.CTX_P_FLAGS);
  let events: i64 = 0;
  for (let k = 0; k < n; k++) {
    const i = load<i32>(at4(list, k));
    events += <i64>load<i32>(at4(nnz, i));
    store<u8>(flags + <usize>i, 1);
  }
  cSynapticEvents += events;
  cInputSpikes += <i64>n;
  if (i32At(ctx, C.CTX_FORMAT) == C.FORMAT_F32) {
    denseStepF32(ptrAt(ctx, C.CTX_P_INP), w, flags, nIn, nOut, stride);
  } else {
    const acc32 = ptrAt(ctx, C.CTX_P_ACC32);
    denseStepLevels(acc32, w, flags, nIn, nOut, stride);
    levels32ToInput(acc32, ptrAt(ctx, C.CTX_P_INP), f32At(ctx, C.CTX_DELTA), nOut, stride);
  }
  for (let k = 0; k < n; k++) store<u8>(flags + <usize>load<i32>(at4(list, k)), 0);
}

/** Closed-form silent span of CTX_REST_STEPS steps (tables written by the host). */
function restSpan(ctx: usize, adapt: bool): void {
  const n = i32At(ctx, C.CTX_REST_STEPS);
  if (n <= 0) return;
  restNeurons(
    ptrAt(ctx, C.CTX_P_V), ptrAt(ctx, C.CTX_P_ISYN), ptrAt(ctx, C.CTX_P_REFR), ptrAt(ctx, C.CTX_P_THETA),
    i32At(ctx, C.CTX_N_OUT), n, ptrAt(ctx, C.CTX_P_REST_A), ptrAt(ctx, C.CTX_P_REST_C), ptrAt(ctx, C.CTX_P_REST_B),
    f32At(ctx, C.CTX_V_REST), f32At(ctx, C.CTX_GAIN), f32At(ctx, C.CTX_REST_SYN), f32At(ctx, C.CTX_REST_THETA),
    adapt && i32At(ctx, C.CTX_THETA_DECAY) != 0,
  );
  cStepsSkipped += <i64>n;
  store<u32>(ctx + <usize>C.CTX_GLOBAL_STEP, load<u32>(ctx + <usize>C.CTX_GLOBAL_STEP) + <u32>n);
}

/** Normalises the dirty columns (the list stays; clearDirty empties it). */
function normaliseDirty(ctx: usize): void {
  const count = i32At(ctx, C.CTX_DIRTY_COUNT);
  if (count == 0) return;
  const nIn = i32At(ctx, C.CTX_N_IN);
  const nOut = i32At(ctx, C.CTX_N_OUT);
  const stride = i32At(ctx, C.CTX_STRIDE);
  const w = ptrAt(ctx, C.CTX_P_W);
  const nnz = ptrAt(ctx, C.CTX_P_NNZ);
  const flag = ptrAt(ctx, C.CTX_P_DIRTY_FLAG);
  const list = ptrAt(ctx, C.CTX_P_DIRTY_LIST);
  const columnSum = f32At(ctx, C.CTX_COLUMN_SUM);
  setWritePhase(PHASE_NORM);
  if (deviceWriterOn()) {
    const key = stepKey(<u32>i32At(ctx, C.CTX_SEED), C.STREAM_ROUND_NORM, load<u32>(ctx + <usize>C.CTX_GLOBAL_STEP));
    const wMax = f32At(ctx, C.CTX_W_MAX);
    for (let k = 0; k < count; k++) normaliseColumnDevice(w, nnz, load<i32>(at4(list, k)), nIn, nOut, stride, columnSum, wMax, key);
  } else if (i32At(ctx, C.CTX_FORMAT) == C.FORMAT_F32) {
    const wMax = f32At(ctx, C.CTX_W_MAX);
    if (count * 8 > nOut && gDevice == 0) {
      normaliseRowsF32(w, nnz, ptrAt(ctx, C.CTX_P_COL_SUM), flag, nIn, nOut, stride, columnSum, wMax);
    } else {
      for (let k = 0; k < count; k++) normaliseColumnF32(w, nnz, load<i32>(at4(list, k)), nIn, stride, columnSum, wMax);
    }
  } else {
    const key = stepKey(<u32>i32At(ctx, C.CTX_SEED), C.STREAM_ROUND_NORM, load<u32>(ctx + <usize>C.CTX_GLOBAL_STEP));
    const delta = f32At(ctx, C.CTX_DELTA);
    const qMax = i32At(ctx, C.CTX_Q_MAX);
    const rounding = i32At(ctx, C.CTX_ROUNDING);
    for (let k = 0; k < count; k++) {
      normaliseColumnLevels(w, nnz, load<i32>(at4(list, k)), nIn, nOut, stride, columnSum, delta, qMax, rounding, key);
    }
  }
}

/** Empties the list of columns changed since the last normalisation. */
function clearDirty(ctx: usize): void {
  const count = i32At(ctx, C.CTX_DIRTY_COUNT);
  const flag = ptrAt(ctx, C.CTX_P_DIRTY_FLAG);
  const list = ptrAt(ctx, C.CTX_P_DIRTY_LIST);
  for (let k = 0; k < count; k++) store<i32>(at4(flag, load<i32>(at4(list, k))), 0);
  store<i32>(ctx + <usize>C.CTX_DIRTY_COUNT, 0);
}

/** Normalises the dirty columns and clears the dirty list. */
function normaliseColumns(ctx: usize): void {
  normaliseDirty(ctx);
  clearDirty(ctx);
}

/**
 * Per-sample commit store: optionally normalises the f32 working weights (not recorded), then rounds every
 * dirty column to levels (commit.ts) and clears the list. The working writes of this call are dropped
 * from the counters; the commit's own writes are counted and recorded in the block's STDP section.
 */
function normaliseAndCommit(ctx: usize, doNormalise: bool): void {
  if (doNormalise) normaliseDirty(ctx);
  cWeightWrites = 0;
  cLostUpdates = 0;
  beginDevice(ptrAt(ctx, C.CTX_P_DEVICE));
  const count = i32At(ctx, C.CTX_DIRTY_COUNT);
  const list = ptrAt(ctx, C.CTX_P_DIRTY_LIST);
  const key = stepKey(<u32>i32At(ctx, C.CTX_SEED), C.STREAM_ROUND_COMMIT, load<u32>(ctx + <usize>C.CTX_GLOBAL_STEP));
  for (let k = 0; k < count; k++) {
    commitColumn(ptrAt(ctx, C.CTX_P_W), ptrAt(ctx, C.CTX_P_LEVELS), ptrAt(ctx, C.CTX_P_NNZ), load<i32>(at4(list, k)),
      i32At(ctx, C.CTX_N_IN), i32At(ctx, C.CTX_N_OUT), i32At(ctx, C.CTX_STRIDE), f32At(ctx, C.CTX_DELTA),
      f32At(ctx, C.CTX_INV_DELTA), f32At(ctx, C.CTX_W_MAX), i32At(ctx, C.CTX_Q_MAX), i32At(ctx, C.CTX_ROUNDING), key);
  }
  clearDirty(ctx);
}

/** The device block the working phase of a call records into: none for a per-sample commit store. */
function workingDevice(ctx: usize): usize {
  return i32At(ctx, C.CTX_COMMIT) != 0 ? 0 : ptrAt(ctx, C.CTX_P_DEVICE);
}

/** Runs one whole sample: CTX_STEPS steps, then normalisation (if asked) and the closed-form rest. */
export function runSample(ctx: usize): void {
  clearCallCounters();
  beginDevice(workingDevice(ctx));
  const nIn = i32At(ctx, C.CTX_N_IN);
  const nOut = i32At(ctx, C.CTX_N_OUT);
  const stride = i32At(ctx, C.CTX_STRIDE);
  const steps = i32At(ctx, C.CTX_STEPS);
  const encoder = i32At(ctx, C.CTX_ENCODER);
  const dense = i32At(ctx, C.CTX_DENSE) != 0;
  const seed = <u32>i32At(ctx, C.CTX_SEED);
  const rule = i32At(ctx, C.CTX_RULE);
  const hasTraces = i32At(ctx, C.CTX_HAS_TRACES) != 0;
  const learn = i32At(ctx, C.CTX_LEARN) != 0 && rule != C.RULE_NONE;
  const adapt = i32At(ctx, C.CTX_ADAPT) != 0;
  const traceReset = i32At(ctx, C.CTX_TRACE_RESET) != 0;
  const multiplicative = i32At(ctx, C.CTX_MULTIPLICATIVE) != 0;
  const format = i32At(ctx, C.CTX_FORMAT);
  const rounding = i32At(ctx, C.CTX_ROUNDING);
  const qMax = i32At(ctx, C.CTX_Q_MAX);
  const inhibition = i32At(ctx, C.CTX_INHIBITION);

  const vRest = f32At(ctx, C.CTX_V_REST);
  const vReset = f32At(ctx, C.CTX_V_RESET);
  const vThresh = f32At(ctx, C.CTX_V_THRESH);
  const vMin = f32At(ctx, C.CTX_V_MIN);
  const aMem = f32At(ctx, C.CTX_A_MEM);
  const aSyn = f32At(ctx, C.CTX_A_SYN);
  const gain = f32At(ctx, C.CTX_GAIN);
  const iBias = f32At(ctx, C.CTX_I_BIAS);
  const aTheta = f32At(ctx, C.CTX_A_THETA);
  const thetaPlus = f32At(ctx, C.CTX_THETA_PLUS);
  const wMax = f32At(ctx, C.CTX_W_MAX);
  const delta = f32At(ctx, C.CTX_DELTA);
  const invDelta = f32At(ctx, C.CTX_INV_DELTA);
  const depRate = f32At(ctx, C.CTX_DEP_RATE);
  const potRate = f32At(ctx, C.CTX_POT_RATE);
  const xTar = f32At(ctx, C.CTX_X_TAR);
  const strength = f32At(ctx, C.CTX_INH_STRENGTH);
  const muScale = f32At(ctx, C.CTX_MU_SCALE);
  const invWMax = f32At(ctx, C.CTX_INV_W_MAX);
  const instant = i32At(ctx, C.CTX_INSTANT_SYN) != 0;
  const decayTheta = adapt && i32At(ctx, C.CTX_THETA_DECAY) != 0;
  const subtract = i32At(ctx, C.CTX_RESET_SUBTRACT) != 0;
  const refractorySteps = i32At(ctx, C.CTX_REFRACTORY_STEPS);
  const muMode = i32At(ctx, C.CTX_MU_MODE);
  const muN = i32At(ctx, C.CTX_MU_N);
  const preLen = i32At(ctx, C.CTX_PRE_DECAY_LEN);
  const postLen = i32At(ctx, C.CTX_POST_DECAY_LEN);

  const w = ptrAt(ctx, C.CTX_P_W);
  const nnz = ptrAt(ctx, C.CTX_P_NNZ);
  const v = ptrAt(ctx, C.CTX_P_V);
  const isyn = ptrAt(ctx, C.CTX_P_ISYN);
  const theta = ptrAt(ctx, C.CTX_P_THETA);
  const refr = ptrAt(ctx, C.CTX_P_REFR);
  const xPre = ptrAt(ctx, C.CTX_P_X_PRE);
  const lastPre = ptrAt(ctx, C.CTX_P_LAST_PRE);
  const xPost = ptrAt(ctx, C.CTX_P_X_POST);
  const lastPost = ptrAt(ctx, C.CTX_P_LAST_POST);
  const active = ptrAt(ctx, C.CTX_P_ACTIVE_POST);
  const activeFlag = ptrAt(ctx, C.CTX_P_ACTIVE_FLAG);
  const inp = ptrAt(ctx, C.CTX_P_INP);
  const spikeCount = ptrAt(ctx, C.CTX_P_SPIKE_COUNT);
  const outSteps = ptrAt(ctx, C.CTX_P_OUT_STEPS);
  const outNeurons = ptrAt(ctx, C.CTX_P_OUT_NEURONS);
  const stepList = ptrAt(ctx, C.CTX_P_STEP_LIST);
  const flags = ptrAt(ctx, C.CTX_P_FLAGS);
  const head = ptrAt(ctx, C.CTX_P_HEAD);
  const next = ptrAt(ctx, C.CTX_P_NEXT);
  const pIn = ptrAt(ctx, C.CTX_P_P_IN);
  const invLog = ptrAt(ctx, C.CTX_P_INV_LOG);
  const regCount = ptrAt(ctx, C.CTX_P_REG_COUNT);
  const explicitPtr = ptrAt(ctx, C.CTX_P_EXPLICIT_PTR);
  const explicitInputs = ptrAt(ctx, C.CTX_P_EXPLICIT_INPUTS);
  const eTable = ptrAt(ctx, C.CTX_P_E_TABLE);
  const preTable = ptrAt(ctx, C.CTX_P_PRE_DECAY);
  const postTable = ptrAt(ctx, C.CTX_P_POST_DECAY);
  const muTable = ptrAt(ctx, C.CTX_P_MU_TABLE);
  const dIdx = ptrAt(ctx, C.CTX_P_D_IDX);
  const dVal = ptrAt(ctx, C.CTX_P_D_VAL);
  const xNow = ptrAt(ctx, C.CTX_P_X_PRE_NOW);
  const cand = ptrAt(ctx, C.CTX_P_CAND);
  const candV = ptrAt(ctx, C.CTX_P_CAND_V);
  const dVec = ptrAt(ctx, C.CTX_P_D_VEC);
  const activeCountPtr = ctx + <usize>C.CTX_ACTIVE_POST;
  const dirtyFlag = ptrAt(ctx, C.CTX_P_DIRTY_FLAG);
  const dirtyList = ptrAt(ctx, C.CTX_P_DIRTY_LIST);
  let dirty = i32At(ctx, C.CTX_DIRTY_COUNT);

  let g = load<u32>(ctx + <usize>C.CTX_GLOBAL_STEP);
  for (let j = 0; j < nOut; j++) store<u32>(at4(spikeCount, j), 0);
  if (encoder == C.ENCODER_POISSON || encoder == C.ENCODER_REGULAR) {
    clearBuckets(head, steps);
    if (encoder == C.ENCODER_POISSON) poissonStart(head, next, invLog, eTable, nIn, steps, seed, g);
    else regularStart(head, next, pIn, regCount, nIn, steps);
  }

  let outCount = 0;
  for (let t = 0; t < steps; t++) {
    // 1. Input spikes of this step, ascending.
    let list = stepList;
    let n = 0;
    if (encoder == C.ENCODER_POISSON) {
      n = popPoisson(head, next, stepList, invLog, eTable, t, steps, seed, g);
      if (n > 1) sortInputs(stepList, n, flags, nIn);
    } else if (encoder == C.ENCODER_REGULAR) {
      n = popRegular(head, next, stepList, pIn, regCount, t, steps);
      if (n > 1) sortInputs(stepList, n, flags, nIn);
    } else if (encoder == C.ENCODER_EXPLICIT) {
      const s = load<i32>(at4(explicitPtr, t));
      n = load<i32>(at4(explicitPtr, t + 1)) - s;
      list = at4(explicitInputs, s);
    }
    // 2. Propagation.
    if (dense) propagateDense(ctx, list, n);
    else if (n > 0) propagateEvents(ctx, list, n);
    // 3. Neurons.
    const nc = neuronStep(v, isyn, refr, theta, inp, cand, nOut, stride, vRest, aMem, gain, iBias, aSyn, instant,
      aTheta, decayTheta, vThresh);
    // 4. Threshold, inhibition.
    let ns = 0;
    if (nc > 0) {
      ns = selectSpikes(cand, nc, v, theta, vThresh, inhibition);
      outCount = applySpikes(cand, candV, ns, t, v, refr, theta, spikeCount, outSteps, outNeurons, outCount, nOut, stride,
        vThresh, vReset, subtract, refractorySteps, adapt, thetaPlus, inhibition, strength, vMin);
      cOutputSpikes += <i64>ns;
    }
    if (hasTraces) {
      // 5. Presynaptic traces.
      for (let k = 0; k < n; k++) preTraceSpike(xPre, lastPre, load<i32>(at4(list, k)), g, preTable, preLen, traceReset);
      // 6. Pre-spike depression with the post traces before this step's post spikes.
      if (learn && n > 0) {
        cStdpPreEvents += <i64>n;
        const nd = depressionList(xPost, lastPost, active, activeFlag, activeCountPtr, g, postTable, postLen, depRate, dIdx, dVal);
        if (nd > 0) {
          for (let k = 0; k < nd; k++) dirty = markDirty(dirtyFlag, dirtyList, dirty, load<i32>(at4(dIdx, k)));
          if (ASC_FEATURE_SIMD && format == C.FORMAT_F32 && nd * 4 > nOut && gDevice == 0) {
            // Many listed neurons: whole rows in SIMD (same result as the per-neuron loop).
            depressionVector(dVec, stride, dIdx, dVal, nd);
            const rowBytes = <usize>stride << 2;
            for (let k = 0; k < n; k++) {
              const i = load<i32>(at4(list, k));
              depressRowDenseF32(w + <usize>i * rowBytes, at4(nnz, i), stride, dVec, multiplicative, wMax);
            }
          } else {
            const key = stepKey(seed, C.STREAM_ROUND_PRE, g);
            for (let k = 0; k < n; k++) {
              const i = load<i32>(at4(list, k));
              depressRow(w, at4(nnz, i), i, nOut, stride, dIdx, dVal, nd, format, multiplicative, wMax, delta, invDelta,
                qMax, rounding, key);
            }
          }
        }
      }
      // 7. Postsynaptic traces.
      if (ns > 0) {
        let count = load<i32>(activeCountPtr);
        for (let k = 0; k < ns; k++) {
          count = postTraceSpike(xPost, lastPost, active, activeFlag, count, load<i32>(at4(cand, k)), g, postTable, postLen,
            traceReset);
        }
        store<i32>(activeCountPtr, count);
      }
      // 8. Post-spike potentiation with the pre traces after this step's pre spikes.
      if (learn && ns > 0) {
        cStdpPostEvents += <i64>ns;
        preTracesNow(xPre, lastPre, xNow, nIn, g, preTable, preLen);
        const key = stepKey(seed, C.STREAM_ROUND_POST, g);
        for (let k = 0; k < ns; k++) {
          dirty = markDirty(dirtyFlag, dirtyList, dirty, load<i32>(at4(cand, k)));
          potentiateColumn(w, nnz, load<i32>(at4(cand, k)), nIn, nOut, stride, xNow, rule, multiplicative, potRate, xTar,
            muMode, muTable, muN, muScale, format, wMax, invWMax, delta, invDelta, qMax, rounding, key);
        }
      }
    }
    g++;
  }
  cNeuronUpdates += <i64>steps * <i64>nOut;
  cDenseSynapticOps += <i64>steps * <i64>nIn * <i64>nOut;
  cStepsRun += <i64>steps;
  store<u32>(ctx + <usize>C.CTX_GLOBAL_STEP, g);
  store<i32>(ctx + <usize>C.CTX_OUT_COUNT, outCount);
  store<i32>(ctx + <usize>C.CTX_DIRTY_COUNT, dirty);

  const doNormalise = i32At(ctx, C.CTX_DO_NORMALISE) != 0;
  if (i32At(ctx, C.CTX_COMMIT) != 0) {
    if (learn) normaliseAndCommit(ctx, doNormalise);
  } else if (doNormalise) normaliseColumns(ctx);
  restSpan(ctx, adapt);
  flushCallCounters(ptrAt(ctx, C.CTX_P_COUNTERS));
}

/** Closed-form rest of CTX_REST_STEPS silent steps on its own. */
export function rest(ctx: usize): void {
  clearCallCounters();
  beginDevice(ptrAt(ctx, C.CTX_P_DEVICE));
  restSpan(ctx, i32At(ctx, C.CTX_ADAPT) != 0);
  flushCallCounters(ptrAt(ctx, C.CTX_P_COUNTERS));
}

/** Normalises every column now (outside a sample). */
export function normalise(ctx: usize): void {
  clearCallCounters();
  beginDevice(workingDevice(ctx));
  if (i32At(ctx, C.CTX_COMMIT) != 0) normaliseAndCommit(ctx, true);
  else normaliseColumns(ctx);
  flushCallCounters(ptrAt(ctx, C.CTX_P_COUNTERS));
}

/** Benchmark kernel: adds the rows of the n listed inputs `reps` times, as event-driven propagation does. */
export function benchPropagate(ctx: usize, list: usize, n: i32, reps: i32): void {
  clearCallCounters();
  for (let r = 0; r < reps; r++) propagateEvents(ctx, list, n);
  const inp = ptrAt(ctx, C.CTX_P_INP);
  const stride = i32At(ctx, C.CTX_STRIDE);
  for (let j = 0; j < stride; j++) store<f32>(at4(inp, j), 0);
}

// Rate-coded deployment kernels (event-driven convolution and dense layers) share this module and its RNG.
export { deployConv, deployAvgPool } from './spiking-conv';
export { deployDense, deployEncodeBernoulli } from './spiking-dense';
