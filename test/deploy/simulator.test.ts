// The spiking network driver: hand-counted events per layer on a small network, the NeuroBench
// labels of its workload, accuracy approaching the ANN's as timesteps grow, and threads == one thread.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../src/errors.js';
import { annForward } from '../../src/deploy/ann.js';
import { balanceThresholds, calibrate } from '../../src/deploy/calibrate.js';
import { convertConvNet } from '../../src/deploy/convert.js';
import { agreement, mappedAccuracy } from '../../src/deploy/labels.js';
import type { NetworkSpec } from '../../src/deploy/network-spec.js';
import { spikingPass } from '../../src/deploy/pass-pool.js';
import { SpikingNetwork } from '../../src/deploy/simulator.js';
import { spikingPassSync } from '../../src/deploy/spiking-pass.js';
import { deployWorkload } from '../../src/deploy/workload.js';
import { neuroBenchMetrics } from '../../src/hw/neurobench.js';
import { rowActivationsOf } from '../../src/hw/workload.js';
import { imagesOf, trainTinyNet, type TinySetup } from './tiny-net.js';
import { convGeometry } from '../../src/deploy/convert.js';
import { Rng } from '../../src/data/random.js';

/**
 * Input 1x3x1 = [1, 0, 1]. conv 3x3 'same', 2 output channels, all weights 1 except kernel tap
 * (1,1) of channel 1, which is 0; then dense 6 -> 3, all ones except input row 3 = [0, 0, 1].
 * Only kernel row ky = 1 sees the 1-pixel-high input. Per step:
 *   x0 reaches (ox 0, tap kx 1: nnz 1) and (ox 1, kx 0: nnz 2); x2 reaches (ox 1, kx 2: 2) and (ox 2, kx 1: 1):
 *   4 row activations, 6 synaptic events. Inputs: c0 at ox 0, 1, 2 = 1, 2, 1; c1 = 0, 2, 0 (threshold 1):
 *   neurons 0 (ox0 c0), 2 (ox1 c0), 3 (ox1 c1), 4 (ox2 c0) spike every step (4 spikes).
 *   Dense: rows 0, 2, 3, 4 -> 3 + 3 + 1 + 3 = 10 events; inputs [3, 3, 4] -> 3 spikes every step.
 */
function handSpec(): NetworkSpec {
  const conv = new Float32Array(9 * 2).fill(1);
  conv[(1 * 3 + 1) * 2 + 1] = 0;
  const dense = new Float32Array(6 * 3).fill(1);
  dense.set([0, 0, 1], 3 * 3);
  return {
    input: { h: 1, w: 3, c: 1 },
    layers: [
      { kind: 'conv', name: 'conv', input: { h: 1, w: 3, c: 1 }, output: { h: 1, w: 3, c: 2 }, vThresh: 1, kernelSize: 3, stride: 1, padTop: 1, padLeft: 1, weights: conv, bias: new Float32Array(6) },
      { kind: 'dense', name: 'out', input: { h: 1, w: 1, c: 6 }, output: { h: 1, w: 1, c: 3 }, vThresh: 1, weights: dense, bias: new Float32Array(3) },
    ],
    scales: [1, 1],
    notes: [],
  };
}

