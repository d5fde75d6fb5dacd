// Conversion of a trained ConvNet: batch-norm folds are exact, threshold balancing keeps the
// decision, max pooling is replaced (and says so), unconvertible stacks are rejected.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { predict } from '../../src/convnet/index.js';
import { buildConvNet } from '../../src/convnet/model.js';
import { ValidationError } from '../../src/errors.js';
import { annForward, PositiveValues } from '../../src/deploy/ann.js';
import { balanceThresholds, calibrate } from '../../src/deploy/calibrate.js';
import { convertConvNet } from '../../src/deploy/convert.js';
import { denseOpsPerStep } from '../../src/deploy/network-spec.js';
import { imagesOf, tinyArch, trainTinyNet, type TinySetup } from './tiny-net.js';

let tiny: TinySetup;

test.before(async () => {
  tiny = await trainTinyNet(4);
});

test.after(() => {
  tiny.model.dispose();
});

function maxRelativeDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let s = 1e-6;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}

test('converted network (both batch-norm folds, per-position bias) computes the ConvNet exactly', () => {
  const spec = convertConvNet(tiny.model);
  assert.equal(spec.layers.map((l) => l.kind), ['conv', 'avgpool', 'conv', 'avgpool', 'dense', 'dense']);
  assert.ok(spec.notes.some((n) => n.startsWith('c2: folded the preceding batch norm')), spec.notes.join('; '));
  assert.ok(spec.notes.some((n) => n.startsWith('bn2: folded into c2')), spec.notes.join('; '));
  const ann = predict(tiny.model, imagesOf(tiny.test));
  const conv = annForward(spec, imagesOf(tiny.test));
  assert.ok(maxRelativeDiff(conv.logits, ann.logits) < 1e-5, `logits differ by ${maxRelativeDiff(conv.logits, ann.logits)}`);
  assert.equal(conv.classes, ann.classes);
  // The folded shift of bn1 makes c2's bias differ between border and interior positions.
  const c2 = spec.layers[2]!;
  if (c2.kind !== 'conv') throw new Error('layer 2 is not a conv');
  const C = c2.output.c;
  const corner = c2.bias[0]!;
  const interior = c2.bias[(1 * c2.output.w + 1) * C]!;
  assert.not.equal(corner, interior);
});

test('threshold balancing keeps every decision and maps the calibration percentile to threshold 1', () => {
  const spec = convertConvNet(tiny.model);
  const cal = calibrate(spec, imagesOf(tiny.train), 99.9);
  const balanced = balanceThresholds(spec, cal);
  const before = annForward(spec, imagesOf(tiny.test));
  const after = annForward(balanced, imagesOf(tiny.test));
  assert.equal(after.classes, before.classes);
  const last = cal.layers[cal.layers.length - 1]!.scale;
  for (let i = 0; i < before.logits.length; i++) {
    assert.ok(Math.abs(after.logits[i]! - before.logits[i]! / last) <= 1e-4 * Math.max(1, Math.abs(before.logits[i]! / last)));
  }
  // After balancing, the calibration set's own percentile is 1 in every layer.
  const again = calibrate(balanced, imagesOf(tiny.train), 99.9);
  for (const l of again.layers) assert.ok(Math.abs(l.scale - 1) < 1e-3, `${l.name}: ${l.scale}`);
  assert.ok(cal.layers.every((l) => l.max >= l.scale && l.positives > 0));
});

test('max pooling is replaced by average pooling, and the notes say so', async () => {
  const model = buildConvNet(tinyArch('maxpool'), 'tiny-test', 'max', [12, 12, 1], 4, 5);
  try {
    const spec = convertConvNet(model);
    assert.equal(spec.layers.filter((l) => l.kind === 'avgpool').length, 2);
    assert.is(spec.notes.filter((n) => n.includes('max pooling 2x2 replaced by average pooling')).length, 2);
  } finally {
    model.dispose();
  }
});

test('two linear maps without a ReLU between them are rejected', () => {
  const arch = tinyArch();
  arch.trunk = [
    { type: 'conv', name: 'c1', filters: 4, kernelSize: 3, stride: 1, padding: 'same', bias: true, relu: false },
    { type: 'conv', name: 'c2', filters: 4, kernelSize: 3, stride: 1, padding: 'same', bias: true, relu: true },
    { type: 'flatten' },
    { type: 'dense', name: 'fc', units: 4, relu: false },
  ];
  const model = buildConvNet(arch, 'bad', undefined, [6, 6, 1], 2, 1);
  try {
    assert.throws(() => convertConvNet(model), (e: unknown) => e instanceof ValidationError && /two linear maps/.test(e.message));
  } finally {
    model.dispose();
  }
});

test('percentile: linear interpolation between order statistics of the positive values', () => {
  const p = new PositiveValues(1);
  p.add(0, Float32Array.from([0, -1, 4, 1, 0]));
  p.add(0, Float32Array.from([3, 2]));
  // Positive values 1, 2, 3, 4: the 50th percentile is 2.5, the 100th 4, the 0th 1.
  assert.is(p.count(0), 4);
  assert.is(p.percentile(0, 50), 2.5);
  assert.is(p.percentile(0, 100), 4);
  assert.is(p.percentile(0, 0), 1);
  assert.is(new PositiveValues(1).percentile(0, 99), 0);
});

test('dense synaptic operations per step exclude padding taps', () => {
  const spec = convertConvNet(tiny.model);
  const c1 = spec.layers[0]!;
  // 12x12, 3x3 'same': rows with 3 valid taps 10, with 2 taps 2 -> 34 per axis; 34 * 34 * cIn 1 * cOut 6.
  assert.is(denseOpsPerStep(c1), 34 * 34 * 6);
  assert.is(denseOpsPerStep(spec.layers[1]!), 6 * 6 * 6 * 4);
  assert.is(denseOpsPerStep(spec.layers[5]!), 12 * 4);
});

test.run();
