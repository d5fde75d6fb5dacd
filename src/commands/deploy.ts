import { join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { ValidationError } from '../errors.js';
import { writeJsonAtomic } from '../report/atomic.js';
import { ARCHITECTURE_NAMES } from '../convnet/architectures.js';
import { DEPLOY_DEFAULTS, runDeploy, type DeployOptions, type DeployResults, type Print } from '../deploy/run.js';
import { printDeploy, writeDeployCharts } from '../deploy/report.js';
import { INPUT_CODINGS } from '../deploy/simulator.js';
import { READOUTS } from '../deploy/readout.js';

interface DeployArgs {
  checkpoint?: string;
  run?: string;
  'fit-epochs'?: number;
  arch: string;
  pooling: 'max' | 'avg';
  dataset: string;
  timesteps: string;
  model: string;
  input: string;
  readout: string;
  'weight-bits': number;
  'weight-scale': string;
  'weight-clip': number;
  percentile: number;
  calibration: number;
  test: number;
  threads?: number;
  backend?: string;
  'tf-backend'?: string;
  seed: number;
  'timestep-ms': number;
  out?: string;
  json?: boolean;
}

function parseTimesteps(text: string): number[] {
  const parts = String(text).split(',').map((s) => s.trim()).filter((s) => s !== '');
  const values = parts.map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new ValidationError('--timesteps', text, 'a comma-separated list of positive integers, e.g. 8,16,32,64,128');
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * `deep-stdp deploy`: converts a trained ConvNet to a rate-coded spiking network, runs it on the
 * deployment kernels and writes results.json, accuracy-vs-timesteps.png, energy-per-inference.png
 * and energy-vs-timesteps.png to --out (docs/deploy.md).
 */
export async function runDeployCommand(args: DeployOptions, print: Print = (t) => process.stdout.write(`${t}\n`)): Promise<{ results: DeployResults; files: string[] }> {
  const outDir = resolve(args.out);
  const results = await runDeploy({ ...args, out: outDir, quiet: args.quiet ?? args.json }, args.json ? () => {} : print);
  const files = await writeDeployCharts(results, outDir);
  const jsonPath = join(outDir, 'results.json');
  writeJsonAtomic(jsonPath, { ...results, files: files.map((f) => resolve(f)) });
  files.unshift(jsonPath);
  if (args.json) print(JSON.stringify(results, null, 2));
  else {
    printDeploy(results, print);
    print(`\nwrote ${files.join(', ')}`);
  }
  return { results, files };
}

const deployCommand: CommandModule<object, DeployArgs> = {
  command: 'deploy',
  describe: 'Rate-coded spiking deployment of a trained ConvNet: accuracy vs timesteps, spikes, energy and latency per inference',
  builder: (y: Argv<object>) =>
    y
      .option('checkpoint', { type: 'string', describe: 'ConvNet checkpoint folder (model.json), a train run folder, or its checkpoints/<method>-s<seed> folder' })
      .option('run', { type: 'string', describe: 'method folder of a train run to deploy, e.g. kmeans-s1 (default: the first stdp-* one)' })
      .option('fit-epochs', { type: 'number', describe: 'without --checkpoint: train a supervised ConvNet for this many epochs first (saved to <out>/convnet)' })
      .option('arch', { type: 'string', default: DEPLOY_DEFAULTS.arch, choices: ARCHITECTURE_NAMES, describe: 'architecture for --fit-epochs' })
      .option('pooling', { type: 'string', default: DEPLOY_DEFAULTS.pooling, choices: ['avg', 'max'], describe: 'pooling for --fit-epochs (avg converts exactly)' })
      .option('dataset', { type: 'string', default: DEPLOY_DEFAULTS.dataset, describe: 'dataset spec (as for train)' })
      .option('timesteps', { type: 'string', default: DEPLOY_DEFAULTS.timesteps.join(','), describe: 'steps per inference at which results are read (one run of the largest)' })
      .option('model', { type: 'string', default: DEPLOY_DEFAULTS.model, describe: 'hardware model name, "all", a path to a model JSON file, or a comma-separated list' })
      .option('input', { type: 'string', default: DEPLOY_DEFAULTS.input, choices: [...INPUT_CODINGS], describe: 'input coding: constant current (analog first layer) or Poisson (Bernoulli) spikes' })
      .option('readout', { type: 'string', default: DEPLOY_DEFAULTS.readout, choices: [...READOUTS], describe: 'headline read-out (both are reported)' })
      .option('weight-bits', { type: 'number', default: DEPLOY_DEFAULTS.weightBits, describe: '0 = f32 weights, 2..8 = signed fixed point (see --weight-scale, --weight-clip)' })
      .option('weight-scale', { type: 'string', default: DEPLOY_DEFAULTS.weightScale, describe: 'fixed point: one scale per layer, or per output channel (conv feature map, dense neuron): layer | channel' })
      .option('weight-clip', { type: 'number', default: DEPLOY_DEFAULTS.weightClip, describe: 'fixed point: percentile of |w| per scale group used as the range, (50, 100]; 100 = max|w| (no clipping)' })
      .option('percentile', { type: 'number', default: DEPLOY_DEFAULTS.percentile, describe: 'threshold balancing: percentile of positive activations mapped to one spike per step' })
      .option('calibration', { type: 'number', default: DEPLOY_DEFAULTS.calibration, describe: 'calibration images (stratified sample of the train split)' })
      .option('test', { type: 'number', default: DEPLOY_DEFAULTS.test, describe: 'test images (the first n of the test split)' })
      .option('threads', { type: 'number', describe: 'worker threads for the spiking pass (default: all cores)' })
      .option('backend', { type: 'string', choices: ['wasm', 'wasm-scalar', 'reference'], describe: 'spiking kernels backend (default: SIMD WebAssembly)' })
      .option('tf-backend', { type: 'string', describe: 'TensorFlow.js backend for the ANN passes and --fit-epochs (default: tensorflow if installed, else wasm)' })
      .option('seed', { type: 'number', default: DEPLOY_DEFAULTS.seed, describe: 'seed (calibration subset, Poisson input, --fit-epochs)' })
      .option('timestep-ms', { type: 'number', default: DEPLOY_DEFAULTS.timestepMs, describe: 'hardware timestep of one simulated step (ms)' })
      .option('out', { type: 'string', describe: 'output folder (default: runs/deploy-<timestamp>)' })
      .option('json', { type: 'boolean', describe: 'print the results as JSON instead of tables' })
      .example('$0 deploy --checkpoint runs/x --timesteps 8,16,32,64,128 --model all', 'deploy a train run\'s ConvNet')
      .example('$0 deploy --fit-epochs 2 --arch reference --pooling avg --out runs/deploy-mnist', 'train a supervised ConvNet first, then deploy it') as unknown as Argv<DeployArgs>,
  handler: async (a) => {
    const out = a.out ?? join('runs', `deploy-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    await runDeployCommand({
      checkpoint: a.checkpoint,
      run: a.run,
      fitEpochs: a['fit-epochs'],
      arch: a.arch,
      pooling: a.pooling,
      fitBatchSize: DEPLOY_DEFAULTS.fitBatchSize,
      fitLearningRate: DEPLOY_DEFAULTS.fitLearningRate,
      dataset: a.dataset,
      timesteps: parseTimesteps(a.timesteps),
      model: a.model,
      input: a.input as DeployOptions['input'],
      readout: a.readout as DeployOptions['readout'],
      weightBits: a['weight-bits'],
      weightScale: a['weight-scale'] as DeployOptions['weightScale'],
      weightClip: a['weight-clip'],
      percentile: a.percentile,
      calibration: a.calibration,
      test: a.test,
      threads: a.threads,
      backend: a.backend as DeployOptions['backend'],
      tfBackend: a['tf-backend'],
      seed: a.seed,
      timestepMs: a['timestep-ms'],
      out,
      json: a.json,
    });
  },
};

export default deployCommand;
