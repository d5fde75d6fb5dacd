/** Programmatic API of deep-stdp. */
export { ValidationError } from './errors.js';
export type { Counters } from './core/counters.js';
export { COUNTER_NAMES } from './core/counters.js';
