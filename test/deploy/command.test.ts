// `deep-stdp deploy` end to end on a tiny checkpoint: files, results, the workload `energy` reads,
// checkpoint resolution inside a train run, and bad options.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveConvNet } from '../../src/convnet/index.js';
import { ValidationError } from '../../src/errors.js';
import { readWorkload } from '../../src/hw/workload.js';
import { runDeployCommand } from '../../src/commands/deploy.js';
import { resolveCheckpoint } from '../../src/deploy/checkpoint.js';
import { DEPLOY_DEFAULTS, runDeploy, type DeployOptions } from '../../src/deploy/run.js';
import { writeJsonAtomic } from '../../src/report/atomic.js';
import { TINY_DATASET, trainTinyNet } from './tiny-net.js';

let dir: string;
let checkpoint: string;

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deploy-cmd-'));
  const { model } = await trainTinyNet(5);
  checkpoint = join(dir, 'convnet');
  await saveConvNet(model, checkpoint);
  model.dispose();
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

function options(extra: Partial<DeployOptions> = {}): DeployOptions {
  return {
    ...DEPLOY_DEFAULTS, checkpoint, dataset: TINY_DATASET, timesteps: [4, 16, 64], test: 80, calibration: 100,
    model: 'loihi,truenorth,horowitz-45nm', threads: 1, out: join(dir, 'out'), quiet: true, ...extra,
  };
}

test('deploy writes results.json with runInfo, the charts, and a workload `energy --from` reads', async () => {
  const lines: string[] = [];
  const { results, files } = await runDeployCommand(options(), (t) => lines.push(t));
  const out = join(dir, 'out');
  for (const name of ['results.json', 'accuracy-vs-timesteps.png', 'energy-per-inference.png', 'energy-vs-timesteps.png']) {
    const path = join(out, name);
    assert.ok(files.includes(path), `${name} listed`);
    assert.ok(existsSync(path), `${name} written`);
    if (name.endsWith('.png')) assert.equal(Array.from(readFileSync(path).subarray(0, 4)), [0x89, 0x50, 0x4e, 0x47]);
  }
  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.is(json.runInfo.command, 'deploy');
  assert.is(json.runInfo.seed, 1);
  assert.equal(json.snn.timesteps.map((t: { timesteps: number }) => t.timesteps), [4, 16, 64]);
  assert.equal(results.energyReport.models.map((m) => m.model.name), ['loihi', 'truenorth', 'horowitz-45nm']);
  assert.is(results.conversion.layers.length, 6);
  assert.is(results.labelMapping.kind, 'identity');
  // Every timestep has per-model energy split by layer, and more steps cost more energy.
  const e = results.snn.timesteps.map((t) => t.energy.find((m) => m.model === 'loihi')!.energyPerInferencePj);
  assert.ok(e[0]! < e[1]! && e[1]! < e[2]!, `energy grows with T: ${e}`);
  assert.equal(Object.keys(results.snn.timesteps[0]!.energy[0]!.perLayerPj), ['c1', 'pool1', 'c2', 'pool2', 'fc', 'head']);
  // NeuroBench: the first layer's input is analog (constant current): its operations are MACs.
  const nb = results.snn.timesteps[2]!.neurobench.synaptic_operations;
  assert.ok(nb.Effective_MACs > 0 && nb.Effective_ACs > 0 && nb.Dense > nb.Effective_ACs + nb.Effective_MACs);
  const w = readWorkload(join(out, 'results.json'));
  assert.is(w.samples, 80);
  assert.is(w.layers[0]!.counters.stepsRun, results.operatingPoint.timesteps * 80);
  assert.ok(results.snn.timesteps[2]!.accuracy.membrane > 0.85, `accuracy ${results.snn.timesteps[2]!.accuracy.membrane}`);
  assert.ok(lines.some((l) => l.includes('energy per inference')));
});

test('checkpoint resolution: ConvNet folder, train method folder, train run folder', () => {
  const run = join(dir, 'trainrun');
  for (const method of ['kmeans-s1', 'stdp-s1']) {
    writeJsonAtomic(join(run, 'checkpoints', method, 'latest.json'), { dir: 'epoch-0002', epoch: 2 });
  }
  assert.is(resolveCheckpoint(checkpoint).dir, checkpoint);
  // The epoch folder has no ConvNet yet: named, with the path.
  assert.throws(() => resolveCheckpoint(run), (e: unknown) => e instanceof ValidationError && /epoch-0002/.test(e.message));
  assert.throws(() => resolveCheckpoint(run, 'other-s1'), (e: unknown) => e instanceof ValidationError && /kmeans-s1, stdp-s1/.test(e.message));
  assert.throws(() => resolveCheckpoint(join(dir, 'missing')), (e: unknown) => e instanceof ValidationError && /--checkpoint/.test(e.message));
});

