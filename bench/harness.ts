/**
 * Benchmark harness in the style of Brian2's SpeedTest: scenarios are data (bench/scenarios/*.json,
 * checked against bench/scenario-schema.json), each is run by the runner of its kind after a warm-up,
 * for >= 5 timed repetitions; the harness reports median, min and max of synaptic events/s, neuron
 * updates/s, samples/s and ns per synaptic event, with the machine and options recorded.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ValidationError, describeValue } from '../src/errors.js';
import { runInfo, type RunInfo } from '../src/report/run-info.js';
import type { WorkloadInput } from '../src/hw/workload.js';

// ---------------------------------------------------------------------------------------------
// Runner contract

/** What one timed repetition did. Counts are totals over the repetition. */
export interface RepetitionResult {
  /** Synaptic events (effective accumulates: presynaptic spike x fan-out onto non-zero weights). */
  events: number;
  /** Neuron (membrane) updates. */
  neuronUpdates: number;
  /** Samples (images, presentations) processed. */
  samples: number;
  /**
   * Seconds the repetition took, when the runner measures it itself (e.g. a peer simulator that
   * reports its own run time). Otherwise the harness times the call with its timer.
   */
  seconds?: number;
  /** Further per-repetition numbers (output spikes, spikes/sample, accuracy...), summarised alike. */
  extra?: Record<string, number>;
}

/** A scenario ready to run: everything expensive (data, layer, weights) is built in `prepare`. */
export interface PreparedRun {
  run(): RepetitionResult | Promise<RepetitionResult>;
  dispose?(): void | Promise<void>;
  /** Facts about the prepared run worth recording (e.g. the backend the core actually picked). */
  info?: Record<string, unknown>;
  /**
   * The last repetition as a hardware workload (layer shapes and the core's counters), so the bench
   * can report what the modelled chips (hw-models/) would sustain and spend per synaptic event.
   */
  workload?(): WorkloadInput;
}

export interface RunnerContext {
  scenario: string;
  variant: string;
  quick: boolean;
}

export interface Runner {
  kind: string;
  /** JSON Schema of this kind's params; checked before `prepare`. */
  paramsSchema?: Record<string, unknown>;
  /** A reason to skip (e.g. an optional peer not installed), or null when the runner can run. */
  unavailable?(): Promise<string | null> | string | null;
  prepare(params: ScenarioParams, context: RunnerContext): Promise<PreparedRun> | PreparedRun;
}

/** Runner kind → lazy loader, so a runner's heavy imports load only when its scenarios run. */
export type RunnerRegistry = Readonly<Record<string, () => Promise<Runner>>>;

/** Clock in seconds. Injectable so tests can drive the harness with a fake timer. */
export interface Timer {
  now(): number;
}

export const performanceTimer: Timer = { now: () => performance.now() / 1000 };

// ---------------------------------------------------------------------------------------------
// Scenario files

export type Scalar = string | number | boolean;
export type ParamValue = Scalar | Scalar[];
export type ScenarioParams = Record<string, ParamValue>;
export type SweepEntry = Scalar | ({ label?: string } & Record<string, ParamValue>);

export interface ScenarioVariant {
  name: string;
  description?: string;
  params?: ScenarioParams;
}

export interface ScenarioFile {
  name: string;
  kind: string;
  description: string;
  repetitions?: number;
  warmup?: number;
  params?: ScenarioParams;
  sweep?: Record<string, SweepEntry[]>;
  variants?: ScenarioVariant[];
  quick?: { skip?: boolean; params?: ScenarioParams; sweep?: Record<string, SweepEntry[]>; variants?: string[] };
  /** Where it was read from (set by the loader, not part of the file). */
  source?: string;
}

/** One (scenario, variant) pair to measure. */
export interface ScenarioRun {
  group: string;
  kind: string;
  /** Group name plus the sweep point, e.g. "synapses/size=1e4x1e3,density=0.2,rateHz=10". */
  scenario: string;
  variant: string;
  params: ScenarioParams;
  repetitions: number;
  warmup: number;
}

