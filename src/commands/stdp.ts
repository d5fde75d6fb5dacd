import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { Backend } from '../core/layer.js';
import { createProgress, formatDuration, type Progress } from '../report/progress.js';
import { formatTable } from '../report/table.js';
import { BACKENDS, ROUNDINGS, resolveStdpOptions, runStdp, type StdpResults, type StdpRunOptions } from '../snn/stdp-run.js';
import { defaultThreads } from '../snn/eval-pool.js';
import { withInterruptCheckpoint } from './interrupt.js';

/** The command's flags: the run's options, with --out optional (default: defaultOutDir) and the output switches. */
export interface StdpCommandOptions extends Omit<StdpRunOptions, 'out'> {
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

type Print = (text: string) => void;

/** Default output folder: runs/stdp-<dataset>-<neurons>n-s<seed> (dataset spec made path-safe). */
export function defaultOutDir(dataset: string, neurons: number, seed: number): string {
  const safe = dataset.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40);
  return `runs/stdp-${safe}-${neurons}n-s${seed}`;
}

/** Human-readable summary of a finished run. */
export function summaryText(r: StdpResults): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const rows = [
    { phase: 'train', samples: r.train.samples, rate: r.train.samplesPerSecond, spikes: r.train.spikesPerSample, pres: r.train.presentationsPerSample, wall: r.train.wallSeconds },
    { phase: 'label', samples: r.labelling.samples, rate: r.labelling.samplesPerSecond, spikes: r.labelling.spikesPerSample, pres: r.labelling.presentationsPerSample, wall: r.labelling.wallSeconds },
    { phase: 'test', samples: r.test.samples, rate: r.test.samplesPerSecond, spikes: r.test.spikesPerSample, pres: r.test.presentationsPerSample, wall: r.test.wallSeconds },
  ];
  const table = formatTable(
    [
      { header: 'phase', value: 'phase' },
      { header: 'samples', value: 'samples' },
      { header: 'throughput', unit: 'samples/s', value: 'rate' },
      { header: 'spikes/sample', value: 'spikes' },
      { header: 'presentations/sample', value: 'pres' },
      { header: 'wall', unit: 's', value: 'wall' },
    ],
    rows,
  );
  const perClass = r.classNames.map((name, c) => `${name}: ${pct(r.perClassAccuracy[c])}`).join(', ');
  return [
    `${r.preset.name}, ${r.neurons} neurons, ${r.epochs} epoch(s), seed ${r.seed}, backend ${r.backend}, ${r.threads} thread(s)`,
    table.trimEnd(),
    `test accuracy ${pct(r.accuracy)} (${r.test.samples} images${r.unclassified ? `, ${r.unclassified} unclassified` : ''})`,
    `per class: ${perClass}`,
    `neurons per class: ${r.labelling.neuronsPerClass.join(' ')}${r.labelling.unassignedNeurons ? `, ${r.labelling.unassignedNeurons} never fired` : ''}`,
    `synaptic events: ${r.counters.synapticEvents.toExponential(3)}, output spikes: ${r.counters.outputSpikes}, weight writes: ${r.counters.weightWrites.toExponential(3)}`,
    `total wall time ${formatDuration(r.wallSeconds)}`,
  ].join('\n');
}

/** The JSON printed by --json: the results without the bulky per-neuron arrays. */
export function summaryJson(r: StdpResults, out: string | null): Record<string, unknown> {
  const { assignments: _a, workloads: _w, preset, ...rest } = r;
  return { ...rest, preset: preset.name, out };
}

/**
 * `deep-stdp stdp`: trains the Diehl & Cook network unsupervised with STDP, assigns labels, tests,
 * and writes results.json, weights.png and confusion-matrix.png to --out.
 */
