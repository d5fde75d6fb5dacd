import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * The AssemblyScript kernels of build/tfjs-kernels.wasm (assembly/tfjs/) and their registration with
 * TensorFlow.js for the 'wasm' backend.
 *
 * The module is instantiated with plain WebAssembly.Instance, not @assemblyscript/loader: the project
 * imports the loader in one host module only (src/core/wasm.ts), and these kernels need nothing from
 * it (runtime stub, no strings or managed objects, only raw f32 buffers placed by the host).
 *
 * The module imports its linear memory and has no data segments or start function, so it writes
 * only where a kernel call points it. Two ways to run it:
 * - shared (default when available): it is instantiated on the tfjs wasm backend's own memory.
 *   Kernels read input tensors in place, write straight into output tensors allocated by the
 *   backend, and take scratch space from the backend's malloc. No copies.
 * - copying (fallback, or DEEP_STDP_TFJS_KERNELS=copy): the module gets a memory of its own; every
 *   input tensor is copied in from the tfjs heap and every output copied back, about 110 MB per
 *   training step of the reference net at batch 64 (see docs/convnet.md for the measured cost).
 */

/** Kernel names this module adds (custom names) or replaces (tfjs names) on the 'wasm' backend. */
export const WASM_KERNEL_NAMES = {
  conv2d: 'DeepStdpConv2D',
  conv2dBackpropFilter: 'Conv2DBackpropFilter',
  conv2dBackpropInput: 'Conv2DBackpropInput',
  maxPoolGrad: 'MaxPoolGrad',
  avgPoolGrad: 'AvgPoolGrad',
  batchNormTrain: 'DeepStdpBatchNormTrain',
  batchNormApply: 'DeepStdpBatchNormApply',
  batchNormGrad: 'DeepStdpBatchNormGrad',
  reluBiasGrad: 'DeepStdpReluBiasGrad',
  channelSum: 'DeepStdpChannelSum',
  identity: 'Identity',
} as const;

/**
 * The slice of the WebAssembly JS API used here, typed locally: the project's tsconfig does not
 * include the DOM lib that declares it, and @types/node does not.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface KernelExports {
  heapBase(): number;
  padRows(src: number, dst: number, rows: number, cols: number, colsPadded: number): void;
  unpadRows(src: number, dst: number, rows: number, cols: number, colsPadded: number): void;
  conv2dBackpropFilter(
    x: number, dy: number, dw: number, n: number, h: number, w: number, ci: number,
    oh: number, ow: number, co4: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number,
  ): void;
  dilateOutputGradient(
    dy: number, dyDilated: number, n: number, oh: number, ow: number, co: number,
    dh: number, dwid: number, sh: number, sw: number, offH: number, offW: number,
  ): void;
  flipFilter(w: number, flipped: number, kh: number, kw: number, ci: number, co: number, ci4: number): void;
  conv2dBackpropInput(
    dyDilated: number, filterFlipped: number, dx4: number,
    n: number, h: number, w: number, ci4: number, co: number, kh: number, kw: number,
  ): void;
  conv2dForward(
    xPadded: number, filter: number, y4: number,
    n: number, oh: number, ow: number, co4: number, ci: number, kh: number, kw: number,
  ): void;
  biasActivation(y: number, bias: number, rows: number, c4: number, relu: number): void;
  maxPoolGrad(
    x: number, dy: number, dx: number, n: number, h: number, w: number, c: number, oh: number, ow: number,
    fh: number, fw: number, sh: number, sw: number, pt: number, pl: number,
  ): void;
  avgPoolGrad(
    dy: number, dx: number, n: number, h: number, w: number, c: number, oh: number, ow: number,
    fh: number, fw: number, sh: number, sw: number, pt: number, pl: number,
  ): void;
  batchNormTrain(
    x: number, gamma: number, beta: number, y: number, mean: number, variance: number,
    rows: number, c: number, epsilon: number, relu: number, scratch: number,
  ): void;
  batchNormApply(x: number, scale: number, shift: number, y: number, rows: number, c: number, relu: number): void;
  batchNormGrad(
    dy: number, x: number, y: number, mean: number, variance: number, gamma: number,
    dx: number, dgamma: number, dbeta: number, rows: number, c: number, epsilon: number, relu: number, scratch: number,
  ): void;
  channelSum(a: number, rows: number, c: number, out: number, scratch: number): void;
  reluBiasGrad(dy: number, y: number, g: number, dbias: number, rows: number, c: number, scratch: number): void;
}

type Backend = BackendWasm;

/** The Emscripten allocator of the tfjs wasm module (present at runtime, absent from its typings). */
interface EmscriptenHeap {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}

