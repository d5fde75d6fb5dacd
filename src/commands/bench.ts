import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { ValidationError } from '../errors.js';
import { writeJsonAtomic } from '../report/atomic.js';
import { barChart } from '../report/charts.js';
import { writeCsvAtomic } from '../report/csv.js';
import { createProgress } from '../report/progress.js';
import { formatQuantity, formatTable } from '../report/table.js';
import { energyReport, loadShippedModels, workloadFromCounters } from '../hw/index.js';
import {
  buildBenchReport,
  compareReports,
  expandScenarios,
  loadScenarioFiles,
  runScenarios,
  selectScenarios,
  validateBenchReport,
  type BenchReport,
  type HardwareFigure,
  type RunnerRegistry,
  type ScenarioResult,
  type Timer,
} from '../../bench/harness.js';
import { runners as defaultRunners } from '../../bench/runners/index.js';

export interface BenchOptions {
  scenario?: string[];
  quick?: boolean;
  out?: string;
  compare?: string;
  list?: boolean;
  json?: boolean;
  repetitions?: number;
}

/** Injection points for tests (fake runners and timer, a scenario folder, captured output). */
export interface BenchDeps {
  registry?: RunnerRegistry;
  timer?: Timer;
  scenarioDir?: string;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface BenchOutcome {
  report?: BenchReport;
  files: { json?: string; csv?: string; chart?: string };
}

/** Output file names derived from --out: bench.json → bench.csv, bench.png. */
export function benchOutputPaths(out: string): { json: string; csv: string; chart: string } {
  const stem = out.replace(/\.json$/i, '');
  return { json: out, csv: `${stem}.csv`, chart: `${stem}.png` };
}

const rate = (r: ScenarioResult, key: 'eventsPerSecond' | 'neuronUpdatesPerSecond' | 'samplesPerSecond' | 'nsPerEvent') => r.summary?.[key] ?? null;

export function resultsTable(results: readonly ScenarioResult[]): string {
  return formatTable(
    [
      { header: 'scenario', value: 'scenario' },
      { header: 'variant', value: 'variant' },
      { header: 'events/s', value: (r) => rate(r, 'eventsPerSecond')?.median },
      { header: 'min', value: (r) => rate(r, 'eventsPerSecond')?.min },
      { header: 'max', value: (r) => rate(r, 'eventsPerSecond')?.max },
      { header: 'neuron upd/s', value: (r) => rate(r, 'neuronUpdatesPerSecond')?.median },
      { header: 'samples/s', value: (r) => rate(r, 'samplesPerSecond')?.median },
      { header: 'ns/event', value: (r) => rate(r, 'nsPerEvent')?.median },
      { header: 'reps', value: (r) => (r.status === 'ok' ? r.repetitions.length : r.status) },
    ],
    results,
  );
}

function resultsCsvRows(results: readonly ScenarioResult[]): Record<string, unknown>[] {
  return results.map((r) => {
    const row: Record<string, unknown> = { scenario: r.scenario, variant: r.variant, kind: r.kind, status: r.status, reason: r.reason };
    for (const key of ['eventsPerSecond', 'neuronUpdatesPerSecond', 'samplesPerSecond', 'nsPerEvent', 'seconds'] as const) {
      const s = r.summary?.[key];
      row[`${key}Median`] = s?.median;
      row[`${key}Min`] = s?.min;
      row[`${key}Max`] = s?.max;
    }
    for (const h of r.hardware ?? []) {
      row[`${h.model}PjPerEvent`] = h.energyPerSynapticEventPj;
      row[`${h.model}SustainedEventsPerSecond`] = h.sustainedSynapticEventsPerSecond;
    }
    row.repetitions = r.repetitions.length;
    row.setupSeconds = r.setupSeconds;
    row.params = r.params;
    return row;
  });
}

/**
 * What each shipped hardware model would spend per synaptic event and sustain on the workload of
 * every scenario that reported one (docs/energy.md explains the accounting).
 */
export function attachHardwareFigures(results: ScenarioResult[]): void {
  const withWorkload = results.filter((r) => r.status === 'ok' && r.workload);
  if (withWorkload.length === 0) return;
  const models = loadShippedModels();
  for (const r of withWorkload) {
    const report = energyReport(workloadFromCounters(r.workload!), models);
    r.hardware = report.models.map(
      (m): HardwareFigure => ({
        model: m.model.name,
        energyPerSynapticEventPj: m.energyPerSynapticEventPj,
        sustainedSynapticEventsPerSecond: m.throughput.sustainedSynapticEventsPerSecond,
        energyPerSamplePj: m.energy.perSamplePj,
      }),
    );
  }
}

/** Modelled pJ per synaptic event, one column per hardware model. */
export function hardwareTable(results: readonly ScenarioResult[]): string {
  const rows = results.filter((r) => r.hardware && r.hardware.length > 0);
  if (rows.length === 0) return '';
  const models = [...new Set(rows.flatMap((r) => r.hardware!.map((h) => h.model)))];
  return formatTable(
    [
      { header: 'scenario', value: (r: ScenarioResult) => r.scenario },
      { header: 'variant', value: (r: ScenarioResult) => r.variant },
      ...models.map((m) => ({ header: m, value: (r: ScenarioResult) => r.hardware!.find((h) => h.model === m)?.energyPerSynapticEventPj })),
    ],
    rows,
  );
}

/** The whole `deep-stdp bench` flow; returns what it wrote. */
export async function runBenchCommand(options: BenchOptions, deps: BenchDeps = {}): Promise<BenchOutcome> {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const registry = deps.registry ?? defaultRunners;
  const quick = options.quick ?? false;
  const files = loadScenarioFiles(deps.scenarioDir);
  const selected = selectScenarios(expandScenarios(files, { quick }), options.scenario ?? []);

  if (options.list) {
    const text = formatTable(
      [
        { header: 'group', value: 'name' },
        { header: 'kind', value: 'kind' },
        { header: 'runner', value: (f) => (registry[f.kind] ? 'yes' : 'not yet') },
        { header: 'runs', value: (f) => selected.filter((r) => r.group === f.name).length },
        { header: 'description', value: (f) => (f.description.length > 90 ? `${f.description.slice(0, 89)}…` : f.description) },
      ],
      files,
    );
    const scenarios = [...new Set(selected.map((r) => `${r.scenario}  [${selected.filter((s) => s.scenario === r.scenario).map((s) => s.variant).join(', ')}]`))];
    stdout.write(options.json ? `${JSON.stringify(selected, null, 2)}\n` : `${text}\n${scenarios.join('\n')}\n`);
    return { files: {} };
  }

  let previous: BenchReport | undefined;
  if (options.compare) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(options.compare, 'utf8'));
    } catch (err) {
      throw new ValidationError('--compare', options.compare, `a readable bench.json (${(err as Error).message})`);
    }
    previous = validateBenchReport(data, options.compare);
  }

  const progress = createProgress({ total: selected.length, label: 'bench', unit: 'runs', json: options.json, stream: stderr });
  const results = await runScenarios(selected, {
    registry,
    timer: deps.timer,
    quick,
    repetitions: options.repetitions,
    onResult: (_r, done) => progress.update(done),
  });
  progress.stop();
  attachHardwareFigures(results);

  const recorded = { scenario: options.scenario ?? [], quick, out: options.out ?? 'bench.json', compare: options.compare ?? null, repetitions: options.repetitions ?? null };
  const report = buildBenchReport(results, recorded, quick);
  if (previous && options.compare) report.comparison = compareReports(report, previous, options.compare);
  validateBenchReport(report);

  const paths = benchOutputPaths(options.out ?? 'bench.json');
  writeJsonAtomic(paths.json, report);
  writeCsvAtomic(paths.csv, resultsCsvRows(results));
  const bars = results
    .filter((r) => r.status === 'ok' && r.summary?.eventsPerSecond)
    .map((r) => ({ category: `${r.scenario} [${r.variant}]`, series: r.group, value: r.summary!.eventsPerSecond!.median, lo: r.summary!.eventsPerSecond!.min, hi: r.summary!.eventsPerSecond!.max }));
  let chart: string | undefined;
  if (bars.length > 0) {
    const m = report.run.machine;
    await barChart(paths.chart, {
      title: `Synaptic events/s, median and min–max of ${results.find((r) => r.status === 'ok')?.repetitions.length ?? 5} runs — ${m.cpuModel}, Node ${m.node}, SIMD ${m.wasmSimd ? 'on' : 'off'}`,
      rows: bars,
      valueTitle: 'synaptic events/s (log scale)',
      seriesTitle: 'scenario group',
      seriesLayout: 'colour-only',
    });
    chart = paths.chart;
  }

  if (options.json) {
    stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    stdout.write(resultsTable(results));
    const peers = peerTable(results);
    if (peers) stdout.write(`\nside by side with Brian2 (same network, same images, same invocation; ratio = ours / Brian2, median [min-max])\n${peers}`);
    const hardware = hardwareTable(results);
    if (hardware) stdout.write(`\nmodelled energy per synaptic event (pJ, all-in: dynamic + static) on hw-models/\n${hardware}`);
    // One line per distinct reason, not per run (a missing runner skips a whole group).
    const reasons = new Map<string, string[]>();
    for (const r of results.filter((x) => x.status !== 'ok')) {
      const key = `${r.status}: ${r.reason}`;
      reasons.set(key, [...(reasons.get(key) ?? []), `${r.scenario}:${r.variant}`]);
    }
    for (const [reason, which] of reasons) stdout.write(`${reason} (${which.length === 1 ? which[0] : `${which.length} runs: ${which.join(', ')}`})\n`);
    if (report.comparison) {
      const c = report.comparison;
      stdout.write(`\ncompared with ${c.against} (${c.againstStartedAt}, ${c.againstMachine}); ratio = now / then, > 1 is faster\n`);
      stdout.write(
        formatTable(
          [
            { header: 'scenario', value: 'scenario' },
            { header: 'variant', value: 'variant' },
            { header: 'then events/s', value: 'oldEventsPerSecond' },
            { header: 'now events/s', value: 'newEventsPerSecond' },
            { header: 'events/s ratio', value: 'eventsPerSecondRatio' },
            { header: 'samples/s ratio', value: 'samplesPerSecondRatio' },
          ],
          c.rows,
        ),
      );
      if (c.onlyNew.length > 0) stdout.write(`only in this run: ${c.onlyNew.join(', ')}\n`);
      if (c.onlyOld.length > 0) stdout.write(`only in ${c.against}: ${c.onlyOld.join(', ')}\n`);
    }
    stdout.write(`\nwrote ${[paths.json, paths.csv, chart].filter(Boolean).join(', ')}\n`);
  }
  if (results.some((r) => r.status === 'failed')) process.exitCode = 1;
  return { report, files: { json: paths.json, csv: paths.csv, chart } };
}

