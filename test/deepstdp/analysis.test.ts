import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareMethods, gapAtEqualEpochs, isoAccuracy, meanCurve, stat, type CurvePoint } from '../../src/deepstdp/analysis.js';
import type { EpochRecord } from '../../src/deepstdp/records.js';

const curve = (values: number[], secondsPerEpoch: number): CurvePoint[] =>
  values.map((value, i) => ({ epoch: i + 1, value, seconds: secondsPerEpoch * (i + 1) }));

test('iso-accuracy: k-means best is the target; speed-up = k-means epochs / Deep-STDP epochs to reach it', () => {
  const km = curve([0.3, 0.4, 0.5, 0.6, 0.55, 0.6], 10); // best 0.6, first reached at epoch 4
  const st = curve([0.45, 0.62, 0.7, 0.7, 0.7, 0.7], 20); // first >= 0.6 at epoch 2
  const iso = isoAccuracy('pseudo-label accuracy (train)', km, st)!;
  assert.is(iso.target, 0.6);
  assert.is(iso.kmeansEpochs, 4);
  assert.is(iso.stdpEpochs, 2);
  assert.is(iso.epochSpeedup, 2);
  assert.is(iso.kmeansSeconds, 40);
  assert.is(iso.stdpSeconds, 40);
  assert.is(iso.wallTimeSpeedup, 1);
});

test('iso-accuracy: a target Deep-STDP never reaches gives no speed-up (null), not infinity', () => {
  const iso = isoAccuracy('pseudo-label accuracy (train)', curve([0.5, 0.8], 1), curve([0.6, 0.7], 1))!;
  assert.is(iso.stdpEpochs, null);
  assert.is(iso.epochSpeedup, null);
  assert.is(iso.wallTimeSpeedup, null);
  assert.is(isoAccuracy('pseudo-label accuracy (train)', [], curve([0.5], 1)), null);
});

test('gap at equal epochs: Deep-STDP minus k-means per epoch, mean and final', () => {
  const g = gapAtEqualEpochs('pseudo-label accuracy (train)', curve([0.5, 0.6, 0.7], 1), curve([0.6, 0.6], 1))!;
  assert.equal(g.perEpoch.map((p) => Math.round(p.gap * 100)), [10, 0]);
  assert.ok(Math.abs(g.mean - 0.05) < 1e-12);
  assert.ok(Math.abs(g.final - 0) < 1e-12);
});

test('mean curve over seeds and summary statistics', () => {
  const m = meanCurve([curve([0.2, 0.4, 0.9], 1), curve([0.4, 0.6], 3)]);
  assert.is(m.length, 2, 'only epochs every run reached');
  assert.ok(Math.abs(m[1]!.value - 0.5) < 1e-12);
  assert.is(m[1]!.seconds, 4);
  const s = stat([1, 2, 3]);
  assert.equal([s.mean, s.std, s.min, s.max, s.n], [2, 1, 1, 3, 3]);
});

test('compareMethods pairs runs by seed and compares the mean curves', () => {
  const rec = (method: 'stdp' | 'kmeans', seed: number, epoch: number, acc: number): EpochRecord =>
    ({ method, seed, epoch, clusterTrain: { accuracy: acc }, cumulativeSeconds: epoch } as unknown as EpochRecord);
  const runs = [
    { method: 'kmeans' as const, seed: 1, records: [rec('kmeans', 1, 1, 0.4), rec('kmeans', 1, 2, 0.5)] },
    { method: 'stdp' as const, seed: 1, records: [rec('stdp', 1, 1, 0.5), rec('stdp', 1, 2, 0.6)] },
    { method: 'kmeans' as const, seed: 2, records: [rec('kmeans', 2, 1, 0.6), rec('kmeans', 2, 2, 0.7)] },
    { method: 'stdp' as const, seed: 2, records: [rec('stdp', 2, 1, 0.5), rec('stdp', 2, 2, 0.5)] },
  ];
  const c = compareMethods(runs, 'pseudo-label accuracy (train)')!;
  assert.is(c.perSeed.length, 2);
  assert.is(c.perSeed[0]!.isoAccuracy!.epochSpeedup, 2, 'seed 1: k-means needs 2 epochs for 0.5, STDP 1');
  assert.is(c.perSeed[1]!.isoAccuracy!.stdpEpochs, null, 'seed 2: STDP never reaches 0.7');
  // Mean curves: k-means 0.5, 0.6; STDP 0.5, 0.55 -> STDP never reaches 0.6.
  assert.is(c.mean.isoAccuracy!.target, 0.6);
  assert.is(c.mean.isoAccuracy!.stdpEpochs, null);
  assert.is(compareMethods(runs.filter((r) => r.method === 'stdp'), 'pseudo-label accuracy (train)'), null);
});

test.run();
