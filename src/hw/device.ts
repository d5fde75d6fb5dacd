import { ValidationError } from '../errors.js';
import type { HardwareModel, Quantity } from './model.js';
import { loadModel, shippedModelNames } from './model-registry.js';

/**
 * Analog synaptic device parameters of a hardware model as plain numbers, in NeuroSim's conventions:
 * - conductance levels = number of programming pulses from gMin to gMax (LTP) and back (LTD);
 * - nonlinearity = NeuroSim's NL (0 = linear; LTD is given with a negative sign);
 * - cycleToCycleSigmaFraction = sigma of the per-write conductance noise as a fraction of
 *   (gMax - gMin); NeuroSim multiplies it by sqrt(|pulses|) of the write;
 * - deviceToDeviceSigmaNl = sigma of NL across devices.
 * `model` names the hardware model the numbers came from; `sources` gives each field's provenance.
 */
export interface DeviceParameters {
  model: string;
  conductanceLevelsLtp: number;
  conductanceLevelsLtd: number;
  nonlinearityLtp: number;
  nonlinearityLtd: number;
  cycleToCycleSigmaFraction: number;
  deviceToDeviceSigmaNl: number;
  gMinUs: number;
  gMaxUs: number;
  readVoltageV?: number;
  readPulseNs?: number;
  writeVoltageV?: number;
  writePulseNs?: number;
  sources: Record<string, Quantity>;
}

/** The device parameters of a model, or null when the model describes no analog device. */
export function deviceParameters(model: HardwareModel): DeviceParameters | null {
  const d = model.device;
  if (!d) return null;
  const sources: Record<string, Quantity> = {};
  for (const [k, q] of Object.entries(d)) if (q) sources[k] = q;
  return {
    model: model.name,
    conductanceLevelsLtp: d.conductanceLevelsLtp.value,
    conductanceLevelsLtd: d.conductanceLevelsLtd.value,
    nonlinearityLtp: d.nonlinearityLtp.value,
    nonlinearityLtd: d.nonlinearityLtd.value,
    cycleToCycleSigmaFraction: d.cycleToCycleSigmaFraction.value,
    deviceToDeviceSigmaNl: d.deviceToDeviceSigmaNl.value,
    gMinUs: d.gMinUs.value,
    gMaxUs: d.gMaxUs.value,
    readVoltageV: d.readVoltageV?.value,
    readPulseNs: d.readPulseNs?.value,
    writeVoltageV: d.writeVoltageV?.value,
    writePulseNs: d.writePulseNs?.value,
    sources,
  };
}

/** Shipped model names that define an analog device. */
export function modelsWithDevice(): string[] {
  return shippedModelNames().filter((n) => loadModel(n).model.device !== undefined);
}

/**
 * Device parameters of a shipped model (by name), a model file (by path) or a loaded model;
 * throws ValidationError naming the models that do define a device when this one does not.
 */
export function requireDeviceParameters(modelOrNameOrPath: string | HardwareModel, field = '--device-model'): DeviceParameters {
  const model = typeof modelOrNameOrPath === 'string' ? loadModel(modelOrNameOrPath).model : modelOrNameOrPath;
  const params = deviceParameters(model);
  if (!params) {
    const withDevice = modelsWithDevice();
    throw new ValidationError(field, model.name, `a hardware model with a "device" section (shipped: ${withDevice.map((n) => JSON.stringify(n)).join(', ') || 'none'})`);
  }
  return params;
}
