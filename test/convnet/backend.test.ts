import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { ValidationError } from '../../src/errors.js';
import { initBackend } from '../../src/convnet/backend.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('default choice in a fresh process: tensorflow when tfjs-node imports, else wasm with our kernels', () => {
  const script = `
    import { initBackend } from './src/convnet/backend.ts';
    import * as tf from '@tensorflow/tfjs';
    const info = await initBackend();
    let tfjsNode = true;
    try { await import('@tensorflow/tfjs-node'); } catch { tfjsNode = false; }
    console.log(JSON.stringify({ info, running: tf.getBackend(), tfjsNode }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  const { info, running, tfjsNode } = JSON.parse(out.trim().split('\n').pop()!);
  assert.is(info.name, tfjsNode ? 'tensorflow' : 'wasm');
  assert.is(running, info.name);
  assert.is(info.requested, false);
  if (!tfjsNode) {
    assert.ok(info.notes.some((n: string) => n.includes('tfjs-node')), JSON.stringify(info.notes));
    assert.is(info.wasmBinary, 'simd');
    assert.ok(info.customKernels.includes('Conv2DBackpropFilter'));
  }
});

test('an explicit backend is honoured and recorded; an unknown one is a ValidationError', async () => {
  const cpu = await initBackend('cpu');
  assert.is(cpu.name, 'cpu');
  assert.is(cpu.requested, true);
  assert.is(tf.getBackend(), 'cpu');
  const wasm = await initBackend('wasm');
  assert.is(wasm.name, 'wasm');
  assert.is(tf.getBackend(), 'wasm');
  try {
    await initBackend('webgpu');
    assert.unreachable('should throw');
  } catch (e) {
    assert.ok(e instanceof ValidationError && e.field === 'backend', String(e));
  }
});

test('a backend switched behind initBackend\'s back is switched back on the next call', async () => {
  const chosen = await initBackend('wasm');
  await tf.setBackend('cpu');
  assert.is(tf.getBackend(), 'cpu');
  const again = await initBackend();
  assert.is(again, chosen);
  assert.is(tf.getBackend(), 'wasm');
});

test.run();
