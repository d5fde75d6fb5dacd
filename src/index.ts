/** Programmatic API of deep-stdp. */
export { ValidationError } from './errors.js';

// ---- core: the event-driven layer (docs/core.md) ----
export type { Counters } from './core/counters.js';
export { COUNTER_NAMES, zeroCounters, addCounters } from './core/counters.js';
export { createLayer } from './core/layer.js';
export type {
  Layer, Backend, LayerConfig, NeuronConfig, WeightConfig, StdpConfig, InhibitionConfig, SampleInput, SampleResult,
  LayerState,
} from './core/layer.js';
export { defaultBackend } from './core/engine.js';
export { simdSupported } from './core/wasm.js';
export { encodeState, decodeState, STATE_FORMAT, STATE_VERSION } from './core/state.js';
// ---- end core ----
