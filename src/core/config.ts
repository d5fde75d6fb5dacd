/**
 * Validation of layer configurations (every bad field throws ValidationError naming the field, the value
 * and what is allowed) and the f32 parameters derived from them on the host.
 */
import { ValidationError, requireFinite, requireInteger, requireOneOf, requirePositive } from '../errors.js';
import type { LayerConfig, NeuronConfig, StdpConfig, WeightConfig, InhibitionConfig } from './types.js';
import type { Backend } from './engine.js';
import { decayFactor, decayTable, muTable } from './tables.js';
import {
  FORMAT_F32, FORMAT_FIXED, INHIBIT_HARD, INHIBIT_NONE, INHIBIT_SOFT, MU_TABLE_INTERVALS, ROUND_NEAREST,
  ROUND_STOCHASTIC, ROUND_TRUNCATE, RULE_DC, RULE_NONE, RULE_PAIR,
} from '../../assembly/context.js';

const f = Math.fround;

/** A configuration with every default filled in. */
export interface ResolvedConfig extends LayerConfig {
  neuron: Required<NeuronConfig>;
  /** `commit` is present only for a per-sample store (the default 'per-update' is left out, so configs stay as they were). */
  weights: Required<Omit<WeightConfig, 'commit'>> & Pick<WeightConfig, 'commit'>;
  inhibition: InhibitionConfig;
  normalise: { columnSum: number } | null;
  propagation: 'event' | 'dense';
  maxSteps: number;
}

const BACKENDS: readonly Backend[] = ['wasm', 'wasm-scalar', 'reference'];
const MAX_UNITS = 1 << 24;

function requireObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, value, 'an object');
  }
  return value as Record<string, unknown>;
}

function rejectUnknown(field: string, obj: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key) && obj[key] !== undefined) {
      throw new ValidationError(`${field}.${key}`, obj[key], `no such option; known: ${known.join(', ')}`);
    }
  }
}

/** Positive time constant; Infinity allowed when `infinite` (e.g. no leak). */
function requireTau(field: string, value: unknown, infinite: boolean): number {
  if (infinite && value === Infinity) return Infinity;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(field, value, infinite ? 'a number > 0 (ms), or Infinity' : 'a finite number > 0 (ms)');
  }
  return value;
}

function optional<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function requireBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValidationError(field, value, 'true or false');
  return value;
}

function resolveNeuron(raw: unknown): Required<NeuronConfig> {
  const n = requireObject('neuron', raw);
  rejectUnknown('neuron', n, [
    'vRest', 'vReset', 'vThresh', 'vMin', 'reset', 'tauMembrane', 'tauSynaptic', 'inputGain', 'iBias',
    'refractorySteps', 'thetaPlus', 'tauTheta', 'thetaInit',
  ]);
  const vRest = requireFinite('neuron.vRest', n.vRest);
  const vReset = requireFinite('neuron.vReset', n.vReset);
  const vThresh = requireFinite('neuron.vThresh', n.vThresh);
  const vMin = n.vMin === undefined || n.vMin === -Infinity ? -Infinity : requireFinite('neuron.vMin', n.vMin);
  if (vMin > Math.min(vReset, vRest)) {
    throw new ValidationError('neuron.vMin', vMin, `a number <= min(vReset, vRest) = ${Math.min(vReset, vRest)}, or -Infinity`);
  }
  return {
    vRest,
    vReset,
    vThresh,
    vMin,
    reset: requireOneOf('neuron.reset', optional(n.reset, 'to-reset'), ['to-reset', 'subtract'] as const),
    tauMembrane: requireTau('neuron.tauMembrane', n.tauMembrane, true),
    tauSynaptic: requireFinite('neuron.tauSynaptic', optional(n.tauSynaptic, 0), 0),
    inputGain: requireFinite('neuron.inputGain', optional(n.inputGain, 1)),
    iBias: requireFinite('neuron.iBias', optional(n.iBias, 0)),
    refractorySteps: requireInteger('neuron.refractorySteps', optional(n.refractorySteps, 0), 0, 1_000_000),
    thetaPlus: requireFinite('neuron.thetaPlus', optional(n.thetaPlus, 0), 0),
    tauTheta: requireTau('neuron.tauTheta', optional(n.tauTheta, Infinity), true),
    thetaInit: requireFinite('neuron.thetaInit', optional(n.thetaInit, 0)),
  };
}

