import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ValidationError } from '../errors.js';
import { getArchitecture, trunkParameters } from '../convnet/architectures.js';
import { writeJsonAtomic } from '../report/atomic.js';
import { writeCsvAtomic } from '../report/csv.js';
import { runInfo, type RunInfo } from '../report/run-info.js';
import type { Workload } from '../hw/workload.js';
import { comparisons, csvRows, summarizeMethods, summaryText, writePlots, type MethodSummary } from './report.js';
import type { Comparison } from './analysis.js';
import { loadTrainData, resolveArch, augmentOptions, type TrainData } from './data.js';
import { loadHwModels } from './energy.js';
import { resolveTrainOptions, runFingerprint, type ResolvedTrainOptions, type TrainOptions } from './options.js';
import { runAll, type PoolHooks } from './pool.js';
import type { EpochRecord } from './records.js';
import { hasRunCheckpoint, runCheckpointDir } from './checkpoint.js';
import type { RunResult, RunSpec } from './run.js';
import type { BackendInfo } from '../convnet/backend.js';

export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.json';

/** metrics.json: everything a run measured. */
export interface TrainMetrics {
  format: 'deep-stdp-train-metrics';
  version: 1;
  run: RunInfo;
  fingerprint: Record<string, unknown>;
  arch: string;
  k: number;
  augment: { shift: number; flip: boolean };
  backend: BackendInfo | null;
  datasets: TrainData['summaries'];
  runs: { method: string; seed: number; initialWeightsSha256: string; sessions: number; records: EpochRecord[] }[];
  summary: MethodSummary[];
  /** Deep-STDP vs k-means (iso-accuracy speed-up, gap at equal epochs) for each metric. */
  comparisons: Comparison[];
  /** The last epoch's STDP clustering workload (first seed), for `deep-stdp energy --from metrics.json`. */
  workload?: Workload;
  wallSeconds: number;
  files: string[];
}

export interface TrainHooks extends Omit<PoolHooks, 'signal'> {
  signal?: AbortSignal;
  /** Data loading progress (folder datasets decode images). */
  onLoad?: (split: string, done: number, total: number) => void;
}

export interface TrainOutcome {
  options: ResolvedTrainOptions;
  metrics: TrainMetrics;
  results: RunResult[];
  summaryText: string;
  out: string | null;
}

/** Checks the output folder before anything is written. */
function checkOutFolder(o: ResolvedTrainOptions, fingerprint: Record<string, unknown>): void {
  if (o.out === null) return;
  const out = o.out;
  if (o.resume) {
    const path = join(out, RUN_FILE);
    if (!existsSync(path)) throw new ValidationError('--resume', out, `a folder of an earlier \`deep-stdp train\` run (with ${RUN_FILE})`);
    let saved: { fingerprint?: Record<string, unknown> };
    try {
      saved = JSON.parse(readFileSync(path, 'utf8')) as { fingerprint?: Record<string, unknown> };
    } catch (err) {
      throw new ValidationError('--resume', path, `a readable ${RUN_FILE} (${(err as Error).message})`);
    }
    for (const key of new Set([...Object.keys(fingerprint), ...Object.keys(saved.fingerprint ?? {})])) {
      const want = JSON.stringify(fingerprint[key] ?? null);
      const have = JSON.stringify(saved.fingerprint?.[key] ?? null);
      if (want !== have) throw new ValidationError(`--${key}`, fingerprint[key], `the resumed run's value ${have} (a resumed run must use the same options)`);
    }
    return;
  }
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new ValidationError('--out', out, 'a new or empty folder (add --resume to continue the run saved there)');
  }
}

/**
 * The Deep-STDP experiment: for each method and seed, the DeepCluster loop with STDP or k-means
 * clustering (src/deepstdp/run.ts); then metrics.json, metrics.csv, the plots and the comparison.
 * Every option is checked (ValidationError) and the data is loaded before anything is written.
 */
export async function runTraining(raw: Partial<TrainOptions> & Pick<TrainOptions, 'out'>, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  const started = performance.now();
  const o = resolveTrainOptions({ ...raw, out: raw.out === null ? null : resolve(raw.out) });
  loadHwModels(o.hwModels); // unknown model names fail here, before any work
  const data = loadTrainData(o, hooks.onLoad);
  const arch = resolveArch(o.arch, data.train.shape);
  const { featureDim } = trunkParameters(getArchitecture(arch), data.train.shape);
  if (o.dims > featureDim) throw new ValidationError('--dims', o.dims, `at most the ${arch} feature size ${featureDim}`);
  const k = o.k ?? data.classNames.length;
  if (k > data.train.labels.length) throw new ValidationError('--k', k, `at most the number of training images (${data.train.labels.length})`);
  const fingerprint = runFingerprint(o, k, arch);
  checkOutFolder(o, fingerprint);

  const info = runInfo('train', { ...o, stdp: o.stdpParams }, o.seeds.length === 1 ? o.seeds[0]! : o.seeds);
  if (o.out !== null && !o.resume) writeJsonAtomic(join(o.out, RUN_FILE), { format: 'deep-stdp-train-run', version: 1, run: info, fingerprint, arch, k });
  const specs: RunSpec[] = [];
  for (const seed of o.seeds) for (const method of o.methods) specs.push({ method, seed, options: o, k, arch, fingerprint });
  if (o.resume && o.out !== null) {
    const found = specs.filter((s) => hasRunCheckpoint(runCheckpointDir(o.out!, s.method, s.seed))).length;
    hooks.log?.(`resuming ${o.out}: ${found} of ${specs.length} run(s) have a checkpoint`);
  }
  const poolHooks: PoolHooks = { ...hooks };
  const results = await runAll(specs, data, o.jobs, o.hwModels, poolHooks);

  const outcomes = results.map((r) => ({ method: r.method, seed: r.seed, records: r.records, finalAssignments: r.finalAssignments }));
  const summary = summarizeMethods(outcomes);
  const comps = comparisons(outcomes);
  const files: string[] = [];
  const workload = results.find((r) => r.workload !== null)?.workload ?? undefined;
  const metrics: TrainMetrics = {
    format: 'deep-stdp-train-metrics',
    version: 1,
    run: info,
    fingerprint,
    arch,
    k,
    augment: augmentOptions(o, data.train.shape),
    backend: results[0]?.backend ?? null,
    datasets: data.summaries,
    runs: results.map((r) => ({ method: r.method, seed: r.seed, initialWeightsSha256: r.initialWeightsSha256, sessions: r.sessions, records: r.records })),
    summary,
    comparisons: comps,
    ...(workload ? { workload } : {}),
    wallSeconds: (performance.now() - started) / 1000,
    files,
  };
  if (o.out !== null) {
    files.push(...(await writePlots(o.out, outcomes, data, o.seeds)));
    writeCsvAtomic(join(o.out, 'metrics.csv'), csvRows(outcomes));
    files.push('metrics.csv');
    files.unshift(METRICS_FILE);
    metrics.wallSeconds = (performance.now() - started) / 1000;
    writeJsonAtomic(join(o.out, METRICS_FILE), metrics);
  }
  return { options: o, metrics, results, summaryText: summaryText(summary, comps), out: o.out };
}

