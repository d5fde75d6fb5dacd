import { runFidelity } from './src/fidelity/run.js';
const t0 = performance.now();
const r = await runFidelity({ workload: 'dc-mnist', dataset: 'synthetic-bars:train=80,test=40,classes=6,seed=2', neurons: 12, train: 80, test: 40, probe: 20,
  bits: [2, 4], rounding: ['stochastic'], device: ['ideal', 'nonlinear', 'c2c', 'd2d'], seeds: [1], threads: 1, out: null, backend: 'wasm' });
for (const p of r.points) console.log(p.id, p.wallSeconds.toFixed(2), p.train.seconds.toFixed(2), p.test.seconds.toFixed(2));
console.log(((performance.now() - t0) / 1000).toFixed(1), 's');
