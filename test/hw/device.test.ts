import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../src/errors.js';
import { deviceParameters, modelsWithDevice, requireDeviceParameters } from '../../src/hw/device.js';
import { loadModel } from '../../src/hw/model-registry.js';

test('the RRAM model exposes NeuroSim RealDevice parameters as plain numbers', () => {
  const d = requireDeviceParameters('rram-neurosim');
  assert.is(d.model, 'rram-neurosim');
  assert.is(d.conductanceLevelsLtp, 31);
  assert.is(d.conductanceLevelsLtd, 31);
  assert.is(d.nonlinearityLtp, 4.22);
  assert.is(d.nonlinearityLtd, -4.22);
  assert.is(d.cycleToCycleSigmaFraction, 0.005);
  assert.is(d.deviceToDeviceSigmaNl, 0);
  assert.is(d.gMinUs, 0.476);
  assert.is(d.gMaxUs, 10);
  assert.is(d.writePulseNs, 80);
  assert.is(d.sources.nonlinearityLtp!.source, 'neurosim-cell');
});

test('digital models have no device; asking for one names the models that do', () => {
  assert.is(deviceParameters(loadModel('loihi').model), null);
  assert.ok(modelsWithDevice().includes('rram-neurosim'));
  assert.throws(() => requireDeviceParameters('loihi'), (e: unknown) => e instanceof ValidationError && /"rram-neurosim"/.test((e as Error).message));
});

test.run();