function heapOf(backend: Backend): EmscriptenHeap {
  return backend.wasm as unknown as EmscriptenHeap;
}

/** How the kernels reach tensor data: 'shared' (in place on the tfjs heap) or 'copy'. */
export type KernelMemoryMode = 'shared' | 'copy';

const WASM_PAGE_BYTES = 65536;

/** Path of the compiled kernels, relative to this file in src/convnet/ or dist/src/convnet/. */
function kernelWasmBytes(): Uint8Array {
  for (const rel of ['../../build/tfjs-kernels.wasm', '../../../build/tfjs-kernels.wasm']) {
    try {
      return readFileSync(new URL(rel, import.meta.url));
    } catch {
      // try the next layout
    }
  }
  throw new Error('build/tfjs-kernels.wasm not found: run `npm run build:kernels`');
}

/**
 * True when the binary has no data section (id 11) and no start section (id 8): instantiating it
 * on a foreign memory then writes nothing.
 */
function writesNothingOnInstantiation(bytes: Uint8Array): boolean {
  let i = 8;
  const leb = (): number => {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[i++]!;
      result += (byte & 127) * 2 ** shift;
      shift += 7;
    } while (byte & 128);
    return result;
  };
  while (i < bytes.length) {
    const id = bytes[i++]!;
    const size = leb();
    if (id === 11 || id === 8) return false;
    i += size;
  }
  return true;
}

let compiled: { module: object; shareable: boolean } | null = null;

function compiledModule(): { module: object; shareable: boolean } {
  if (compiled === null) {
    const bytes = kernelWasmBytes();
    compiled = { module: new Wasm.Module(bytes), shareable: writesNothingOnInstantiation(bytes) };
  }
  return compiled;
}

/**
 * The tfjs wasm backend's linear memory, if reachable: Emscripten exposes it as Module.asm.memory
 * (Module.wasmExports.memory or Module.wasmMemory in other Emscripten versions). Accepted only if
 * it is the memory behind the backend's heap views.
 */
function backendMemory(backend: Backend): WasmMemory | null {
  const mod = backend.wasm as unknown as {
    asm?: { memory?: unknown }; wasmExports?: { memory?: unknown }; wasmMemory?: unknown; HEAPU8?: Uint8Array;
  };
  for (const candidate of [mod.asm?.memory, mod.wasmExports?.memory, mod.wasmMemory]) {
    const memory = candidate as WasmMemory | undefined;
    if (memory !== undefined && typeof memory.grow === 'function' && memory.buffer === mod.HEAPU8?.buffer) return memory;
  }
  return null;
}

/** An instance of the kernels bound to one memory. */
class KernelInstance {
  readonly exports: KernelExports;
  readonly memory: WasmMemory;
  readonly mode: KernelMemoryMode;

  constructor(memory: WasmMemory, mode: KernelMemoryMode) {
    const instance = new Wasm.Instance(compiledModule().module, { env: { memory } });
    this.exports = instance.exports as KernelExports;
    this.memory = memory;
    this.mode = mode;
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }
}

const instances = new WeakMap<object, KernelInstance>();
let requestedMode: KernelMemoryMode | null = null;

/** Forces a memory mode for kernels instantiated from now on (tests and benchmarks). */
export function setKernelMemoryMode(mode: KernelMemoryMode | null): void {
  requestedMode = mode;
}

function wantedMode(): KernelMemoryMode {
  if (requestedMode !== null) return requestedMode;
  return process.env.DEEP_STDP_TFJS_KERNELS === 'copy' ? 'copy' : 'shared';
}

/** The kernel instance for a backend (created on first use, per backend and mode). */
function instanceFor(backend: Backend): KernelInstance {
  const mode = wantedMode();
  let inst = instances.get(backend);
  if (inst === undefined || inst.mode !== mode) {
    const shared = mode === 'shared' && compiledModule().shareable ? backendMemory(backend) : null;
    inst = shared !== null ? new KernelInstance(shared, 'shared') : new KernelInstance(new Wasm.Memory({ initial: 1 }), 'copy');
    instances.set(backend, inst);
  }
  return inst;
}

