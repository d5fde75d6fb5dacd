import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import type { Backend } from '../core/layer.js';
import { ValidationError } from '../errors.js';
import { createProgress, formatDuration, type Progress } from '../report/progress.js';
import { formatTable } from '../report/table.js';
import { FIDELITY_DEFAULTS, IMAGE_CHOICES, runFidelity, type FidelityOptions } from '../fidelity/run.js';
import { mergeFidelityFiles } from '../fidelity/merge.js';
import type { FidelityResults, PostTrainingRow, SummaryRow } from '../fidelity/results.js';
import { ALL_BITS, COMMITS, DEVICES, ROUNDINGS, WORKLOADS, listOrAll, splitList, type DeviceName, type Rounding } from '../fidelity/sweep.js';

const BACKENDS: readonly Backend[] = ['wasm', 'wasm-scalar', 'reference'];
/** Devices of the default sweep (the issue's four; 'real' combines all non-idealities). */
export const DEFAULT_DEVICES: DeviceName[] = ['ideal', 'nonlinear', 'c2c', 'd2d'];

/** The flags that pass to the sweep unchanged take their types from FidelityOptions. */
type PassedThrough = 'workload' | 'dataset' | 'neurons' | 'train' | 'label' | 'test' | 'probe' | 'epochs' | 'checkpoint'
  | 'commit' | 'hwModel' | 'threads' | 'backend' | 'images' | 'postTraining' | 'resume';

