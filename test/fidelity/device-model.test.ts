// The NeuroSim device model: NL -> A as NeuroSim tabulates it, the closed-form update G(P) = B (1 - e^(-P/A)) + Gmin,
// and the tabulated device writer (reference twin of assembly/device.ts) against that closed form.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  buildDeviceBlock, classNonlinearity, classOf, closedFormUpdate, curve, D2D_CLASSES, deviceGaussian, inverseCurve,
  nonlinearityToA, normalQuantile, readWriteStats, type DeviceSpec,
} from '../../src/fidelity/device-model.js';
import { viewsOf } from '../../src/core/reference/mem.js';
import { CallCounters } from '../../src/core/reference/counters.js';
import { beginDevice } from '../../src/core/reference/write-stats.js';
import { deviceWriteF32 } from '../../src/core/reference/device.js';
import { stepKey } from '../../src/core/reference/rng.js';
import { STREAM_ROUND_POST } from '../../assembly/context.js';

test('NL -> A reproduces NeuroSim getParamA (formula.cpp table, normalised by Pmax)', () => {
  // Entries of NeuroSim's table at NL = 0.01, 0.1, 0.5, 1.00 and 9.00.
  const table: [number, number][] = [[0.01, 126.268958], [0.1, 12.625807], [0.5, 2.519877], [1, 1.251653], [9, 0.02281]];
  for (const [nl, a] of table) {
    assert.ok(Math.abs(nonlinearityToA(nl) - a) < 2e-6 * a + 1e-6, `NL ${nl}: ${nonlinearityToA(nl)} vs ${a}`);
    assert.ok(Math.abs(nonlinearityToA(-nl) + a) < 2e-6 * a + 1e-6, 'negative NL gives negative A');
  }
  assert.is(nonlinearityToA(0), Infinity);
  assert.throws(() => nonlinearityToA(12), /non-linearity/);
});

test('the normalised curve runs from (0, 0) to (1, 1) and the inverse undoes it', () => {
  for (const nl of [4.22, -4.22, 1, -0.5, 0]) {
    const a = nonlinearityToA(nl);
    assert.ok(Math.abs(curve(a, 0)) < 1e-15 && Math.abs(curve(a, 1) - 1) < 1e-12);
    for (let p = 0; p <= 1; p += 0.125) assert.ok(Math.abs(inverseCurve(a, curve(a, p)) - p) < 1e-12);
    // Potentiation with NL > 0 takes big steps first (concave); depression with NL < 0 too (convex curve, moving down).
    if (nl > 0) assert.ok(curve(a, 0.1) > 0.1);
    if (nl < 0) assert.ok(curve(a, 0.9) < 0.9);
  }
});

test('closed form: n pulses from u follow G(P) = B (1 - exp(-P/A)) + Gmin in absolute units', () => {
  const gMin = 0.476;
  const gMax = 10;
  const pulses = 31;
  const A = nonlinearityToA(4.22) * pulses;
  const B = (gMax - gMin) / (1 - Math.exp(-pulses / A));
  const G = (P: number) => B * (1 - Math.exp(-P / A)) + gMin;
  // From 7 pulses, 5 more pulses: G(12), normalised.
  const u7 = (G(7) - gMin) / (gMax - gMin);
  const u12 = (G(12) - gMin) / (gMax - gMin);
  assert.ok(Math.abs(closedFormUpdate(u7, 5, pulses, nonlinearityToA(4.22), nonlinearityToA(-4.22)) - u12) < 1e-12);
  // Saturation at both ends.
  assert.is(closedFormUpdate(0.99, 40, pulses, nonlinearityToA(4.22), nonlinearityToA(-4.22)), 1);
  assert.is(closedFormUpdate(0.01, -40, pulses, nonlinearityToA(4.22), nonlinearityToA(-4.22)), 0);
});

/** A device block and one f32 weight cell in a fresh memory; returns a writer for that cell. */
function cellOn(spec: DeviceSpec, wMax: number, rounding: 'nearest' | 'stochastic' | 'truncate', nIn = 4, nOut = 4, seed = 3) {
  const block = buildDeviceBlock(spec, { nIn, nOut, wMax, seed, rounding, unit: wMax / spec.pulses });
  const base = 1024;
  const cells = base + block.length;
  const m = viewsOf(new ArrayBuffer(cells + 4096));
  m.u8.set(block, base);
  const c = new CallCounters();
  const nnz = cells + 1024;
  return {
    m,
    c,
    write(w: number, dw: number, index = 0, step = 0): number {
      beginDevice(m, base);
      m.f32[cells >>> 2] = w;
      deviceWriteF32(m, c, cells, Math.fround(dw), wMax, nnz, stepKey(seed, STREAM_ROUND_POST, step), index);
      return m.f32[cells >>> 2];
    },
    stats: () => readWriteStats(m.u8.slice(base, base + block.length)),
  };
}