/** The memory mode the kernels use on the current wasm backend (after initBackend('wasm')). */
export function kernelMemoryMode(): KernelMemoryMode {
  return instanceFor(tf.backend() as Backend).mode;
}

// ---------------------------------------------------------------------------------------------
// One kernel call's buffers.

/** Bytes moved between the tfjs heap and the kernels' own memory (copying mode), and the time spent. */
export interface CopyStatistics {
  bytesIn: number;
  bytesOut: number;
  milliseconds: number;
}

const copyStats: CopyStatistics = { bytesIn: 0, bytesOut: 0, milliseconds: 0 };

/** Totals since the last reset (for the benchmark's cost breakdown). */
export function copyStatistics(): CopyStatistics {
  return { ...copyStats };
}

export function resetCopyStatistics(): void {
  copyStats.bytesIn = 0;
  copyStats.bytesOut = 0;
  copyStats.milliseconds = 0;
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Hands out pointers for one kernel call. Shared mode: inputs are the tensors' own memory, outputs
 * are allocated by the backend, scratch comes from its malloc (freed in finish). Copying mode:
 * everything is laid out in the instance's own memory (reused by every call), inputs are copied
 * in on request and outputs copied out in finish.
 */
class KernelCall {
  private readonly scratchPtrs: number[] = [];
  private readonly outputs: Array<{ info: tf.TensorInfo | null; shape: number[]; ptr: number }> = [];
  private end: number;

  constructor(readonly backend: Backend, readonly inst: KernelInstance) {
    this.end = inst.mode === 'copy' ? inst.exports.heapBase() : 0;
  }

  private reserve(bytes: number): number {
    const ptr = this.end;
    this.end += Math.ceil(Math.max(bytes, 1) / 16) * 16;
    const have = this.inst.memory.buffer.byteLength;
    if (this.end > have) this.inst.memory.grow(Math.ceil((this.end - have) / WASM_PAGE_BYTES));
    return ptr;
  }

  /** Pointer to a float32 input tensor's data. */
  input(t: tf.TensorInfo): number {
    if (this.inst.mode === 'shared') return this.backend.dataIdMap.get(t.dataId)!.memoryOffset;
    const t0 = performance.now();
    const src = this.backend.typedArrayFromHeap(t) as Float32Array;
    const ptr = this.reserve(src.byteLength);
    this.inst.f32(ptr, src.length).set(src);
    copyStats.bytesIn += src.byteLength;
    copyStats.milliseconds += performance.now() - t0;
    return ptr;
  }

  /** Scratch space of `bytes` bytes, valid until finish(). */
  scratch(bytes: number): number {
    if (this.inst.mode === 'copy') return this.reserve(bytes);
    const ptr = heapOf(this.backend)._malloc(Math.max(bytes, 16)) >>> 0;
    this.scratchPtrs.push(ptr);
    return ptr;
  }

  /** Pointer to a new float32 output tensor of `shape` (returned, in order, by finish()). */
  output(shape: number[]): number {
    if (this.inst.mode === 'shared') {
      const info = this.backend.makeOutput(shape, 'float32');
      const ptr = this.backend.dataIdMap.get(info.dataId)!.memoryOffset;
      this.outputs.push({ info, shape, ptr });
      return ptr;
    }
    const ptr = this.reserve(sizeOf(shape) * 4);
    this.outputs.push({ info: null, shape, ptr });
    return ptr;
  }

  /** The output tensors; frees scratch (shared) or copies results out (copying). */
  finish(): tf.TensorInfo[] {
    for (const ptr of this.scratchPtrs) heapOf(this.backend)._free(ptr);
    return this.outputs.map((o) => {
      if (o.info !== null) return o.info;
      const info = this.backend.makeOutput(o.shape, 'float32');
      const t0 = performance.now();
      const dst = this.backend.typedArrayFromHeap(info) as Float32Array;
      dst.set(this.inst.f32(o.ptr, dst.length));
      copyStats.bytesOut += dst.byteLength;
      copyStats.milliseconds += performance.now() - t0;
      return info;
    });
  }

  /** Copies `count` floats from `ptr` into a float32 array (for small host-side values). */
  read(ptr: number, count: number): Float32Array {
    return this.inst.f32(ptr, count).slice();
  }

  write(ptr: number, values: Float32Array): void {
    this.inst.f32(ptr, values.length).set(values);
  }
}

function beginCall(backend: unknown): KernelCall {
  const be = backend as Backend;
  return new KernelCall(be, instanceFor(be));
}

function requireNhwc(kernel: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} (deep-stdp wasm kernel): only NHWC is supported, got ${String(dataFormat)}`);
  }
}

function requireFloat32(kernel: string, ...tensors: tf.TensorInfo[]): void {
  for (const t of tensors) {
    if (t.dtype !== 'float32') throw new Error(`${kernel} (deep-stdp wasm kernel): float32 only, got ${t.dtype}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Kernel functions. Each receives { inputs, backend, attrs } from the tfjs engine.

interface KernelArgs {
  inputs: Record<string, tf.TensorInfo>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

type ConvPad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

/**
 * Forward convolution with bias and optional ReLU, stride 1 only (the op layer falls back to tfjs's
 * FusedConv2D otherwise). Inputs { x, filter, bias? }, attrs { pad, relu }.
 */
function conv2dKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, filter, bias } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo };
  const a = attrs as { pad: ConvPad; relu: boolean };
  requireFloat32('DeepStdpConv2D', x, filter, ...(bias ? [bias] : []));
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number], 1, 1, a.pad,
  );
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw } = info;
  const co4 = Math.ceil(co / 4) * 4;
  const ph = oh + kh - 1;
  const pw = ow + kw - 1;
  const call = beginCall(backend);
  const xPtr = call.input(x);
  let wPtr = call.input(filter);
  const yPtr = call.output([n, oh, ow, co]);
  const padPtr = call.scratch(n * ph * pw * ci * 4);
  const y4Ptr = co4 === co ? yPtr : call.scratch(n * oh * ow * co4 * 4);
  const biasPtr = call.scratch(co4 * 4);
  const k = call.inst.exports;
  k.dilateOutputGradient(xPtr, padPtr, n, h, w, ci, ph, pw, 1, 1, info.padInfo.top, info.padInfo.left);
  if (co4 !== co) {
    const padded = call.scratch(kh * kw * ci * co4 * 4);
    k.padRows(wPtr, padded, kh * kw * ci, co, co4);
    wPtr = padded;
  }
  k.conv2dForward(padPtr, wPtr, y4Ptr, n, oh, ow, co4, ci, kh, kw);
  const biasValues = new Float32Array(co4);
  if (bias) biasValues.set(call.read(call.input(bias), co));
  call.write(biasPtr, biasValues);
  k.biasActivation(y4Ptr, biasPtr, n * oh * ow, co4, a.relu ? 1 : 0);
  if (co4 !== co) k.unpadRows(y4Ptr, yPtr, n * oh * ow, co, co4);
  return call.finish()[0]!;
}