for (const input of ['poisson', 'current'] as const) {
  test(`hand-counted events per layer (${input} input)`, () => {
    const spec = handSpec();
    const net = new SpikingNetwork(spec, { backend: 'wasm', input, snapshotSteps: [2, 5] });
    net.run(0, [1, 0, 1]);
    const [c0, c1] = [net.counters(0, 1), net.counters(1, 1)];
    // SNAPSHOT_COUNTERS: inputSpikes, synapticEvents, denseSynapticOps, neuronUpdates, outputSpikes, stepsRun, rowActivations.
    // conv dense taps per step: ky = 1 only; ox 0 and 2 see 2 columns, ox 1 sees 3: 7 taps x 2 channels.
    assert.equal(Array.from(c0), [10, 30, 70, 30, 20, 5, 20]);
    assert.equal(Array.from(c1), [20, 50, 90, 15, 15, 5, 20]);
    assert.equal(Array.from(net.counters(1, 0)), [8, 20, 36, 6, 6, 2, 8]);
    assert.equal(Array.from(net.spikes(0).neurons.slice(0, 4)), [0, 2, 3, 4]);
    assert.equal(Array.from(net.outputCounts(0)), [2, 2, 2]);
    // The workload labels the analog first layer's operations as MACs (NeuroBench), spikes as ACs.
    const w = deployWorkload('hand', spec, [{ zeroWeightFraction: 1 / 18, stateBytes: 48 }, { zeroWeightFraction: 2 / 18, stateBytes: 24 }],
      0, input === 'current', (() => {
        const all = new Float64Array(2 * 2 * 7);
        for (let l = 0; l < 2; l++) for (let s = 0; s < 2; s++) all.set(net.counters(l, s), (l * 2 + s) * 7);
        return all;
      })(), 2, 1, 1, 1);
    assert.equal(w.layers.map((l) => [l.kind, l.nIn, l.nOut, l.outputPositions]), [['conv', 9, 2, 3], ['crossbar', 6, 3, 1]]);
    assert.is(rowActivationsOf(w.layers[0]!), 20);
    const nb = neuroBenchMetrics(w, (i) => rowActivationsOf(w.layers[i]!));
    assert.equal(nb.synaptic_operations, input === 'current'
      ? { Effective_MACs: 30, Effective_ACs: 50, Dense: 160 }
      : { Effective_MACs: 0, Effective_ACs: 80, Dense: 160 });
    assert.is(nb.activation_sparsity, 1 - 35 / 45);
  });
}

test('bad simulator options fail with the parameter named', () => {
  const spec = handSpec();
  assert.throws(() => new SpikingNetwork(spec, { snapshotSteps: [4, 2] }), (e: unknown) => e instanceof ValidationError && /timesteps/.test(e.message));
  assert.throws(() => new SpikingNetwork(spec, { snapshotSteps: [4], weightBits: 1 }), (e: unknown) => e instanceof ValidationError && /weightBits/.test(e.message));
  assert.throws(() => new SpikingNetwork(spec, { snapshotSteps: [4], input: 'rate' as never }), (e: unknown) => e instanceof ValidationError && /input/.test(e.message));
});

let tiny: TinySetup;
let spec: NetworkSpec;

test.before(async () => {
  tiny = await trainTinyNet(6);
  const converted = convertConvNet(tiny.model);
  spec = balanceThresholds(converted, calibrate(converted, imagesOf(tiny.train), 99.9));
});

test.after(() => tiny.model.dispose());

test('converted tiny network: spiking accuracy approaches the ANN accuracy as timesteps grow', () => {
  const ann = annForward(spec, imagesOf(tiny.test));
  const identity = Int32Array.from([0, 1, 2, 3]);
  const annAccuracy = mappedAccuracy(ann.classes, tiny.test.labels, identity);
  assert.ok(annAccuracy > 0.9, `the tiny ANN learned the task (accuracy ${annAccuracy})`);
  const steps = [2, 8, 32, 128];
  const n = tiny.test.shape.count;
  for (const input of ['current', 'poisson'] as const) {
    for (const weightBits of [0, 8]) {
      const pass = spikingPassSync(spec, { pixels: tiny.test.images, count: n, size: 144 }, { backend: 'wasm', input, weightBits, snapshotSteps: steps });
      const agree = steps.map((_, s) => agreement(pass.membrane.subarray(s * n, (s + 1) * n), ann.classes));
      const acc = steps.map((_, s) => mappedAccuracy(pass.membrane.subarray(s * n, (s + 1) * n), tiny.test.labels, identity));
      const what = `${input}, ${weightBits === 0 ? 'f32' : '8-bit'}: agreement ${agree.map((a) => a.toFixed(3))}, accuracy ${acc.map((a) => a.toFixed(3))}`;
      // Six layers deep, two steps are not enough for spikes to reach the output; 128 steps are.
      assert.ok(agree[0]! < 0.6, what);
      assert.ok(agree[3]! >= 0.97, what);
      assert.ok(acc[3]! >= annAccuracy - 0.03, what);
      for (let s = 1; s < steps.length; s++) assert.ok(agree[s]! >= agree[s - 1]! - 0.02, what);
    }
  }
});

