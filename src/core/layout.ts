/**
 * Byte layout of one layer's linear memory. The state region (weights, neuron state, traces, tables,
 * counters) is fixed when the layer is created; the per-sample tail (bucket heads, output spike list,
 * explicit input spikes) is laid out after it and re-laid out, growing memory, when a sample needs more.
 */
import {
  DECAY_TABLE_MAX, E_TABLE_SIZE, MU_TABLE_INTERVALS, ROW_ALIGN, CTX_BYTES, CNT_COUNT,
} from '../../assembly/context.js';

export interface LayoutDims {
  nIn: number;
  nOut: number;
  bytesPerWeight: 1 | 4;
  refractorySteps: number;
  preDecayLen: number;
  postDecayLen: number;
  /** A per-sample commit store: a u8 level array beside the f32 working weights. */
  levels?: boolean;
}

export interface TailCapacity {
  maxSteps: number; // steps per sample the bucket heads and explicit step index can hold
  outCapacity: number; // output spikes per sample
  explicitCapacity: number; // explicit input spikes per sample
}

export interface Layout {
  stride: number;
  ctx: number;
  counters: number;
  w: number;
  nnz: number;
  v: number;
  isyn: number;
  theta: number;
  refr: number;
  xPost: number;
  lastPost: number;
  activePost: number;
  activeFlag: number;
  inp: number;
  acc16: number;
  acc32: number;
  spikeCount: number;
  cand: number;
  candV: number;
  dIdx: number;
  dVal: number;
  dVec: number;
  colSum: number;
  dirtyFlag: number;
  dirtyList: number;
  xPre: number;
  lastPre: number;
  next: number;
  pIn: number;
  invLog: number;
  regCount: number;
  stepList: number;
  xPreNow: number;
  flags: number;
  eTable: number;
  preDecay: number;
  postDecay: number;
  muTable: number;
  restA: number;
  restC: number;
  restB: number;
  /** u8 levels of a per-sample commit store (same padded stride as the weights), 0 = none. */
  levels: number;
  stateEnd: number;
  // tail
  head: number;
  outSteps: number;
  outNeurons: number;
  explicitPtr: number;
  explicitInputs: number;
  end: number;
  capacity: TailCapacity;
}

const align = (x: number, a: number): number => Math.ceil(x / a) * a;

export function rowStride(nOut: number): number {
  return align(nOut, ROW_ALIGN);
}

/** Lays out the state region from `base` and the tail after it. */
export function computeLayout(base: number, d: LayoutDims, cap: TailCapacity): Layout {
  const stride = rowStride(d.nOut);
  let p = align(base, 64);
  const take = (bytes: number, a = 16): number => {
    p = align(p, a);
    const at = p;
    p += bytes;
    return at;
  };
  const nOutVec = stride * 4;
  const nInVec = align(d.nIn, 4) * 4;
  const rest = align(d.refractorySteps + 1, 4) * 4;
  const l = {
    stride,
    ctx: take(CTX_BYTES, 64),
    counters: take(align(CNT_COUNT, 2) * 8),
    w: take(d.nIn * stride * d.bytesPerWeight, 64),
    nnz: take(nInVec),
    v: take(nOutVec),
    isyn: take(nOutVec),
    theta: take(nOutVec),
    refr: take(nOutVec),
    xPost: take(nOutVec),
    lastPost: take(nOutVec),
    activePost: take(nOutVec),
    activeFlag: take(nOutVec),
    inp: take(nOutVec),
    acc16: take(stride * 2),
    acc32: take(nOutVec),
    spikeCount: take(nOutVec),
    cand: take(nOutVec),
    candV: take(nOutVec),
    dIdx: take(nOutVec),
    dVal: take(nOutVec),
    dVec: take(nOutVec),
    colSum: take(nOutVec),
    dirtyFlag: take(nOutVec),
    dirtyList: take(nOutVec),
    xPre: take(nInVec),
    lastPre: take(nInVec),
    next: take(nInVec),
    pIn: take(nInVec),
    invLog: take(nInVec),
    regCount: take(nInVec),
    stepList: take(nInVec),
    xPreNow: take(nInVec),
    flags: take(align(d.nIn, 16)),
    eTable: take(E_TABLE_SIZE * 4),
    preDecay: take(Math.min(d.preDecayLen, DECAY_TABLE_MAX) * 4),
    postDecay: take(Math.min(d.postDecayLen, DECAY_TABLE_MAX) * 4),
    muTable: take((MU_TABLE_INTERVALS + 1) * 4),
    restA: take(rest),
    restC: take(rest),
    restB: take(rest),
    levels: 0,
    stateEnd: 0,
    head: 0,
    outSteps: 0,
    outNeurons: 0,
    explicitPtr: 0,
    explicitInputs: 0,
    end: 0,
    capacity: cap,
  };
  if (d.levels) l.levels = take(d.nIn * stride, 64);
  l.stateEnd = align(p, 64);
  return layoutTail(l, cap);
}

/** (Re-)lays out the per-sample tail after the state region. */
export function layoutTail(l: Layout, cap: TailCapacity): Layout {
  let p = l.stateEnd;
  const take = (bytes: number): number => {
    const at = p;
    p = align(p + bytes, 16);
    return at;
  };
  l.head = take(cap.maxSteps * 4);
  l.outSteps = take(cap.outCapacity * 4);
  l.outNeurons = take(cap.outCapacity * 4);
  l.explicitPtr = take((cap.maxSteps + 1) * 4);
  l.explicitInputs = take(cap.explicitCapacity * 4);
  l.end = p;
  l.capacity = { ...cap };
  return l;
}
