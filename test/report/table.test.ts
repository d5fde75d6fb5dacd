import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatQuantity, formatTable } from '../../src/report/table.js';

test('formatQuantity: significant digits, exponent form for large and small values', () => {
  assert.is(formatQuantity(0), '0');
  assert.is(formatQuantity(42), '42');
  assert.is(formatQuantity(3.14159), '3.14');
  assert.is(formatQuantity(0.5), '0.5');
  assert.is(formatQuantity(2984.5), '2985');
  assert.is(formatQuantity(999.95), '1000');
  assert.is(formatQuantity(3.2e9), '3.2e9');
  assert.is(formatQuantity(1234567), '1.23e6');
  assert.is(formatQuantity(-2.5e-5), '-2.5e-5');
  assert.is(formatQuantity(1.5e-3, 2), '0.0015');
  assert.is(formatQuantity(Number.NaN), 'NaN');
  assert.is(formatQuantity(Infinity), 'inf');
});

test('formatTable: units in headers, numbers right-aligned, text left-aligned, "-" for missing', () => {
  const rows = [
    { scenario: 'synapses/1e4x1e3', events: 3.2e9, ns: 0.3125, reps: 5 },
    { scenario: 'dc-400', events: 12345, ns: null, reps: 15 },
  ];
  const text = formatTable(
    [
      { header: 'scenario', value: 'scenario' },
      { header: 'events', unit: '1/s', value: 'events' },
      { header: 'time', unit: 'ns/event', value: (r) => r.ns },
      { header: 'reps', value: 'reps' },
    ],
    rows,
  );
  assert.is(
    text,
    [
      'scenario          events (1/s)  time (ns/event)  reps',
      '----------------  ------------  ---------------  ----',
      'synapses/1e4x1e3         3.2e9            0.313     5',
      'dc-400                   12345                -    15',
      '',
    ].join('\n'),
  );
});

test('formatTable: explicit alignment, custom formatter, indent; empty table keeps the header', () => {
  const text = formatTable([{ header: 'a', value: 'a', align: 'right' }, { header: 'b', value: 'b', format: (v) => `<${v}>`, align: 'left' }], [{ a: 'x', b: 1 }], { indent: '  ' });
  assert.is(text, '  a  b\n  -  ---\n  x  <1>\n');
  assert.is(formatTable([{ header: 'only', value: 'x' }], []), 'only\n----\n');
});

test.run();
