/**
 * Classifier read-out of the output layer after T steps (docs/deploy.md):
 * - 'spikes': the neuron with the most output spikes; ties go to the larger membrane potential,
 *   then to the lower index (at small T many neurons tie on spike counts);
 * - 'membrane': the neuron with the largest integrated input, count * vThresh + v (with reset by
 *   subtraction this is the sum of all the input it received, as a non-spiking integrator would hold).
 */
export const READOUTS = ['membrane', 'spikes'] as const;
export type Readout = (typeof READOUTS)[number];

export function readoutSpikes(counts: ArrayLike<number>, v: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < counts.length; j++) {
    const c = counts[j]!;
    const b = counts[best]!;
    if (c > b || (c === b && v[j]! > v[best]!)) best = j;
  }
  return best;
}

export function readoutMembrane(counts: ArrayLike<number>, v: ArrayLike<number>, vThresh: number): number {
  let best = 0;
  let bestValue = counts[0]! * vThresh + v[0]!;
  for (let j = 1; j < counts.length; j++) {
    const x = counts[j]! * vThresh + v[j]!;
    if (x > bestValue) {
      best = j;
      bestValue = x;
    }
  }
  return best;
}