export const DEFAULT_REPETITIONS = 5;
export const DEFAULT_WARMUP = 1;

/** bench/ in the source tree, whether running from bench/ (tsx) or dist/bench/ (compiled). */
export function benchDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, resolve(here, '../../bench')]) {
    if (existsSync(join(dir, 'scenario-schema.json'))) return dir;
  }
  throw new Error(`bench/scenario-schema.json not found near ${here}`);
}

export function defaultScenarioDir(): string {
  return join(benchDir(), 'scenarios');
}

// strictRequired off: if/then branches name properties declared in the parent schema.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
let scenarioValidator: ValidateFunction | undefined;

function scenarioSchemaValidator(): ValidateFunction {
  if (!scenarioValidator) {
    const schema = JSON.parse(readFileSync(join(benchDir(), 'scenario-schema.json'), 'utf8')) as Record<string, unknown>;
    scenarioValidator = ajv.compile(schema);
  }
  return scenarioValidator;
}

interface Problem {
  path: string;
  value: unknown;
  allowed: string[];
}

/** Turns one ajv error into (JSON path, offending value, what is allowed). */
function problemOf(e: ErrorObject, data: unknown): Problem {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path: `${e.instancePath}/${String(params.missingProperty)}`, value: undefined, allowed: ['a value (required)'] };
    case 'additionalProperties': {
      const path = `${e.instancePath}/${String(params.additionalProperty)}`;
      return { path, value: pointer(data, path), allowed: ['no such property (not in the schema)'] };
    }
    case 'enum':
      return { path: e.instancePath, value: pointer(data, e.instancePath), allowed: [`one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`] };
    case 'pattern':
      return { path: e.instancePath, value: pointer(data, e.instancePath), allowed: [`a string matching ${String(params.pattern)}`] };
    case 'type':
      return { path: e.instancePath, value: pointer(data, e.instancePath), allowed: [`a value of type ${String(params.type).replace(/,/g, ' or ')}`] };
    default:
      return { path: e.instancePath, value: pointer(data, e.instancePath), allowed: [(e.message ?? e.keyword).replace(/^must be /, '')] };
  }
}

/**
 * One ValidationError for all schema violations: the field is `<where><JSON path>` of the first
 * problem; every further problem is listed after it ("also /path: got ..., allowed ...").
 */
export function schemaErrors(where: string, errors: readonly ErrorObject[] | null | undefined, data: unknown): ValidationError {
  const byPath = new Map<string, Problem>();
  for (const e of errors ?? []) {
    if (e.keyword === 'anyOf' || e.keyword === 'if') continue; // their branches are reported themselves
    const p = problemOf(e, data);
    const seen = byPath.get(p.path);
    if (seen) seen.allowed.push(...p.allowed.filter((a) => !seen.allowed.includes(a)));
    else byPath.set(p.path, p);
  }
  const problems = [...byPath.values()];
  if (problems.length === 0) return new ValidationError(where, data, 'a document matching its JSON Schema');
  const [first, ...rest] = problems;
  const also = rest.map((p) => `${p.path}: got ${describeValue(p.value)}, allowed ${p.allowed.join(' or ')}`);
  return new ValidationError(`${where}${first.path}`, first.value, `${first.allowed.join(' or ')}${also.length > 0 ? `; also ${also.join('; ')}` : ''}`);
}