export interface FidelityCommandOptions extends Pick<FidelityOptions, PassedThrough> {
  bits?: string | number | (string | number)[];
  rounding?: string | string[];
  device?: string | string[];
  seeds?: string | number | (string | number)[];
  nlLtp?: number;
  nlLtd?: number;
  c2cSigma?: number;
  d2dSigmaNl?: number;
  shard?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

export interface FidelityMergeOptions {
  files: string[];
  out?: string;
  json?: boolean;
}

type Print = (text: string) => void;

/** Default output folder: runs/fidelity-<workload>[-shard-i-of-N]. */
export function defaultFidelityOut(workload: string, shard?: string): string {
  const m = shard ? /^(\d+)\/(\d+)$/.exec(shard.trim()) : null;
  return `runs/fidelity-${workload}${m ? `-shard-${m[1]}-of-${m[2]}` : ''}`;
}

/** Command-line values to sweep options (lists accept "a,b,c" and "all"). */
export function fidelityOptions(argv: FidelityCommandOptions, out: string | null): FidelityOptions {
  const overrides = {
    ...(argv.nlLtp !== undefined ? { nlLtp: argv.nlLtp } : {}),
    ...(argv.nlLtd !== undefined ? { nlLtd: argv.nlLtd } : {}),
    ...(argv.c2cSigma !== undefined ? { c2cSigma: argv.c2cSigma } : {}),
    ...(argv.d2dSigmaNl !== undefined ? { d2dSigmaNl: argv.d2dSigmaNl } : {}),
  };
  return {
    workload: argv.workload,
    ...(argv.dataset !== undefined ? { dataset: argv.dataset } : {}),
    ...(argv.neurons !== undefined ? { neurons: argv.neurons } : {}),
    ...(argv.train !== undefined ? { train: argv.train } : {}),
    ...(argv.label !== undefined ? { label: argv.label } : {}),
    ...(argv.test !== undefined ? { test: argv.test } : {}),
    ...(argv.probe !== undefined ? { probe: argv.probe } : {}),
    ...(argv.epochs !== undefined ? { epochs: argv.epochs } : {}),
    ...(argv.checkpoint !== undefined ? { checkpoint: argv.checkpoint } : {}),
    bits: listOrAll(argv.bits ?? 'all', ALL_BITS, true) as number[],
    rounding: listOrAll(argv.rounding ?? 'all', ROUNDINGS, false) as Rounding[],
    device: listOrAll(argv.device ?? DEFAULT_DEVICES.join(','), DEVICES, false) as DeviceName[],
    seeds: splitList(argv.seeds ?? '1').map((s) => (/^\d+$/.test(s) ? Number(s) : s)) as number[],
    ...(argv.commit !== undefined ? { commit: argv.commit } : {}),
    hwModel: argv.hwModel ?? FIDELITY_DEFAULTS.hwModel,
    deviceOverrides: overrides,
    shard: argv.shard ?? null,
    threads: argv.threads ?? availableParallelism(),
    ...(argv.backend !== undefined ? { backend: argv.backend } : {}),
    images: argv.images ?? FIDELITY_DEFAULTS.images,
    postTraining: argv.postTraining ?? true,
    out,
    resume: argv.resume ?? false,
  };
}

const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : `${(100 * x).toFixed(2)}`);
const signedPct = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}`);
const fixed = (digits: number) => (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '-');

/** The summary table (means over seeds per bits x rounding x device). */
export function summaryTable(rows: SummaryRow[]): string {
  return formatTable<SummaryRow>(
    [
      { header: 'bits', value: (r) => (r.bits === 0 ? 'f32' : String(r.bits)), align: 'right' },
      { header: 'rounding', value: (r) => r.rounding ?? '-' },
      { header: 'device', value: 'device' },
      { header: 'seeds', value: (r) => (r.deadSeeds ? `${r.seeds} (${r.deadSeeds} dead)` : String(r.seeds)), align: 'right' },
      { header: 'accuracy', unit: '%', value: 'accuracyMean', format: (v) => pct(v as number) },
      { header: 'sd', unit: '%', value: 'accuracyStd', format: (v) => pct(v as number) },
      { header: 'vs float', unit: 'pts', value: 'accuracyDeltaMean', format: (v) => signedPct(v as number | null) },
      { header: 'NMI', value: 'nmiMean', format: fixed(3) },
      { header: 'proto cos', value: 'prototypeCosineMean', format: fixed(3) },
      { header: 'probe winners', unit: '%', value: 'winnerAgreementMean', format: (v) => pct(v as number | null) },
      { header: 'lost', unit: '%', value: 'lostFractionMean', format: (v) => pct(v as number | null) },
      { header: 'weight writes', value: 'weightWritesMean' },
      { header: 'pulses', value: 'pulsesMean' },
    ],
    rows,
  );
}

/** The post-training baseline: the float references' trained weights rounded to each width. */
export function postTrainingTable(rows: PostTrainingRow[]): string {
  return formatTable<PostTrainingRow>(
    [
      { header: 'bits', value: (r) => String(r.bits), align: 'right' },
      { header: 'seeds', value: (r) => String(r.seeds), align: 'right' },
      { header: 'accuracy', unit: '%', value: 'accuracyMean', format: (v) => pct(v as number) },
      { header: 'sd', unit: '%', value: 'accuracyStd', format: (v) => pct(v as number) },
      { header: 'vs float', unit: 'pts', value: 'accuracyDeltaMean', format: (v) => signedPct(v as number) },
      { header: 'NMI', value: 'nmiMean', format: fixed(3) },
    ],
    rows,
  );
}

export function fidelitySummaryText(r: FidelityResults, out: string | null): string {
  const lines = [
    `${r.workload.description}; ${r.points.length} points${r.shard ? ` (slice ${r.shard.index}/${r.shard.count})` : ''}${r.mergedFrom ? ` (merged from ${r.mergedFrom.length} slices)` : ''}`,
    r.deviceParameters
      ? `devices from ${r.deviceParameters.model}: NL LTP ${r.deviceParameters.nonlinearityLtp}, NL LTD ${r.deviceParameters.nonlinearityLtd}, c2c sigma ${r.deviceParameters.cycleToCycleSigma}, d2d sigma NL ${r.deviceParameters.deviceToDeviceSigmaNl}; pulses = 2^bits - 1`
      : 'devices: ideal fixed-point levels only',
    ...(r.grid.commit ? ['fixed-point points commit per sample: each learning sample in f32, each changed weight rounded once after it'] : []),
    summaryTable(r.summary).trimEnd(),
    ...(r.postTrainingSummary.length
      ? ['float weights rounded after training (nearest, ideal levels; no on-chip learning):', postTrainingTable(r.postTrainingSummary).trimEnd()]
      : []),
    `wall time ${formatDuration(r.wallSeconds)}${r.mergedFrom ? ' (sum over slices)' : `, ${r.threads} thread(s)`}`,
  ];
  if (out) lines.push(`wrote ${[r.files.json, r.files.csv, r.files.summaryCsv, r.files.histogramsCsv, ...(r.files.postTrainingCsv ? [r.files.postTrainingCsv] : []), ...r.files.plots].map((f) => `${out}/${f}`).join(', ')}${Object.keys(r.files.images).length ? ` and ${Object.keys(r.files.images).length} weight images in ${out}/weights` : ''}`);
  return lines.join('\n');
}

function summaryJson(r: FidelityResults, out: string | null): Record<string, unknown> {
  return { workload: r.workload, grid: r.grid, shard: r.shard, summary: r.summary, postTraining: r.postTrainingSummary, deviceParameters: r.deviceParameters, wallSeconds: r.wallSeconds, out };
}

/** `deep-stdp fidelity`: runs the sweep (or one slice) and prints the summary. */
export async function runFidelityCommand(argv: FidelityCommandOptions, print: Print = (t) => process.stdout.write(`${t}\n`), signal?: AbortSignal): Promise<FidelityResults> {
  const out = resolve(argv.out ?? defaultFidelityOut(argv.workload, argv.shard));
  const options = fidelityOptions(argv, out);
  let bar: Progress | null = null;
  let perPoint = 0;
  let trainTotal = 0;
  let labelTotal = 0;
  const doneByPoint = new Map<string, number>();
  let pointsDone = 0;
  let totalSamples = 0;
  const results = await runFidelity(options, {
    onStart: (points, w) => {
      trainTotal = w.train * w.epochs;
      labelTotal = w.label ?? 0;
      perPoint = trainTotal + labelTotal + w.test;
      totalSamples = points * perPoint;
      bar = createProgress({ total: totalSamples, label: `fidelity ${points} points`, unit: 'samples', metricName: 'points done', json: argv.json ?? false, quiet: argv.quiet ?? false });
    },
    onProgress: (id, phase, done) => {
      const w = phase === 'train' ? 0 : phase === 'label' ? trainTotal : trainTotal + labelTotal;
      doneByPoint.set(id, w + done);
      let sum = 0;
      for (const v of doneByPoint.values()) sum += v;
      bar?.update(Math.min(totalSamples, sum), pointsDone);
    },
    onPointDone: (record, done) => {
      pointsDone = done;
      doneByPoint.set(record.id, perPoint);
      let sum = 0;
      for (const v of doneByPoint.values()) sum += v;
      bar?.update(Math.min(totalSamples, sum), pointsDone);
    },
    log: (line) => {
      if (!argv.quiet) process.stderr.write(`${line}\n`);
    },
    ...(signal ? { signal } : {}),
  }).finally(() => (bar as Progress | null)?.stop());
  if (argv.json) print(JSON.stringify(summaryJson(results, out), null, 2));
  else print(fidelitySummaryText(results, out));
  return results;
}

/** `deep-stdp fidelity merge`: joins slices. */
export async function runFidelityMergeCommand(argv: FidelityMergeOptions, print: Print = (t) => process.stdout.write(`${t}\n`)): Promise<FidelityResults> {
  if (!Array.isArray(argv.files) || argv.files.length === 0) throw new ValidationError('files', argv.files, 'one or more fidelity.json files of the slices');
  const out = resolve(argv.out ?? 'runs/fidelity-merged');
  const results = await mergeFidelityFiles(argv.files.map(String), out);
  if (argv.json) print(JSON.stringify(summaryJson(results, out), null, 2));
  else print(fidelitySummaryText(results, out));
  return results;
}

const mergeCommand: CommandModule<object, FidelityMergeOptions> = {
  command: 'merge <files..>',
  describe: 'Join the slices of a sharded sweep (fidelity.json files) into one result',
  builder: (y: Argv<object>) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'fidelity.json of every slice' })
      .option('out', { type: 'string', describe: 'output folder (default runs/fidelity-merged)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' }) as unknown as Argv<FidelityMergeOptions>,
  handler: async (argv) => {
    await runFidelityMergeCommand(argv);
  },
};

const fidelityCommand: CommandModule<object, FidelityCommandOptions> = {
  command: 'fidelity',
  describe: 'Quantized-weight STDP fidelity: float32 vs bits x rounding x device, against the float reference',
  builder: (y: Argv<object>) =>
    y
      .command(mergeCommand)
      .option('workload', { type: 'string', choices: WORKLOADS as unknown as string[], default: 'dc-mnist', describe: 'dc-mnist: Diehl & Cook network; deep-stdp-cluster: the clustering layer on a train checkpoint\'s ConvNet features' })
      .option('dataset', { type: 'string', describe: `dc-mnist dataset spec (default ${FIDELITY_DEFAULTS.dataset})` })
      .option('neurons', { type: 'number', describe: `dc-mnist excitatory neurons (default ${FIDELITY_DEFAULTS.neurons})` })
      .option('train', { type: 'number', describe: `training images (default ${FIDELITY_DEFAULTS.train}; deep-stdp-cluster: the run's training images)` })
      .option('label', { type: 'number', describe: 'dc-mnist labelling images, the first n training images (default: all of them)' })
      .option('test', { type: 'number', describe: `dc-mnist test images (default ${FIDELITY_DEFAULTS.test})` })
      .option('probe', { type: 'number', describe: `probe samples for spike-count agreement: the first n test samples (default ${FIDELITY_DEFAULTS.probe})` })
      .option('epochs', { type: 'number', describe: 'passes over the training images (default 1)' })
      .option('checkpoint', { type: 'string', describe: 'deep-stdp-cluster: checkpoint folder of a train run, e.g. runs/x/checkpoints/stdp-s1' })
      .option('bits', { type: 'string', describe: 'weight bits, comma-separated, or "all" = 1,2,3,4,5,6,8 (default all)' })
      .option('rounding', { type: 'string', describe: 'nearest,stochastic,truncate or "all" (default all)' })
      .option('device', { type: 'string', describe: `devices: ${DEVICES.join(', ')}, or "all" (default ${DEFAULT_DEVICES.join(',')})` })
      .option('seeds', { type: 'string', describe: 'seeds, comma-separated (default 1)' })
      .option('commit', { type: 'string', choices: COMMITS as unknown as string[], describe: 'fixed-point (ideal) points round every update (per-update, default) or each learning sample\'s accumulated change once (per-sample; ideal devices only)' })
      .option('hw-model', { type: 'string', describe: `hardware model with a device section (default ${FIDELITY_DEFAULTS.hwModel})` })
      .option('nl-ltp', { type: 'number', describe: 'override the model\'s potentiation non-linearity NL_LTP' })
      .option('nl-ltd', { type: 'number', describe: 'override the model\'s depression non-linearity NL_LTD (negative as in NeuroSim)' })
      .option('c2c-sigma', { type: 'number', describe: 'override the cycle-to-cycle sigma (fraction of Gmax - Gmin per sqrt(pulse))' })
      .option('d2d-sigma-nl', { type: 'number', describe: 'device-to-device sigma of NL (default: the model\'s, or 1 when it states 0)' })
      .option('shard', { type: 'string', describe: 'run slice i of N ("i/N", 0-based); join slices with `fidelity merge`' })
      .option('threads', { type: 'number', describe: `worker threads running points in parallel (default ${availableParallelism()})` })
      .option('backend', { type: 'string', choices: BACKENDS as Backend[], describe: 'core backend (default: wasm with SIMD when supported)' })
      .option('images', { type: 'string', choices: IMAGE_CHOICES as unknown as string[], describe: 'weight-grid images: first-seed (default), all, none' })
      .option('post-training', { type: 'boolean', default: true, describe: 'also round each float reference\'s trained weights to every bit width (nearest) and evaluate them frozen: the off-chip-training baseline (--no-post-training skips it)' })
      .option('out', { type: 'string', describe: 'output folder (default runs/fidelity-<workload>[-shard-i-of-N])' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue the sweep journalled in --out (points.jsonl): finished points are not run again' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' }) as unknown as Argv<FidelityCommandOptions>,
  handler: async (argv) => {
    const ac = new AbortController();
    const onSigint = () => ac.abort(new Error('interrupted'));
    process.once('SIGINT', onSigint);
    try {
      await runFidelityCommand(argv, undefined, ac.signal);
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};

export default fidelityCommand;
