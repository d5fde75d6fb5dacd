import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvField, toCsv, writeCsvAtomic } from '../../src/report/csv.js';

const dir = mkdtempSync(join(tmpdir(), 'deep-stdp-csv-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('csvField: quoting of commas, quotes, line breaks and edge spaces; plain fields untouched', () => {
  assert.is(csvField('plain'), 'plain');
  assert.is(csvField('a,b'), '"a,b"');
  assert.is(csvField('say "hi"'), '"say ""hi"""');
  assert.is(csvField('two\nlines'), '"two\nlines"');
  assert.is(csvField('cr\rhere'), '"cr\rhere"');
  assert.is(csvField(' padded'), '" padded"');
  assert.is(csvField(''), '');
  assert.is(csvField(null), '');
  assert.is(csvField(undefined), '');
  assert.is(csvField(0.1 + 0.2), '0.30000000000000004');
  assert.is(csvField(Number.NaN), 'NaN');
  assert.is(csvField(-Infinity), '-Infinity');
  assert.is(csvField(true), 'true');
  assert.is(csvField([1, 2]), '"[1,2]"');
});

test('toCsv: header from the union of keys in first-seen order, missing fields empty', () => {
  const text = toCsv([
    { epoch: 1, method: 'stdp', acc: 0.5 },
    { epoch: 2, method: 'k-means, k=10', nmi: 0.25 },
  ]);
  assert.is(text, 'epoch,method,acc,nmi\n1,stdp,0.5,\n2,"k-means, k=10",,0.25\n');
  assert.is(toCsv([{ a: 1, b: 2 }], ['b', 'a']), 'b,a\n2,1\n');
});

test('writeCsvAtomic writes the file and leaves no temporary behind', () => {
  const path = join(dir, 'out', 'metrics.csv');
  writeCsvAtomic(path, [{ x: 1 }]);
  assert.is(readFileSync(path, 'utf8'), 'x\n1\n');
});

test.run();
