import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { ValidationError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../report/atomic.js';
import { runInfo } from '../report/run-info.js';
import { resolveModels, loadShippedModels } from '../hw/model-registry.js';
import { validateModel } from '../hw/model-validate.js';
import { DocumentValidationError, formatViolation } from '../hw/violations.js';
import { readWorkload, workloadFromCounters, type Workload } from '../hw/workload.js';
import { energyReport, type EnergyReport } from '../hw/estimate.js';
import { breakdownTable, formatCount, formatNs, formatPj, modelListTable, summaryTable } from '../hw/format.js';
import { energyChart } from '../hw/chart.js';

export interface EnergyOptions {
  model: string;
  from?: string;
  /** Run this bench scenario (SCENARIO:VARIANT, or a scenario whose first variant is taken) instead of --from. */
  scenario?: string;
  out?: string;
  list?: boolean;
  validate?: string;
  json?: boolean;
}

export interface EnergyRun {
  report: EnergyReport | null;
  files: string[];
}

type Print = (text: string) => void;

function printList(print: Print): void {
  const models = loadShippedModels();
  print(modelListTable(models));
  for (const { model, file } of models) {
    print(`\n${model.name}  (${file})\n  ${model.description}`);
    for (const [key, ref] of Object.entries(model.references)) {
      print(`  [${key}] ${ref.citation}${ref.url ? ` <${ref.url}>` : ''}${ref.kind ? ` (${ref.kind})` : ''}`);
    }
  }
}

function validateFile(path: string, print: Print): void {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ValidationError('--validate', path, `a readable JSON file (${(err as Error).message})`);
  }
  const violations = validateModel(doc);
  if (violations.length) {
    for (const v of violations) print(formatViolation(v));
    throw new DocumentValidationError(resolve(path), violations, 'a hardware model satisfying hw-models/schema.json');
  }
  print(`${path}: valid hardware model "${(doc as { name: string }).name}"`);
}

function printReport(report: EnergyReport, print: Print): void {
  const n = report.workload.samples;
  const w = report.workload;
  print(`workload: ${w.name} — ${n} samples, ${w.stepsRun} running + ${w.stepsSkipped} skipped steps of ${w.timestepMs} ms`);
  for (const l of w.layers) print(`  layer ${l.name}: ${l.kind} ${l.nIn} x ${l.nOut}${l.outputPositions > 1 ? ` x ${l.outputPositions} positions` : ''}, ${l.weightBits === 0 ? 'f32' : `${l.weightBits}-bit`} weights`);
  for (const m of report.models) {
    print(`\n== ${m.model.name}: ${m.model.displayName} ==`);
    const maps = m.layers.map((l) => `${l.layer}: ${l.mapping.rowTiles} x ${l.mapping.colTiles} cores of ${l.mapping.rowsPerCore} x ${l.mapping.colsPerCore}`);
    print(`mapping: ${maps.join('; ')}`);
    print(breakdownTable(m, n));
    if (m.latency.modelled) {
      const lat = m.latency;
      const slow = lat.slowestCore;
      print(
        `latency/sample ${formatNs(lat.perSampleNs)}${lat.complete ? '' : ' (lower bound)'}; running step ${formatNs(lat.runStepNs)} = ` +
          `slowest core ${formatNs(lat.computeNs)}${slow ? ` (${slow.layer}, ${slow.rows} x ${slow.cols})` : ''} + routing ${formatNs(lat.routingNs)} + sync ${formatNs(lat.syncNs)}` +
          `${lat.tickNs !== null ? `, tick ${formatNs(lat.tickNs)}` : ''}; idle step ${formatNs(lat.idleStepNs)}`,
      );
      print(
        `synaptic events/s: sustained ${m.throughput.sustainedSynapticEventsPerSecond?.toExponential(3) ?? 'not modelled'}, ` +
          `peak per core ${m.throughput.peakSynapticEventsPerSecondPerCore?.toExponential(3) ?? 'not modelled'}` +
          `${m.throughput.peakSynapticEventsPerSecondPerChip !== null ? `, peak per chip ${m.throughput.peakSynapticEventsPerSecondPerChip.toExponential(3)}` : ''}`,
      );
    }
    for (const warning of m.warnings) print(`  note: ${warning}`);
  }
  print('\n== summary (per sample) ==');
  print(summaryTable(report));
  const a = report.annBaseline;
  print(
    `\nANN baseline (${a.model}): ${formatCount(a.macsPerSample)} dense MACs per sample -> fp32 ${formatPj(a.fp32PerSamplePj)}, ` +
      `int8 ${formatPj(a.int8PerSamplePj)}, fp32 with SRAM weight fetch ${formatPj(a.fp32WithWeightFetchPerSamplePj)}`,
  );
  print(`  ${a.caveat}`);
  const nb = report.neurobench;
  print(
    `\nNeuroBench (per sample): Effective_ACs ${formatCount(nb.synaptic_operations.Effective_ACs)}, Effective_MACs ${formatCount(nb.synaptic_operations.Effective_MACs)}, ` +
      `Dense ${formatCount(nb.synaptic_operations.Dense)}, activation_sparsity ${nb.activation_sparsity?.toPrecision(6) ?? '-'}, ` +
      `connection_sparsity ${nb.connection_sparsity?.toFixed(4) ?? 'not given'}, membrane_updates ${formatCount(nb.membrane_updates)}, ` +
      `footprint ${formatCount(nb.footprint)} bytes${nb.footprintIncludesBuffers ? '' : ' (weights only)'}`,
  );
}