test('whole network: wasm (SIMD, scalar) == reference bit for bit (spikes of every layer, membranes, counters)', () => {
  for (const input of ['current', 'poisson'] as const) {
    for (const weightBits of [0, 4]) {
      const nets = (['reference', 'wasm', 'wasm-scalar'] as const).map((backend) =>
        new SpikingNetwork(spec, { backend, input, weightBits, snapshotSteps: [5, 20], seed: 9 }));
      for (const sample of [0, 1, 2]) {
        const pixels = tiny.test.images.subarray(sample * 144, (sample + 1) * 144);
        for (const net of nets) net.run(sample, pixels, 1 / 255);
        const [ref, ...others] = nets;
        for (const net of others) {
          const what = `${net.backend} ${input} ${weightBits}-bit sample ${sample}`;
          for (let l = 0; l < ref!.layerCount; l++) {
            assert.equal(net.spikes(l), ref!.spikes(l), `${what}: layer ${l} spikes`);
            for (const s of [0, 1]) assert.equal(net.counters(l, s), ref!.counters(l, s), `${what}: layer ${l} counters`);
          }
          for (const s of [0, 1]) {
            assert.equal(new Uint32Array(net.outputMembranes(s).buffer), new Uint32Array(ref!.outputMembranes(s).buffer), `${what}: membranes`);
          }
        }
        assert.ok(ref!.spikes(ref!.layerCount - 1).neurons.length > 0, 'the output layer spikes');
      }
    }
  }
});

test('the worker pool gives exactly the single-thread results', async () => {
  const n = 48;
  const images = { pixels: tiny.test.images, count: n, size: 144 };
  const options = { backend: 'wasm' as const, input: 'poisson' as const, snapshotSteps: [8, 24] };
  const one = spikingPassSync(spec, images, options);
  const two = await spikingPass(spec, images, options, { threads: 2 });
  assert.equal(two.membrane, one.membrane);
  assert.equal(two.spikes, one.spikes);
  assert.equal(two.counters, one.counters);
});

/**
 * A random small network: conv 3x3 'same' -> avgpool 2 -> conv 3x3 stride 2 -> dense -> dense head,
 * random channel counts (1..9, so the SIMD builds meet every tail), weights with a few outliers
 * 10-100x the rest (as batch-norm folding gives), small biases.
 */
