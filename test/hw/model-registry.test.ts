import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../src/errors.js';
import { loadModel, loadModelFile, resolveModels, shippedModelNames } from '../../src/hw/model-registry.js';
import { DocumentValidationError } from '../../src/hw/violations.js';
import { toyDigitalModel } from './fixture-model.js';

test('an unknown model name is a ValidationError that lists every valid name', () => {
  const names = shippedModelNames();
  try {
    loadModel('loihi3');
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, ValidationError);
    const message = (err as Error).message;
    assert.match(message, /--model: got "loihi3"/);
    for (const n of names) assert.ok(message.includes(`"${n}"`), `lists ${n}`);
    assert.match(message, /"all"/);
  }
});

test('"all" resolves every shipped model once; comma lists keep order and drop duplicates', () => {
  const all = resolveModels('all');
  assert.equal(all.map((m) => m.model.name), shippedModelNames());
  const some = resolveModels('truenorth, loihi,truenorth');
  assert.equal(some.map((m) => m.model.name), ['truenorth', 'loihi']);
});

test('a user model is loaded by path; a broken one fails with all violations in the message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-registry-'));
  const good = join(dir, 'toy.json');
  writeFileSync(good, JSON.stringify(toyDigitalModel()));
  assert.is(loadModel(good).model.name, 'toy-digital');
  const bad = toyDigitalModel() as unknown as Record<string, any>;
  bad.energyPj.synapticEvent.value = -3;
  bad.kind = 'quantum';
  const badPath = join(dir, 'bad.json');
  writeFileSync(badPath, JSON.stringify(bad));
  try {
    loadModelFile(badPath);
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, DocumentValidationError);
    assert.instance(err, ValidationError);
    const e = err as DocumentValidationError;
    assert.is(e.violations.length, 2);
    assert.match(e.message, /\/energyPj\/synapticEvent\/value: got -3/);
    assert.match(e.message, /\/kind: got "quantum"; must be one of/);
  }
  const notJson = join(dir, 'broken.json');
  writeFileSync(notJson, '{ "name": ');
  assert.throws(() => loadModel(notJson), (e: unknown) => e instanceof ValidationError && /valid JSON/.test((e as Error).message));
  assert.throws(() => loadModel(join(dir, 'missing.json')), (e: unknown) => e instanceof ValidationError);
});

test.run();
