/**
 * Device parameters of the sweep (from a hardware model's "device" section, with command-line
 * overrides) and the device each point's weight writer uses.
 */
import { requireDeviceParameters } from '../hw/device.js';
import { requireFinite } from '../errors.js';
import type { DeviceSpec } from './device-model.js';
import { MAX_NL } from './device-model.js';
import type { DeviceName } from './sweep.js';

/** Spread of NL across devices used by the d2d and real devices when the model states none. */
export const DEFAULT_D2D_SIGMA_NL = 1;

export interface DeviceParametersUsed {
  /** Hardware model the parameters came from. */
  model: string;
  nonlinearityLtp: number;
  nonlinearityLtd: number;
  cycleToCycleSigma: number;
  deviceToDeviceSigmaNl: number;
  /** The model's own pulse count (levels); the sweep sets pulses = 2^bits - 1 per point instead. */
  modelLevelsLtp: number;
  modelLevelsLtd: number;
  /** Where every number came from ("<model>: <provenance>" or "--option" or "default"). */
  sources: Record<string, string>;
}

export interface DeviceOverrides {
  nlLtp?: number;
  nlLtd?: number;
  c2cSigma?: number;
  d2dSigmaNl?: number;
}

/** Device parameters of `hwModel` (name or path) with overrides applied. */
export function resolveDeviceParameters(hwModel: string, overrides: DeviceOverrides = {}): DeviceParametersUsed {
  const d = requireDeviceParameters(hwModel, '--hw-model');
  const src = (key: string): string => {
    const q = d.sources[key];
    if (!q) return d.model;
    const via = typeof q.source === 'string' ? q.source : '';
    return `${d.model} (${q.status}${via ? `, ${via}` : ''})`;
  };
  const sources: Record<string, string> = {
    nonlinearityLtp: src('nonlinearityLtp'),
    nonlinearityLtd: src('nonlinearityLtd'),
    cycleToCycleSigma: src('cycleToCycleSigmaFraction'),
    deviceToDeviceSigmaNl: src('deviceToDeviceSigmaNl'),
  };
  let nlLtp = d.nonlinearityLtp;
  let nlLtd = d.nonlinearityLtd;
  let c2c = d.cycleToCycleSigmaFraction;
  let d2d = d.deviceToDeviceSigmaNl;
  if (overrides.nlLtp !== undefined) {
    nlLtp = requireFinite('--nl-ltp', overrides.nlLtp, -MAX_NL, MAX_NL);
    sources.nonlinearityLtp = '--nl-ltp';
  }
  if (overrides.nlLtd !== undefined) {
    nlLtd = requireFinite('--nl-ltd', overrides.nlLtd, -MAX_NL, MAX_NL);
    sources.nonlinearityLtd = '--nl-ltd';
  }
  if (overrides.c2cSigma !== undefined) {
    c2c = requireFinite('--c2c-sigma', overrides.c2cSigma, 0, 1);
    sources.cycleToCycleSigma = '--c2c-sigma';
  }
  if (overrides.d2dSigmaNl !== undefined) {
    d2d = requireFinite('--d2d-sigma-nl', overrides.d2dSigmaNl, 0, MAX_NL);
    sources.deviceToDeviceSigmaNl = '--d2d-sigma-nl';
  } else if (!(d2d > 0)) {
    d2d = DEFAULT_D2D_SIGMA_NL;
    sources.deviceToDeviceSigmaNl = `default ${DEFAULT_D2D_SIGMA_NL} (${d.model} states ${d.deviceToDeviceSigmaNl}); set --d2d-sigma-nl`;
  }
  requireFinite(`${d.model} device NL LTP`, nlLtp, -MAX_NL, MAX_NL);
  requireFinite(`${d.model} device NL LTD`, nlLtd, -MAX_NL, MAX_NL);
  requireFinite(`${d.model} device cycle-to-cycle sigma`, c2c, 0, 1);
  return {
    model: d.model,
    nonlinearityLtp: nlLtp,
    nonlinearityLtd: nlLtd,
    cycleToCycleSigma: c2c,
    deviceToDeviceSigmaNl: d2d,
    modelLevelsLtp: d.conductanceLevelsLtp,
    modelLevelsLtd: d.conductanceLevelsLtd,
    sources,
  };
}

/**
 * The analog device of a point, or null for the ideal device (the core's exact fixed-point levels)
 * and the float reference. Pulses from Gmin to Gmax = 2^bits - 1 (NeuroSim's levels = pulses).
 */
export function deviceSpecFor(device: DeviceName | 'float', bits: number, p: DeviceParametersUsed): DeviceSpec | null {
  if (device === 'float' || device === 'ideal') return null;
  const pulses = 2 ** bits - 1;
  const nonlinear = device === 'nonlinear' || device === 'd2d' || device === 'real';
  return {
    pulses,
    nonlinearityLtp: nonlinear ? p.nonlinearityLtp : 0,
    nonlinearityLtd: nonlinear ? p.nonlinearityLtd : 0,
    cycleToCycleSigma: device === 'c2c' || device === 'real' ? p.cycleToCycleSigma : 0,
    deviceToDeviceSigmaNl: device === 'd2d' || device === 'real' ? p.deviceToDeviceSigmaNl : 0,
  };
}
