// Hardware event counters of one kernel call. They are accumulated here as 64-bit integers and added
// to the layer's f64 counter block (exact up to 2^53) once at the end of the call.
import { CNT_COUNT } from './context';

export let cInputSpikes: i64 = 0;
export let cSynapticEvents: i64 = 0;
export let cDenseSynapticOps: i64 = 0;
export let cNeuronUpdates: i64 = 0;
export let cOutputSpikes: i64 = 0;
export let cStdpPreEvents: i64 = 0;
export let cStdpPostEvents: i64 = 0;
export let cWeightWrites: i64 = 0;
export let cLostUpdates: i64 = 0;
export let cStepsRun: i64 = 0;
export let cStepsSkipped: i64 = 0;

export function clearCallCounters(): void {
  cInputSpikes = 0;
  cSynapticEvents = 0;
  cDenseSynapticOps = 0;
  cNeuronUpdates = 0;
  cOutputSpikes = 0;
  cStdpPreEvents = 0;
  cStdpPostEvents = 0;
  cWeightWrites = 0;
  cLostUpdates = 0;
  cStepsRun = 0;
  cStepsSkipped = 0;
}

// @ts-ignore: decorator
@inline
function addTo(p: usize, k: i32, v: i64): void {
  const a = p + (<usize>k << 3);
  store<f64>(a, load<f64>(a) + <f64>v);
}

/** Adds this call's counts to the layer's counter block (f64 slots in COUNTER_NAMES order). */
export function flushCallCounters(p: usize): void {
  addTo(p, 0, cInputSpikes);
  addTo(p, 1, cSynapticEvents);
  addTo(p, 2, cDenseSynapticOps);
  addTo(p, 3, cNeuronUpdates);
  addTo(p, 4, cOutputSpikes);
  addTo(p, 5, cStdpPreEvents);
  addTo(p, 6, cStdpPostEvents);
  addTo(p, 7, cWeightWrites);
  addTo(p, 8, cLostUpdates);
  addTo(p, 9, cStepsRun);
  addTo(p, 10, cStepsSkipped);
  assert(CNT_COUNT == 11);
}