export async function runStdpCommand(
  argv: StdpCommandOptions,
  print: Print = (t) => process.stdout.write(`${t}\n`),
  signal?: AbortSignal,
): Promise<StdpResults> {
  const out = resolve(argv.out ?? defaultOutDir(argv.dataset, argv.neurons, argv.seed));
  const options: StdpRunOptions = {
    dataset: argv.dataset,
    neurons: argv.neurons,
    train: argv.train,
    test: argv.test,
    ...(argv.label !== undefined ? { label: argv.label } : {}),
    epochs: argv.epochs,
    seed: argv.seed,
    out,
    resume: argv.resume ?? false,
    threads: argv.threads ?? defaultThreads(),
    ...(argv.backend !== undefined ? { backend: argv.backend } : {}),
    ...(argv.checkpointEvery !== undefined ? { checkpointEvery: argv.checkpointEvery } : {}),
    ...(argv.weightBits !== undefined ? { weightBits: argv.weightBits } : {}),
    ...(argv.rounding !== undefined ? { rounding: argv.rounding } : {}),
    ...(argv.commit !== undefined ? { commit: argv.commit } : {}),
  };
  resolveStdpOptions(options);
  let bar: Progress | null = null;
  const results = await runStdp(options, {
    onPhase: (phase, total, metricName) => {
      bar = createProgress({
        total,
        label: phase === 'train' ? 'train' : phase === 'label' ? 'label' : 'test ',
        unit: 'samples',
        ...(metricName ? { metricName } : {}),
        json: argv.json ?? false,
        quiet: argv.quiet ?? false,
      });
      const b = bar;
      return (done, metric) => b.update(done, metric);
    },
    onPhaseEnd: () => {
      bar?.stop();
      bar = null;
    },
    log: (line) => {
      if (!argv.quiet) process.stderr.write(`${line}\n`);
    },
    ...(signal ? { signal } : {}),
  }).finally(() => {
    (bar as Progress | null)?.stop();
  });
  if (argv.json) print(JSON.stringify(summaryJson(results, out), null, 2));
  else print(`${summaryText(results)}\nwrote ${results.files.map((f) => `${out}/${f}`).join(', ')}`);
  return results;
}

const stdpCommand: CommandModule<object, StdpCommandOptions> = {
  command: 'stdp',
  describe: 'Unsupervised STDP on MNIST (Diehl & Cook 2015 network on the core): train, label, test',
  builder: (y: Argv<object>) =>
    y
      .option('dataset', { type: 'string', default: 'mnist', describe: 'dataset spec: mnist, fashion-mnist, idx:<folder>, synthetic-prototypes, ...' })
      .option('neurons', { type: 'number', default: 100, describe: 'excitatory neurons' })
      .option('train', { type: 'number', default: 60000, describe: 'training images (the first n)' })
      .option('test', { type: 'number', default: 10000, describe: 'test images (the first n)' })
      .option('label', { type: 'number', describe: 'training images used to assign labels (default: all training images)' })
      .option('epochs', { type: 'number', default: 1, describe: 'passes over the training images' })
      .option('seed', { type: 'number', default: 1, describe: 'seed of weights, input spikes and training order' })
      .option('out', { type: 'string', describe: 'output folder (default runs/stdp-<dataset>-<neurons>n-s<seed>)' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue the run saved in --out from its last checkpoint' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .option('threads', { type: 'number', describe: `worker threads for the labelling and test passes (default ${defaultThreads()})` })
      .option('backend', { type: 'string', choices: BACKENDS as Backend[], describe: 'core backend (default: wasm with SIMD when supported)' })
      .option('checkpoint-every', { type: 'number', default: 5000, describe: 'training samples between checkpoints (0 = only at the end)' })
      .option('weight-bits', { type: 'number', default: 0, describe: '0 = f32 weights, 1..8 = fixed point' })
      .option('rounding', { type: 'string', choices: ROUNDINGS as unknown as string[], default: 'nearest', describe: 'rounding of fixed-point weight updates' })
      .option('commit', { type: 'string', choices: ['per-update', 'per-sample'], describe: 'fixed point: round every update (per-update, default) or each learning sample\'s change once (per-sample)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' })
      .example('$0 stdp --neurons 400 --train 60000 --test 10000 --seed 1 --out runs/dc400', 'the Diehl & Cook 400-neuron experiment')
      .example('$0 stdp --out runs/dc400 --neurons 400 --resume', 'continue it after an interruption') as unknown as Argv<StdpCommandOptions>,
  handler: async (argv) => {
    await withInterruptCheckpoint(
      { interrupt: 'saving a checkpoint', stopped: 'continue with the same command and --resume' },
      (signal) => runStdpCommand(argv, undefined, signal),
    );
  },
};

export default stdpCommand;
