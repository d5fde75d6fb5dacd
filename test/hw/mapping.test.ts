import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { geometryOf, mapLayer } from '../../src/hw/mapping.js';
import { loadModel } from '../../src/hw/model-registry.js';

const total = (m: ReturnType<typeof mapLayer>): number => m.blocks.reduce((s, b) => s + b.count, 0);

test('784 x 400 on 256 x 256 cores: 4 row tiles x 2 column tiles, four block shapes', () => {
  const m = mapLayer(784, 400, { rows: 256, cols: 256 });
  assert.is(m.rowTiles, 4); // 256 + 256 + 256 + 16
  assert.is(m.colTiles, 2); // 256 + 144
  assert.is(m.cores, 8);
  assert.is(total(m), 8);
  assert.equal(
    m.blocks.map((b) => [b.rows, b.cols, b.count, b.holdsNeurons]).sort(),
    [
      [256, 256, 1, true],
      [256, 144, 1, true],
      [256, 256, 2, false],
      [256, 144, 2, false],
      [16, 256, 1, false],
      [16, 144, 1, false],
    ].sort(),
  );
  // every synapse is mapped exactly once
  assert.is(m.blocks.reduce((s, b) => s + b.rows * b.cols * b.count, 0), 784 * 400);
});

test('Loihi: synapse memory (1 Mbit, 16-bit synapses) limits a 784-input core to 83 neurons', () => {
  const m = mapLayer(784, 400, geometryOf(loadModel('loihi').model));
  assert.is(m.rowsPerCore, 784);
  assert.is(m.colsPerCore, Math.floor(65536 / 784)); // 83
  assert.is(m.colTiles, 5); // 4 x 83 + 68
  assert.is(m.cores, 5);
  assert.is(m.limitedBy, 'synapse-memory');
  assert.equal(m.blocks.map((b) => [b.rows, b.cols, b.count]).sort(), [[784, 83, 4], [784, 68, 1]].sort());
});

test('a column larger than the synapse memory splits the inputs, with a warning', () => {
  const m = mapLayer(100, 3, { rows: 1000, cols: 1000, synapseMemoryBitsPerCore: 640, bitsPerSynapse: 16 });
  assert.is(m.rowsPerCore, 40);
  assert.is(m.rowTiles, 3); // 40 + 40 + 20
  assert.is(m.colsPerCore, 1);
  assert.is(m.cores, 9);
  assert.is(m.warnings.length, 1);
  assert.is(m.blocks.reduce((s, b) => s + b.rows * b.cols * b.count, 0), 300);
});

test('small layers use one partial core; no geometry = one core', () => {
  const m = mapLayer(3, 2, { rows: 256, cols: 256 });
  assert.equal([m.rowTiles, m.colTiles, m.cores], [1, 1, 1]);
  assert.equal(m.blocks, [{ rows: 3, cols: 2, count: 1, holdsNeurons: true }]);
  const u = mapLayer(5000, 7000, undefined);
  assert.equal([u.cores, u.limitedBy], [1, 'unbounded']);
});

test.run();
