/**
 * Brian2 peer: runs the Diehl & Cook (2015) training pass in Brian2's C++ standalone mode on the same images
 * as our core (bench/peers/brian2_dc.py) and returns its throughput. Brian2 is optional: when no Python with
 * `brian2` is found the run is skipped with the install command. See docs/peers.md.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError, requireInteger, requireOneOf } from '../../src/errors.js';

/** How to get Brian2 on Debian/Ubuntu (the package installs into /usr/bin/python3), or with pip elsewhere. */
export const BRIAN2_INSTALL_HINT =
  'apt-get install -y python3-brian   (Debian/Ubuntu, Brian2 2.5; needs g++)  or  python3 -m pip install brian2';

/** Interpreters tried in order: Debian's python3-brian lives in /usr/bin/python3's dist-packages. */
export const DEFAULT_PYTHON_CANDIDATES: readonly string[] = ['/usr/bin/python3', 'python3'];

/** Environment variable naming an interpreter to try before the defaults. */
export const PYTHON_ENV = 'DEEP_STDP_PYTHON';

export const BRIAN2_MODELS = ['core', 'dc2015'] as const;
export type Brian2Model = (typeof BRIAN2_MODELS)[number];
export const BRIAN2_INPUT_MODES = ['poisson', 'generator'] as const;
export type Brian2InputMode = (typeof BRIAN2_INPUT_MODES)[number];

export interface Brian2Options {
  /** Images, row-major uint8 pixels, `count * inputs` bytes (more is allowed; the first `count` are used). */
  images: Uint8Array;
  count: number;
  /** Excitatory neurons. */
  neurons: number;
  seed: number;
  /** Wall-clock limit for the whole Python process (build + run), ms. */
  timeoutMs: number;
  /** Pixels per image, default 784. */
  inputs?: number;
  /** `core` (current-based, matches our core; default) or `dc2015` (the published conductance-based network). */
  model?: Brian2Model;
  /**
   * `poisson` (default): Brian2 draws every input every step inside the timed run, as PoissonGroup does.
   * `generator`: the same spike statistics drawn with numpy before the run and replayed by a SpikeGeneratorGroup,
   * so the timed run excludes input generation.
   */
  inputMode?: Brian2InputMode;
  /** STDP, adaptive threshold and normalisation on (default true). */
  learning?: boolean;
  /** Model parameter overrides, keys as in brian2_dc.py (e.g. `{ inputGainMv: 1, inhibitionMv: 120 }`). */
  params?: Record<string, number>;
  /** Interpreters to try; default: $DEEP_STDP_PYTHON, then DEFAULT_PYTHON_CANDIDATES. */
  pythonCandidates?: readonly string[];
  /**
   * Directory that keeps compiled standalone projects between invocations (one subfolder per model shape), so
   * only changed files are recompiled. Default `<tmpdir>/deep-stdp-brian2`; `null` builds from scratch in a
   * temporary folder.
   */
  buildCacheDir?: string | null;
  /** Add Brian2's per-code-object run times (`profileSeconds`). */
  profile?: boolean;
}

/** What brian2_dc.py prints (one JSON object), plus how it was run. */
export interface Brian2Result {
  skipped: false;
  /** images / wall-clock seconds of the simulation loop (`wallSeconds`). */
  imagesPerSecond: number;
  /** images / CPU seconds of the simulation loop (`cpuSeconds`); unaffected by other load on the machine. */
  imagesPerCpuSecond: number;
  images: number;
  neurons: number;
  inputs: number;
  model: Brian2Model;
  inputMode: Brian2InputMode;
  learning: boolean;
  /** Wall-clock time of the simulation loop in the compiled binary (CLOCK_MONOTONIC around `run()`), s. */
  wallSeconds: number;
  /** CPU time of the same loop: Brian2's own measurement (`std::clock()`), s. */
  cpuSeconds: number;
  /** The whole binary: loading arrays, creating synapses, the loop, writing results, s. */
  binarySeconds: number;
  /** Code generation + compilation, s. */
  buildSeconds: number;
  /** Python side before the build: imports, reading images, describing the network (and drawing generator input), s. */
  setupSeconds: number;
  /** Excitatory spikes per image. */
  spikesPerImage: number;
  inputSpikesPerImage: number;
  /** Excitatory neurons that spiked at least once. */
  activeNeurons: number;
  meanWeight: number;
  simulatedSeconds: number;
  dtMs: number;
  threads: number;
  seed: number;
  params: Record<string, number>;
  brian2Version: string;
  numpyVersion: string;
  pythonVersion: string;
  device: string;
  compileArgs: string[];
  profileSeconds?: Record<string, number>;
  /** Interpreter used. */
  python: string;
  /** Full argument list, for the report. */
  command: string[];
}

export interface Brian2Skipped {
  skipped: true;
  /** `not-installed`: no interpreter imports brian2; `timeout`; `failed`: the script or its build failed. */
  cause: 'not-installed' | 'timeout' | 'failed';
  reason: string;
}

