// `deep-stdp fidelity`: the command writes its files, worker threads give the same points as one
// thread, `fidelity merge` is reachable through yargs, and bad options name the option.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import fidelityCommand, { runFidelityCommand, runFidelityMergeCommand, type FidelityCommandOptions } from '../../src/commands/fidelity.js';
import { measuredPart } from '../../src/fidelity/merge.js';
import { ValidationError } from '../../src/errors.js';
import type { FidelityResults } from '../../src/fidelity/results.js';

const root = mkdtempSync(join(tmpdir(), 'fid-cmd-'));
const small: FidelityCommandOptions = {
  workload: 'dc-mnist',
  dataset: 'synthetic-bars:train=60,test=30,classes=4,seed=5',
  neurons: 9,
  train: 60,
  test: 30,
  probe: 12,
  bits: '2',
  rounding: 'stochastic',
  device: 'ideal,nonlinear',
  seeds: '1',
  quiet: true,
};

let threaded: FidelityResults;

test('the command runs the sweep on worker threads and writes json, csv, plots and weight images', async () => {
  const out = join(root, 'run');
  const lines: string[] = [];
  threaded = await runFidelityCommand({ ...small, threads: 2, out }, (t) => lines.push(t));
  const text = lines.join('\n');
  assert.match(text, /bits\s+rounding\s+device/);
  assert.match(text, /f32\s+-\s+float/);
  assert.match(text, /wrote .*fidelity\.json/);
  assert.match(text, /float weights rounded after training[^\n]*\n\s*bits\s+seeds\s+accuracy/);
  assert.match(text, /post-training\.csv/);
  const json = JSON.parse(readFileSync(join(out, 'fidelity.json'), 'utf8')) as FidelityResults;
  assert.is(json.points.length, 3);
  assert.equal(json.grid, { bits: [2], rounding: ['stochastic'], device: ['ideal', 'nonlinear'], seeds: [1] });
  assert.is(json.runInfo.tool, 'deep-stdp');
  assert.is(json.deviceParameters!.model, 'rram-neurosim');
  assert.ok(json.points.every((p) => p.energy.some((e) => e.model === 'rram-neurosim')));
  const csv = readFileSync(join(out, 'fidelity.csv'), 'utf8').trim().split('\n');
  assert.is(csv.length, 4);
  assert.ok(csv[0]!.includes('writeEnergyPj:rram-neurosim'));
  assert.equal(json.postTrainingBits, [2]);
  assert.equal(json.postTrainingSummary.map((r) => [r.bits, r.seeds]), [[2, 1]]);
  const float = json.points.find((p) => p.bits === 0)!;
  assert.is(float.postTraining.length, 1);
  assert.ok(json.points.filter((p) => p.bits !== 0).every((p) => p.postTraining.length === 0));
  assert.equal(readFileSync(join(out, 'post-training.csv'), 'utf8').trim().split('\n').length, 2);
  for (const f of ['fidelity-summary.csv', 'histograms.csv', 'accuracy-vs-bits.png', 'lost-updates-vs-bits.png', 'accuracy-vs-bits-nonlinear.png']) {
    assert.ok(existsSync(join(out, f)), f);
  }
  const images = readdirSync(join(out, 'weights')).sort();
  assert.equal(images, ['s1-b2-stochastic-ideal.png', 's1-b2-stochastic-nonlinear.png', 's1-float.png']);
  const png = readFileSync(join(out, 'accuracy-vs-bits.png'));
  assert.equal([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
});

test('one thread gives the same points as two', async () => {
  const single = await runFidelityCommand({ ...small, threads: 1, images: 'none', out: join(root, 'one') }, () => {});
  assert.equal(single.points.map(measuredPart), threaded.points.map(measuredPart));
});

test('fidelity merge through yargs joins the slices', async () => {
  const outs = [0, 1].map((i) => join(root, `s${i}`));
  for (let i = 0; i < 2; i++) await runFidelityCommand({ ...small, threads: 1, images: 'none', shard: `${i}/2`, out: outs[i] }, () => {});
  const merged = join(root, 'merged');
  const write = process.stdout.write;
  const printed: string[] = [];
  process.stdout.write = ((chunk: string) => printed.push(String(chunk))) as typeof process.stdout.write;
  try {
    await yargs([]).command(fidelityCommand).strict().parseAsync(['fidelity', 'merge', join(outs[0]!, 'fidelity.json'), join(outs[1]!, 'fidelity.json'), '--out', merged]);
  } finally {
    process.stdout.write = write;
  }
  assert.match(printed.join(''), /merged from 2 slices/);
  const json = JSON.parse(readFileSync(join(merged, 'fidelity.json'), 'utf8')) as FidelityResults;
  assert.equal(json.points.map(measuredPart), threaded.points.map(measuredPart));
  const again = await runFidelityMergeCommand({ files: [join(merged, 'fidelity.json')], out: join(root, 'again'), json: true }, () => {});
  assert.is(again.points.length, 3);
});

test('bad options throw ValidationError naming the option', async () => {
  const cases: [Partial<FidelityCommandOptions>, string][] = [
    [{ bits: '9' }, '--bits'],
    [{ rounding: 'round' }, '--rounding'],
    [{ device: 'memristor' }, '--device'],
    [{ shard: '2/2' }, '--shard'],
    [{ threads: 0 }, '--threads'],
    [{ workload: 'mystery' as never }, '--workload'],
    [{ workload: 'deep-stdp-cluster' }, '--checkpoint'],
    [{ hwModel: 'loihi', device: 'nonlinear' }, '--hw-model'],
    [{ train: 60, label: 61 }, '--label'],
    [{ commit: 'sometimes' as never }, '--commit'],
    [{ commit: 'per-sample', device: 'ideal,c2c' }, '--commit'],
  ];
  for (const [patch, field] of cases) {
    const out = join(root, `bad-${field}`);
    try {
      await runFidelityCommand({ ...small, threads: 1, ...patch, out }, () => {});
      assert.unreachable(`${field} accepted`);
    } catch (e) {
      assert.ok(e instanceof ValidationError, `${field}: ${(e as Error).message}`);
      assert.is((e as ValidationError).field, field);
    }
    assert.not.ok(existsSync(join(out, 'fidelity.json')));
  }
});

test.run();
