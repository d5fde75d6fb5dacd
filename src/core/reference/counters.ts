// Twin of assembly/counters.ts: per-call counts added to the layer's f64 counter block at the end.
import type { Mem } from './mem.js';

export class CallCounters {
  inputSpikes = 0;
  synapticEvents = 0;
  denseSynapticOps = 0;
  neuronUpdates = 0;
  outputSpikes = 0;
  stdpPreEvents = 0;
  stdpPostEvents = 0;
  weightWrites = 0;
  lostUpdates = 0;
  stepsRun = 0;
  stepsSkipped = 0;

  flush(m: Mem, p: number): void {
    const b = p >>> 3;
    m.f64[b] += this.inputSpikes;
    m.f64[b + 1] += this.synapticEvents;
    m.f64[b + 2] += this.denseSynapticOps;
    m.f64[b + 3] += this.neuronUpdates;
    m.f64[b + 4] += this.outputSpikes;
    m.f64[b + 5] += this.stdpPreEvents;
    m.f64[b + 6] += this.stdpPostEvents;
    m.f64[b + 7] += this.weightWrites;
    m.f64[b + 8] += this.lostUpdates;
    m.f64[b + 9] += this.stepsRun;
    m.f64[b + 10] += this.stepsSkipped;
  }
}
