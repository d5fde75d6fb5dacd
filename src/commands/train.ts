import { availableParallelism } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { ValidationError } from '../errors.js';
import { ARCHITECTURE_NAMES } from '../convnet/architectures.js';
import { BACKEND_NAMES } from '../convnet/backend.js';
import type { Backend } from '../core/layer.js';
import { STDP_CLUSTER_DEFAULTS, type StdpClusterParams } from '../cluster/stdp.js';
import { formatDuration } from '../report/progress.js';
import { createRunBoard } from '../deepstdp/progress.js';
import { CORE_BACKENDS, METHOD_CHOICES, TRAIN_DEFAULTS, type TrainOptions } from '../deepstdp/options.js';
import { runTraining, type TrainOutcome } from '../deepstdp/train.js';
import type { RunSpec } from '../deepstdp/run.js';
import { withInterruptCheckpoint } from './interrupt.js';

/** Flags with the same name and type as the TrainOptions field they set. */
type FlagsAsOptions =
  | 'dataset' | 'train' | 'test' | 'dataSeed' | 'epochs' | 'arch' | 'k' | 'dims' | 'momentum' | 'weightDecay'
  | 'batchSize' | 'samplesPerEpoch' | 'shift' | 'flip' | 'fisherSamples' | 'resume' | 'hwModels';

/** The command line as yargs hands it over (kebab-case options also arrive camel-cased). */
export interface TrainCommandOptions extends Pick<TrainOptions, FlagsAsOptions> {
  classes?: string;
  imageSize?: string;
  method: (typeof METHOD_CHOICES)[number];
  seeds: (number | string)[];
  lr: number;
  stdpRate?: number;
  stdpPresentMs?: number;
  stdpRestMs?: number;
  stdpThetaPlus?: number;
  stdpTauTheta?: number;
  stdpEtaPre?: number;
  stdpEtaPost?: number;
  stdpGain?: number;
  stdpInhibition?: number;
  stdpInit?: string;
  stdpPasses?: number;
  out?: string;
  jobs?: number;
  threads?: number;
  backend?: string;
  coreBackend?: string;
  json: boolean;
  quiet: boolean;
}

type Print = (text: string) => void;

function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Default output folder: runs/train-<dataset>-<date>-<time> (dataset spec made path-safe). */
export function defaultTrainOut(dataset: string, now = new Date()): string {
  const safe = dataset.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40);
  return `runs/train-${safe}-${timestamp(now)}`;
}

/** `--seeds 1 2 3` and `--seeds 1,2,3` (and mixes) as a list of numbers. */
export function parseSeeds(raw: (number | string)[] | number | string): number[] {
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter((s) => s !== '');
  return parts.map((s) => {
    const v = Number(s);
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(v)) throw new ValidationError('--seeds', s, 'integer seeds separated by spaces or commas');
    return v;
  });
}

function parseClasses(raw: string | undefined): number | string[] | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  if (/^\d+$/.test(s)) return Number(s);
  const names = s.split(',').map((x) => x.trim()).filter(Boolean);
  if (names.length === 0) throw new ValidationError('--classes', raw, 'a number of classes or a comma-separated list of class folder names');
  return names;
}

function parseImageSize(raw: string | undefined): number | [number, number] | undefined {
  if (raw === undefined) return undefined;
  const parts = String(raw).split(/[x,]/).map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length < 1 || parts.length > 2 || !parts.every((p) => /^\d+$/.test(p))) {
    throw new ValidationError('--image-size', raw, 'a size in pixels, or HEIGHTxWIDTH');
  }
  return nums.length === 1 ? nums[0]! : [nums[0]!, nums[1]!];
}

