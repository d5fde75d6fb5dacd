// `--commit per-sample`: every ideal fixed-point point of the sweep commits each learning sample's change
// once. Gold: the sweep runs, differs from per-update only at the fixed-point points (the float reference
// is the same), repeats exactly, is part of the sweep identity (merge refuses mixing), and analog devices
// are refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runFidelity, type FidelityOptions } from '../../src/fidelity/run.js';
import { measuredPart, mergeResults } from '../../src/fidelity/merge.js';
import { ValidationError } from '../../src/errors.js';

const base: FidelityOptions = {
  workload: 'dc-mnist',
  dataset: 'synthetic-bars:train=40,test=20,classes=4,seed=6',
  neurons: 6,
  train: 40,
  label: 40,
  test: 20,
  probe: 10,
  bits: [3],
  rounding: ['stochastic', 'nearest'],
  device: ['ideal'],
  seeds: [1],
  threads: 1,
  images: 'none',
  postTraining: false,
  out: null,
};

test('a per-sample sweep runs, differs from per-update at the fixed-point points only, and is deterministic', async () => {
  const perUpdate = await runFidelity(base);
  const perSample = await runFidelity({ ...base, commit: 'per-sample' });
  const again = await runFidelity({ ...base, commit: 'per-sample' });
  assert.is(perUpdate.grid.commit, undefined);
  assert.is(perSample.grid.commit, 'per-sample');
  assert.equal(perSample.points.map((p) => p.id), perUpdate.points.map((p) => p.id));
  assert.equal(perSample.points.map(measuredPart), again.points.map(measuredPart));
  for (let k = 0; k < perSample.points.length; k++) {
    const a = perSample.points[k]!;
    const b = perUpdate.points[k]!;
    if (a.bits === 0) assert.is(measuredPart(a), measuredPart(b), 'float reference unchanged');
    else {
      assert.is.not(measuredPart(a), measuredPart(b), `${a.id} differs from per-update`);
      // One STDP record per committed cell; the normalisation section stays empty.
      assert.ok(a.stdpUpdates.attempts > 0 && a.stdpUpdates.writes > 0, a.id);
      assert.is(a.normalisationUpdates.attempts, 0, a.id);
    }
  }
  assert.throws(() => mergeResults([perUpdate, perSample], ['per-update.json', 'per-sample.json']), (e: unknown) => e instanceof ValidationError && /same workload/.test((e as ValidationError).allowed));
});

test('--commit per-sample with analog devices or an unknown commit is refused', async () => {
  for (const [patch, pattern] of [
    [{ commit: 'per-sample', device: ['ideal', 'nonlinear'] }, /applies to ideal fixed-point levels/],
    [{ commit: 'sometimes' }, /per-update, per-sample/],
  ] as const) {
    try {
      await runFidelity({ ...base, ...(patch as Partial<FidelityOptions>) });
      assert.unreachable('accepted');
    } catch (e) {
      assert.ok(e instanceof ValidationError && e.field === '--commit' && pattern.test(e.message), (e as Error).message);
    }
  }
});

test.run();