function pointer(data: unknown, path: string): unknown {
  let cur = data;
  for (const token of path.split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur;
}

/** Checks one parsed scenario file; throws a ValidationError naming the JSON path of every problem. */
export function validateScenarioFile(data: unknown, source = 'scenario'): ScenarioFile {
  const validate = scenarioSchemaValidator();
  if (!validate(data)) throw schemaErrors(source, validate.errors, data);
  const file = data as ScenarioFile;
  const names = (file.variants ?? []).map((v) => v.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new ValidationError(`${source}/variants`, dup, 'unique variant names');
  for (const [i, name] of (file.quick?.variants ?? []).entries()) {
    if (!names.includes(name)) throw new ValidationError(`${source}/quick/variants/${i}`, name, `a variant of this file: ${names.join(', ') || '(none)'}`);
  }
  return { ...file, source };
}

/** Reads and validates every *.json in `dir` (default bench/scenarios), sorted by file name. */
export function loadScenarioFiles(dir = defaultScenarioDir()): ScenarioFile[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const out: ScenarioFile[] = [];
  for (const f of files) {
    const path = join(dir, f);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new ValidationError(path, 'unparseable JSON', `valid JSON (${(err as Error).message})`);
    }
    out.push(validateScenarioFile(data, path));
  }
  const names = out.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new ValidationError('scenario name', dup, 'unique names across bench/scenarios/*.json');
  return out;
}

function entryLabel(axis: string, entry: SweepEntry): string {
  if (typeof entry !== 'object') return `${axis}=${entry}`;
  if (entry.label !== undefined) return `${axis}=${entry.label}`;
  return Object.entries(entry)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('x') : v}`)
    .join(',');
}

function entryParams(axis: string, entry: SweepEntry): ScenarioParams {
  if (typeof entry !== 'object') return { [axis]: entry };
  const { label: _label, ...rest } = entry;
  return rest as ScenarioParams;
}

/** Expands files into (scenario, variant) runs: base params ← sweep point ← variant params. */
export function expandScenarios(files: readonly ScenarioFile[], options: { quick?: boolean } = {}): ScenarioRun[] {
  const runs: ScenarioRun[] = [];
  for (const file of files) {
    if (options.quick && file.quick?.skip) continue;
    const base: ScenarioParams = { ...file.params, ...(options.quick ? file.quick?.params : {}) };
    const sweep: Record<string, SweepEntry[]> = { ...file.sweep, ...(options.quick ? file.quick?.sweep : {}) };
    let points: { label: string[]; params: ScenarioParams }[] = [{ label: [], params: {} }];
    for (const [axis, entries] of Object.entries(sweep)) {
      points = points.flatMap((p) => entries.map((e) => ({ label: [...p.label, entryLabel(axis, e)], params: { ...p.params, ...entryParams(axis, e) } })));
    }
    let variants: ScenarioVariant[] = file.variants ?? [{ name: 'default' }];
    if (options.quick && file.quick?.variants) variants = variants.filter((v) => file.quick!.variants!.includes(v.name));
    for (const point of points) {
      const scenario = point.label.length > 0 ? `${file.name}/${point.label.join(',')}` : file.name;
      for (const variant of variants) {
        runs.push({
          group: file.name,
          kind: file.kind,
          scenario,
          variant: variant.name,
          params: { ...base, ...point.params, ...variant.params },
          repetitions: file.repetitions ?? DEFAULT_REPETITIONS,
          warmup: file.warmup ?? DEFAULT_WARMUP,
        });
      }
    }
  }
  return runs;
}

/**
 * Keeps the runs whose group, scenario, or "scenario:variant" matches one of `names` ('*' matches any
 * run of characters). An unknown name throws a ValidationError listing the valid ones.
 */
export function selectScenarios(runs: readonly ScenarioRun[], names: readonly string[]): ScenarioRun[] {
  if (names.length === 0) return [...runs];
  const keep = new Set<ScenarioRun>();
  for (const name of names) {
    const re = new RegExp(`^${name.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const hits = runs.filter((r) => re.test(r.group) || re.test(r.scenario) || re.test(`${r.scenario}:${r.variant}`));
    if (hits.length === 0) {
      const groups = [...new Set(runs.map((r) => r.group))];
      const scenarios = [...new Set(runs.map((r) => r.scenario))].filter((s) => !groups.includes(s));
      throw new ValidationError('--scenario', name, `a scenario group (${groups.join(', ')}), a scenario (${scenarios.join(', ')}), or SCENARIO:VARIANT; '*' matches any text`);
    }
    for (const h of hits) keep.add(h);
  }
  return runs.filter((r) => keep.has(r));
}

