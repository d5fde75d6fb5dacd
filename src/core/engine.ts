/**
 * A backend that runs the core's entry points over one layer's linear memory: the WebAssembly kernels
 * (SIMD or scalar build) or the TypeScript reference twin. Both expose the memory as the same typed views.
 */
import { instantiateCore, simdSupported, type CoreExports } from './wasm.js';
import type { Mem } from './reference/mem.js';
import * as reference from './reference/index.js';
import { HostLinearMemory, WasmLinearMemory } from './linear-memory.js';

export type Backend = 'wasm' | 'wasm-scalar' | 'reference';

export interface Engine {
  readonly backend: Backend;
  /** First byte the layer may use. */
  readonly base: number;
  /** Current views; rebuilt whenever the memory has grown. */
  mem(): Mem;
  /** Grows the memory to at least `bytes` bytes (views are rebuilt on the next mem()). */
  reserve(bytes: number): void;
  runSample(ctx: number): void;
  rest(ctx: number): void;
  normalise(ctx: number): void;
  /** Event-driven propagation only, for benchmarks. */
  benchPropagate(ctx: number, list: number, n: number, reps: number): void;
}

class WasmEngine extends WasmLinearMemory implements Engine {
  readonly backend: Backend;
  private readonly x: CoreExports;

  constructor(scalar: boolean) {
    const { exports, build } = instantiateCore(scalar ? 'scalar' : 'simd');
    super(exports.memory, exports.heapBase());
    this.x = exports;
    this.backend = build === 'simd' ? 'wasm' : 'wasm-scalar';
  }

  runSample(ctx: number): void {
    this.x.runSample(ctx);
  }
  rest(ctx: number): void {
    this.x.rest(ctx);
  }
  normalise(ctx: number): void {
    this.x.normalise(ctx);
  }
  benchPropagate(ctx: number, list: number, n: number, reps: number): void {
    this.x.benchPropagate(ctx, list, n, reps);
  }
}

class ReferenceEngine extends HostLinearMemory implements Engine {
  readonly backend: Backend = 'reference';

  runSample(ctx: number): void {
    reference.runSample(this.views, ctx);
  }
  rest(ctx: number): void {
    reference.rest(this.views, ctx);
  }
  normalise(ctx: number): void {
    reference.normalise(this.views, ctx);
  }
  benchPropagate(ctx: number, list: number, n: number, reps: number): void {
    reference.benchPropagate(this.views, ctx, list, n, reps);
  }
}

/** The backend used when none is named: SIMD WebAssembly if the engine supports it, else scalar. */
export function defaultBackend(): Backend {
  return simdSupported() ? 'wasm' : 'wasm-scalar';
}

export function createEngine(backend: Backend): Engine {
  if (backend === 'reference') return new ReferenceEngine();
  return new WasmEngine(backend === 'wasm-scalar');
}
