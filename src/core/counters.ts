/**
 * Hardware event counters of one layer. Names follow NeuroBench where one exists:
 * synapticEvents = effective accumulates (presynaptic spike x fan-out onto non-zero weights),
 * denseSynapticOps = the dense count (every synapse, every step).
 * All values are exact integers up to 2^53.
 */
export interface Counters {
  inputSpikes: number;
  synapticEvents: number;
  denseSynapticOps: number;
  neuronUpdates: number;
  outputSpikes: number;
  stdpPreEvents: number;
  stdpPostEvents: number;
  weightWrites: number;
  lostUpdates: number;
  stepsRun: number;
  stepsSkipped: number;
}

/** Counter names in their storage order (the kernels keep them in this order). */
export const COUNTER_NAMES = [
  'inputSpikes',
  'synapticEvents',
  'denseSynapticOps',
  'neuronUpdates',
  'outputSpikes',
  'stdpPreEvents',
  'stdpPostEvents',
  'weightWrites',
  'lostUpdates',
  'stepsRun',
  'stepsSkipped',
] as const satisfies readonly (keyof Counters)[];

export function zeroCounters(): Counters {
  const c = {} as Counters;
  for (const name of COUNTER_NAMES) c[name] = 0;
  return c;
}

export function addCounters(into: Counters, from: Counters): Counters {
  for (const name of COUNTER_NAMES) into[name] += from[name];
  return into;
}
