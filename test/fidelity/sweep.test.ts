// The sweep grid, its points and slices: every point belongs to exactly one slice, and a slice runs the
// float reference of every seed it touches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expandSweep, floatPoint, listOrAll, parseShard, resolveGrid, shardPoints, ALL_BITS, ROUNDINGS } from '../../src/fidelity/sweep.js';
import { ValidationError } from '../../src/errors.js';

const grid = resolveGrid({ bits: [4, 1, 2, 4], rounding: ['nearest', 'stochastic'], device: ['ideal', 'nonlinear', 'c2c'], seeds: [1, 2, 3] });

test('grid: bits sorted and de-duplicated, lists kept in order', () => {
  assert.equal(grid.bits, [1, 2, 4]);
  assert.equal(grid.rounding, ['nearest', 'stochastic']);
  assert.equal(grid.seeds, [1, 2, 3]);
});

test('expansion: per seed one float reference and bits x rounding x device points', () => {
  const points = expandSweep(grid);
  assert.is(points.length, 3 * (1 + 3 * 2 * 3));
  assert.equal(points[0], floatPoint(1));
  assert.is(points[1]!.id, 's1-b1-nearest-ideal');
  assert.is(new Set(points.map((p) => p.id)).size, points.length);
  assert.equal(points.filter((p) => p.bits === 0).map((p) => p.id), ['s1-float', 's2-float', 's3-float']);
});

test('shards: every non-float point in exactly one slice, floats of the touched seeds first', () => {
  const all = expandSweep(grid);
  for (const count of [1, 2, 5, 7, 60]) {
    const seen = new Map<string, number>();
    for (let index = 0; index < count; index++) {
      const mine = shardPoints(all, { index, count });
      const work = mine.filter((p) => p.bits !== 0);
      const floats = mine.filter((p) => p.bits === 0);
      assert.equal(mine.slice(0, floats.length), floats, 'floats run first');
      assert.equal(floats.map((p) => p.seed).sort(), [...new Set(work.map((p) => p.seed))].sort());
      for (const p of work) seen.set(p.id, (seen.get(p.id) ?? 0) + 1);
    }
    const work = all.filter((p) => p.bits !== 0);
    assert.is(seen.size, work.length, `${count} slices cover every point`);
    assert.ok([...seen.values()].every((v) => v === 1), 'no point twice');
  }
  assert.equal(shardPoints(all, null).length, all.length);
});

test('parseShard and list options', () => {
  assert.equal(parseShard('2/5'), { index: 2, count: 5 });
  for (const bad of ['5/5', '1', 'a/b', '-1/3', '0/0']) assert.throws(() => parseShard(bad), (e: unknown) => e instanceof ValidationError && e.field === '--shard');
  assert.equal(listOrAll('all', ALL_BITS, true), [...ALL_BITS]);
  assert.equal(listOrAll('1,2, 8', ALL_BITS, true), [1, 2, 8]);
  assert.equal(listOrAll(['nearest,truncate'], ROUNDINGS, false), ['nearest', 'truncate']);
});

test('bad grids name the option', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ bits: [0] }, '--bits'],
    [{ bits: [9] }, '--bits'],
    [{ bits: [] }, '--bits'],
    [{ rounding: ['round'] }, '--rounding'],
    [{ device: ['memristor'] }, '--device'],
    [{ seeds: [-1] }, '--seeds'],
  ];
  for (const [patch, field] of cases) {
    const raw = { bits: [1], rounding: ['nearest'], device: ['ideal'], seeds: [1], ...patch };
    assert.throws(() => resolveGrid(raw), (e: unknown) => e instanceof ValidationError && e.field === field, field);
  }
});

test.run();
