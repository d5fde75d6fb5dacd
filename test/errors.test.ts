import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError, requireFinite, requireInteger, requireOneOf } from '../src/errors.js';

test('ValidationError names the field, the value and what is allowed', () => {
  const err = new ValidationError('tauMembrane', -3, 'a finite number > 0');
  assert.is(err.message, 'tauMembrane: got -3; allowed: a finite number > 0');
  assert.is(err.field, 'tauMembrane');
});

test('require* helpers reject NaN, out-of-range and wrong choices', () => {
  assert.throws(() => requireFinite('dt', Number.NaN, 0), /dt: got NaN/);
  assert.throws(() => requireInteger('bits', 9, 1, 8), /bits: got 9; allowed: an integer in \[1, 8\]/);
  assert.throws(() => requireOneOf('rounding', 'up', ['nearest', 'stochastic']), /rounding: got "up"/);
  assert.is(requireFinite('x', 2, 0, 3), 2);
});

test.run();