function conv2dBackpropFilterKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as { strides: number | [number, number]; pad: ConvPad; dataFormat?: string; dimRoundingMode?: Rounding; filterShape: [number, number, number, number] };
  requireNhwc('Conv2DBackpropFilter', a.dataFormat);
  requireFloat32('Conv2DBackpropFilter', x, dy);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode,
  );
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const co4 = Math.ceil(co / 4) * 4;
  const dyRows = n * oh * ow;
  const call = beginCall(backend);
  const k = call.inst.exports;
  const xPtr = call.input(x);
  let dyPtr = call.input(dy);
  const dwPtr = call.output([...a.filterShape]);
  const dw4Ptr = co4 === co ? dwPtr : call.scratch(kh * kw * ci * co4 * 4);
  if (co4 !== co) {
    const padded = call.scratch(dyRows * co4 * 4);
    k.padRows(dyPtr, padded, dyRows, co, co4);
    dyPtr = padded;
  }
  k.conv2dBackpropFilter(xPtr, dyPtr, dw4Ptr, n, h, w, ci, oh, ow, co4, kh, kw, sh, sw, info.padInfo.top, info.padInfo.left);
  if (co4 !== co) k.unpadRows(dw4Ptr, dwPtr, kh * kw * ci, co, co4);
  return call.finish()[0]!;
}