// ---------------------------------------------------------------------------------------------
// Measurement and statistics

export interface Stat {
  median: number;
  min: number;
  max: number;
}

/** Median (mean of the two middle values for an even count), min and max. */
export function summarise(values: readonly number[]): Stat {
  if (values.length === 0) throw new ValidationError('values', values, 'at least one value');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] };
}

export interface RepetitionRecord extends Required<Omit<RepetitionResult, 'extra'>> {
  extra: Record<string, number>;
}

export interface ScenarioSummary {
  eventsPerSecond: Stat | null;
  neuronUpdatesPerSecond: Stat | null;
  samplesPerSecond: Stat | null;
  nsPerEvent: Stat | null;
  seconds: Stat;
  extra: Record<string, Stat>;
}

export interface ScenarioResult {
  scenario: string;
  variant: string;
  group: string;
  kind: string;
  params: ScenarioParams;
  status: 'ok' | 'skipped' | 'failed';
  /** Why a scenario was skipped or failed. */
  reason?: string;
  warmup: number;
  setupSeconds?: number;
  info?: Record<string, unknown>;
  repetitions: RepetitionRecord[];
  summary?: ScenarioSummary;
  /** The last repetition as a hardware workload, when the runner provides one. */
  workload?: WorkloadInput;
  /** Modelled chips on that workload (filled in by the bench command from hw-models/). */
  hardware?: HardwareFigure[];
}

export interface HardwareFigure {
  model: string;
  /** All-in modelled energy (dynamic + static) / synaptic events. */
  energyPerSynapticEventPj: number | null;
  /** Synaptic events / modelled chip time for this workload. */
  sustainedSynapticEventsPerSecond: number | null;
  energyPerSamplePj: number | null;
}

/** Per-repetition rates; a rate whose denominator is zero (or counts that are zero) is left out. */
export function summariseRepetitions(reps: readonly RepetitionRecord[]): ScenarioSummary {
  const rate = (pick: (r: RepetitionRecord) => number) => {
    const values = reps.filter((r) => r.seconds > 0 && pick(r) > 0).map((r) => pick(r) / r.seconds);
    return values.length === reps.length && values.length > 0 ? summarise(values) : null;
  };
  const nsValues = reps.filter((r) => r.events > 0).map((r) => (r.seconds * 1e9) / r.events);
  const extraKeys = [...new Set(reps.flatMap((r) => Object.keys(r.extra)))];
  const extra: Record<string, Stat> = {};
  for (const key of extraKeys) {
    const values = reps.map((r) => r.extra[key]).filter((v) => Number.isFinite(v));
    if (values.length > 0) extra[key] = summarise(values);
  }
  return {
    eventsPerSecond: rate((r) => r.events),
    neuronUpdatesPerSecond: rate((r) => r.neuronUpdates),
    samplesPerSecond: rate((r) => r.samples),
    nsPerEvent: nsValues.length === reps.length && nsValues.length > 0 ? summarise(nsValues) : null,
    seconds: summarise(reps.map((r) => r.seconds)),
    extra,
  };
}

function checkRepetition(r: RepetitionResult, where: string): void {
  for (const key of ['events', 'neuronUpdates', 'samples'] as const) {
    if (typeof r[key] !== 'number' || !Number.isFinite(r[key]) || r[key] < 0) {
      throw new ValidationError(`${where}.${key}`, r[key], 'a finite count >= 0');
    }
  }
  if (r.seconds !== undefined && (!Number.isFinite(r.seconds) || r.seconds < 0)) {
    throw new ValidationError(`${where}.seconds`, r.seconds, 'a finite number of seconds >= 0');
  }
}

