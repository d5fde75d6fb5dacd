import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HostLinearMemory, WasmLinearMemory } from '../../src/core/linear-memory.js';

test('host memory grows in whole pages and keeps its bytes', () => {
  const m = new HostLinearMemory();
  m.mem().u8[1030] = 7;
  m.reserve(1000);
  assert.is(m.mem().buffer.byteLength, 65536, 'enough already: unchanged');
  m.reserve(65537);
  assert.is(m.mem().buffer.byteLength, 131072);
  assert.is(m.mem().u8[1030], 7);
});

test('WebAssembly memory views follow the buffer a grow replaces', () => {
  // Stand-in for WebAssembly.Memory: grow() detaches the old buffer for a larger copy.
  const memory = {
    buffer: new ArrayBuffer(65536),
    grow(pages: number) {
      const old = this.buffer;
      this.buffer = new ArrayBuffer(old.byteLength + pages * 65536);
      new Uint8Array(this.buffer).set(new Uint8Array(old));
      return old.byteLength / 65536;
    },
  };
  const m = new WasmLinearMemory(memory, 2048);
  assert.is(m.base, 2048);
  m.mem().f64[300] = 1.5;
  m.reserve(65536 * 3 - 10);
  assert.is(memory.buffer.byteLength, 65536 * 3);
  assert.is(m.mem().buffer, memory.buffer);
  assert.is(m.mem().f64[300], 1.5);
});

test.run();
