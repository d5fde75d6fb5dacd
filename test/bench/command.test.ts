import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PNG } from 'pngjs';
import { runBenchCommand, benchOutputPaths } from '../../src/commands/bench.js';
import { validateBenchReport, type Runner, type RunnerRegistry } from '../../bench/harness.js';
import { ValidationError } from '../../src/errors.js';
import { zeroCounters } from '../../src/core/counters.js';
import { shippedModelNames } from '../../src/hw/index.js';

const dir = mkdtempSync(join(tmpdir(), 'deep-stdp-bench-cmd-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const scenarioDir = join(dir, 'scenarios');
mkdirSync(scenarioDir);
writeFileSync(
  join(scenarioDir, 'tiny.json'),
  JSON.stringify({
    name: 'tiny',
    kind: 'crossbar',
    description: 'fake crossbar sweep',
    params: { steps: 100 },
    sweep: { nIn: [10, 20] },
    variants: [{ name: 'fast', params: { speed: 2 } }, { name: 'slow', params: { speed: 1 } }],
    quick: { sweep: { nIn: [10] } },
  }),
);
writeFileSync(join(scenarioDir, 'later.json'), JSON.stringify({ name: 'later', kind: 'convnet', description: 'runner not written yet' }));

function capture(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}

/** Fake crossbar: events = nIn * steps * 1000; each repetition "takes" 1/speed seconds on the fake clock. */
function fakeRegistry(speedUp = 1): { registry: RunnerRegistry; timer: { now: () => number } } {
  let t = 0;
  const runner: Runner = {
    kind: 'crossbar',
    prepare: (params) => ({
      run: () => {
        t += 1 / ((params.speed as number) * speedUp);
        return { events: (params.nIn as number) * (params.steps as number) * 1000, neuronUpdates: 5000, samples: 4 };
      },
      info: { backend: 'fake' },
      workload: () => ({
        name: 'fake crossbar',
        samples: 4,
        timestepMs: 0.5,
        layers: [
          {
            name: 'crossbar',
            nIn: params.nIn as number,
            nOut: 100,
            weightBits: 8,
            counters: { ...zeroCounters(), inputSpikes: 100, synapticEvents: 10000, denseSynapticOps: 400000, neuronUpdates: 40000, outputSpikes: 20, stepsRun: 400, stepsSkipped: 200 },
          },
        ],
      }),
    }),
  };
  return { registry: { crossbar: async () => runner }, timer: { now: () => t } };
}

test('a quick run with a fake runner writes a well-formed bench.json, CSV and PNG chart, and prints a table', async () => {
  const out = join(dir, 'run1', 'bench.json');
  const stdout = capture();
  const { registry, timer } = fakeRegistry();
  const outcome = await runBenchCommand({ quick: true, out }, { registry, timer, scenarioDir, stdout, stderr: capture() });
  const report = validateBenchReport(JSON.parse(readFileSync(out, 'utf8')));
  assert.is(report.quick, true);
  assert.is(report.run.command, 'bench');
  assert.type(report.run.machine.wasmSimd, 'boolean');
  assert.equal(report.results.map((r) => `${r.scenario}:${r.variant}:${r.status}`), ['later:default:skipped', 'tiny/nIn=10:fast:ok', 'tiny/nIn=10:slow:ok']);
  const fast = report.results[1];
  assert.is(fast.repetitions.length, 5);
  assert.equal(fast.summary!.eventsPerSecond, { median: 2e6, min: 2e6, max: 2e6 });
  assert.equal(report.results[2].summary!.nsPerEvent, { median: 1000, min: 1000, max: 1000 });
  assert.equal(fast.info, { backend: 'fake' });
  // Modelled chips on the runner's workload: one figure per shipped hardware model.
  assert.equal(fast.hardware!.map((h) => h.model).sort(), [...shippedModelNames()].sort());
  for (const h of fast.hardware!) assert.ok(h.energyPerSynapticEventPj === null || h.energyPerSynapticEventPj > 0, h.model);
  assert.ok(fast.hardware!.some((h) => (h.energyPerSynapticEventPj ?? 0) > 0));
  assert.is(fast.workload!.layers[0].nIn, 10);
  const paths = benchOutputPaths(out);
  assert.equal(outcome.files, { json: out, csv: paths.csv, chart: paths.chart });
  const csv = readFileSync(paths.csv, 'utf8').split('\n');
  assert.match(csv[0], /^scenario,variant,kind,status,reason,eventsPerSecondMedian/);
  assert.is(csv.length, 1 + 3 + 1);
  const png = PNG.sync.read(readFileSync(paths.chart));
  assert.ok(png.width > 300 && png.height > 50);
  const text = stdout.text();
  assert.match(text, /scenario\s+variant\s+events\/s/);
  assert.match(text, /tiny\/nIn=10\s+fast\s+2e6/);
  assert.match(text, /modelled energy per synaptic event \(pJ/);
  assert.match(text, /skipped: no runner is registered for kind "convnet" yet \(later:default\)/);
});

test('--compare prints and records per-scenario ratios against an earlier run', async () => {
  const old = join(dir, 'run1', 'bench.json');
  const out = join(dir, 'run2', 'bench.json');
  const stdout = capture();
  const { registry, timer } = fakeRegistry(4); // four times faster than run 1 (exact binary fractions of a second)
  await runBenchCommand({ quick: true, out, compare: old, scenario: ['tiny'] }, { registry, timer, scenarioDir, stdout, stderr: capture() });
  const report = validateBenchReport(JSON.parse(readFileSync(out, 'utf8')));
  assert.equal(report.comparison!.rows.map((r) => [r.scenario, r.variant, r.eventsPerSecondRatio, r.samplesPerSecondRatio]), [
    ['tiny/nIn=10', 'fast', 4, 4],
    ['tiny/nIn=10', 'slow', 4, 4],
  ]);
  assert.match(stdout.text(), /compared with .*run1\/bench\.json/);
  assert.match(stdout.text(), /tiny\/nIn=10\s+fast\s+2e6\s+8e6\s+4\s+4/);
});

test('--json prints only the report; --list runs nothing; unknown names and bad --compare files are rejected', async () => {
  const stdout = capture();
  const { registry, timer } = fakeRegistry();
  const out = join(dir, 'run3', 'bench.json');
  await runBenchCommand({ json: true, out, scenario: ['tiny/nIn=20:slow'] }, { registry, timer, scenarioDir, stdout, stderr: capture() });
  const printed = validateBenchReport(JSON.parse(stdout.text()));
  assert.equal(printed.results.map((r) => r.scenario), ['tiny/nIn=20']);

  const listed = capture();
  const listOut = join(dir, 'never', 'bench.json');
  await runBenchCommand({ list: true, out: listOut }, { registry, timer, scenarioDir, stdout: listed, stderr: capture() });
  assert.match(listed.text(), /tiny\s+crossbar\s+yes\s+4/);
  assert.match(listed.text(), /later\s+convnet\s+not yet/);
  assert.not.ok(existsSync(listOut));

  try {
    await runBenchCommand({ scenario: ['tiny/nIn=99'], out }, { registry, timer, scenarioDir, stdout: capture(), stderr: capture() });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ValidationError);
    assert.match((e as Error).message, /--scenario: got "tiny\/nIn=99"; allowed: a scenario group \(later, tiny\)/);
  }
  const bogus = join(dir, 'bogus.json');
  writeFileSync(bogus, JSON.stringify({ format: 'something-else' }));
  try {
    await runBenchCommand({ compare: bogus, out }, { registry, timer, scenarioDir, stdout: capture(), stderr: capture() });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ValidationError);
    assert.match((e as Error).message, /bogus\.json/);
  }
});

test.run();