export interface RunBenchOptions {
  registry: RunnerRegistry;
  timer?: Timer;
  quick?: boolean;
  /** Overrides every scenario's repetition count (at least 5). */
  repetitions?: number;
  /** Called after each (scenario, variant) with the number done so far. */
  onResult?: (result: ScenarioResult, done: number, total: number) => void;
}

const paramValidators = new WeakMap<Runner, ValidateFunction>();

/** Runs every (scenario, variant): prepare, warm-up, timed repetitions, dispose. Never throws for a runner failure. */
export async function runScenarios(runs: readonly ScenarioRun[], options: RunBenchOptions): Promise<ScenarioResult[]> {
  const timer = options.timer ?? performanceTimer;
  if (options.repetitions !== undefined && (!Number.isInteger(options.repetitions) || options.repetitions < DEFAULT_REPETITIONS)) {
    throw new ValidationError('--repetitions', options.repetitions, `an integer >= ${DEFAULT_REPETITIONS}`);
  }
  const results: ScenarioResult[] = [];
  const runners = new Map<string, Runner | string>();
  for (const run of runs) {
    const result: ScenarioResult = {
      scenario: run.scenario,
      variant: run.variant,
      group: run.group,
      kind: run.kind,
      params: run.params,
      status: 'ok',
      warmup: run.warmup,
      repetitions: [],
    };
    try {
      let runner = runners.get(run.kind);
      if (runner === undefined) {
        const load = options.registry[run.kind];
        if (!load) runner = `no runner is registered for kind "${run.kind}" yet`;
        else {
          const loaded = await load();
          runner = (await loaded.unavailable?.()) ?? loaded;
        }
        runners.set(run.kind, runner);
      }
      if (typeof runner === 'string') {
        result.status = 'skipped';
        result.reason = runner;
      } else {
        if (runner.paramsSchema) {
          let validate = paramValidators.get(runner);
          if (!validate) paramValidators.set(runner, (validate = ajv.compile(runner.paramsSchema)));
          if (!validate(run.params)) throw schemaErrors(`${run.scenario}:${run.variant} params`, validate.errors, run.params);
        }
        const context: RunnerContext = { scenario: run.scenario, variant: run.variant, quick: options.quick ?? false };
        const t0 = timer.now();
        const prepared = await runner.prepare(run.params, context);
        result.setupSeconds = timer.now() - t0;
        if (prepared.info) result.info = prepared.info;
        try {
          for (let w = 0; w < run.warmup; w++) await prepared.run();
          const count = options.repetitions ?? run.repetitions;
          for (let k = 0; k < count; k++) {
            const start = timer.now();
            const rep = await prepared.run();
            const elapsed = timer.now() - start;
            checkRepetition(rep, `${run.scenario}:${run.variant} repetition ${k}`);
            result.repetitions.push({
              events: rep.events,
              neuronUpdates: rep.neuronUpdates,
              samples: rep.samples,
              seconds: rep.seconds ?? elapsed,
              extra: { ...rep.extra },
            });
          }
          if (prepared.workload) result.workload = prepared.workload();
        } finally {
          await prepared.dispose?.();
        }
        result.summary = summariseRepetitions(result.repetitions);
      }
    } catch (err) {
      result.status = 'failed';
      result.reason = err instanceof Error ? err.message : String(err);
    }
    results.push(result);
    options.onResult?.(result, results.length, runs.length);
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// bench.json

export const BENCH_FORMAT = 'deep-stdp-bench';
export const BENCH_FORMAT_VERSION = 1;

export interface ComparisonRow {
  scenario: string;
  variant: string;
  /** new median / old median; > 1 means faster now. Null when either side lacks the rate. */
  eventsPerSecondRatio: number | null;
  samplesPerSecondRatio: number | null;
  oldEventsPerSecond: number | null;
  newEventsPerSecond: number | null;
}

export interface Comparison {
  against: string;
  againstStartedAt: string;
  againstMachine: string;
  rows: ComparisonRow[];
  /** (scenario:variant) measured now but absent (or not ok) in the earlier run, and vice versa. */
  onlyNew: string[];
  onlyOld: string[];
}

export interface BenchReport {
  format: typeof BENCH_FORMAT;
  formatVersion: typeof BENCH_FORMAT_VERSION;
  run: RunInfo;
  quick: boolean;
  results: ScenarioResult[];
  comparison?: Comparison;
}

const statSchema = {
  type: 'object',
  required: ['median', 'min', 'max'],
  additionalProperties: false,
  properties: { median: { type: 'number' }, min: { type: 'number' }, max: { type: 'number' } },
} as const;
const nullableStat = { anyOf: [statSchema, { type: 'null' }] } as const;

/** JSON Schema of bench.json (checked when writing it and when reading one for --compare). */
export const benchReportSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'deep-stdp bench.json',
  type: 'object',
  required: ['format', 'formatVersion', 'run', 'quick', 'results'],
  additionalProperties: false,
  properties: {
    format: { const: BENCH_FORMAT },
    formatVersion: { const: BENCH_FORMAT_VERSION },
    quick: { type: 'boolean' },
    run: {
      type: 'object',
      required: ['tool', 'version', 'command', 'options', 'machine', 'startedAt'],
      properties: {
        tool: { const: 'deep-stdp' },
        version: { type: 'string' },
        command: { type: 'string' },
        seed: {},
        options: { type: 'object' },
        startedAt: { type: 'string' },
        machine: {
          type: 'object',
          required: ['cpuModel', 'cores', 'node', 'wasmSimd'],
          properties: { cpuModel: { type: 'string' }, cores: { type: 'integer' }, node: { type: 'string' }, wasmSimd: { type: 'boolean' } },
        },
      },
    },
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['scenario', 'variant', 'group', 'kind', 'params', 'status', 'warmup', 'repetitions'],
        additionalProperties: false,
        properties: {
          scenario: { type: 'string' },
          variant: { type: 'string' },
          group: { type: 'string' },
          kind: { type: 'string' },
          params: { type: 'object' },
          status: { enum: ['ok', 'skipped', 'failed'] },
          reason: { type: 'string' },
          warmup: { type: 'integer', minimum: 0 },
          setupSeconds: { type: 'number', minimum: 0 },
          info: { type: 'object' },
          repetitions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['events', 'neuronUpdates', 'samples', 'seconds', 'extra'],
              additionalProperties: false,
              properties: {
                events: { type: 'number', minimum: 0 },
                neuronUpdates: { type: 'number', minimum: 0 },
                samples: { type: 'number', minimum: 0 },
                seconds: { type: 'number', minimum: 0 },
                extra: { type: 'object', additionalProperties: { type: 'number' } },
              },
            },
          },
          workload: { type: 'object' },
          hardware: {
            type: 'array',
            items: {
              type: 'object',
              required: ['model', 'energyPerSynapticEventPj', 'sustainedSynapticEventsPerSecond', 'energyPerSamplePj'],
              additionalProperties: false,
              properties: {
                model: { type: 'string' },
                energyPerSynapticEventPj: { type: ['number', 'null'] },
                sustainedSynapticEventsPerSecond: { type: ['number', 'null'] },
                energyPerSamplePj: { type: ['number', 'null'] },
              },
            },
          },
          summary: {
            type: 'object',
            required: ['eventsPerSecond', 'neuronUpdatesPerSecond', 'samplesPerSecond', 'nsPerEvent', 'seconds', 'extra'],
            additionalProperties: false,
            properties: {
              eventsPerSecond: nullableStat,
              neuronUpdatesPerSecond: nullableStat,
              samplesPerSecond: nullableStat,
              nsPerEvent: nullableStat,
              seconds: statSchema,
              extra: { type: 'object', additionalProperties: statSchema },
            },
          },
        },
        if: { properties: { status: { const: 'ok' } } },
        then: { required: ['summary'], properties: { repetitions: { type: 'array', minItems: 5 } } },
        else: { required: ['reason'] },
      },
    },
    comparison: {
      type: 'object',
      required: ['against', 'rows', 'onlyNew', 'onlyOld'],
      properties: {
        against: { type: 'string' },
        againstStartedAt: { type: 'string' },
        againstMachine: { type: 'string' },
        rows: {
          type: 'array',
          items: {
            type: 'object',
            required: ['scenario', 'variant', 'eventsPerSecondRatio', 'samplesPerSecondRatio'],
            properties: {
              scenario: { type: 'string' },
              variant: { type: 'string' },
              eventsPerSecondRatio: { type: ['number', 'null'] },
              samplesPerSecondRatio: { type: ['number', 'null'] },
              oldEventsPerSecond: { type: ['number', 'null'] },
              newEventsPerSecond: { type: ['number', 'null'] },
            },
          },
        },
        onlyNew: { type: 'array', items: { type: 'string' } },
        onlyOld: { type: 'array', items: { type: 'string' } },
      },
    },
  },
} as const;

