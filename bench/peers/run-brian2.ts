/**
 * Runs the Brian2 peer on its own: the first N MNIST training images, R repetitions, median/min/max images/s.
 *
 *   node dist/bench/peers/run-brian2.js --images 500 --neurons 400 --repeat 5 [--model core|dc2015]
 *        [--input-mode poisson|generator] [--learning on|off] [--seed 1] [--timeout-s 1800] [--out brian2.json]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadMnist } from '../../src/data/mnist.js';
import { takeFirst } from '../../src/data/dataset.js';
import { requireInteger, requireOneOf } from '../../src/errors.js';
import { writeJsonAtomic } from '../../src/report/atomic.js';
import { runInfo } from '../../src/report/run-info.js';
import { BRIAN2_INPUT_MODES, BRIAN2_MODELS, runBrian2DiehlCook, type Brian2Result } from './brian2.js';

/** Median of a non-empty list (mean of the two middle values for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      images: { type: 'string', default: '500' },
      neurons: { type: 'string', default: '400' },
      repeat: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      model: { type: 'string', default: 'core' },
      'input-mode': { type: 'string', default: 'poisson' },
      learning: { type: 'string', default: 'on' },
      'timeout-s': { type: 'string', default: '1800' },
      profile: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const count = requireInteger('--images', Number(values.images), 1, 60_000);
  const neurons = requireInteger('--neurons', Number(values.neurons), 1);
  const repeat = requireInteger('--repeat', Number(values.repeat), 1);
  const seed = requireInteger('--seed', Number(values.seed), 0);
  const model = requireOneOf('--model', values.model, BRIAN2_MODELS);
  const inputMode = requireOneOf('--input-mode', values['input-mode'], BRIAN2_INPUT_MODES);
  const learning = requireOneOf('--learning', values.learning, ['on', 'off'] as const) === 'on';
  const timeoutMs = requireInteger('--timeout-s', Number(values['timeout-s']), 1) * 1000;

  const ds = takeFirst(loadMnist('train'), count);
  const images = ds.images as Uint8Array;
  const runs: Brian2Result[] = [];
  // Other processes on the machine distort wall-clock figures; the load average is recorded with them.
  const loadBefore = loadavg();
  for (let r = 0; r < repeat; r++) {
    const res = await runBrian2DiehlCook({
      images, count, neurons, seed: seed + r, timeoutMs, model, inputMode, learning, profile: values.profile,
    });
    if (res.skipped) {
      process.stderr.write(`Brian2 peer skipped: ${res.reason}\n`);
      process.exitCode = res.cause === 'not-installed' ? 0 : 1;
      return;
    }
    process.stderr.write(
      `run ${r + 1}/${repeat}: ${res.imagesPerSecond.toFixed(2)} images/s wall, ${res.imagesPerCpuSecond.toFixed(2)} per CPU s ` +
        `(loop ${res.wallSeconds.toFixed(2)} s wall / ${res.cpuSeconds.toFixed(2)} s CPU, ` +
        `binary ${res.binarySeconds.toFixed(2)} s, build ${res.buildSeconds.toFixed(1)} s, ${res.spikesPerImage.toFixed(1)} spikes/image)\n`,
    );
    runs.push(res);
  }
  const ips = runs.map((r) => r.imagesPerSecond);
  const summary = {
    runInfo: runInfo('bench/peers/run-brian2', { count, neurons, repeat, model, inputMode, learning, timeoutMs }, seed),
    imagesPerSecond: { median: median(ips), min: Math.min(...ips), max: Math.max(...ips) },
    imagesPerCpuSecond: {
      median: median(runs.map((r) => r.imagesPerCpuSecond)),
      min: Math.min(...runs.map((r) => r.imagesPerCpuSecond)),
      max: Math.max(...runs.map((r) => r.imagesPerCpuSecond)),
    },
    buildSeconds: { median: median(runs.map((r) => r.buildSeconds)) },
    binarySeconds: { median: median(runs.map((r) => r.binarySeconds)) },
    spikesPerImage: { median: median(runs.map((r) => r.spikesPerImage)) },
    inputSpikesPerImage: { median: median(runs.map((r) => r.inputSpikesPerImage)) },
    brian2Version: runs[0]!.brian2Version,
    loadAverage1m: { before: loadBefore[0], after: loadavg()[0] },
    runs,
  };
  if (values.out) writeJsonAtomic(values.out, summary);
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

await main();