/** Command-line options -> TrainOptions (the command's defaults for jobs and threads: every core). */
export function trainOptionsFromArgv(argv: TrainCommandOptions): TrainOptions {
  const seeds = parseSeeds(argv.seeds ?? [1]);
  const methods = argv.method === 'both' ? 2 : 1;
  const cores = Math.max(1, availableParallelism());
  const jobs = argv.jobs ?? Math.min(cores, methods * Math.max(1, seeds.length));
  const stdp: Partial<StdpClusterParams> = {};
  const set = <K extends keyof StdpClusterParams>(key: K, value: StdpClusterParams[K] | undefined) => {
    if (value !== undefined) stdp[key] = value;
  };
  set('maxRateHz', argv.stdpRate);
  set('presentMs', argv.stdpPresentMs);
  set('restMs', argv.stdpRestMs);
  set('thetaPlusMv', argv.stdpThetaPlus);
  set('tauThetaMs', argv.stdpTauTheta);
  set('etaPre', argv.stdpEtaPre);
  set('etaPost', argv.stdpEtaPost);
  set('inputGain', argv.stdpGain);
  set('inhibitionMv', argv.stdpInhibition);
  set('init', argv.stdpInit as StdpClusterParams['init'] | undefined);
  set('learningPasses', argv.stdpPasses);
  const classes = parseClasses(argv.classes);
  const imageSize = parseImageSize(argv.imageSize);
  return {
    dataset: argv.dataset,
    ...(classes !== undefined ? { classes } : {}),
    train: argv.train,
    test: argv.test,
    dataSeed: argv.dataSeed,
    ...(imageSize !== undefined ? { imageSize } : {}),
    method: argv.method,
    seeds,
    epochs: argv.epochs,
    arch: argv.arch,
    ...(argv.k !== undefined ? { k: argv.k } : {}),
    dims: argv.dims,
    learningRate: argv.lr,
    momentum: argv.momentum,
    weightDecay: argv.weightDecay,
    batchSize: argv.batchSize,
    ...(argv.samplesPerEpoch !== undefined ? { samplesPerEpoch: argv.samplesPerEpoch } : {}),
    ...(argv.shift !== undefined ? { shift: argv.shift } : {}),
    ...(argv.flip !== undefined ? { flip: argv.flip } : {}),
    fisherSamples: argv.fisherSamples,
    stdp,
    out: argv.out ?? defaultTrainOut(argv.dataset),
    resume: argv.resume,
    jobs,
    threads: argv.threads ?? (jobs >= cores ? 1 : Math.max(1, Math.floor(cores / jobs))),
    ...(argv.backend !== undefined ? { backend: argv.backend as TrainOptions['backend'] } : {}),
    ...(argv.coreBackend !== undefined ? { coreBackend: argv.coreBackend as Backend } : {}),
    hwModels: argv.hwModels,
  };
}

