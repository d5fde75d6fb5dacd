import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stdpCommand, { defaultOutDir, runStdpCommand, type StdpCommandOptions } from '../../src/commands/stdp.js';
import { ValidationError } from '../../src/errors.js';

const root = mkdtempSync(join(tmpdir(), 'stdp-cmd-'));
const small: StdpCommandOptions = {
  dataset: 'synthetic-bars:train=100,test=40,classes=6,seed=2',
  neurons: 12,
  train: 100,
  test: 40,
  epochs: 1,
  seed: 3,
  threads: 2,
  quiet: true,
};

test('the command trains, tests and writes results.json, weights.png and confusion-matrix.png', async () => {
  const out = join(root, 'run');
  const lines: string[] = [];
  const r = await runStdpCommand({ ...small, out }, (t) => lines.push(t));
  const text = lines.join('\n');
  assert.match(text, /test accuracy \d+\.\d\d %/);
  assert.match(text, /train\s+100/);
  assert.match(text, /wrote .*results\.json/);
  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.is(json.accuracy, r.accuracy);
  assert.ok(r.accuracy > 0.8, `bars are easy: ${r.accuracy}`);
  assert.is(json.perClassAccuracy.length, 6);
  assert.is(json.confusion.length, 6);
  assert.is(json.seed, 3);
  assert.is(json.options.threads, 2);
  assert.is(json.runInfo.tool, 'deep-stdp');
  assert.ok(json.test.spikesPerSample > 0);
  assert.ok(json.counters.synapticEvents > 0);
  assert.is(json.workload.version, 1);
  assert.is(json.workload.layers[0].nOut, 12);
  for (const f of ['weights.png', 'confusion-matrix.png']) {
    const png = readFileSync(join(out, f));
    assert.equal([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], `${f} is a PNG`);
  }
});

test('--json prints the summary as JSON', async () => {
  const out = join(root, 'json');
  const lines: string[] = [];
  await runStdpCommand({ ...small, out, json: true, threads: 1 }, (t) => lines.push(t));
  const summary = JSON.parse(lines.join('\n'));
  assert.type(summary.accuracy, 'number');
  assert.is(summary.neurons, 12);
  assert.is(summary.out, out);
  assert.is(summary.preset, 'diehl-cook-2015');
});

test('bad options throw ValidationError (field, value, allowed) and create no output', async () => {
  const cases: [Partial<StdpCommandOptions>, string][] = [
    [{ neurons: 0 }, '--neurons'],
    [{ train: 1.5 }, '--train'],
    [{ epochs: -1 }, '--epochs'],
    [{ threads: 0 }, '--threads'],
    [{ backend: 'gpu' as never }, '--backend'],
    [{ weightBits: 9 }, '--weight-bits'],
    [{ rounding: 'up' as never }, '--rounding'],
    [{ weightBits: 3, commit: 'sometimes' as never }, '--commit'],
    [{ commit: 'per-sample' }, '--commit'],
    [{ label: 1000 }, '--label'],
    [{ dataset: 'nosuch' }, 'dataset'],
    [{ train: 5000 }, '--train'],
  ];
  for (const [bad, field] of cases) {
    const out = join(root, `bad-${field.replace(/-/g, '')}-${Object.values(bad)[0]}`);
    await runStdpCommand({ ...small, ...bad, out }, () => undefined).then(
      () => assert.unreachable(`${field} should be rejected`),
      (err) => {
        assert.ok(err instanceof ValidationError, `${field}: ${err}`);
        assert.is(err.field, field);
        assert.ok(err.allowed.length > 0);
      },
    );
    assert.not.ok(existsSync(out), `no output folder for bad ${field}`);
  }
});

test('the yargs module declares the documented options and a default output folder', () => {
  assert.is(stdpCommand.command, 'stdp');
  assert.is(defaultOutDir('idx:/data/x', 400, 2), 'runs/stdp-idx_data_x-400n-s2');
});

test.run();