/**
 * `deep-stdp energy`: --list, --validate FILE, or an energy report of --from results.json on
 * --model (name, path, comma list or "all"). Writes energy.json, energy.svg and energy.png to --out
 * (default: the folder of --from).
 */
export async function runEnergy(options: EnergyOptions, print: Print = (t) => process.stdout.write(`${t}\n`)): Promise<EnergyRun> {
  if (options.list) {
    printList(print);
    return { report: null, files: [] };
  }
  if (options.validate) {
    validateFile(options.validate, print);
    return { report: null, files: [] };
  }
  if (options.from && options.scenario) {
    throw new ValidationError('--scenario', options.scenario, 'either --from or --scenario, not both');
  }
  if (!options.from && !options.scenario) {
    throw new ValidationError('--from', options.from, 'a results.json written by stdp, train, deploy or bench, or --scenario NAME (or use --list / --validate FILE)');
  }
  if (options.scenario && !options.out) {
    throw new ValidationError('--out', options.out, 'an output folder (required with --scenario)');
  }
  const models = resolveModels(options.model);
  const workload = options.from ? readWorkload(options.from) : await scenarioWorkload(options.scenario!, print);
  const report = energyReport(workload, models);
  if (options.json) print(JSON.stringify(report, null, 2));
  else printReport(report, print);
  const source = options.from ? resolve(options.from) : `bench scenario ${options.scenario}`;
  const outDir = resolve(options.out ?? dirname(options.from!));
  const jsonPath = join(outDir, 'energy.json');
  const svgPath = join(outDir, 'energy.svg');
  const pngPath = join(outDir, 'energy.png');
  writeJsonAtomic(jsonPath, {
    runInfo: runInfo('energy', { model: options.model, from: options.from ?? null, scenario: options.scenario ?? null, out: outDir }, null),
    source,
    ...report,
  });
  const chart = await energyChart(report);
  writeFileAtomic(svgPath, chart.svg);
  writeFileAtomic(pngPath, chart.png);
  if (!options.json) print(`\nwrote ${jsonPath}, ${pngPath}`);
  return { report, files: [jsonPath, svgPath, pngPath] };
}

/**
 * Runs one bench scenario variant (one timed repetition after its warm-up) and returns the workload its
 * runner reports. The bench harness and runners are loaded only here, so --from stays light.
 */
async function scenarioWorkload(name: string, print: Print): Promise<Workload> {
  const harness = await import('../../bench/harness.js');
  const { runners } = await import('../../bench/runners/index.js');
  const runs = harness.selectScenarios(harness.expandScenarios(harness.loadScenarioFiles()), [name]);
  const run = runs.find((r) => runners[r.kind] !== undefined) ?? runs[0];
  print(`running bench scenario ${run.scenario}:${run.variant} for its workload${runs.length > 1 ? ` (first of ${runs.length} matching variants; name SCENARIO:VARIANT to pick another)` : ''}`);
  const [result] = await harness.runScenarios([run], { registry: runners, repetitions: 5 });
  if (result.status !== 'ok' || !result.workload) {
    throw new ValidationError('--scenario', name, `a scenario whose runner reports a hardware workload (${run.scenario}:${run.variant} ${result.status}${result.reason ? `: ${result.reason}` : ', no workload'})`);
  }
  return workloadFromCounters(result.workload);
}

const energyCommand: CommandModule<object, EnergyOptions> = {
  command: 'energy',
  describe: 'Energy, latency and throughput of a run on hardware models (hw-models/*.json)',
  builder: (y: Argv<object>) =>
    y
      .option('model', { type: 'string', default: 'all', describe: 'shipped model name, "all", a path to a model JSON file, or a comma-separated list' })
      .option('from', { type: 'string', describe: 'results.json of a run (its "workload" key)' })
      .option('scenario', { type: 'string', describe: 'run this bench scenario (SCENARIO:VARIANT; see `deep-stdp bench --list`) and report its workload instead of --from' })
      .option('out', { type: 'string', describe: 'output folder for energy.json / energy.png (default: folder of --from; required with --scenario)' })
      .option('list', { type: 'boolean', describe: 'list the shipped models with their sources' })
      .option('validate', { type: 'string', describe: 'check a model JSON file against hw-models/schema.json and list every violation' })
      .option('json', { type: 'boolean', describe: 'print the report as JSON instead of tables' })
      .example('$0 energy --model all --from runs/x/results.json', 'breakdown for every shipped model')
      .example('$0 energy --validate my-chip.json', 'check a user model') as unknown as Argv<EnergyOptions>,
  handler: async (argv) => {
    await runEnergy({ model: argv.model, from: argv.from, scenario: argv.scenario, out: argv.out, list: argv.list, validate: argv.validate, json: argv.json });
  },
};

export default energyCommand;
