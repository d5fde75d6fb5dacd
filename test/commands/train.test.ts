import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import trainCommand, { defaultTrainOut, parseSeeds, runTrainCommand, type TrainCommandOptions } from '../../src/commands/train.js';
import { ValidationError } from '../../src/errors.js';
import type { TrainMetrics } from '../../src/deepstdp/train.js';

const root = mkdtempSync(join(tmpdir(), 'train-cmd-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const DATASET = 'synthetic-prototypes:classes=3,size=16,train=90,test=30,noise=0.2';

/** Parses a command line with the command's own builder, then runs it; output captured. */
async function cli(args: string[]): Promise<{ out: string }> {
  let out = '';
  let parsed: TrainCommandOptions | null = null;
  await yargs(args)
    .strict()
    .fail((msg, err) => {
      if (err) throw err;
      throw new ValidationError('arguments', args.join(' '), msg);
    })
    .command({ ...trainCommand, handler: (argv) => { parsed = argv as unknown as TrainCommandOptions; } })
    .parseAsync();
  await runTrainCommand(parsed!, (t) => (out += `${t}\n`));
  return { out };
}

async function rejects(args: string[], field: RegExp, dir: string): Promise<void> {
  try {
    await cli(args);
    assert.unreachable(`accepted: ${args.join(' ')}`);
  } catch (err) {
    assert.instance(err, ValidationError, `${args.join(' ')}: ${(err as Error).message}`);
    assert.match((err as Error).message, field);
  }
  assert.not.ok(existsSync(dir), `${args.join(' ')} left ${dir} behind`);
}

test('bad options: ValidationError naming the field and what is allowed, and no output written', async () => {
  const out = join(root, 'bad');
  const base = ['train', '--dataset', DATASET, '--out', out, '--quiet'];
  await rejects([...base, '--epochs', '0'], /--epochs: got 0; allowed: an integer/, out);
  await rejects([...base, '--method', 'pca'], /arguments/, out);
  await rejects([...base, '--seeds', '1', 'x'], /--seeds/, out);
  await rejects([...base, '--seeds', '2', '2'], /--seeds.*distinct/, out);
  await rejects([...base, '--dims', '4096'], /--dims: got 4096; allowed: at most the reference feature size 128/, out);
  await rejects([...base, '--lr', '-1'], /--lr/, out);
  await rejects([...base, '--batch-size', '0.5'], /--batch-size/, out);
  await rejects([...base, '--classes', '3'], /--classes.*only with/, out);
  await rejects([...base, '--hw-models', 'nosuchchip'], /--model.*nosuchchip/, out);
  await rejects([...base, '--stdp-rate', '0'], /maxRateHz/, out);
  await rejects([...base, '--stdp-rate', '400'], /maxRateHz: got 400; allowed: a rate whose last retry/, out);
  await rejects([...base, '--stdp-present-ms', '100.3'], /presentMs/, out);
  await rejects([...base, '--train', '1'], /--train/, out);
  await rejects(['train', '--dataset', 'tiny-imagenet:/no/such/folder', '--out', out, '--quiet'], /tiny-imagenet folder/, out);
  await rejects(['train', '--dataset', 'cifar', '--out', out, '--quiet'], /dataset/, out);
  await rejects(['train', '--dataset', DATASET, '--resume', '--quiet'], /--resume/, out);
  await rejects([...base, '--resume'], /--resume.*run\.json/, out);
  await rejects([...base, '--bogus', '1'], /arguments/, out);
  // An existing non-empty folder is not overwritten without --resume.
  mkdirSync(out);
  writeFileSync(join(out, 'keep.txt'), 'x');
  try {
    await cli(base);
    assert.unreachable('overwrote a non-empty folder');
  } catch (err) {
    assert.instance(err, ValidationError);
    assert.match((err as Error).message, /--out/);
  }
  assert.equal(readFileSync(join(out, 'keep.txt'), 'utf8'), 'x');
});

test('seeds and the default output folder', () => {
  assert.equal(parseSeeds(['1', '2,3', 4]), [1, 2, 3, 4]);
  assert.throws(() => parseSeeds(['-1']), (err: unknown) => err instanceof ValidationError);
  assert.is(defaultTrainOut('tiny-imagenet:/data/t i', new Date(2024, 0, 2, 3, 4, 5)), 'runs/train-tiny-imagenet_data_t_i-20240102-030405');
});

test('both methods in parallel worker threads: same initial ConvNet, metrics, CSV, plots and summary', async () => {
  const out = join(root, 'both');
  const { out: text } = await cli(['train', '--dataset', DATASET, '--epochs', '1', '--dims', '8', '--fisher-samples', '5',
    '--method', 'both', '--jobs', '2', '--seeds', '1', '--hw-models', 'loihi', '--out', out, '--quiet', '--stdp-present-ms', '100', '--stdp-rest-ms', '0']);
  assert.match(text, /Deep-STDP \(STDP-WTA\)/);
  assert.match(text, /DeepCluster \(k-means\)/);
  assert.match(text, /STDP clustering energy per epoch: loihi/);
  const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as TrainMetrics;
  assert.is(m.format, 'deep-stdp-train-metrics');
  assert.is(m.run.command, 'train');
  assert.equal(m.runs.map((r) => r.method).sort(), ['kmeans', 'stdp']);
  assert.is(m.runs[0]!.initialWeightsSha256, m.runs[1]!.initialWeightsSha256, 'both methods start from the same ConvNet');
  assert.is(m.k, 3);
  assert.is(m.workload!.layers[0]!.nIn, 16);
  const csv = readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n');
  assert.is(csv.length, 3);
  assert.match(csv[0]!, /^method,seed,epoch,k,pseudo_label_accuracy/);
  for (const f of ['accuracy.png', 'heldout-accuracy.png', 'nmi.png', 'fisher.png', 'cluster-sizes.png', 'clusters-stdp.png', 'clusters-kmeans.png']) {
    const png = readFileSync(join(out, f));
    assert.equal([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], `${f} is a PNG`);
  }
  assert.is(m.comparisons.length, 4);
});

test.run();
