import type { RunnerRegistry } from '../harness.js';

/**
 * Runner kind → lazy loader. A scenario file's "kind" picks its runner here; kinds without an entry
 * are reported as skipped ("no runner is registered"). Each runner lives in bench/runners/<kind>.ts
 * and exports `runner: Runner`.
 */
export const runners: RunnerRegistry = {
  crossbar: async () => (await import('./crossbar.js')).runner,
  'dc-mnist': async () => (await import('./dc-mnist.js')).runner,
  'dc-brian2': async () => (await import('./dc-brian2.js')).runner,
  'cluster-layer': async () => (await import('./cluster-layer.js')).runner,
  convnet: async () => (await import('./convnet.js')).runner,
  'convnet-tfjs-node': async () => (await import('./convnet.js')).tfjsNodeRunner,
  'spiking-convnet': async () => (await import('./spiking-convnet.js')).runner,
};
