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
 * Data path of one kernel call: the inputs are copied from the tfjs wasm heap into this module's
 * memory (one memcpy per input, through a view of the tfjs heap, no intermediate JS array), the
 * kernel runs, and the output is copied into a tensor allocated on the tfjs heap. The copies cost
 * about 1 ms per 6 MB moved (the largest tensors of the reference net at batch 64); see docs/convnet.md.
 */

/** Kernel names this module adds (custom names) or replaces (tfjs names) on the 'wasm' backend. */
export const WASM_KERNEL_NAMES = {
  conv2d: 'DeepStdpConv2D',
  conv2dBackpropFilter: 'Conv2DBackpropFilter',
  conv2dBackpropInput: 'Conv2DBackpropInput',
  maxPoolGrad: 'MaxPoolGrad',
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
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface KernelExports {
  memory: WasmMemory;
  heapBase(): number;
  padRows(src: number, dst: number, rows: number, cols: number, colsPadded: number): void;
  compactRows(buf: number, rows: number, cols: number, colsPadded: number): void;
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
  reluBiasGrad(dy: number, y: number, dbias: number, rows: number, c: number, scratch: number): void;
}

const WASM_PAGE_BYTES = 65536;

/**
 * The module's linear memory as a bump arena that is reset for every kernel call: a call lays out
 * its buffers, grows memory if needed, and leaves nothing behind.
 */
class KernelModule {
  readonly exports: KernelExports;
  private readonly base: number;

  constructor(exports: KernelExports) {
    this.exports = exports;
    this.base = exports.heapBase();
  }

  /** Byte offsets of buffers of the given sizes in bytes, each 16-byte aligned; grows memory. */
  layout(...sizes: number[]): number[] {
    const offsets: number[] = [];
    let end = this.base;
    for (const size of sizes) {
      offsets.push(end);
      end += Math.ceil(size / 16) * 16;
    }
    const have = this.exports.memory.buffer.byteLength;
    if (end > have) this.exports.memory.grow(Math.ceil((end - have) / WASM_PAGE_BYTES));
    return offsets;
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, ptr, length);
  }
}

let kernelModule: KernelModule | null = null;

/** Path of the compiled kernels, relative to this file in src/convnet/ or dist/src/convnet/. */
function kernelWasmBytes(): Uint8Array {
  const candidates = ['../../build/tfjs-kernels.wasm', '../../../build/tfjs-kernels.wasm'];
  for (const rel of candidates) {
    try {
      return readFileSync(new URL(rel, import.meta.url));
    } catch {
      // try the next layout
    }
  }
  throw new Error('build/tfjs-kernels.wasm not found: run `npm run build:kernels`');
}

/** Instantiates build/tfjs-kernels.wasm once (synchronously; the module is small). */
export function loadKernelModule(): KernelModule {
  if (kernelModule === null) {
    const module = new Wasm.Module(kernelWasmBytes());
    const instance = new Wasm.Instance(module, {
      env: {
        abort: (_msg: number, _file: number, line: number, column: number): never => {
          throw new Error(`tfjs-kernels.wasm aborted at ${line}:${column}`);
        },
      },
    });
    kernelModule = new KernelModule(instance.exports as unknown as KernelExports);
  }
  return kernelModule;
}

// ---------------------------------------------------------------------------------------------
// Moving data between the tfjs wasm heap and this module.

type Backend = BackendWasm;

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Copies a float32 tensor from the tfjs heap into this module at ptr. */
function copyIn(backend: Backend, km: KernelModule, t: tf.TensorInfo, ptr: number): void {
  const src = backend.typedArrayFromHeap(t) as Float32Array;
  km.f32(ptr, src.length).set(src);
}

/** Allocates a tfjs output tensor and copies `length` floats from this module at ptr into it. */
function copyOut(backend: Backend, km: KernelModule, shape: number[], ptr: number): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  dst.set(km.f32(ptr, dst.length));
  return out;
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
  const be = backend as Backend;
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
  const km = loadKernelModule();
  const [xPtr, padPtr, wPtr, wPadPtr, bPtr, yPtr] = km.layout(
    n * h * w * ci * 4, n * ph * pw * ci * 4, kh * kw * ci * co * 4, co4 !== co ? kh * kw * ci * co4 * 4 : 0, co4 * 4, n * oh * ow * co4 * 4,
  );
  copyIn(be, km, x, xPtr);
  copyIn(be, km, filter, wPtr);
  km.exports.dilateOutputGradient(xPtr, padPtr, n, h, w, ci, ph, pw, 1, 1, info.padInfo.top, info.padInfo.left);
  if (co4 !== co) km.exports.padRows(wPtr, wPadPtr, kh * kw * ci, co, co4);
  km.exports.conv2dForward(padPtr, co4 !== co ? wPadPtr : wPtr, yPtr, n, oh, ow, co4, ci, kh, kw);
  const biasView = km.f32(bPtr, co4);
  biasView.fill(0);
  if (bias) biasView.set(be.typedArrayFromHeap(bias) as Float32Array);
  km.exports.biasActivation(yPtr, bPtr, n * oh * ow, co4, a.relu ? 1 : 0);
  if (co4 !== co) km.exports.compactRows(yPtr, n * oh * ow, co, co4);
  return copyOut(be, km, [n, oh, ow, co], yPtr);
}

