import { hash, uniform24 } from './src/core/reference/rng.js';
const zs: number[] = [];
const n = 20000;
for (let seed = 0; seed < 200; seed++) {
  let c = 0;
  for (let k = 0; k < n; k++) if (uniform24(hash(seed, 6, 1, k)) < 0.3) c++;
  zs.push((c / n - 0.3) / Math.sqrt(0.21 / n));
}
const m = zs.reduce((a, b) => a + b, 0) / zs.length;
const sd = Math.sqrt(zs.reduce((a, b) => a + (b - m) ** 2, 0) / zs.length);
console.log('z mean', m.toFixed(3), 'z sd', sd.toFixed(3), 'max |z|', Math.max(...zs.map(Math.abs)).toFixed(2));