const COMMITS = ['per-update', 'per-sample'] as const;

function resolveWeights(raw: unknown): ResolvedConfig['weights'] {
  const w = requireObject('weights', raw);
  rejectUnknown('weights', w, ['format', 'bits', 'wMax', 'rounding', 'commit']);
  const format = requireOneOf('weights.format', w.format, ['f32', 'fixed'] as const);
  let bits = 0;
  if (format === 'fixed') bits = requireInteger('weights.bits', w.bits, 1, 8);
  else if (w.bits !== undefined) throw new ValidationError('weights.bits', w.bits, "only with format 'fixed'");
  let commit: WeightConfig['commit'] = 'per-update';
  if (format === 'fixed') commit = requireOneOf('weights.commit', optional(w.commit, 'per-update'), COMMITS);
  else if (w.commit !== undefined) {
    throw new ValidationError('weights.commit', w.commit, `only with format 'fixed' (one of ${COMMITS.map((c) => JSON.stringify(c)).join(', ')})`);
  }
  const resolved: ResolvedConfig['weights'] = {
    format,
    bits,
    wMax: requirePositive('weights.wMax', w.wMax),
    rounding: requireOneOf('weights.rounding', optional(w.rounding, 'nearest'), ['nearest', 'stochastic', 'truncate'] as const),
  };
  if (commit === 'per-sample') resolved.commit = commit;
  return resolved;
}

function resolveStdp(raw: unknown): StdpConfig {
  const s = requireObject('stdp', raw);
  const rule = requireOneOf('stdp.rule', s.rule, ['none', 'dc', 'pair'] as const);
  if (rule === 'none') {
    rejectUnknown('stdp', s, ['rule']);
    return { rule };
  }
  const traceMode = requireOneOf('stdp.traceMode', optional(s.traceMode, 'additive'), ['additive', 'reset'] as const);
  if (rule === 'dc') {
    rejectUnknown('stdp', s, ['rule', 'etaPre', 'etaPost', 'xTar', 'mu', 'tauPre', 'tauPost', 'traceMode']);
    return {
      rule,
      etaPre: requireFinite('stdp.etaPre', s.etaPre, 0),
      etaPost: requireFinite('stdp.etaPost', s.etaPost, 0),
      xTar: requireFinite('stdp.xTar', s.xTar),
      mu: requireFinite('stdp.mu', s.mu, 0, 16),
      tauPre: requireTau('stdp.tauPre', s.tauPre, false),
      tauPost: requireTau('stdp.tauPost', s.tauPost, false),
      traceMode,
    };
  }
  rejectUnknown('stdp', s, ['rule', 'aPlus', 'aMinus', 'tauPlus', 'tauMinus', 'multiplicative', 'traceMode']);
  return {
    rule,
    aPlus: requireFinite('stdp.aPlus', s.aPlus, 0),
    aMinus: requireFinite('stdp.aMinus', s.aMinus, 0),
    tauPlus: requireTau('stdp.tauPlus', s.tauPlus, false),
    tauMinus: requireTau('stdp.tauMinus', s.tauMinus, false),
    multiplicative: requireBoolean('stdp.multiplicative', optional(s.multiplicative, false)),
    traceMode,
  };
}

/** Validates a layer configuration and fills in the defaults. */
export function resolveConfig(raw: LayerConfig): ResolvedConfig {
  const c = requireObject('config', raw);
  rejectUnknown('config', c, [
    'nIn', 'nOut', 'dt', 'neuron', 'weights', 'stdp', 'inhibition', 'normalise', 'propagation', 'seed', 'backend', 'maxSteps',
  ]);
  const nIn = requireInteger('nIn', c.nIn, 1, MAX_UNITS);
  const nOut = requireInteger('nOut', c.nOut, 1, MAX_UNITS);
  const dt = requirePositive('dt', c.dt);
  let inhibition: InhibitionConfig = { mode: 'none', strength: 0 };
  if (c.inhibition !== undefined) {
    const h = requireObject('inhibition', c.inhibition);
    rejectUnknown('inhibition', h, ['mode', 'strength']);
    inhibition = {
      mode: requireOneOf('inhibition.mode', h.mode, ['none', 'soft', 'hard'] as const),
      strength: requireFinite('inhibition.strength', optional(h.strength, 0), 0),
    };
  }
  let normalise: { columnSum: number } | null = null;
  if (c.normalise !== undefined && c.normalise !== null) {
    const nm = requireObject('normalise', c.normalise);
    rejectUnknown('normalise', nm, ['columnSum']);
    normalise = { columnSum: requirePositive('normalise.columnSum', nm.columnSum) };
  }
  const backend = c.backend === undefined ? undefined : requireOneOf('backend', c.backend, BACKENDS);
  const resolved: ResolvedConfig = {
    nIn,
    nOut,
    dt,
    neuron: resolveNeuron(c.neuron),
    weights: resolveWeights(c.weights),
    stdp: resolveStdp(c.stdp),
    inhibition,
    normalise,
    propagation: requireOneOf('propagation', optional(c.propagation, 'event'), ['event', 'dense'] as const),
    seed: requireInteger('seed', c.seed, 0, 2 ** 32 - 1),
    maxSteps: requireInteger('maxSteps', optional(c.maxSteps, 1000), 1, MAX_UNITS),
  };
  if (backend !== undefined) resolved.backend = backend;
  return resolved;
}