function conv2dBackpropFilterKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const be = backend as Backend;
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
  const km = loadKernelModule();
  const dyRows = n * oh * ow;
  const padded = co4 !== co;
  const [xPtr, dyPtr, dyPadPtr, dwPtr] = km.layout(
    sizeOf(x.shape) * 4, dyRows * co * 4, padded ? dyRows * co4 * 4 : 0, kh * kw * ci * co4 * 4,
  );
  copyIn(be, km, x, xPtr);
  copyIn(be, km, dy, dyPtr);
  if (padded) km.exports.padRows(dyPtr, dyPadPtr, dyRows, co, co4);
  km.exports.conv2dBackpropFilter(
    xPtr, padded ? dyPadPtr : dyPtr, dwPtr, n, h, w, ci, oh, ow, co4, kh, kw, sh, sw,
    info.padInfo.top, info.padInfo.left,
  );
  if (padded) km.exports.compactRows(dwPtr, kh * kw * ci, co, co4);
  return copyOut(be, km, [...a.filterShape], dwPtr);
}

function conv2dBackpropInputKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const be = backend as Backend;
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
  const km = loadKernelModule();
  const [dyPtr, dilPtr, wPtr, flipPtr, dxPtr] = km.layout(
    n * oh * ow * co * 4, n * dh * dwid * co * 4, kh * kw * ci * co * 4, kh * kw * co * ci4 * 4, n * h * w * ci4 * 4,
  );
  copyIn(be, km, dy, dyPtr);
  copyIn(be, km, filter, wPtr);
  km.exports.dilateOutputGradient(dyPtr, dilPtr, n, oh, ow, co, dh, dwid, sh, sw, kh - 1 - info.padInfo.top, kw - 1 - info.padInfo.left);
  km.exports.flipFilter(wPtr, flipPtr, kh, kw, ci, co, ci4);
  km.exports.conv2dBackpropInput(dilPtr, flipPtr, dxPtr, n, h, w, ci4, co, kh, kw);
  if (ci4 !== ci) km.exports.compactRows(dxPtr, n * h * w, ci, ci4);
  return copyOut(be, km, [...a.inputShape], dxPtr);
}

function maxPoolGradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const be = backend as Backend;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const a = attrs as { filterSize: number | [number, number]; strides: number | [number, number]; pad: ConvPad; dimRoundingMode?: Rounding };
  requireFloat32('MaxPoolGrad', dy, input);
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode,
  );
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const km = loadKernelModule();
  const [xPtr, dyPtr, dxPtr] = km.layout(n * h * w * c * 4, n * oh * ow * c * 4, n * h * w * c * 4);
  copyIn(be, km, input, xPtr);
  copyIn(be, km, dy, dyPtr);
  km.exports.maxPoolGrad(
    xPtr, dyPtr, dxPtr, n, h, w, c, oh, ow, info.filterHeight, info.filterWidth,
    info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
  );
  return copyOut(be, km, [...input.shape], dxPtr);
}

/** Rows and channels of a channels-last tensor viewed as a [rows, channels] matrix. */
function rowsChannels(shape: readonly number[]): [number, number] {
  const c = shape[shape.length - 1]!;
  return [sizeOf(shape) / c, c];
}

function batchNormTrainKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const be = backend as Backend;
  const { x, gamma, beta } = inputs as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
  const { epsilon, relu } = attrs as { epsilon: number; relu: boolean };
  requireFloat32('DeepStdpBatchNormTrain', x, gamma, beta);
  const [rows, c] = rowsChannels(x.shape);
  const km = loadKernelModule();
  const [xPtr, gPtr, bPtr, yPtr, mPtr, vPtr, sPtr] = km.layout(rows * c * 4, c * 4, c * 4, rows * c * 4, c * 4, c * 4, c * 12);
  copyIn(be, km, x, xPtr);
  copyIn(be, km, gamma, gPtr);
  copyIn(be, km, beta, bPtr);
  km.exports.batchNormTrain(xPtr, gPtr, bPtr, yPtr, mPtr, vPtr, rows, c, epsilon, relu ? 1 : 0, sPtr);
  return [copyOut(be, km, [...x.shape], yPtr), copyOut(be, km, [c], mPtr), copyOut(be, km, [c], vPtr)];
}

function batchNormApplyKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const be = backend as Backend;
  const { x, scale, shift } = inputs as { x: tf.TensorInfo; scale: tf.TensorInfo; shift: tf.TensorInfo };
  const { relu } = attrs as { relu: boolean };
  requireFloat32('DeepStdpBatchNormApply', x, scale, shift);
  const [rows, c] = rowsChannels(x.shape);
  const km = loadKernelModule();
  const [xPtr, scPtr, shPtr] = km.layout(rows * c * 4, c * 4, c * 4);
  copyIn(be, km, x, xPtr);
  copyIn(be, km, scale, scPtr);
  copyIn(be, km, shift, shPtr);
  km.exports.batchNormApply(xPtr, scPtr, shPtr, xPtr, rows, c, relu ? 1 : 0);
  return copyOut(be, km, [...x.shape], xPtr);
}

function batchNormGradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const be = backend as Backend;
  const { dy, x, y, mean, variance, gamma } = inputs as Record<'dy' | 'x' | 'y' | 'mean' | 'variance' | 'gamma', tf.TensorInfo>;
  const { epsilon, relu } = attrs as { epsilon: number; relu: boolean };
  requireFloat32('DeepStdpBatchNormGrad', dy, x, y, mean, variance, gamma);
  const [rows, c] = rowsChannels(x.shape);
  const km = loadKernelModule();
  const [dyPtr, xPtr, yPtr, mPtr, vPtr, gPtr, dxPtr, dgPtr, dbPtr, sPtr] = km.layout(
    rows * c * 4, rows * c * 4, relu ? rows * c * 4 : 0, c * 4, c * 4, c * 4, rows * c * 4, c * 4, c * 4, c * 28,
  );
  copyIn(be, km, dy, dyPtr);
  copyIn(be, km, x, xPtr);
  if (relu) copyIn(be, km, y, yPtr);
  copyIn(be, km, mean, mPtr);
  copyIn(be, km, variance, vPtr);
  copyIn(be, km, gamma, gPtr);
  km.exports.batchNormGrad(dyPtr, xPtr, yPtr, mPtr, vPtr, gPtr, dxPtr, dgPtr, dbPtr, rows, c, epsilon, relu ? 1 : 0, sPtr);
  return [copyOut(be, km, [...x.shape], dxPtr), copyOut(be, km, [c], dgPtr), copyOut(be, km, [c], dbPtr)];
}

function reluBiasGradKernel({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const be = backend as Backend;
  const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
  requireFloat32('DeepStdpReluBiasGrad', dy, y);
  const [rows, c] = rowsChannels(dy.shape);
  const km = loadKernelModule();
  const [dyPtr, yPtr, dbPtr, sPtr] = km.layout(rows * c * 4, rows * c * 4, c * 4, c * 12);
  copyIn(be, km, dy, dyPtr);
  copyIn(be, km, y, yPtr);
  km.exports.reluBiasGrad(dyPtr, yPtr, dbPtr, rows, c, sPtr);
  return [copyOut(be, km, [...dy.shape], dyPtr), copyOut(be, km, [c], dbPtr)];
}

function channelSumKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const be = backend as Backend;
  const { x } = inputs as { x: tf.TensorInfo };
  requireFloat32('DeepStdpChannelSum', x);
  const [rows, c] = rowsChannels(x.shape);
  const km = loadKernelModule();
  const [xPtr, oPtr, sPtr] = km.layout(rows * c * 4, c * 4, c * 12);
  copyIn(be, km, x, xPtr);
  km.exports.channelSum(xPtr, rows, c, oPtr, sPtr);
  return copyOut(be, km, [c], oPtr);
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
  [WASM_KERNEL_NAMES.batchNormTrain, batchNormTrainKernel],
  [WASM_KERNEL_NAMES.batchNormApply, batchNormApplyKernel],
  [WASM_KERNEL_NAMES.batchNormGrad, batchNormGradKernel],
  [WASM_KERNEL_NAMES.reluBiasGrad, reluBiasGradKernel],
  [WASM_KERNEL_NAMES.channelSum, channelSumKernel],
  [WASM_KERNEL_NAMES.identity, identityKernel],
];

let registered = false;

/**
 * Registers the kernels for the 'wasm' backend (idempotent). tfjs's own MaxPoolGrad and
 * Conv2DBackpropInput for 'wasm' are replaced (scalar loops, several times slower than these SIMD
 * kernels), and so is Identity (see identityKernel). Returns the kernel names registered.
 */
export function registerWasmKernels(): string[] {
  if (!registered) {
    loadKernelModule();
    for (const [kernelName, kernelFunc] of KERNELS) {
      if (tf.getKernel(kernelName, 'wasm') !== undefined) tf.unregisterKernel(kernelName, 'wasm');
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    }
    registered = true;
  }
  return KERNELS.map(([name]) => name);
}
