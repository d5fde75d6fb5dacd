/**
 * The deployment kernels (assembly/spiking-conv.ts, assembly/spiking-dense.ts) on one backend: the
 * core's WebAssembly module (SIMD or scalar build, instantiated by src/core/wasm.ts, one instance and
 * so one linear memory per spiking network) or the TypeScript twins in src/core/reference/. Both
 * expose the memory as the same typed views; pointers are byte offsets.
 */
import { instantiateCore } from '../core/wasm.js';
import type { Mem } from '../core/reference/mem.js';
import { HostLinearMemory, WasmLinearMemory } from '../core/linear-memory.js';
import * as refConv from '../core/reference/spiking-conv.js';
import * as refDense from '../core/reference/spiking-dense.js';
import { defaultBackend, type Backend } from '../core/engine.js';

export type { Backend };

/**
 * Argument lists of the kernels (see the doc comments in assembly/spiking-*.ts). `deltas` (last, may
 * be omitted: 0) points to per-output-channel f32 scales of fixed-point weights; 0 = one `delta`.
 */
export interface DeployKernelCalls {
  deployConv(
    inPtr: number, inIdx: number, analogIn: number, h: number, w: number, cIn: number, outH: number, outW: number,
    cOut: number, k: number, stride: number, padTop: number, padLeft: number, weights: number, fixed: number,
    delta: number, rowNnz: number, bias: number, cur: number, v: number, acc: number, vThresh: number, steps: number,
    densePerStep: number, outPtr: number, outIdx: number, snapSteps: number, nSnap: number, cntOut: number, vOut: number,
    deltas?: number,
  ): void;
  deployAvgPool(
    inPtr: number, inIdx: number, h: number, w: number, c: number, outH: number, outW: number, size: number,
    stride: number, weight: number, cur: number, v: number, acc: number, vThresh: number, steps: number,
    densePerStep: number, outPtr: number, outIdx: number, snapSteps: number, nSnap: number, cntOut: number, vOut: number,
  ): void;
  deployDense(
    inPtr: number, inIdx: number, nIn: number, nOut: number, w: number, fixed: number, delta: number, rowNnz: number,
    cur: number, v: number, acc: number, vThresh: number, steps: number, outPtr: number, outIdx: number,
    snapSteps: number, nSnap: number, cntOut: number, vOut: number, deltas?: number,
  ): void;
  deployEncodeBernoulli(
    prob: number, active: number, nActive: number, steps: number, seed: number, sample: number, outPtr: number,
    outIdx: number,
  ): number;
}

export interface DeployKernels extends DeployKernelCalls {
  readonly backend: Backend;
  /** First byte the network may use. */
  readonly base: number;
  /** Current views; rebuilt whenever the memory has grown. */
  mem(): Mem;
  /** Grows the memory to at least `bytes` bytes. */
  reserve(bytes: number): void;
}

interface WasmExports extends DeployKernelCalls {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
}

class WasmKernels extends WasmLinearMemory implements DeployKernels {
  readonly backend: Backend;
  readonly deployConv: DeployKernelCalls['deployConv'];
  readonly deployAvgPool: DeployKernelCalls['deployAvgPool'];
  readonly deployDense: DeployKernelCalls['deployDense'];
  readonly deployEncodeBernoulli: DeployKernelCalls['deployEncodeBernoulli'];

  constructor(scalar: boolean) {
    const { exports, build } = instantiateCore(scalar ? 'scalar' : 'simd');
    const x = exports as unknown as WasmExports;
    if (typeof x.deployConv !== 'function') {
      throw new Error('the core WebAssembly module lacks the deployment kernels: run `npm run build:kernels`');
    }
    super(x.memory, x.heapBase());
    this.backend = build === 'simd' ? 'wasm' : 'wasm-scalar';
    this.deployConv = x.deployConv;
    this.deployAvgPool = x.deployAvgPool;
    this.deployDense = x.deployDense;
    this.deployEncodeBernoulli = x.deployEncodeBernoulli;
  }
}

class ReferenceKernels extends HostLinearMemory implements DeployKernels {
  readonly backend: Backend = 'reference';
  deployConv: DeployKernelCalls['deployConv'] = (...args) => refConv.deployConv(this.views, ...args);
  deployAvgPool: DeployKernelCalls['deployAvgPool'] = (...args) => refConv.deployAvgPool(this.views, ...args);
  deployDense: DeployKernelCalls['deployDense'] = (...args) => refDense.deployDense(this.views, ...args);
  deployEncodeBernoulli: DeployKernelCalls['deployEncodeBernoulli'] = (...args) => refDense.deployEncodeBernoulli(this.views, ...args);
}

/** SIMD WebAssembly when the engine supports it, else the scalar build (the core's default). */
export { defaultBackend as defaultDeployBackend };

export function createDeployKernels(backend: Backend): DeployKernels {
  if (backend === 'reference') return new ReferenceKernels();
  return new WasmKernels(backend === 'wasm-scalar');
}
