import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import energyCommand, { runEnergy } from '../../src/commands/energy.js';
import { ValidationError } from '../../src/errors.js';
import { shippedModelNames } from '../../src/hw/model-registry.js';
import { DocumentValidationError } from '../../src/hw/violations.js';
import { workloadFromCounters } from '../../src/hw/workload.js';
import { counters, toyDigitalModel } from '../hw/fixture-model.js';

const dir = mkdtempSync(join(tmpdir(), 'energy-cmd-'));
const samples = 3;
const resultsPath = join(dir, 'results.json');
writeFileSync(
  resultsPath,
  JSON.stringify({
    accuracy: 0.5,
    workload: workloadFromCounters({
      name: 'small dc run', samples, timestepMs: 0.5,
      layers: [{
        name: 'exc', nIn: 784, nOut: 100, weightBits: 8,
        counters: counters({
          inputSpikes: 1500 * samples, synapticEvents: 1500 * 100 * samples, denseSynapticOps: 784 * 100 * 700 * samples,
          neuronUpdates: 100 * 700 * samples, outputSpikes: 12 * samples, stdpPreEvents: 1500 * samples, stdpPostEvents: 12 * samples,
          weightWrites: 20000 * samples, lostUpdates: 100, stepsRun: 700 * samples, stepsSkipped: 300 * samples,
        }),
      }],
    }),
  }),
);

/** Runs fn with stdout captured. */
async function captured(fn: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = original;
  }
  return chunks.join('');
}

test('the command handler writes energy.json (with runInfo), energy.svg and energy.png for every shipped model', async () => {
  const out = join(dir, 'out');
  const text = await captured(() => energyCommand.handler({ model: 'all', from: resultsPath, out, _: ['energy'], $0: 'deep-stdp' } as never) as Promise<void>);
  const names = shippedModelNames();
  for (const n of names) assert.ok(text.includes(`== ${n}:`), `table for ${n}`);
  assert.match(text, /== summary \(per sample\) ==/);
  assert.match(text, /ANN baseline \(horowitz-45nm\): 78,400 dense MACs per sample/);
  assert.match(text, /Effective_ACs 150,000/);
  const json = JSON.parse(readFileSync(join(out, 'energy.json'), 'utf8'));
  assert.is(json.runInfo.command, 'energy');
  assert.is(json.runInfo.tool, 'deep-stdp');
  assert.equal(json.models.map((m: { model: { name: string } }) => m.model.name), names);
  const loihi = json.models.find((m: { model: { name: string } }) => m.model.name === 'loihi');
  const syn = loihi.energy.components.find((c: { id: string }) => c.id === 'synapticEvents');
  assert.is(syn.energyPj, 1500 * 100 * samples * 23.6);
  const stdp = loihi.energy.components.find((c: { id: string }) => c.id === 'stdpUpdates');
  assert.is(stdp.count, (1500 * 100 + 12 * 784) * samples);
  assert.is(json.neurobench.synaptic_operations.Dense, 784 * 100 * 700);
  const png = readFileSync(join(out, 'energy.png'));
  assert.equal([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.length > 2000);
  assert.match(readFileSync(join(out, 'energy.svg'), 'utf8'), /^<svg/);
});

test('--out defaults to the folder of --from; --json prints the report as JSON', async () => {
  const text = await captured(() => runEnergy({ model: 'loihi', from: resultsPath, json: true }));
  const report = JSON.parse(text);
  assert.equal(report.models.map((m: { model: { name: string } }) => m.model.name), ['loihi']);
  assert.ok(existsSync(join(dir, 'energy.json')));
});

test('a user model given by path is used like a shipped one', async () => {
  const path = join(dir, 'toy.json');
  writeFileSync(path, JSON.stringify(toyDigitalModel()));
  const lines: string[] = [];
  const run = await runEnergy({ model: `${path},odin`, from: resultsPath, out: join(dir, 'user') }, (t) => lines.push(t));
  assert.equal(run.report!.models.map((m) => m.model.name), ['toy-digital', 'odin']);
  assert.ok(lines.join('\n').includes('== toy-digital: toy digital chip =='));
});

test('--list lists every model with its sources', async () => {
  const lines: string[] = [];
  await runEnergy({ model: 'all', list: true }, (t) => lines.push(t));
  const text = lines.join('\n');
  for (const n of shippedModelNames()) assert.ok(text.includes(n));
  assert.match(text, /Davies et al\., "Loihi/);
  assert.match(text, /\[neurosim-cell\]/);
});

test('--validate accepts a good model and rejects a bad one, listing every violation', async () => {
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify(toyDigitalModel()));
  const lines: string[] = [];
  await runEnergy({ model: 'all', validate: good }, (t) => lines.push(t));
  assert.match(lines.join('\n'), /valid hardware model "toy-digital"/);

  const bad = toyDigitalModel() as unknown as Record<string, any>;
  bad.energyPj.synapticEvent.value = -2;
  bad.latencyNs.barrierSync.value = 3e12;
  delete bad.technology;
  const badPath = join(dir, 'bad.json');
  writeFileSync(badPath, JSON.stringify(bad));
  const printed: string[] = [];
  try {
    await runEnergy({ model: 'all', validate: badPath }, (t) => printed.push(t));
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, DocumentValidationError);
    assert.is((err as DocumentValidationError).violations.length, 3);
  }
  assert.is(printed.length, 3);
  assert.match(printed.join('\n'), /\/energyPj\/synapticEvent\/value: got -2; must be >= 0/);
  assert.match(printed.join('\n'), /\/latencyNs\/barrierSync\/value: got 3000000000000; implausible/);
  assert.match(printed.join('\n'), /\/technology: got \(missing\); required property is missing/);
});

