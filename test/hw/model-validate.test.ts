import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hwModelsDir, validateModel } from '../../src/hw/model-validate.js';
import type { Violation } from '../../src/hw/violations.js';
import { toyAnalogModel, toyDigitalModel } from './fixture-model.js';

const shippedFiles = readdirSync(hwModelsDir()).filter((f) => f.endsWith('.json') && f !== 'schema.json');

const find = (vs: Violation[], path: string): Violation | undefined => vs.find((v) => v.path === path);

test('at least the six required models are shipped', () => {
  for (const name of ['loihi', 'truenorth', 'odin', 'spinnaker2', 'rram-neurosim', 'horowitz-45nm']) {
    assert.ok(shippedFiles.includes(`${name}.json`), `${name}.json shipped`);
  }
});

test('every shipped model passes the schema and the semantic rules; file name = name', () => {
  for (const file of shippedFiles) {
    const doc = JSON.parse(readFileSync(join(hwModelsDir(), file), 'utf8'));
    const violations = validateModel(doc);
    assert.equal(violations, [], `${file}: ${JSON.stringify(violations)}`);
    assert.is(`${doc.name}.json`, file);
  }
});

test('test fixture models are valid', () => {
  assert.equal(validateModel(toyDigitalModel()), []);
  assert.equal(validateModel(toyAnalogModel()), []);
});

test('a bad model lists every violation with JSON path, value and rule', () => {
  const m = toyDigitalModel() as unknown as Record<string, any>;
  m.energyPj.synapticEvent.value = -1; // negative cost
  delete m.displayName; // missing required
  m.energyPj.synapticEventNj = { value: 1, source: 'test', status: 'stated' }; // unknown field (unit in the name)
  m.latencyNs.spikeOut.status = 'measured'; // bad enum
  m.energyPj.spikeOut = { value: 5, source: 'test', status: 'derived' }; // derived without arithmetic
  m.energyPj.routingHop.source = 'nowhere'; // unknown reference
  m.energyPj.traceUpdate.value = 2.36e-11; // joules typed into a pJ field
  m.weightPrecision.minBits.value = 9; // min > max
  const vs = validateModel(m);
  const expectations: [string, unknown, RegExp][] = [
    ['/energyPj/synapticEvent/value', -1, />= 0/],
    ['/displayName', undefined, /required/],
    ['/energyPj/synapticEventNj', m.energyPj.synapticEventNj, /unknown property/],
    ['/latencyNs/spikeOut/status', 'measured', /one of "stated", "derived", "assumed"/],
    ['/energyPj/spikeOut/arithmetic', undefined, /required/],
    ['/energyPj/routingHop/source', 'nowhere', /key of \/references/],
    ['/energyPj/traceUpdate/value', 2.36e-11, /implausible for a value in pJ/],
    ['/weightPrecision/minBits/value', 9, /<= maxBits/],
  ];
  for (const [path, value, rule] of expectations) {
    const v = find(vs, path);
    assert.ok(v, `violation at ${path} in ${JSON.stringify(vs.map((x) => x.path))}`);
    assert.equal(v!.value, value);
    assert.match(v!.rule, rule);
  }
  assert.is(vs.length, expectations.length, JSON.stringify(vs, null, 1));
});

test('non-finite and negative costs are rejected anywhere a cost is given', () => {
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5]) {
    const m = toyDigitalModel();
    m.latencyNs.synapticEvent!.value = bad;
    m.staticPowerMw!.perCore!.value = bad;
    const paths = validateModel(m).map((v) => v.path);
    assert.ok(paths.includes('/latencyNs/synapticEvent/value'), `latency ${bad}`);
    assert.ok(paths.includes('/staticPowerMw/perCore/value'), `static ${bad}`);
  }
});

test('geometry counts must be positive integers; device gMin < gMax', () => {
  const m = toyDigitalModel();
  m.geometry!.rows.value = 2.5;
  m.geometry!.cols.value = 0;
  const paths = validateModel(m).map((v) => v.path);
  assert.ok(paths.includes('/geometry/rows/value'));
  assert.ok(paths.includes('/geometry/cols/value'));
  const a = toyAnalogModel();
  a.device = {
    conductanceLevelsLtp: { value: 31, source: 'test', status: 'assumed' },
    conductanceLevelsLtd: { value: 31, source: 'test', status: 'assumed' },
    nonlinearityLtp: { value: 1, source: 'test', status: 'assumed' },
    nonlinearityLtd: { value: -1, source: 'test', status: 'assumed' },
    cycleToCycleSigmaFraction: { value: 0, source: 'test', status: 'assumed' },
    deviceToDeviceSigmaNl: { value: 0, source: 'test', status: 'assumed' },
    gMinUs: { value: 10, source: 'test', status: 'assumed' },
    gMaxUs: { value: 1, source: 'test', status: 'assumed' },
  };
  assert.equal(validateModel(a).map((v) => v.path), ['/device/gMinUs/value']);
});

test('fixed-tick needs tickUs; per-pulse write energy needs pulses per write', () => {
  const m = toyDigitalModel();
  m.timestep = { mode: 'fixed-tick' };
  m.energyPj.weightWritePerPulse = { value: 1, source: 'test', status: 'assumed' };
  const paths = validateModel(m).map((v) => v.path);
  assert.ok(paths.includes('/timestep/tickUs'));
  assert.ok(paths.includes('/writePulsesPerWeightWrite'));
});

test('a non-object document is one violation at the root', () => {
  const vs = validateModel([1, 2]);
  assert.is(vs.length, 1);
  assert.is(vs[0]!.path, '/');
});

test.run();
