/**
 * The linear memory a backend runs over, as typed views (src/core/reference/mem.ts): a WebAssembly
 * instance's own memory, or a plain ArrayBuffer for the TypeScript reference twins. The core's engine
 * and the deployment kernels extend these, so both grow and view memory the same way.
 */
import { viewsOf, type Mem } from './reference/mem.js';
import type { WasmMemory } from './wasm.js';

const PAGE = 65536;

/** A WebAssembly instance's memory; the views are rebuilt when growing has replaced its buffer. */
export class WasmLinearMemory {
  private views: Mem;

  /** `base`: first byte the caller may use (the module's heap base). */
  constructor(
    private readonly memory: WasmMemory,
    readonly base: number,
  ) {
    this.views = viewsOf(memory.buffer);
  }

  /** Current views; rebuilt whenever the memory has grown. */
  mem(): Mem {
    if (this.views.buffer !== this.memory.buffer) this.views = viewsOf(this.memory.buffer);
    return this.views;
  }

  /** Grows the memory to at least `bytes` bytes (views are rebuilt on the next mem()). */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }
}

/** Memory for the reference twins: an ArrayBuffer, copied into a larger one when it must grow. */
export class HostLinearMemory {
  readonly base = 1024;
  protected views: Mem = viewsOf(new ArrayBuffer(PAGE));

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
}