const NUMBER_FIELDS = [
  'imagesPerSecond', 'imagesPerCpuSecond', 'images', 'neurons', 'inputs', 'wallSeconds', 'cpuSeconds', 'binarySeconds', 'buildSeconds', 'setupSeconds',
  'spikesPerImage', 'inputSpikesPerImage', 'activeNeurons', 'meanWeight', 'simulatedSeconds', 'dtMs', 'threads', 'seed',
] as const;
const STRING_FIELDS = ['brian2Version', 'numpyVersion', 'pythonVersion', 'device'] as const;

/** Raised for output the wrapper cannot read, or an `{error}` object the script printed. */
export class Brian2OutputError extends Error {
  override name = 'Brian2OutputError';
}

/**
 * Reads brian2_dc.py's stdout: the last line that is a JSON object. Throws Brian2OutputError when there is none,
 * when the script reported `{error}`, or when a field is missing or has the wrong type.
 */
export function parseBrian2Output(stdout: string): Omit<Brian2Result, 'skipped' | 'python' | 'command'> {
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.startsWith('{'));
  let parsed: unknown;
  for (let k = lines.length - 1; k >= 0 && parsed === undefined; k--) {
    try {
      parsed = JSON.parse(lines[k]!);
    } catch {
      // not the result line; keep looking upwards
    }
  }
  if (parsed === undefined || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Brian2OutputError(`no JSON result in the Brian2 script output: ${tail(stdout, 400) || '(empty)'}`);
  }
  const obj = parsed as Record<string, unknown>;
  if (typeof obj.error === 'string') throw new Brian2OutputError(`Brian2 script: ${obj.error}`);
  for (const key of NUMBER_FIELDS) {
    if (typeof obj[key] !== 'number' || !Number.isFinite(obj[key])) {
      throw new Brian2OutputError(`Brian2 result field ${key}: expected a finite number, got ${JSON.stringify(obj[key])}`);
    }
  }
  for (const key of STRING_FIELDS) {
    if (typeof obj[key] !== 'string') {
      throw new Brian2OutputError(`Brian2 result field ${key}: expected a string, got ${JSON.stringify(obj[key])}`);
    }
  }
  if (!(BRIAN2_MODELS as readonly unknown[]).includes(obj.model)) {
    throw new Brian2OutputError(`Brian2 result field model: got ${JSON.stringify(obj.model)}`);
  }
  if (!(BRIAN2_INPUT_MODES as readonly unknown[]).includes(obj.inputMode)) {
    throw new Brian2OutputError(`Brian2 result field inputMode: got ${JSON.stringify(obj.inputMode)}`);
  }
  if (typeof obj.learning !== 'boolean') throw new Brian2OutputError('Brian2 result field learning: expected a boolean');
  return obj as unknown as Omit<Brian2Result, 'skipped' | 'python' | 'command'>;
}

export interface ProcessOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the program could not be started at all (e.g. ENOENT). */
  spawnError?: Error;
}

/**
 * Runs a program in its own process group and kills the whole group on timeout, so compilers and the standalone
 * binary started by Brian2 do not outlive it.
 */
export function runProcess(program: string, args: readonly string[], timeoutMs: number): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const child = spawn(program, [...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const finish = (outcome: Omit<ProcessOutcome, 'stdout' | 'stderr' | 'timedOut'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, stdout, stderr, timedOut });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (err) => finish({ code: null, signal: null, spawnError: err }));
    child.on('close', (code, signal) => finish({ code, signal }));
  });
}

export interface Brian2Python {
  python: string;
  brian2Version: string;
}

/**
 * The first interpreter that imports brian2 and numpy, or null. Each probe gets `probeTimeoutMs`
 * (importing brian2 takes a few seconds).
 */
export async function findBrian2Python(
  candidates: readonly string[] = defaultCandidates(),
  probeTimeoutMs = 60_000,
): Promise<Brian2Python | null> {
  for (const python of candidates) {
    const out = await runProcess(python, ['-c', 'import brian2, numpy; print(brian2.__version__)'], probeTimeoutMs);
    const version = out.stdout.trim().split(/\r?\n/).pop() ?? '';
    if (!out.spawnError && out.code === 0 && version !== '') return { python, brian2Version: version };
  }
  return null;
}

function defaultCandidates(): string[] {
  const fromEnv = process.env[PYTHON_ENV];
  return fromEnv ? [fromEnv, ...DEFAULT_PYTHON_CANDIDATES] : [...DEFAULT_PYTHON_CANDIDATES];
}

/** brian2_dc.py next to this file (tsx) or in bench/peers relative to dist/bench/peers (compiled). */
export function brian2ScriptPath(): string {
  const candidates = [new URL('./brian2_dc.py', import.meta.url), new URL('../../../bench/peers/brian2_dc.py', import.meta.url)];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(`brian2_dc.py not found (looked at ${candidates.map((u) => fileURLToPath(u)).join(', ')})`);
}

