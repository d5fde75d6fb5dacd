import { runFidelity } from './src/fidelity/run.js';
const t0 = performance.now();
const r = await runFidelity({ workload: 'dc-mnist', neurons: 100, train: 1000, label: 500, test: 500, probe: 200,
  bits: [4], rounding: ['stochastic', 'nearest'], device: ['ideal', 'nonlinear', 'c2c', 'd2d'], seeds: [1], threads: 1, out: null });
for (const p of r.points) console.log(p.id, 'acc', p.accuracy.toFixed(3), 'wall', p.wallSeconds.toFixed(2), 'train', p.train.seconds.toFixed(2), 'label', p.label?.seconds.toFixed(2), 'test', p.test.seconds.toFixed(2), 'lost', p.lostFraction?.toFixed(3), 'cos', p.prototypeCosine?.toFixed(3));
console.log(((performance.now() - t0) / 1000).toFixed(1), 's');