function randomSpec(rng: Rng): NetworkSpec {
  const h = 6 + rng.nextInt(4);
  const w = 6 + rng.nextInt(4);
  const cIn = 1 + rng.nextInt(2);
  const weights = (n: number): Float32Array => Float32Array.from({ length: n }, () => {
    const x = (rng.nextFloat() - 0.45) * 0.6;
    return rng.nextFloat() < 0.03 ? x * (10 + rng.nextFloat() * 90) : x;
  });
  const bias = (n: number): Float32Array => Float32Array.from({ length: n }, () => (rng.nextFloat() - 0.4) * 0.1);
  const c1 = 1 + rng.nextInt(9);
  const g1y = convGeometry(h, 3, 1, 'same');
  const g1x = convGeometry(w, 3, 1, 'same');
  const ph = Math.floor(g1y.out / 2);
  const pw = Math.floor(g1x.out / 2);
  const c2 = 1 + rng.nextInt(9);
  const g2y = convGeometry(ph, 3, 2, 'same');
  const g2x = convGeometry(pw, 3, 2, 'same');
  const nFlat = g2y.out * g2x.out * c2;
  const nHidden = 1 + rng.nextInt(12);
  const nOut = 2 + rng.nextInt(5);
  return {
    input: { h, w, c: cIn },
    layers: [
      { kind: 'conv', name: 'c1', input: { h, w, c: cIn }, output: { h: g1y.out, w: g1x.out, c: c1 }, vThresh: 1, kernelSize: 3, stride: 1,
        padTop: g1y.padBefore, padLeft: g1x.padBefore, weights: weights(9 * cIn * c1), bias: bias(g1y.out * g1x.out * c1) },
      { kind: 'avgpool', name: 'p1', input: { h: g1y.out, w: g1x.out, c: c1 }, output: { h: ph, w: pw, c: c1 }, vThresh: 1, size: 2, stride: 2, weight: 0.3 },
      { kind: 'conv', name: 'c2', input: { h: ph, w: pw, c: c1 }, output: { h: g2y.out, w: g2x.out, c: c2 }, vThresh: 1, kernelSize: 3, stride: 2,
        padTop: g2y.padBefore, padLeft: g2x.padBefore, weights: weights(9 * c1 * c2), bias: bias(g2y.out * g2x.out * c2) },
      { kind: 'dense', name: 'fc', input: { h: 1, w: 1, c: nFlat }, output: { h: 1, w: 1, c: nHidden }, vThresh: 1, weights: weights(nFlat * nHidden), bias: bias(nHidden) },
      { kind: 'dense', name: 'head', input: { h: 1, w: 1, c: nHidden }, output: { h: 1, w: 1, c: nOut }, vThresh: 1, weights: weights(nHidden * nOut), bias: bias(nOut) },
    ],
    scales: [1, 1, 1, 1, 1],
    notes: [],
  };
}

function assertSameRuns(nets: SpikingNetwork[], what: string): void {
  const [ref, ...others] = nets;
  for (const net of others) {
    for (let l = 0; l < ref!.layerCount; l++) {
      assert.equal(net.spikes(l), ref!.spikes(l), `${what} ${net.backend}: layer ${l} spikes`);
      for (let s = 0; s < ref!.snapshotSteps.length; s++) assert.equal(net.counters(l, s), ref!.counters(l, s), `${what} ${net.backend}: layer ${l} counters`);
    }
    for (let s = 0; s < ref!.snapshotSteps.length; s++) {
      assert.equal(new Uint32Array(net.outputMembranes(s).buffer), new Uint32Array(ref!.outputMembranes(s).buffer), `${what} ${net.backend}: membranes`);
    }
  }
}

test('per-channel weight scales on random small networks: wasm (SIMD, scalar) == reference bit for bit', () => {
  const rng = new Rng(31);
  let outputSpikes = 0;
  for (let trial = 0; trial < 12; trial++) {
    const rspec = randomSpec(rng);
    const bits = 3 + rng.nextInt(4);
    const weightClip = [100, 99.9, 95][trial % 3]!;
    const input = trial % 2 === 0 ? 'current' as const : 'poisson' as const;
    const nets = (['reference', 'wasm', 'wasm-scalar'] as const).map((backend) =>
      new SpikingNetwork(rspec, { backend, input, weightBits: bits, weightScale: 'channel', weightClip, snapshotSteps: [4, 11, 24], seed: 5 }));
    const nPix = rspec.input.h * rspec.input.w * rspec.input.c;
    for (const sample of [0, 1]) {
      const pixels = Float32Array.from({ length: nPix }, () => (rng.nextFloat() < 0.3 ? 0 : rng.nextFloat()));
      for (const net of nets) net.run(sample, pixels);
      assertSameRuns(nets, `trial ${trial} (${bits}-bit, clip ${weightClip}, ${input}) sample ${sample}`);
      outputSpikes += nets[0]!.spikes(4).neurons.length;
    }
    // One scale per output channel in every conv and dense layer; none for pooling.
    assert.equal([0, 1, 2, 3, 4].map((i) => nets[0]!.quantization(i)?.scales ?? null),
      [rspec.layers[0]!.output.c, null, rspec.layers[2]!.output.c, rspec.layers[3]!.output.c, rspec.layers[4]!.output.c]);
    if (weightClip === 100) assert.ok(nets[0]!.quantization(0)!.clippedFraction === 0);
  }
  assert.ok(outputSpikes > 0, 'the random networks reach the output');
});

