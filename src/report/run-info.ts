import { readFileSync } from 'node:fs';
import { cpus, totalmem, platform, arch } from 'node:os';

/** Package version, read once from package.json. */
export const packageVersion: string = (() => {
  const url = new URL('../../package.json', import.meta.url);
  try {
    return JSON.parse(readFileSync(url, 'utf8')).version as string;
  } catch {
    // dist/src/report → ../../../package.json
    return JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version as string;
  }
})();

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  arch: string;
  /** Whether this engine validates WebAssembly SIMD (the core then runs its SIMD build). */
  wasmSimd: boolean;
}

/**
 * A minimal module using a SIMD instruction (i32.const 0; i8x16.splat; i8x16.popcnt), the same probe
 * wasm-feature-detect uses. Engines without SIMD reject it in `WebAssembly.validate`.
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** True when the running engine supports WebAssembly fixed-width SIMD (v128). */
export function wasmSimdSupported(): boolean {
  // Typed locally: the project's `lib` setting (ES2022) does not declare the WebAssembly global.
  const wasm = (globalThis as unknown as { WebAssembly?: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
  try {
    return wasm !== undefined && wasm.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: platform(),
    arch: arch(),
    wasmSimd: wasmSimdSupported(),
  };
}

/** The provenance block every result file carries: seed, options, package version, machine. */
export interface RunInfo {
  tool: 'deep-stdp';
  version: string;
  command: string;
  seed: number | number[] | null;
  options: Record<string, unknown>;
  machine: MachineInfo;
  startedAt: string;
}

export function runInfo(command: string, options: Record<string, unknown>, seed: number | number[] | null): RunInfo {
  return {
    tool: 'deep-stdp',
    version: packageVersion,
    command,
    seed,
    options,
    machine: machineInfo(),
    startedAt: new Date().toISOString(),
  };
}