function conv2dBackpropInputKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as { strides: number | [number, number]; pad: ConvPad; dataFormat?: string; dimRoundingMode?: Rounding; inputShape: [number, number, number, number] };
  requireNhwc('Conv2DBackpropInput', a.dataFormat);
  requireFloat32('Conv2DBackpropInput', dy, filter);
  const info = tf.backend_util.computeConv2DInfo(
    a.inputShape, filter.shape as [number, number, number, number], a.strides, 1, a.pad, a.dimRoundingMode,
  );
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const ci4 = Math.ceil(ci / 4) * 4;
  const dh = h + kh - 1;
  const dwid = w + kw - 1;
  const call = beginCall(backend);
  const k = call.inst.exports;
  const dyPtr = call.input(dy);
  const wPtr = call.input(filter);
  const dxPtr = call.output([...a.inputShape]);
  const dilPtr = call.scratch(n * dh * dwid * co * 4);
  const flipPtr = call.scratch(kh * kw * co * ci4 * 4);
  const dx4Ptr = ci4 === ci ? dxPtr : call.scratch(n * h * w * ci4 * 4);
  k.dilateOutputGradient(dyPtr, dilPtr, n, oh, ow, co, dh, dwid, sh, sw, kh - 1 - info.padInfo.top, kw - 1 - info.padInfo.left);
  k.flipFilter(wPtr, flipPtr, kh, kw, ci, co, ci4);
  k.conv2dBackpropInput(dilPtr, flipPtr, dx4Ptr, n, h, w, ci4, co, kh, kw);
  if (ci4 !== ci) k.unpadRows(dx4Ptr, dxPtr, n * h * w, ci, ci4);
  return call.finish()[0]!;
}

function maxPoolGradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const a = attrs as { filterSize: number | [number, number]; strides: number | [number, number]; pad: ConvPad; dimRoundingMode?: Rounding };
  requireFloat32('MaxPoolGrad', dy, input);
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode,
  );
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const call = beginCall(backend);
  const xPtr = call.input(input);
  const dyPtr = call.input(dy);
  const dxPtr = call.output([...input.shape]);
  call.inst.exports.maxPoolGrad(
    xPtr, dyPtr, dxPtr, n, h, w, c, oh, ow, info.filterHeight, info.filterWidth,
    info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
  );
  return call.finish()[0]!;
}

function avgPoolGradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const a = attrs as { filterSize: number | [number, number]; strides: number | [number, number]; pad: ConvPad };
  requireFloat32('AvgPoolGrad', dy);
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const call = beginCall(backend);
  const dyPtr = call.input(dy);
  const dxPtr = call.output([...input.shape]);
  call.inst.exports.avgPoolGrad(
    dyPtr, dxPtr, n, h, w, c, oh, ow, info.filterHeight, info.filterWidth,
    info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
  );
  return call.finish()[0]!;
}

/** Rows and channels of a channels-last tensor viewed as a [rows, channels] matrix. */
function rowsChannels(shape: readonly number[]): [number, number] {
  const c = shape[shape.length - 1]!;
  return [sizeOf(shape) / c, c];
}

function batchNormTrainKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const { x, gamma, beta } = inputs as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
  const { epsilon, relu } = attrs as { epsilon: number; relu: boolean };
  requireFloat32('DeepStdpBatchNormTrain', x, gamma, beta);
  const [rows, c] = rowsChannels(x.shape);
  const call = beginCall(backend);
  const xPtr = call.input(x);
  const gPtr = call.input(gamma);
  const bPtr = call.input(beta);
  const yPtr = call.output([...x.shape]);
  const mPtr = call.output([c]);
  const vPtr = call.output([c]);
  call.inst.exports.batchNormTrain(xPtr, gPtr, bPtr, yPtr, mPtr, vPtr, rows, c, epsilon, relu ? 1 : 0, call.scratch(c * 12));
  return call.finish();
}

function batchNormApplyKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, scale, shift } = inputs as { x: tf.TensorInfo; scale: tf.TensorInfo; shift: tf.TensorInfo };
  const { relu } = attrs as { relu: boolean };
  requireFloat32('DeepStdpBatchNormApply', x, scale, shift);
  const [rows, c] = rowsChannels(x.shape);
  const call = beginCall(backend);
  const xPtr = call.input(x);
  const scPtr = call.input(scale);
  const shPtr = call.input(shift);
  const yPtr = call.output([...x.shape]);
  call.inst.exports.batchNormApply(xPtr, scPtr, shPtr, yPtr, rows, c, relu ? 1 : 0);
  return call.finish()[0]!;
}

function batchNormGradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const { dy, x, y, mean, variance, gamma } = inputs as Record<'dy' | 'x' | 'y' | 'mean' | 'variance' | 'gamma', tf.TensorInfo>;
  const { epsilon, relu } = attrs as { epsilon: number; relu: boolean };
  requireFloat32('DeepStdpBatchNormGrad', dy, x, mean, variance, gamma, ...(relu ? [y] : []));
  const [rows, c] = rowsChannels(x.shape);
  const call = beginCall(backend);
  const dyPtr = call.input(dy);
  const xPtr = call.input(x);
  const yPtr = relu ? call.input(y) : 0;
  const mPtr = call.input(mean);
  const vPtr = call.input(variance);
  const gPtr = call.input(gamma);
  const dxPtr = call.output([...x.shape]);
  const dgPtr = call.output([c]);
  const dbPtr = call.output([c]);
  call.inst.exports.batchNormGrad(dyPtr, xPtr, yPtr, mPtr, vPtr, gPtr, dxPtr, dgPtr, dbPtr, rows, c, epsilon, relu ? 1 : 0, call.scratch(c * 28));
  return call.finish();
}

function reluBiasGradKernel({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
  requireFloat32('DeepStdpReluBiasGrad', dy, y);
  const [rows, c] = rowsChannels(dy.shape);
  const call = beginCall(backend);
  const dyPtr = call.input(dy);
  const yPtr = call.input(y);
  const gPtr = call.output([...dy.shape]);
  const dbPtr = call.output([c]);
  call.inst.exports.reluBiasGrad(dyPtr, yPtr, gPtr, dbPtr, rows, c, call.scratch(c * 12));
  return call.finish();
}

function channelSumKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  requireFloat32('DeepStdpChannelSum', x);
  const [rows, c] = rowsChannels(x.shape);
  const call = beginCall(backend);
  const xPtr = call.input(x);
  const oPtr = call.output([c]);
  call.inst.exports.channelSum(xPtr, rows, c, oPtr, call.scratch(c * 12));
  return call.finish()[0]!;
}

/**
 * Identity that shares the input's buffer (reference count + 1) instead of copying it, as tfjs's cpu
 * backend does. tfjs clones every tensor it saves for a backward pass; on wasm each clone was a full
 * copy (about 4 ms per training step of the reference net). Tensors are immutable and the wasm
 * backend reference-counts its buffers, so sharing is safe.
 */
function identityKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const be = backend as Backend;
  const { x } = inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string') return be.makeOutput(x.shape, x.dtype, undefined, be.readSync(x.dataId));
  be.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

const KERNELS: Array<[string, (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]]> = [
  [WASM_KERNEL_NAMES.conv2d, conv2dKernel],
  [WASM_KERNEL_NAMES.conv2dBackpropFilter, conv2dBackpropFilterKernel],
  [WASM_KERNEL_NAMES.conv2dBackpropInput, conv2dBackpropInputKernel],
  [WASM_KERNEL_NAMES.maxPoolGrad, maxPoolGradKernel],
  [WASM_KERNEL_NAMES.avgPoolGrad, avgPoolGradKernel],
  [WASM_KERNEL_NAMES.batchNormTrain, batchNormTrainKernel],
  [WASM_KERNEL_NAMES.batchNormApply, batchNormApplyKernel],
  [WASM_KERNEL_NAMES.batchNormGrad, batchNormGradKernel],
  [WASM_KERNEL_NAMES.reluBiasGrad, reluBiasGradKernel],
  [WASM_KERNEL_NAMES.channelSum, channelSumKernel],
  [WASM_KERNEL_NAMES.identity, identityKernel],
];

let registered = false;
const replaced = new Map<string, tf.KernelConfig>();

/** tfjs's own 'wasm' kernel that registerWasmKernels replaced under `name` (for benchmarks). */
export function replacedWasmKernel(name: string): tf.KernelConfig | undefined {
  return replaced.get(name);
}

/**
 * Registers the kernels for the 'wasm' backend (idempotent). tfjs's own Conv2DBackpropInput,
 * MaxPoolGrad and AvgPoolGrad for 'wasm' are replaced (scalar loops, 3-6x slower than these SIMD
 * kernels), and so is Identity (see identityKernel). Returns the kernel names registered.
 */
export function registerWasmKernels(): string[] {
  if (!registered) {
    compiledModule();
    for (const [kernelName, kernelFunc] of KERNELS) {
      const original = tf.getKernel(kernelName, 'wasm');
      if (original !== undefined) {
        replaced.set(kernelName, original);
        tf.unregisterKernel(kernelName, 'wasm');
      }
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    }
    registered = true;
  }
  return KERNELS.map(([name]) => name);
}