test('weightScale layer (explicit) == the default; channel scales equal to the layer scale give the same spikes', () => {
  const rng = new Rng(32);
  const rspec = randomSpec(rng);
  // Give every output channel of every weighted layer the same max|w| (M at one weight per channel):
  // per-channel deltas then equal the layer delta and the levels are the same.
  for (const layer of rspec.layers) {
    if (layer.kind === 'avgpool') continue;
    const c = layer.output.c;
    let max = 0;
    for (const x of layer.weights) max = Math.max(max, Math.abs(x));
    for (let ch = 0; ch < c; ch++) layer.weights[ch] = ch % 2 === 0 ? max : -max;
  }
  const nPix = rspec.input.h * rspec.input.w * rspec.input.c;
  const pixels = Float32Array.from({ length: nPix }, () => rng.nextFloat());
  for (const backend of ['reference', 'wasm', 'wasm-scalar'] as const) {
    const nets = [
      new SpikingNetwork(rspec, { backend, weightBits: 5, snapshotSteps: [8, 30] }),
      new SpikingNetwork(rspec, { backend, weightBits: 5, weightScale: 'layer', weightClip: 100, snapshotSteps: [8, 30] }),
      new SpikingNetwork(rspec, { backend, weightBits: 5, weightScale: 'channel', snapshotSteps: [8, 30] }),
    ];
    for (const net of nets) net.run(0, pixels);
    assertSameRuns(nets, `${backend} layer/channel`);
    assert.is(nets[1]!.quantization(0)!.scales, 1);
    assert.is(nets[2]!.quantization(0)!.scales, rspec.layers[0]!.output.c);
  }
});

test('converted tiny network with per-channel scales: bit-identical backends; no layer rounds more weights to 0 than with one scale', () => {
  for (const input of ['current', 'poisson'] as const) {
    const nets = (['reference', 'wasm', 'wasm-scalar'] as const).map((backend) =>
      new SpikingNetwork(spec, { backend, input, weightBits: 4, weightScale: 'channel', weightClip: 99.9, snapshotSteps: [5, 20], seed: 9 }));
    for (const sample of [0, 1]) {
      for (const net of nets) net.run(sample, tiny.test.images.subarray(sample * 144, (sample + 1) * 144), 1 / 255);
      assertSameRuns(nets, `tiny ${input} sample ${sample}`);
    }
  }
  // A channel's range is at most the layer's max|w|: its delta is no larger, so no more weights round to 0.
  for (const bits of [4, 6]) {
    const layer = new SpikingNetwork(spec, { weightBits: bits, snapshotSteps: [1] });
    const channel = new SpikingNetwork(spec, { weightBits: bits, weightScale: 'channel', snapshotSteps: [1] });
    spec.layers.forEach((l, i) => {
      if (l.kind === 'avgpool') return;
      assert.ok(channel.quantization(i)!.roundedToZeroFraction <= layer.quantization(i)!.roundedToZeroFraction, `${bits}-bit ${l.name}`);
      assert.ok(channel.zeroWeightFraction(i) <= layer.zeroWeightFraction(i), `${bits}-bit ${l.name} zeros`);
    });
  }
});

test('bad weight scale options fail with the parameter named', () => {
  const hs = handSpec();
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ weightBits: 4, weightScale: 'per-row' }, /weightScale: got "per-row"/],
    [{ weightBits: 4, weightClip: 0 }, /weightClip: got 0/],
    [{ weightBits: 4, weightClip: 101 }, /weightClip: got 101/],
    [{ weightBits: 0, weightScale: 'channel' }, /weightScale: got "channel"/],
    [{ weightBits: 0, weightClip: 99 }, /weightClip: got 99/],
  ];
  for (const [extra, pattern] of bad) {
    assert.throws(() => new SpikingNetwork(hs, { snapshotSteps: [4], ...extra }), (e: unknown) => e instanceof ValidationError && pattern.test(e.message), String(pattern));
  }
});

test.run();