test('train run folder: the stdp method folder is chosen by default, --run picks another', async () => {
  const run = join(dir, 'trainrun2');
  for (const method of ['kmeans-s1', 'stdp-s1']) {
    const { model } = await trainTinyNet(1);
    await saveConvNet(model, join(run, 'checkpoints', method, 'epoch-0001', 'convnet'));
    model.dispose();
    writeJsonAtomic(join(run, 'checkpoints', method, 'latest.json'), { dir: 'epoch-0001', epoch: 1 });
  }
  assert.is(resolveCheckpoint(run).run, 'stdp-s1');
  assert.is(resolveCheckpoint(run, 'kmeans-s1').dir, join(run, 'checkpoints', 'kmeans-s1', 'epoch-0001', 'convnet'));
});

test('bad options fail before any work, naming the option', async () => {
  const bad: [Partial<DeployOptions>, RegExp][] = [
    [{ timesteps: [16, 8] }, /--timesteps/],
    [{ timesteps: [] }, /--timesteps/],
    [{ weightBits: 1 }, /--weight-bits/],
    [{ percentile: 120 }, /--percentile/],
    [{ input: 'rate' as never }, /--input/],
    [{ checkpoint: undefined }, /--checkpoint/],
    [{ fitEpochs: 2 }, /--fit-epochs/],
    [{ model: 'no-such-chip' }, /no-such-chip|model/],
  ];
  for (const [extra, pattern] of bad) {
    try {
      await runDeploy(options(extra));
      assert.unreachable(`accepted ${JSON.stringify(extra)}`);
    } catch (err) {
      assert.ok(err instanceof ValidationError || (err as Error).message.match(pattern), `${JSON.stringify(extra)}: ${(err as Error).message}`);
      assert.match((err as Error).message, pattern);
    }
  }
});

test('--weight-scale channel --weight-clip: recorded in results.json with per-layer quantization stats', async () => {
  const out = join(dir, 'out-channel');
  const lines: string[] = [];
  const { results } = await runDeployCommand(options({ weightBits: 5, weightScale: 'channel', weightClip: 99.9, timesteps: [16], out, quiet: false }), (t) => lines.push(t));
  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.is(json.conversion.weightBits, 5);
  assert.is(json.conversion.weightScale, 'channel');
  assert.is(json.conversion.weightClip, 99.9);
  assert.is(json.runInfo.options.weightScale, 'channel');
  const layers = results.conversion.layers;
  assert.equal(layers.map((l) => l.quantization?.scales ?? null), [6, null, 8, null, 12, 4]);
  // Each output channel's 99.9th percentile of |w| lies between its two largest |w|: exactly one weight per
  // channel is clipped (c1: 9 weights per channel, c2: 3 * 3 * 6 = 54, fc: 72, head: 12).
  assert.equal(layers.map((l) => l.quantization?.clippedFraction ?? null), [1 / 9, null, 1 / 54, null, 1 / 72, 1 / 12]);
  for (const l of layers) if (l.quantization) assert.ok(l.quantization.roundedToZeroFraction >= 0 && l.quantization.roundedToZeroFraction < 0.9, l.name);
  assert.ok(lines.some((l) => l.includes('5-bit weights (one scale per channel, clipped at the 99.9th percentile of |w|)')), lines.join('\n'));
  // The default: one scale per layer, no clipping.
  const f32 = await runDeploy(options({ timesteps: [4] }));
  assert.is(f32.conversion.weightScale, 'layer');
  assert.is(f32.conversion.weightClip, 100);
  assert.equal(f32.conversion.layers.map((l) => l.quantization), [null, null, null, null, null, null]);
});

test('bad weight scale options fail before any work, naming the option, the value and what is allowed', async () => {
  const bad: [Partial<DeployOptions>, RegExp][] = [
    [{ weightBits: 4, weightScale: 'per-row' as never }, /--weight-scale: got "per-row"; allowed: one of "layer", "channel"/],
    [{ weightBits: 4, weightClip: 0 }, /--weight-clip: got 0; allowed: a percentile of \|w\| in \(50, 100\]/],
    [{ weightBits: 4, weightClip: 101 }, /--weight-clip: got 101; allowed/],
    [{ weightBits: 4, weightClip: Number.NaN }, /--weight-clip: got NaN/],
    [{ weightBits: 0, weightScale: 'channel' }, /--weight-scale: got "channel"; allowed: 'layer' with f32 weights \(--weight-bits 0\)/],
    [{ weightBits: 0, weightClip: 99.9 }, /--weight-clip: got 99.9; allowed: 100 with f32 weights/],
  ];
  for (const [extra, pattern] of bad) {
    try {
      await runDeploy(options({ ...extra, out: join(dir, 'never') }));
      assert.unreachable(`accepted ${JSON.stringify(extra)}`);
    } catch (err) {
      assert.ok(err instanceof ValidationError, `${JSON.stringify(extra)}: ${(err as Error).message}`);
      assert.match((err as Error).message, pattern);
    }
  }
  assert.not.ok(existsSync(join(dir, 'never')));
});

test.run();
