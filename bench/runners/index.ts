import type { RunnerRegistry } from '../harness.js';

/**
 * Runner kind → lazy loader. A scenario file's "kind" picks its runner here; kinds without an entry
 * are reported as skipped ("no runner is registered"). Each runner lives in bench/runners/<kind>.ts
 * and exports `runner: Runner`.
 */
export const runners: RunnerRegistry = {
  crossbar: async () => (await import('./crossbar.js')).runner,
};
