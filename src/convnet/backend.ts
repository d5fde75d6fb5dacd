import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { requireOneOf } from '../errors.js';
import { kernelMemoryMode, registerWasmKernels, type KernelMemoryMode } from './wasm-kernels.js';

/**
 * TensorFlow.js backend selection for the ConvNet.
 *
 * Default order: 'tensorflow' (native libtensorflow through @tensorflow/tfjs-node, an optional
 * dependency) when it can be imported, else 'wasm' (@tensorflow/tfjs-backend-wasm, XNNPACK, SIMD
 * build) with this project's AssemblyScript kernels registered for what it lacks or runs slowly.
 * The pure-JS 'cpu' backend is never chosen by default (about 40x slower at inference, hundreds of
 * times slower at training); `--backend cpu` asks for it explicitly (the tests use it as reference).
 */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendInfo {
  /** The backend that runs the ConvNet. */
  name: BackendName;
  /** True when the caller asked for this backend, false when it was picked by default. */
  requested: boolean;
  /** wasm: which tfjs-backend-wasm binary runs ('simd' or 'plain'). */
  wasmBinary?: 'simd' | 'plain';
  /** wasm: threads used by XNNPACK (tfjs disables its threaded build under Node.js, so 1). */
  wasmThreads?: number;
  /** wasm: kernels provided by build/tfjs-kernels.wasm (replacing or adding to tfjs's own). */
  customKernels?: string[];
  /** wasm: whether those kernels work in place on the tfjs heap ('shared') or copy tensors ('copy'). */
  kernelMemory?: KernelMemoryMode;
  /** Why a preferred backend was not used (e.g. tfjs-node not installed). */
  notes: string[];
  tfjsVersion: string;
}

let active: BackendInfo | null = null;

const require = createRequire(import.meta.url);

/** Directory holding tfjs-backend-wasm's .wasm binaries, with a trailing slash (no network). */
export function wasmBinaryDirectory(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/');
}

async function tryTensorflow(notes: string[]): Promise<boolean> {
  try {
    // A variable specifier keeps TypeScript from requiring the optional package's types.
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return await tf.setBackend('tensorflow');
  } catch (err) {
    notes.push(`tensorflow backend unavailable (@tensorflow/tfjs-node: ${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
    return false;
  }
}

let wasmModule: typeof import('@tensorflow/tfjs-backend-wasm') | null = null;

async function tryWasm(notes: string[]): Promise<BackendInfo | null> {
  try {
    if (wasmModule === null) {
      wasmModule = await import('@tensorflow/tfjs-backend-wasm');
      wasmModule.setWasmPaths(wasmBinaryDirectory());
    }
    const customKernels = registerWasmKernels();
    if (!(await tf.setBackend('wasm'))) {
      notes.push('wasm backend failed to initialise');
      return null;
    }
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    return {
      name: 'wasm',
      requested: false,
      wasmBinary: simd ? 'simd' : 'plain',
      wasmThreads: wasmModule.getThreadsCount(),
      customKernels,
      kernelMemory: kernelMemoryMode(),
      notes,
      tfjsVersion: tf.version.tfjs,
    };
  } catch (err) {
    notes.push(`wasm backend unavailable: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

/**
 * Selects and initialises the backend (once per process; a later call with a different explicit
 * request switches). `requested` comes from `--backend`; undefined means the default order.
 */
export async function initBackend(requested?: string): Promise<BackendInfo> {
  const want = requested === undefined ? undefined : requireOneOf('backend', requested, BACKEND_NAMES);
  if (active !== null && (want === undefined || want === active.name)) {
    // Code outside this module may have switched tfjs (e.g. to 'cpu' for a comparison); training on
    // the wrong backend would be silently slow and mis-reported, so switch back to the chosen one.
    if (tf.getBackend() !== active.name) {
      if (!(await tf.setBackend(active.name))) throw new Error(`backend ${active.name} failed to re-activate`);
      await tf.ready();
    }
    return active;
  }
  const notes: string[] = [];
  let info: BackendInfo | null = null;
  if (want === undefined || want === 'tensorflow') {
    if (await tryTensorflow(notes)) {
      info = { name: 'tensorflow', requested: want !== undefined, notes, tfjsVersion: tf.version.tfjs };
    } else if (want === 'tensorflow') {
      throw new Error(`--backend tensorflow: ${notes.join('; ')}. Install it with \`npm install @tensorflow/tfjs-node\`.`);
    }
  }
  if (info === null && (want === undefined || want === 'wasm')) {
    info = await tryWasm(notes);
    if (info === null) throw new Error(`--backend wasm: ${notes.join('; ')}`);
    info.requested = want !== undefined;
  }
  if (info === null) {
    // Only reached for an explicit 'cpu'.
    if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to initialise');
    info = { name: 'cpu', requested: true, notes, tfjsVersion: tf.version.tfjs };
  }
  await tf.ready();
  active = info;
  return info;
}

/** The backend chosen by initBackend, or null before it ran. */
export function activeBackend(): BackendInfo | null {
  return active;
}

/** Name of the backend tfjs is running now (after initBackend). */
export function currentBackendName(): string {
  return tf.getBackend();
}
