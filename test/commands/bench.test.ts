import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { peerTable } from '../../src/commands/bench.js';
import { summarise, type ScenarioResult } from '../../bench/harness.js';

const stat = (values: number[]) => summarise(values);

function result(extra: Record<string, number[]>, status: ScenarioResult['status'] = 'ok'): ScenarioResult {
  const summaryExtra: Record<string, ReturnType<typeof summarise>> = {};
  for (const [k, v] of Object.entries(extra)) summaryExtra[k] = stat(v);
  return {
    scenario: 'dc-brian2-400',
    variant: 'train',
    group: 'peer',
    kind: 'dc-brian2',
    params: {},
    status,
    warmup: 0,
    repetitions: [],
    summary: { eventsPerSecond: null, neuronUpdatesPerSecond: null, samplesPerSecond: null, nsPerEvent: null, seconds: stat([1]), extra: summaryExtra },
  } as unknown as ScenarioResult;
}

test('peerTable prints our and Brian2 images/s with the median ratio and its range', () => {
  const text = peerTable([
    result({
      oursImagesPerCpuSecond: [1800, 1900, 2000],
      brian2ImagesPerCpuSecond: [60, 68, 70],
      ratioCpu: [26, 27.9, 30],
      oursImagesPerSecond: [500, 580, 600],
      brian2ImagesPerSecond: [19, 20, 22],
      ratioWall: [23, 29, 31],
    }),
  ]);
  assert.match(text, /ratio \(CPU\)/);
  assert.match(text, /27\.9 \[26-30\]/);
  assert.match(text, /1[.,]?900 \[1[.,]?800-2[.,]?000\]|1\.9k|1900/);
});

test('peerTable is empty when no peer scenario ran', () => {
  assert.is(peerTable([result({ oursImagesPerCpuSecond: [1] })]), '');
  assert.is(peerTable([result({ brian2ImagesPerCpuSecond: [1] }, 'skipped')]), '');
});

test.run();