let reportValidator: ValidateFunction | undefined;

/** Checks a bench.json document; throws a ValidationError naming every JSON path at fault. */
export function validateBenchReport(data: unknown, source = 'bench.json'): BenchReport {
  reportValidator ??= ajv.compile(benchReportSchema);
  if (!reportValidator(data)) throw schemaErrors(source, reportValidator.errors, data);
  return data as BenchReport;
}

export function buildBenchReport(results: ScenarioResult[], options: Record<string, unknown>, quick: boolean): BenchReport {
  return validateBenchReport({
    format: BENCH_FORMAT,
    formatVersion: BENCH_FORMAT_VERSION,
    run: runInfo('bench', options, null),
    quick,
    results,
  });
}

const keyOf = (r: { scenario: string; variant: string }) => `${r.scenario}:${r.variant}`;

/** Per-(scenario, variant) ratios of medians, new over old, for runs that are ok on both sides. */
export function compareReports(current: BenchReport, previous: BenchReport, againstPath: string): Comparison {
  const old = new Map(previous.results.filter((r) => r.status === 'ok').map((r) => [keyOf(r), r]));
  const now = current.results.filter((r) => r.status === 'ok');
  const ratio = (a: Stat | null | undefined, b: Stat | null | undefined) => (a && b && b.median > 0 ? a.median / b.median : null);
  const rows: ComparisonRow[] = [];
  const onlyNew: string[] = [];
  for (const r of now) {
    const o = old.get(keyOf(r));
    if (!o) {
      onlyNew.push(keyOf(r));
      continue;
    }
    rows.push({
      scenario: r.scenario,
      variant: r.variant,
      eventsPerSecondRatio: ratio(r.summary?.eventsPerSecond, o.summary?.eventsPerSecond),
      samplesPerSecondRatio: ratio(r.summary?.samplesPerSecond, o.summary?.samplesPerSecond),
      oldEventsPerSecond: o.summary?.eventsPerSecond?.median ?? null,
      newEventsPerSecond: r.summary?.eventsPerSecond?.median ?? null,
    });
  }
  const nowKeys = new Set(now.map(keyOf));
  const onlyOld = [...old.keys()].filter((k) => !nowKeys.has(k));
  const m = previous.run.machine;
  return {
    against: againstPath,
    againstStartedAt: previous.run.startedAt,
    againstMachine: `${m.cpuModel}, ${m.cores} cores, Node ${m.node}, SIMD ${m.wasmSimd ? 'on' : 'off'}`,
    rows,
    onlyNew,
    onlyOld,
  };
}
