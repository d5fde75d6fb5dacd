/**
 * Maps a Diehl & Cook preset of our core onto the `core` model of bench/peers/brian2_dc.py, and lists what the
 * Brian2 side cannot reproduce, so a side-by-side report can print both. The preset type is structural (only the
 * fields read here), so any object shaped like src/snn/presets/diehl-cook.ts's DiehlCookPreset fits.
 */

/** Timing the Brian2 script is built for (a TimedArray switches images every presentation + rest). */
export const BRIAN2_DT_MS = 0.5;
export const BRIAN2_PRESENTATION_MS = 350;
export const BRIAN2_REST_MS = 150;

/** JSON has no Infinity: "no leak" / "no decay" time constants are sent as this many ms. */
const NEVER_MS = 1e30;
/** "No floor" for the inhibition clamp, mV. */
const NO_FLOOR_MV = -1e9;

export interface CorePresetLike {
  dtMs: number;
  presentMs: number;
  restMs: number;
  maxRateHz: number;
  minSpikes?: number;
  maxRetries?: number;
  initWeightMax: number;
  resetBetweenSamples?: boolean;
  columnSum: number;
  neuron: {
    vRest: number;
    vReset: number;
    vThresh: number;
    vMin?: number;
    reset?: 'to-reset' | 'subtract';
    tauMembrane: number;
    tauSynaptic?: number;
    inputGain?: number;
    iBias?: number;
    refractorySteps?: number;
    thetaPlus?: number;
    tauTheta?: number;
    thetaInit?: number;
  };
  weights: { format: 'f32' | 'fixed'; bits?: number; wMax: number; rounding?: string };
  stdp:
    | { rule: 'none' }
    | { rule: 'dc'; etaPre: number; etaPost: number; xTar: number; mu: number; tauPre: number; tauPost: number; traceMode?: 'additive' | 'reset' }
    | { rule: 'pair'; [key: string]: unknown };
  inhibition?: { mode: 'none' | 'soft' | 'hard'; strength: number };
}

export interface Brian2Mapping {
  /** `--params` for brian2_dc.py's `core` model. */
  params: Record<string, number>;
  /** Whether the Brian2 run should have learning on (false when the preset has no STDP rule). */
  learning: boolean;
  /** Everything the Brian2 run simulates differently from the preset, one sentence each. */
  differences: string[];
}

function finiteOr(value: number | undefined, fallback: number): number {
  return value === undefined ? fallback : Number.isFinite(value) ? value : fallback;
}

/** The Brian2 parameters equivalent to `preset`, and the differences that remain. */
export function brian2ParamsFromPreset(preset: CorePresetLike): Brian2Mapping {
  const n = preset.neuron;
  const differences: string[] = [];
  const params: Record<string, number> = {
    tauMembraneMs: finiteOr(n.tauMembrane, NEVER_MS),
    tauSynMs: n.tauSynaptic ?? 0,
    inputGainMv: n.inputGain ?? 1,
    vRestMv: n.vRest,
    vResetMv: n.vReset,
    vThreshMv: n.vThresh,
    vInitMv: n.vRest,
    vMinMv: finiteOr(n.vMin, NO_FLOOR_MV),
    refractoryMs: (n.refractorySteps ?? 0) * preset.dtMs,
    thetaPlusMv: n.thetaPlus ?? 0,
    tauThetaMs: finiteOr(n.tauTheta, NEVER_MS),
    thetaInitMv: n.thetaInit ?? 0,
    iBias: n.iBias ?? 0,
    resetSubtract: n.reset === 'subtract' ? 1 : 0,
    wMax: preset.weights.wMax,
    wInitMax: preset.initWeightMax,
    columnSum: preset.columnSum,
    maxRateHz: preset.maxRateHz,
    resetBetweenSamples: preset.resetBetweenSamples === false ? 0 : 1,
  };
  const inh = preset.inhibition ?? { mode: 'none', strength: 0 };
  params.inhibitionMv = inh.mode === 'none' ? 0 : inh.strength;
  if (inh.mode === 'hard') {
    differences.push(
      'inhibition: the preset is hard winner-take-all (at most one spike per step); Brian2 runs soft inhibition of the same strength, so neurons crossing threshold in the same step all spike',
    );
  }
  const stdp = preset.stdp;
  let learning = true;
  if (stdp.rule === 'dc') {
    Object.assign(params, {
      etaPre: stdp.etaPre,
      etaPost: stdp.etaPost,
      xTar: stdp.xTar,
      mu: stdp.mu,
      tauPreMs: stdp.tauPre,
      tauPostMs: stdp.tauPost,
      traceAdditive: stdp.traceMode === 'additive' ? 1 : 0,
    });
  } else if (stdp.rule === 'none') {
    learning = false;
  } else {
    differences.push(`STDP: the preset uses the '${stdp.rule}' rule; Brian2 runs the Diehl & Cook rule with its default rates`);
  }
  if (preset.weights.format === 'fixed') {
    differences.push(`weights: the preset stores ${preset.weights.bits}-bit fixed-point weights; Brian2 uses float64`);
  }
  if ((preset.minSpikes ?? 0) > 0 && (preset.maxRetries ?? 0) > 0) {
    differences.push(
      `retry rule: the preset shows an image again (higher rate) when it drives fewer than ${preset.minSpikes} spikes; Brian2 presents every image once`,
    );
  }
  if (preset.dtMs !== BRIAN2_DT_MS || preset.presentMs !== BRIAN2_PRESENTATION_MS || preset.restMs !== BRIAN2_REST_MS) {
    differences.push(
      `timing: the preset uses dt ${preset.dtMs} ms, ${preset.presentMs} ms + ${preset.restMs} ms; Brian2 uses dt ${BRIAN2_DT_MS} ms, ${BRIAN2_PRESENTATION_MS} ms + ${BRIAN2_REST_MS} ms`,
    );
  }
  return { params, learning, differences };
}