/** Checks the options at the boundary; returns the effective input size. */
export function validateBrian2Options(opts: Brian2Options): number {
  const inputs = requireInteger('inputs', opts.inputs ?? 784, 1);
  requireInteger('count', opts.count, 1);
  requireInteger('neurons', opts.neurons, 1);
  requireInteger('seed', opts.seed, 0, 2 ** 31 - 1);
  requireInteger('timeoutMs', opts.timeoutMs, 1);
  if (!(opts.images instanceof Uint8Array)) throw new ValidationError('images', opts.images, 'a Uint8Array of pixels');
  if (opts.images.length < opts.count * inputs) {
    throw new ValidationError('images', opts.images, `at least count * inputs = ${opts.count * inputs} bytes`);
  }
  if (opts.model !== undefined) requireOneOf('model', opts.model, BRIAN2_MODELS);
  if (opts.inputMode !== undefined) requireOneOf('inputMode', opts.inputMode, BRIAN2_INPUT_MODES);
  for (const [key, value] of Object.entries(opts.params ?? {})) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValidationError(`params.${key}`, value, 'a finite number');
  }
  return inputs;
}

/** Arguments for brian2_dc.py (after the script path). */
export function brian2Args(opts: Brian2Options, inputPath: string, buildDir: string | null): string[] {
  const args = [
    '--input', inputPath,
    '--images', String(opts.count),
    '--inputs', String(opts.inputs ?? 784),
    '--neurons', String(opts.neurons),
    '--seed', String(opts.seed),
    '--model', opts.model ?? 'core',
    '--input-mode', opts.inputMode ?? 'poisson',
    '--learning', opts.learning === false ? 'off' : 'on',
    '--threads', '1',
    '--params', JSON.stringify(opts.params ?? {}),
  ];
  if (buildDir !== null) args.push('--build-dir', buildDir);
  if (opts.profile) args.push('--profile');
  return args;
}

/**
 * Runs the Diehl & Cook training pass in Brian2 (C++ standalone, one thread) on the first `count` images.
 * Resolves to the measured result, or to `{ skipped: true }` with the reason (never rejects for a missing or
 * failing Brian2; throws ValidationError for bad options).
 */
export async function runBrian2DiehlCook(opts: Brian2Options): Promise<Brian2Result | Brian2Skipped> {
  const inputs = validateBrian2Options(opts);
  const found = await findBrian2Python(opts.pythonCandidates ?? defaultCandidates(), Math.min(60_000, opts.timeoutMs));
  if (found === null) {
    const tried = (opts.pythonCandidates ?? defaultCandidates()).join(', ');
    return {
      skipped: true,
      cause: 'not-installed',
      reason: `Brian2 not found (no 'import brian2' in ${tried}); install it with: ${BRIAN2_INSTALL_HINT}`,
    };
  }
  const script = brian2ScriptPath();
  const work = mkdtempSync(join(tmpdir(), 'deep-stdp-brian2-run-'));
  const lock = acquireBuildDir(opts, inputs);
  try {
    const inputPath = join(work, 'images.u8');
    writeFileSync(inputPath, opts.images.subarray(0, opts.count * inputs));
    const args = [script, ...brian2Args(opts, inputPath, lock?.dir ?? null)];
    const out = await runProcess(found.python, args, opts.timeoutMs);
    const command = [found.python, ...args];
    if (out.timedOut) {
      return { skipped: true, cause: 'timeout', reason: `Brian2 run timed out after ${opts.timeoutMs} ms: ${command.join(' ')}` };
    }
    try {
      const parsed = parseBrian2Output(out.stdout);
      if (out.code !== 0) throw new Brian2OutputError(`exit code ${out.code}`);
      return { ...parsed, skipped: false, python: found.python, command };
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      return {
        skipped: true,
        cause: 'failed',
        reason: `Brian2 run failed (${detail}); stderr: ${tail(out.stderr, 800) || '(empty)'}`,
      };
    }
  } finally {
    lock?.release();
    rmSync(work, { recursive: true, force: true });
  }
}

interface BuildDirLock {
  dir: string;
  release(): void;
}

/**
 * A cached build directory for this model shape, held with a lock file so two concurrent runs never share one;
 * null (build in a fresh temporary folder) when caching is off or the folder is busy.
 */
function acquireBuildDir(opts: Brian2Options, inputs: number): BuildDirLock | null {
  if (opts.buildCacheDir === null) return null;
  const root = opts.buildCacheDir ?? join(tmpdir(), 'deep-stdp-brian2');
  const key = [opts.model ?? 'core', opts.inputMode ?? 'poisson', opts.learning === false ? 'infer' : 'learn', `n${opts.neurons}`, `i${inputs}`].join('-');
  const dir = join(root, key);
  const lockPath = `${dir}.lock`;
  mkdirSync(root, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { dir, release: () => rmSync(lockPath, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !lockIsStale(lockPath)) return null;
      rmSync(lockPath, { force: true });
    }
  }
  return null;
}

/** A lock whose owner process no longer exists (e.g. it was killed). */
function lockIsStale(lockPath: string): boolean {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return true;
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH' || (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

function tail(text: string, chars: number): string {
  const trimmed = text.trim();
  return trimmed.length <= chars ? trimmed : `...${trimmed.slice(-chars)}`;
}
