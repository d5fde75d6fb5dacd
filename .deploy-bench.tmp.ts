import { initBackend, loadConvNet } from './src/convnet/index.js';
import { loadDataset } from './src/data/load.js';
import { convertConvNet } from './src/deploy/convert.js';
import { calibrate, balanceThresholds } from './src/deploy/calibrate.js';
import { SpikingNetwork } from './src/deploy/simulator.js';
await initBackend('wasm');
const { model } = await loadConvNet('/tmp/deploy-run1/convnet');
const cal = loadDataset('mnist', 'train', { limit: 300, subsetSeed: 1 });
const test = loadDataset('mnist', 'test', { limit: 200 });
const spec = balanceThresholds(convertConvNet(model), calibrate(convertConvNet(model), { pixels: cal.images, count: cal.shape.count, shape: [28, 28, 1] }, 99.9));
for (const backend of (process.argv[2] ?? 'wasm,wasm-scalar').split(',') as any[]) for (const input of ['current', 'poisson'] as const) for (const bits of [0]) {
  const net = new SpikingNetwork(spec, { backend, input, weightBits: bits, snapshotSteps: [128] });
  const n = backend === 'reference' ? 3 : 40;
  for (let i = 0; i < 3; i++) net.run(i, test.images.subarray(i * 784, (i + 1) * 784), 1 / 255);
  const times: number[] = [];
  let ev = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) { net.run(i, test.images.subarray(i * 784, (i + 1) * 784), 1 / 255); if (r === 0) for (let l = 0; l < net.layerCount; l++) ev += net.counters(l, 0)[1]!; }
    times.push((performance.now() - t0) / n);
  }
  times.sort((a, b) => a - b);
  console.log(backend, input, bits, 'ms/inference', times[2]!.toFixed(2), 'events/inf', (ev / n).toExponential(3), 'events/s', (ev / n / times[2]! * 1000).toExponential(3));
}