test('device writer (reference twin) matches the closed form for LTP and LTD at every start point', () => {
  const wMax = 0.8;
  for (const [nlP, nlD, pulses] of [[4.22, -4.22, 31], [2.4, -4.88, 15], [1, -1, 255], [0, 0, 7]] as const) {
    const spec: DeviceSpec = { pulses, nonlinearityLtp: nlP, nonlinearityLtd: nlD, cycleToCycleSigma: 0, deviceToDeviceSigmaNl: 0 };
    const cell = cellOn(spec, wMax, 'nearest');
    const aP = nonlinearityToA(nlP);
    const aD = nonlinearityToA(nlD);
    let worst = 0;
    for (let k = 0; k <= 40; k++) {
      const u = k / 40;
      for (const n of [1, 2, 5, -1, -3, -8]) {
        const got = cell.write(Math.fround(u * wMax), (n * wMax) / pulses);
        const want = closedFormUpdate(Math.fround(u * wMax) / wMax, n, pulses, aP, aD) * wMax;
        worst = Math.max(worst, Math.abs(got - want));
      }
    }
    assert.ok(worst < 2e-5 * wMax, `NL ${nlP}/${nlD}, ${pulses} pulses: worst error ${worst}`);
  }
});

test('pulse counts: rounding of the requested change, lost updates and saturation are recorded', () => {
  const spec: DeviceSpec = { pulses: 15, nonlinearityLtp: 4.22, nonlinearityLtd: -4.22, cycleToCycleSigma: 0, deviceToDeviceSigmaNl: 0 };
  const wMax = 1;
  const step = wMax / 15;
  const cell = cellOn(spec, wMax, 'nearest');
  assert.is(cell.write(0.5, 0.4 * step), 0.5, 'rounds to 0 pulses: lost, unchanged');
  assert.is(cell.write(1, 3 * step), 1, 'at Gmax: saturated');
  const w = cell.write(0.2, 2.6 * step); // 3 pulses
  assert.ok(Math.abs(w - closedFormUpdate(Math.fround(0.2), 3, 15, nonlinearityToA(4.22), nonlinearityToA(-4.22))) < 2e-5);
  const s = cell.stats().stdp;
  assert.equal([s.attempts, s.lost, s.saturated, s.writes, s.pulses], [3, 1, 1, 1, 6]);
  assert.is(cell.c.lostUpdates, 1);
  assert.is(cell.c.weightWrites, 1);
});

test('cycle-to-cycle noise has mean 0 and sigma (Gmax - Gmin) sqrt(|pulses|)', () => {
  const sigma = 0.02;
  const spec: DeviceSpec = { pulses: 255, nonlinearityLtp: 0, nonlinearityLtd: 0, cycleToCycleSigma: sigma, deviceToDeviceSigmaNl: 0 };
  const n = 4000;
  const cell = cellOn(spec, 1, 'nearest', 100, 40);
  const pulses = 4;
  let sum = 0;
  let sum2 = 0;
  for (let k = 0; k < n; k++) {
    const d = cell.write(0.5, pulses / 255, k, 7) - (0.5 + pulses / 255);
    sum += d;
    sum2 += d * d;
  }
  const mean = sum / n;
  const sd = Math.sqrt(sum2 / n - mean * mean);
  const want = sigma * Math.sqrt(pulses);
  assert.ok(Math.abs(mean) < (3 * want) / Math.sqrt(n), `mean ${mean}`);
  assert.ok(Math.abs(sd - want) < 0.05 * want, `sd ${sd} vs ${want}`);
});

test('device-to-device classes: standard normal draws spread NL over mean +- 4 sigma', () => {
  assert.is(classOf(0), (D2D_CLASSES - 1) / 2);
  assert.is(classOf(-10), 0);
  assert.is(classOf(10), D2D_CLASSES - 1);
  assert.is(classNonlinearity(2, 0.5, (D2D_CLASSES - 1) / 2), 2);
  assert.ok(Math.abs(classNonlinearity(2, 0.5, D2D_CLASSES - 1) - 4) < 1e-12);
  let sum = 0;
  let sum2 = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const z = deviceGaussian(9, 0, i);
    sum += z;
    sum2 += z * z;
  }
  assert.ok(Math.abs(sum / n) < 3 / Math.sqrt(n));
  assert.ok(Math.abs(sum2 / n - 1) < 0.05);
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-12);
});

test.run();
