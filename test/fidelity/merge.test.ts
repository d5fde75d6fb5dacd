// Slices of a sweep merged equal the sweep run at once (every point's measured values; only timing
// fields may differ), and merging refuses incomplete, foreign or disagreeing slices.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFidelity, type FidelityOptions } from '../../src/fidelity/run.js';
import { measuredPart, mergeFidelityFiles } from '../../src/fidelity/merge.js';
import { ValidationError } from '../../src/errors.js';
import type { FidelityResults } from '../../src/fidelity/results.js';

const root = mkdtempSync(join(tmpdir(), 'fid-merge-'));
const base: FidelityOptions = {
  workload: 'dc-mnist',
  dataset: 'synthetic-bars:train=60,test=30,classes=4,seed=3',
  neurons: 8,
  train: 60,
  test: 30,
  probe: 10,
  bits: [2],
  rounding: ['nearest', 'stochastic'],
  device: ['ideal', 'c2c'],
  seeds: [1, 2],
  threads: 1,
  images: 'none',
  out: null,
};

let single: FidelityResults;
const shardFiles: string[] = [];

async function rejects(fn: () => Promise<unknown>, check: (e: unknown) => boolean, what: string): Promise<void> {
  try {
    await fn();
  } catch (e) {
    assert.ok(check(e), `${what}: ${(e as Error).message}`);
    return;
  }
  assert.unreachable(`${what}: no error`);
}

test('a sweep run at once', async () => {
  single = await runFidelity(base);
  assert.is(single.points.length, 2 * (1 + 2 * 2));
  assert.ok(single.points.every((p) => (p.bits === 0) === (p.accuracyDelta === null)));
});

test('three slices merged equal the single run', async () => {
  for (let i = 0; i < 3; i++) {
    const r = await runFidelity({ ...base, shard: `${i}/3` });
    assert.equal(r.shard, { index: i, count: 3 });
    const file = join(root, `shard-${i}.json`);
    writeFileSync(file, JSON.stringify(r));
    shardFiles.push(file);
  }
  const merged = await mergeFidelityFiles(shardFiles, null);
  assert.equal(merged.points.map((p) => p.id), single.points.map((p) => p.id));
  for (let k = 0; k < merged.points.length; k++) {
    assert.is(measuredPart(merged.points[k]!), measuredPart(single.points[k]!), merged.points[k]!.id);
  }
  const strip = (rows: unknown) => JSON.stringify(rows);
  assert.is(strip(merged.summary), strip(single.summary));
  assert.is(merged.mergedFrom!.length, 3);
  assert.is(merged.shard, null);
});

test('merging refuses missing slices, foreign sweeps and disagreeing duplicates', async () => {
  await rejects(() => mergeFidelityFiles(shardFiles.slice(0, 2), null), (e) => e instanceof ValidationError && /missing points/.test(e.allowed), 'missing slice');
  // A slice of another sweep.
  const other = JSON.parse(readFileSync(shardFiles[2]!, 'utf8')) as FidelityResults;
  other.grid.seeds = [1, 7];
  const otherPath = join(root, 'other.json');
  writeFileSync(otherPath, JSON.stringify(other));
  await rejects(() => mergeFidelityFiles([shardFiles[0]!, shardFiles[1]!, otherPath], null), (e) => e instanceof ValidationError && /same workload/.test(e.allowed), 'foreign sweep');
  // A float reference that two slices disagree on.
  const tampered = JSON.parse(readFileSync(shardFiles[1]!, 'utf8')) as FidelityResults;
  const float = tampered.points.find((p) => p.bits === 0)!;
  float.accuracy += 0.01;
  const tamperedPath = join(root, 'tampered.json');
  writeFileSync(tamperedPath, JSON.stringify(tampered));
  const clash = shardFiles.map((f) => JSON.parse(readFileSync(f, 'utf8')) as FidelityResults);
  const sharesFloat = clash.some((c, i) => i !== 1 && c.points.some((p) => p.id === float.id));
  assert.ok(sharesFloat, 'slices 0..2 share a float reference');
  await rejects(() => mergeFidelityFiles([shardFiles[0]!, tamperedPath, shardFiles[2]!], null), (e) => e instanceof ValidationError && /same point/.test(e.allowed), 'disagreeing duplicate');
  await rejects(() => mergeFidelityFiles([join(root, 'nope.json')], null), (e) => e instanceof ValidationError, 'unreadable file');
});

test('an interrupted sweep resumed from its journal equals the uninterrupted run', async () => {
  const out = join(root, 'journalled');
  await runFidelity({ ...base, out, images: 'none' });
  const journal = join(out, 'points.jsonl');
  const lines = readFileSync(journal, 'utf8').trim().split('\n');
  assert.is(lines.length, 1 + single.points.length);
  // Keep the identity, the first four points and half a line, as an interruption would.
  writeFileSync(journal, `${lines.slice(0, 5).join('\n')}\n${lines[5]!.slice(0, 40)}`);
  let ran = 0;
  const resumed = await runFidelity({ ...base, out, images: 'none', resume: true }, { onPointDone: () => ran++ });
  assert.is(ran, single.points.length - 4);
  assert.equal(resumed.points.map(measuredPart), single.points.map(measuredPart));
  await rejects(() => runFidelity({ ...base, seeds: [1], out, resume: true }), (e) => e instanceof ValidationError && e.field === '--resume', 'another sweep');
});

test.run();
