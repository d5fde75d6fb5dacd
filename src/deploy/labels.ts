/**
 * From classifier outputs to class labels. A supervised head's output j is class j; a head trained on
 * pseudo-labels (the Deep-STDP and k-means clusters of `deep-stdp train`) has cluster outputs. The
 * majority mapping covers both: each output is mapped to the true class most frequent among the
 * calibration images the ANN assigns to it (an output the ANN never picks keeps its own index when
 * it is a class index, else maps to no class). The same mapping scores the ANN and the SNN, so
 * their accuracies compare like with like.
 */
export type LabelMapping = Int32Array;

export function majorityMapping(predicted: ArrayLike<number>, labels: ArrayLike<number>, outputs: number, classes: number): LabelMapping {
  const votes = new Int32Array(outputs * classes);
  for (let i = 0; i < predicted.length; i++) votes[predicted[i]! * classes + labels[i]!]! += 1;
  const mapping = new Int32Array(outputs);
  for (let o = 0; o < outputs; o++) {
    let best = -1;
    let bestVotes = 0;
    for (let c = 0; c < classes; c++) {
      const v = votes[o * classes + c]!;
      if (v > bestVotes) {
        best = c;
        bestVotes = v;
      }
    }
    mapping[o] = best >= 0 ? best : o < classes ? o : -1;
  }
  return mapping;
}

export function isIdentity(mapping: LabelMapping): boolean {
  return mapping.every((c, o) => c === o);
}

/** Fraction of predictions that map to the true label. */
export function mappedAccuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>, mapping: LabelMapping, count = predicted.length): number {
  if (count === 0) return NaN;
  let correct = 0;
  for (let i = 0; i < count; i++) if (mapping[predicted[i]!] === labels[i]) correct++;
  return correct / count;
}

/** Fraction of positions where two predictions agree. */
export function agreement(a: ArrayLike<number>, b: ArrayLike<number>, count = a.length): number {
  if (count === 0) return NaN;
  let same = 0;
  for (let i = 0; i < count; i++) if (a[i] === b[i]) same++;
  return same / count;
}