/** Runs `deep-stdp train` with progress on stderr and the summary on stdout. */
export async function runTrainCommand(argv: TrainCommandOptions, print: Print = (t) => process.stdout.write(`${t}\n`), signal?: AbortSignal): Promise<TrainOutcome> {
  if (argv.resume && argv.out === undefined) throw new ValidationError('--resume', true, 'only together with --out (the folder of the run to continue)');
  const options = trainOptionsFromArgv(argv);
  const board = createRunBoard({ quiet: argv.quiet, json: argv.json });
  const name = (s: RunSpec) => `${s.method === 'stdp' ? 'stdp  ' : 'kmeans'} s${s.seed}`;
  const started = performance.now();
  let outcome: TrainOutcome;
  try {
    outcome = await runTraining(options, {
      onRunStart: (s) => board.start(name(s), s.options.epochs),
      onPhase: (s, epoch, phase, total) => board.phase(name(s), epoch, phase, total),
      onProgress: (s, done, metric) => board.progress(name(s), done, metric),
      onEpoch: (s, record) => board.epoch(name(s), record, s.options.epochs),
      onRunEnd: (s) => board.end(name(s)),
      log: (line) => board.log(line),
      ...(signal ? { signal } : {}),
    });
  } finally {
    board.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  if (argv.json) {
    const { runs: _runs, ...rest } = outcome.metrics;
    print(JSON.stringify({ ...rest, out: outcome.out }, null, 2));
  } else {
    const o = outcome.options;
    print(
      [
        `deep-stdp train: ${o.dataset}, ${outcome.metrics.datasets.train.count} training / ${outcome.metrics.datasets.test.count} held-out images, ` +
          `${outcome.metrics.arch}, k = ${outcome.metrics.k}, d = ${o.dims}, ${o.epochs} epoch(s), seeds ${o.seeds.join(',')}, ` +
          `ConvNet backend ${outcome.metrics.backend?.name ?? '?'}, ${o.jobs} run(s) in parallel`,
        outcome.summaryText,
        `wall time ${formatDuration(seconds)} (${seconds.toFixed(0)} s)`,
        outcome.out !== null ? `wrote ${outcome.metrics.files.map((f) => `${outcome.out}/${f}`).join(', ')}` : '',
      ].filter(Boolean).join('\n'),
    );
  }
  return outcome;
}

const stdpDefault = STDP_CLUSTER_DEFAULTS;

const trainCommand: CommandModule<object, TrainCommandOptions> = {
  command: 'train',
  describe: 'Deep-STDP: train a ConvNet on pseudo-labels from STDP-WTA clustering, vs DeepCluster k-means',
  builder: (y: Argv<object>) =>
    y
      .option('dataset', { type: 'string', default: TRAIN_DEFAULTS.dataset, describe: 'mnist, fashion-mnist, tiny-imagenet:<path>, folder:<path>, idx:..., synthetic-prototypes' })
      .option('classes', { type: 'string', describe: 'folder datasets: number of classes (first in sorted order) or comma-separated class folder names (Tiny ImageNet default 10)' })
      .option('train', { type: 'number', default: TRAIN_DEFAULTS.train, describe: 'training images (class-stratified subset of the train split)' })
      .option('test', { type: 'number', default: TRAIN_DEFAULTS.test, describe: 'held-out images (stratified subset of the test split)' })
      .option('data-seed', { type: 'number', default: TRAIN_DEFAULTS.dataSeed, describe: 'seed of the two subsets (the same for every --seeds value)' })
      .option('image-size', { type: 'string', describe: 'folder datasets: decode to this size (N or HxW); default the architecture\'s input' })
      .option('method', { type: 'string', choices: [...METHOD_CHOICES], default: TRAIN_DEFAULTS.method, describe: 'clustering: STDP-WTA layer, k-means, or both from the same initial ConvNet' })
      .option('seeds', { type: 'array', default: [1], describe: 'seeds (one run per method and seed), e.g. --seeds 1 2 3' })
      .option('epochs', { type: 'number', default: TRAIN_DEFAULTS.epochs, describe: 'clustering + training epochs' })
      .option('arch', { type: 'string', choices: ['auto', ...ARCHITECTURE_NAMES], default: TRAIN_DEFAULTS.arch, describe: 'ConvNet (auto: reference for <= 32 px, vgg-64 above)' })
      .option('k', { type: 'number', describe: 'clusters = STDP neurons = head outputs (default: number of classes)' })
      .option('dims', { type: 'number', default: TRAIN_DEFAULTS.dims, describe: 'PCA dimension d (whitened, then L2-normalised)' })
      .option('lr', { type: 'number', default: TRAIN_DEFAULTS.learningRate, describe: 'SGD learning rate' })
      .option('momentum', { type: 'number', default: TRAIN_DEFAULTS.momentum, describe: 'SGD momentum (trunk; the fresh head has none, as DeepCluster)' })
      .option('weight-decay', { type: 'number', default: TRAIN_DEFAULTS.weightDecay, describe: 'L2 weight decay' })
      .option('batch-size', { type: 'number', default: TRAIN_DEFAULTS.batchSize, describe: 'SGD batch size' })
      .option('samples-per-epoch', { type: 'number', describe: 'images drawn per epoch, uniformly over clusters (default: training-set size)' })
      .option('shift', { type: 'number', describe: 'random translation of training images in pixels (default 2 up to 32 px, else 4)' })
      .option('flip', { type: 'boolean', describe: 'random horizontal flips (default: on for colour images)' })
      .option('fisher-samples', { type: 'number', default: TRAIN_DEFAULTS.fisherSamples, describe: 'probe images for the Fisher information trace (0 = off)' })
      .option('stdp-rate', { type: 'number', describe: `STDP input rate of the strongest channel, Hz (default ${stdpDefault.maxRateHz})` })
      .option('stdp-present-ms', { type: 'number', describe: `presentation time, ms (default ${stdpDefault.presentMs})` })
      .option('stdp-rest-ms', { type: 'number', describe: `rest between samples, ms (default ${stdpDefault.restMs})` })
      .option('stdp-theta-plus', { type: 'number', describe: `adaptive threshold increment, mV (default ${stdpDefault.thetaPlusMv})` })
      .option('stdp-tau-theta', { type: 'number', describe: `adaptive threshold decay, ms (default ${stdpDefault.tauThetaMs})` })
      .option('stdp-eta-pre', { type: 'number', describe: `STDP depression rate (default ${stdpDefault.etaPre})` })
      .option('stdp-eta-post', { type: 'number', describe: `STDP potentiation rate (default ${stdpDefault.etaPost})` })
      .option('stdp-gain', { type: 'number', describe: `mV per unit weight per input spike (default ${stdpDefault.inputGain})` })
      .option('stdp-inhibition', { type: 'number', describe: `lateral inhibition, mV per output spike (default ${stdpDefault.inhibitionMv})` })
      .option('stdp-init', { type: 'string', choices: ['random', 'samples'], describe: `initial STDP weights (default ${stdpDefault.init})` })
      .option('stdp-passes', { type: 'number', describe: `learning passes over the data per epoch (default ${stdpDefault.learningPasses})` })
      .option('out', { type: 'string', describe: 'output folder (default runs/train-<dataset>-<date>-<time>)' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue the run in --out from its last epoch checkpoints' })
      .option('jobs', { type: 'number', describe: 'runs in parallel worker threads (default: one per core, at most one per run)' })
      .option('threads', { type: 'number', describe: 'threads of the STDP frozen pass inside a run (default: cores left per run)' })
      .option('backend', { type: 'string', choices: [...BACKEND_NAMES], describe: 'TensorFlow.js backend (default: tensorflow if installed, else wasm)' })
      .option('core-backend', { type: 'string', choices: [...CORE_BACKENDS], describe: 'spiking core backend (default: wasm with SIMD when supported)' })
      .option('hw-models', { type: 'string', default: TRAIN_DEFAULTS.hwModels, describe: 'hardware models for the STDP energy per epoch: all, none, names or paths' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' })
      .example('$0 train', 'both methods on 10,000 MNIST images, a few epochs (about 10 minutes on 2 cores)')
      .example('$0 train --dataset fashion-mnist --epochs 10 --seeds 1 2 3 --out runs/fmnist', 'the comparison over 3 seeds')
      .example('$0 train --dataset tiny-imagenet:~/data/tiny-imagenet-200 --classes 10 --out runs/tin', 'the seed paper\'s 10-class Tiny ImageNet subset')
      .example('$0 train --out runs/fmnist --resume', 'continue an interrupted run') as unknown as Argv<TrainCommandOptions>,
  handler: async (argv) => {
    await withInterruptCheckpoint(
      { interrupt: 'stopping after the current step; completed epochs are checkpointed', stopped: 'continue with the same command, --out <folder> and --resume' },
      (signal) => runTrainCommand(argv, undefined, signal),
    );
  },
};

export default trainCommand;
