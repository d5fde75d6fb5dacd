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
