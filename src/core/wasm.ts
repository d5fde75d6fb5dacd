/**
 * The one module that loads the WebAssembly kernels (through @assemblyscript/loader). Both builds are
 * compiled once per process, synchronously; each layer gets its own instance (and so its own memory).
 * The SIMD build is used when the engine validates it, the scalar build otherwise or on request.
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { instantiateSync } from '@assemblyscript/loader';

// The slice of the WebAssembly JS API used here, typed locally (the project's `lib` is ES2022 only).
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  validate(bytes: Uint8Array): boolean;
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Exports of assembly/index.ts. Pointers are byte offsets into the instance's memory. */
export interface CoreExports {
  memory: WasmMemory;
  heapBase(): number;
  simdBuild(): number;
  runSample(ctx: number): void;
  rest(ctx: number): void;
  normalise(ctx: number): void;
  benchPropagate(ctx: number, list: number, n: number, reps: number): void;
}

export type WasmBuild = 'simd' | 'scalar';

interface Compiled {
  simd: WasmModule | null;
  scalar: WasmModule;
}

let compiled: Compiled | null = null;

/** Directory holding core.simd.wasm / core.scalar.wasm (build/ at the package root). */
export function buildDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/core -> ../../build ; dist/src/core -> ../../../build
  for (const up of ['../../build', '../../../build']) {
    const dir = join(here, up);
    if (existsSync(join(dir, 'core.scalar.wasm'))) return dir;
  }
  throw new Error('WebAssembly kernels not found: run `npm run build:kernels` (expects build/core.scalar.wasm)');
}

function compileAll(): Compiled {
  if (compiled) return compiled;
  const dir = buildDir();
  const scalar = new Wasm.Module(readFileSync(join(dir, 'core.scalar.wasm')));
  let simd: WasmModule | null = null;
  const simdPath = join(dir, 'core.simd.wasm');
  if (existsSync(simdPath)) {
    const bytes = readFileSync(simdPath);
    if (Wasm.validate(bytes)) simd = new Wasm.Module(bytes);
  }
  compiled = { simd, scalar };
  return compiled;
}

/** True when this engine runs the SIMD build. */
export function simdSupported(): boolean {
  return compileAll().simd !== null;
}

/** A fresh instance of the requested build (falls back to scalar when SIMD is not supported). */
export function instantiateCore(build: WasmBuild): { exports: CoreExports; build: WasmBuild } {
  const c = compileAll();
  const module = build === 'simd' && c.simd ? c.simd : c.scalar;
  const { exports } = instantiateSync<Record<string, unknown>>(module as never, {});
  return { exports: exports as unknown as CoreExports, build: module === c.simd ? 'simd' : 'scalar' };
}