/** The peer comparison rows (scenarios whose runner reports Brian2 figures as extras), or '' when none ran. */
export function peerTable(results: readonly ScenarioResult[]): string {
  const fmt = (s: { median: number; min: number; max: number } | undefined, digits = 3): string =>
    s ? `${formatQuantity(s.median, digits)} [${formatQuantity(s.min, digits)}-${formatQuantity(s.max, digits)}]` : '-';
  const rows = results
    .filter((r) => r.status === 'ok' && r.summary?.extra?.brian2ImagesPerCpuSecond)
    .map((r) => {
      const x = r.summary!.extra;
      return {
        scenario: `${r.scenario} [${r.variant}]`,
        oursCpu: fmt(x.oursImagesPerCpuSecond),
        brian2Cpu: fmt(x.brian2ImagesPerCpuSecond),
        ratioCpu: fmt(x.ratioCpu),
        oursWall: fmt(x.oursImagesPerSecond),
        brian2Wall: fmt(x.brian2ImagesPerSecond),
        ratioWall: fmt(x.ratioWall),
      };
    });
  if (rows.length === 0) return '';
  return formatTable(
    [
      { header: 'scenario', value: 'scenario' },
      { header: 'ours img/CPU-s', value: 'oursCpu' },
      { header: 'Brian2 img/CPU-s', value: 'brian2Cpu' },
      { header: 'ratio (CPU)', value: 'ratioCpu' },
      { header: 'ours img/s', value: 'oursWall' },
      { header: 'Brian2 img/s', value: 'brian2Wall' },
      { header: 'ratio (wall)', value: 'ratioWall' },
    ],
    rows,
  );
}

const command: CommandModule<object, BenchOptions> = {
  command: 'bench',
  describe: 'Spike-throughput benchmarks: synaptic events/s, neuron updates/s, samples/s (median of >= 5 runs)',
  builder: (yargs: Argv<object>) =>
    yargs
      .option('scenario', {
        type: 'string',
        array: true,
        describe: "Scenario group, scenario or SCENARIO:VARIANT to run ('*' wildcards); default: all",
      })
      .option('quick', { type: 'boolean', default: false, describe: 'Small sizes for a smoke run (under a minute)' })
      .option('out', { type: 'string', default: 'bench.json', describe: 'Result file; the CSV and PNG chart go next to it' })
      .option('compare', { type: 'string', describe: 'An earlier bench.json: print per-scenario ratios against it' })
      .option('repetitions', { type: 'number', describe: 'Timed repetitions per scenario (>= 5; default from the scenario file)' })
      .option('list', { type: 'boolean', default: false, describe: 'List scenario groups and scenarios, run nothing' })
      .option('json', { type: 'boolean', default: false, describe: 'Print bench.json to stdout instead of the table' }) as unknown as Argv<BenchOptions>,
  handler: async (argv) => {
    await runBenchCommand(argv);
  },
};

export default command;
