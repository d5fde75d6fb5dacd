import { readFileSync } from 'node:fs';
import { writeDeployCharts } from './src/deploy/report.js';
const r = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
console.log(await writeDeployCharts(r, process.argv[3]!));