/** f32 parameters and tables derived from a resolved configuration. */
export interface Derived {
  /** Format of the stored working weights: FORMAT_F32 also for a per-sample commit store. */
  format: number;
  /** Fixed-point store with per-sample commit: f32 working weights plus a level array. */
  commit: boolean;
  qMax: number;
  delta: number;
  invDelta: number;
  accLimit: number;
  rounding: number;
  rule: number;
  multiplicative: boolean;
  traceReset: boolean;
  inhibition: number;
  aMem: number;
  aSyn: number;
  instant: boolean;
  aTheta: number;
  thetaDecay: boolean;
  depRate: number;
  potRate: number;
  xTar: number;
  muMode: number;
  muScale: number;
  muTable: Float32Array;
  preDecay: Float32Array;
  postDecay: Float32Array;
}

export function deriveParameters(c: ResolvedConfig): Derived {
  const n = c.neuron;
  const fixed = c.weights.format === 'fixed';
  const commit = fixed && c.weights.commit === 'per-sample';
  const qMax = fixed ? 2 ** c.weights.bits - 1 : 0;
  const s = c.stdp;
  let depRate = 0;
  let potRate = 0;
  let xTar = 0;
  let mu = 0;
  let tauPre = 1;
  let tauPost = 1;
  if (s.rule === 'dc') {
    depRate = s.etaPre;
    potRate = s.etaPost;
    xTar = s.xTar;
    mu = s.mu;
    tauPre = s.tauPre;
    tauPost = s.tauPost;
  } else if (s.rule === 'pair') {
    depRate = s.aMinus;
    potRate = s.aPlus;
    tauPre = s.tauPlus;
    tauPost = s.tauMinus;
  }
  const aTheta = decayFactor(c.dt, n.tauTheta);
  return {
    format: fixed && !commit ? FORMAT_FIXED : FORMAT_F32,
    commit,
    qMax,
    delta: fixed ? f(c.weights.wMax / qMax) : 0,
    invDelta: fixed ? f(qMax / c.weights.wMax) : 0,
    accLimit: fixed ? Math.floor(65535 / qMax) : 0,
    rounding: { nearest: ROUND_NEAREST, stochastic: ROUND_STOCHASTIC, truncate: ROUND_TRUNCATE }[c.weights.rounding],
    rule: { none: RULE_NONE, dc: RULE_DC, pair: RULE_PAIR }[s.rule],
    multiplicative: s.rule === 'pair' && s.multiplicative === true,
    traceReset: s.rule !== 'none' && s.traceMode === 'reset',
    inhibition: { none: INHIBIT_NONE, soft: INHIBIT_SOFT, hard: INHIBIT_HARD }[c.inhibition.mode],
    aMem: decayFactor(c.dt, n.tauMembrane),
    aSyn: decayFactor(c.dt, n.tauSynaptic),
    instant: n.tauSynaptic === 0,
    aTheta,
    thetaDecay: aTheta !== 1,
    depRate: f(depRate),
    potRate: f(potRate),
    xTar: f(xTar),
    muMode: mu === 0 ? 0 : mu === 1 ? 1 : 2,
    muScale: f(Math.pow(c.weights.wMax, mu)),
    muTable: mu === 0 || mu === 1 ? new Float32Array(MU_TABLE_INTERVALS + 1) : muTable(mu),
    preDecay: decayTable(c.dt, tauPre),
    postDecay: decayTable(c.dt, tauPost),
  };
}