test('unknown model names list the valid ones; a missing --from is a ValidationError', async () => {
  try {
    await runEnergy({ model: 'loihi9', from: resultsPath }, () => {});
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, ValidationError);
    for (const n of shippedModelNames()) assert.ok((err as Error).message.includes(`"${n}"`));
  }
  try {
    await runEnergy({ model: 'all' }, () => {});
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, ValidationError);
    assert.match((err as Error).message, /^--from:/);
  }
});

test('through yargs: the options parse and a bad model file rejects with a ValidationError (the CLI exits 2)', async () => {
  const badPath = join(dir, 'bad2.json');
  writeFileSync(badPath, JSON.stringify({ name: 'Bad Name' }));
  const cli = yargs([]).command(energyCommand).strict().exitProcess(false).fail((msg, err) => {
    throw err ?? new ValidationError('arguments', '', msg);
  });
  let caught: unknown;
  const text = await captured(async () => {
    try {
      await cli.parseAsync(['energy', '--validate', badPath]);
    } catch (err) {
      caught = err;
    }
  });
  assert.instance(caught, ValidationError);
  assert.match(text, /\/name: got "Bad Name"; must match pattern/);
});

test('--scenario runs a bench scenario and reports its workload on every requested model', async () => {
  const out = mkdtempSync(join(tmpdir(), 'energy-scenario-'));
  const lines: string[] = [];
  const run = await runEnergy(
    { model: 'loihi,horowitz-45nm', scenario: 'synapses/size=1e3x1e2,density=1,rateHz=10', out },
    (t) => lines.push(t),
  );
  assert.ok(run.report);
  assert.equal(run.report!.models.length, 2);
  const doc = JSON.parse(readFileSync(join(out, 'energy.json'), 'utf8'));
  assert.match(doc.source, /bench scenario synapses/);
  assert.is(doc.runInfo.options.scenario, 'synapses/size=1e3x1e2,density=1,rateHz=10');
  assert.is(doc.workload.layers[0].kind, 'crossbar');
  assert.ok(doc.neurobench.synaptic_operations.Effective_ACs > 0);
  assert.ok(doc.models.every((m: { model: { name: string } }) => ['loihi', 'horowitz-45nm'].includes(m.model.name)));
  assert.match(lines.join('\n'), /running bench scenario synapses/);
});

test('--scenario and --from together, or --scenario without --out, are rejected before any work', async () => {
  const rejection = async (options: Parameters<typeof runEnergy>[0]): Promise<string> => {
    try {
      await runEnergy(options, () => {});
    } catch (err) {
      assert.instance(err, ValidationError);
      return (err as Error).message;
    }
    throw new Error('expected a ValidationError');
  };
  assert.match(await rejection({ model: 'all', scenario: 'synapses', from: 'x.json', out: '/tmp/x' }), /either --from or --scenario/);
  assert.match(await rejection({ model: 'all', scenario: 'synapses' }), /--out/);
  assert.match(await rejection({ model: 'all', scenario: 'no-such-scenario', out: '/tmp/x' }), /--scenario: got "no-such-scenario"/);
});

test.run();
