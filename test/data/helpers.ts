import * as assert from 'uvu/assert';
import { ValidationError } from '../../src/errors.js';

/** Asserts that `fn` throws a ValidationError whose message matches `pattern`. */
export function throwsValidation(fn: () => unknown, pattern?: RegExp): ValidationError {
  try {
    fn();
  } catch (err) {
    assert.instance(err, ValidationError);
    if (pattern) assert.match((err as Error).message, pattern);
    return err as ValidationError;
  }
  assert.unreachable('expected a ValidationError');
  throw new Error('unreachable');
}
