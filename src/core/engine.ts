/**
 * A backend that runs the core's entry points over one layer's linear memory: the WebAssembly kernels
 * (SIMD or scalar build) or the TypeScript reference twin. Both expose the memory as the same typed views.
 */
import { instantiateCore, simdSupported, type CoreExports } from './wasm.js';
import { viewsOf, type Mem } from './reference/mem.js';
import * as reference from './reference/index.js';

export type Backend = 'wasm' | 'wasm-scalar' | 'reference';

const PAGE = 65536;

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

class WasmEngine implements Engine {
  readonly backend: Backend;
  readonly base: number;
  private readonly x: CoreExports;
  private views: Mem;

  constructor(scalar: boolean) {
    const { exports, build } = instantiateCore(scalar ? 'scalar' : 'simd');
    this.x = exports;
    this.backend = build === 'simd' ? 'wasm' : 'wasm-scalar';
    this.base = exports.heapBase();
    this.views = viewsOf(exports.memory.buffer);
  }

  mem(): Mem {
    if (this.views.buffer !== this.x.memory.buffer) this.views = viewsOf(this.x.memory.buffer);
    return this.views;
  }

  reserve(bytes: number): void {
    const have = this.x.memory.buffer.byteLength;
    if (bytes > have) this.x.memory.grow(Math.ceil((bytes - have) / PAGE));
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

class ReferenceEngine implements Engine {
  readonly backend: Backend = 'reference';
  readonly base = 1024;
  private views: Mem = viewsOf(new ArrayBuffer(PAGE));

  mem(): Mem {
    return this.views;
  }

  reserve(bytes: number): void {
    const have = this.views.buffer.byteLength;
    if (bytes <= have) return;
    const grown = new ArrayBuffer(Math.ceil(bytes / PAGE) * PAGE);
    new Uint8Array(grown).set(this.views.u8);
    this.views = viewsOf(grown);
  }

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
