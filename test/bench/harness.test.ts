import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compareReports,
  expandScenarios,
  loadScenarioFiles,
  runScenarios,
  selectScenarios,
  summarise,
  validateBenchReport,
  validateScenarioFile,
  buildBenchReport,
  type Runner,
  type ScenarioFile,
  type ScenarioResult,
} from '../../bench/harness.js';
import { ValidationError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'deep-stdp-harness-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const isValidation = (pattern: RegExp) => (e: unknown) => e instanceof ValidationError && pattern.test(e.message);

test('summarise: median of odd and even counts, min, max', () => {
  assert.equal(summarise([5, 1, 3]), { median: 3, min: 1, max: 5 });
  assert.equal(summarise([4, 1, 3, 10]), { median: 3.5, min: 1, max: 10 });
  assert.equal(summarise([7]), { median: 7, min: 7, max: 7 });
  assert.throws(() => summarise([]), (e: unknown) => e instanceof ValidationError);
});

/** A fake clock that only moves when the fake runner "works". */
function fakeClock() {
  let t = 1000;
  return { timer: { now: () => t }, advance: (s: number) => (t += s) };
}

const file = (extra: Partial<ScenarioFile> = {}): ScenarioFile => ({ name: 'fake', kind: 'crossbar', description: 'test', ...extra });

test('runScenarios: warm-up discarded, timed repetitions, medians/min/max of every rate on a fake timer', async () => {
  const clock = fakeClock();
  // Warm-up takes 100 s (must not be recorded); then five repetitions of 2, 1, 4, 2.5, 0.5 s.
  const durations = [100, 2, 1, 4, 2.5, 0.5];
  let call = 0;
  const runner: Runner = {
    kind: 'crossbar',
    prepare: () => {
      clock.advance(7); // setup
      return {
        run: () => {
          clock.advance(durations[call++]);
          return { events: 1e9, neuronUpdates: 2e6, samples: 10, extra: { spikesPerSample: call } };
        },
      };
    },
  };
  const runs = expandScenarios([file({ params: { nIn: 4 } })]);
  const [r] = await runScenarios(runs, { registry: { crossbar: async () => runner }, timer: clock.timer });
  assert.is(r.status, 'ok');
  assert.is(r.setupSeconds, 7);
  assert.equal(r.repetitions.map((x) => x.seconds), [2, 1, 4, 2.5, 0.5]);
  const s = r.summary!;
  // events/s per repetition: 5e8, 1e9, 2.5e8, 4e8, 2e9 -> median 5e8
  assert.equal(s.eventsPerSecond, { median: 5e8, min: 2.5e8, max: 2e9 });
  assert.equal(s.neuronUpdatesPerSecond, { median: 1e6, min: 5e5, max: 4e6 });
  assert.equal(s.samplesPerSecond, { median: 5, min: 2.5, max: 20 });
  // ns per event: 2, 1, 4, 2.5, 0.5 s per 1e9 events
  assert.equal(s.nsPerEvent, { median: 2, min: 0.5, max: 4 });
  assert.equal(s.seconds, { median: 2, min: 0.5, max: 4 });
  // extra metrics are summarised alike (calls 2..6 are the timed ones)
  assert.equal(s.extra.spikesPerSample, { median: 4, min: 2, max: 6 });
});

test('runScenarios: runner-reported seconds win; zero events give no rate; --repetitions override', async () => {
  const clock = fakeClock();
  const runner: Runner = {
    kind: 'crossbar',
    prepare: () => ({ run: () => ({ events: 0, neuronUpdates: 10, samples: 1, seconds: 0.25 }) }),
  };
  const [r] = await runScenarios(expandScenarios([file()]), { registry: { crossbar: async () => runner }, timer: clock.timer, repetitions: 7 });
  assert.is(r.repetitions.length, 7);
  assert.is(r.summary!.eventsPerSecond, null);
  assert.is(r.summary!.nsPerEvent, null);
  assert.equal(r.summary!.neuronUpdatesPerSecond, { median: 40, min: 40, max: 40 });
  try {
    await runScenarios([], { registry: {}, repetitions: 3 });
    assert.unreachable();
  } catch (e) {
    assert.ok(isValidation(/--repetitions: got 3/)(e));
  }
});

test('runScenarios: missing runner -> skipped, unavailable -> skipped, throwing runner and bad params -> failed', async () => {
  const throwing: Runner = { kind: 'convnet', prepare: () => ({ run: () => { throw new Error('kernel trap'); } }) };
  const unavailable: Runner = { kind: 'cluster-layer', unavailable: () => 'python3 -c "import brian2" failed', prepare: () => { throw new Error('not reached'); } };
  const strict: Runner = {
    kind: 'crossbar',
    paramsSchema: { type: 'object', properties: { nIn: { type: 'integer', minimum: 1 } }, required: ['nIn'] },
    prepare: () => ({ run: () => ({ events: 1, neuronUpdates: 1, samples: 1 }) }),
  };
  const runs = expandScenarios([
    file({ name: 'a', kind: 'dc-mnist' }),
    file({ name: 'b', kind: 'convnet' }),
    file({ name: 'c', kind: 'cluster-layer' }),
    file({ name: 'd', kind: 'crossbar', params: { nIn: 0 } }),
  ]);
  const results = await runScenarios(runs, {
    registry: { convnet: async () => throwing, 'cluster-layer': async () => unavailable, crossbar: async () => strict },
    timer: fakeClock().timer,
  });
  assert.equal(results.map((r) => r.status), ['skipped', 'failed', 'skipped', 'failed']);
  assert.match(results[0].reason!, /no runner is registered for kind "dc-mnist"/);
  assert.match(results[1].reason!, /kernel trap/);
  assert.match(results[2].reason!, /brian2/);
  assert.match(results[3].reason!, /^d:default params\/nIn: got 0; allowed: >= 1$/);
});

test('compareReports: ratio of medians new/old per (scenario, variant), unmatched listed', () => {
  const ok = (scenario: string, variant: string, events: number, samples: number): ScenarioResult => ({
    scenario,
    variant,
    group: scenario,
    kind: 'crossbar',
    params: {},
    status: 'ok',
    warmup: 1,
    repetitions: Array.from({ length: 5 }, () => ({ events, neuronUpdates: 1, samples, seconds: 1, extra: {} })),
    summary: {
      eventsPerSecond: { median: events, min: events, max: events },
      neuronUpdatesPerSecond: { median: 1, min: 1, max: 1 },
      samplesPerSecond: { median: samples, min: samples, max: samples },
      nsPerEvent: { median: 1e9 / events, min: 1e9 / events, max: 1e9 / events },
      seconds: { median: 1, min: 1, max: 1 },
      extra: {},
    },
  });
  const old = buildBenchReport([ok('s1', 'wasm', 1e9, 100), ok('s2', 'wasm', 2e9, 50), ok('gone', 'wasm', 1, 1)], {}, false);
  const now = buildBenchReport([ok('s1', 'wasm', 3e9, 300), ok('s2', 'wasm', 1e9, 50), ok('s3', 'wasm', 1, 1)], {}, false);
  const c = compareReports(now, old, 'old.json');
  assert.equal(c.rows.map((r) => [r.scenario, r.eventsPerSecondRatio, r.samplesPerSecondRatio]), [
    ['s1', 3, 3],
    ['s2', 0.5, 1],
  ]);
  assert.equal(c.onlyNew, ['s3:wasm']);
  assert.equal(c.onlyOld, ['gone:wasm']);
  assert.is(c.against, 'old.json');
});

test('shipped scenario files are valid and expand as documented', () => {
  const files = loadScenarioFiles();
  const names = files.map((f) => f.name);
  for (const n of ['synapses', 'kernels', 'dc-mnist', 'cluster-layer', 'convnet']) assert.ok(names.includes(n), n);
  const runs = expandScenarios(files);
  const synapses = runs.filter((r) => r.group === 'synapses');
  assert.is(synapses.length, 3 * 3 * 3);
  const biggest = synapses.find((r) => r.scenario === 'synapses/size=1e4x1e3,density=0.02,rateHz=100')!;
  assert.equal([biggest.params.nIn, biggest.params.nOut, biggest.params.density, biggest.params.rateHz], [10000, 1000, 0.02, 100]);
  assert.is(biggest.params.label, undefined);
  const kernels = runs.filter((r) => r.group === 'kernels');
  const variant = (v: string) => kernels.find((r) => r.variant === v)!.params;
  assert.equal([variant('wasm-4bit').weightFormat, variant('wasm-4bit').bits, variant('wasm-4bit').backend], ['fixed', 4, 'wasm']);
  assert.is(variant('wasm-f32-dense').propagation, 'dense');
  assert.is(variant('reference-f32').backend, 'reference');
  for (const r of runs) assert.ok(r.repetitions >= 5 && r.warmup >= 1);
  const quick = expandScenarios(files, { quick: true });
  assert.ok(quick.length < runs.length);
  assert.is(quick.find((r) => r.group === 'kernels')!.params.samples, 3);
});

test('a bad scenario file is rejected with the JSON path named', () => {
  const good = { name: 'x', kind: 'crossbar', description: 'd' };
  assert.throws(() => validateScenarioFile({ ...good, repetitions: 3 }, 'bad.json'), isValidation(/^bad\.json\/repetitions: got 3; allowed: >= 5$/));
  assert.throws(() => validateScenarioFile({ ...good, kind: 'gpu' }, 'bad.json'), isValidation(/^bad\.json\/kind: got "gpu"; allowed: one of "crossbar", "dc-mnist"/));
  assert.throws(() => validateScenarioFile({ ...good, sweep: { size: [null] } }, 'bad.json'), isValidation(/bad\.json\/sweep\/size\/0/));
  assert.throws(() => validateScenarioFile({ ...good, variants: [{ name: 'a' }, { name: 'a' }] }, 'bad.json'), isValidation(/variants: got "a"/));
  assert.throws(() => validateScenarioFile({ ...good, quick: { variants: ['nope'] } }, 'bad.json'), isValidation(/quick\/variants\/0: got "nope"/));
  assert.throws(() => validateScenarioFile({ ...good, colour: 'red' }, 'bad.json'), isValidation(/^bad\.json\/colour: got "red"; allowed: no such property/));
  // Several problems are all listed.
  assert.throws(() => validateScenarioFile({ name: 'Bad Name', kind: 'crossbar' }, 'bad.json'), isValidation(/^bad\.json\/description: got undefined; allowed: a value \(required\); also \/name: got "Bad Name"/));
  // And a bad file on disk fails the loader with its path.
  const scenarioDir = join(dir, 'scenarios');
  mkdirSync(scenarioDir);
  writeFileSync(join(scenarioDir, 'broken.json'), JSON.stringify({ ...good, warmup: 0 }));
  assert.throws(() => loadScenarioFiles(scenarioDir), isValidation(/broken\.json\/warmup/));
});

test('selectScenarios: group, scenario, SCENARIO:VARIANT and wildcards; unknown names list the valid ones', () => {
  const runs = expandScenarios([
    file({ name: 'syn', sweep: { rateHz: [1, 10] }, variants: [{ name: 'wasm' }, { name: 'reference' }] }),
    file({ name: 'other' }),
  ]);
  assert.is(selectScenarios(runs, []).length, 5);
  assert.is(selectScenarios(runs, ['syn']).length, 4);
  assert.is(selectScenarios(runs, ['syn/rateHz=10']).length, 2);
  assert.is(selectScenarios(runs, ['syn/rateHz=10:reference']).length, 1);
  assert.is(selectScenarios(runs, ['*:wasm']).length, 2);
  assert.is(selectScenarios(runs, ['other', 'syn/*']).length, 5);
  assert.throws(() => selectScenarios(runs, ['nope']), isValidation(/--scenario: got "nope"; allowed: a scenario group \(syn, other\), a scenario \(syn\/rateHz=1, syn\/rateHz=10\)/));
});

test('bench.json validation names the path of a malformed field', () => {
  const report = buildBenchReport([], { quick: true }, true);
  assert.is(validateBenchReport(JSON.parse(JSON.stringify(report))).format, 'deep-stdp-bench');
  const broken = JSON.parse(JSON.stringify(report));
  broken.results = [{ scenario: 's', variant: 'v', group: 's', kind: 'crossbar', params: {}, status: 'ok', warmup: 1, repetitions: [] }];
  assert.throws(() => validateBenchReport(broken, 'old.json'), isValidation(/old\.json\/results\/0/));
});

test.run();
