import { runFidelity } from './src/fidelity/run.js';
const t0 = performance.now();
const r = await runFidelity({ workload: 'dc-mnist', dataset: 'synthetic-bars:train=80,test=40,classes=6,seed=2', neurons: 12, train: 80, test: 40, probe: 20,
  bits: [2, 4], rounding: ['nearest', 'stochastic'], device: ['ideal', 'nonlinear', 'c2c', 'd2d'], seeds: [1], threads: 1, out: null, backend: (process.argv[2] as any) ?? 'reference' });
for (const s of r.summary) console.log(s.bits, s.rounding, s.device, s.accuracyMean.toFixed(3), s.accuracyDeltaMean, s.prototypeCosineMean?.toFixed(3), s.lostFractionMean?.toFixed(3), s.weightWritesMean, s.pulsesMean);
console.log(((performance.now() - t0) / 1000).toFixed(1), 's');
